package zkp

import (
	"bytes"

	"errors"
	"fmt"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"sync"
	"testing"
)

type keyPair struct {
	pk *ProvingKey
	vk *VerifyingKey
}

var (
	keyMu    sync.Mutex
	keyCache = map[string]keyPair{}
)

// testKeys compiles and sets up a shape once per test binary.
func testKeys(t testing.TB, s Shape, b Backend) (*ProvingKey, *VerifyingKey) {
	t.Helper()
	keyMu.Lock()
	defer keyMu.Unlock()
	id := fmt.Sprint(s, b)
	if kp, ok := keyCache[id]; ok {
		return kp.pk, kp.vk
	}
	cc, err := Compile(s, b)
	if err != nil {
		t.Fatal(err)
	}
	var pk *ProvingKey
	var vk *VerifyingKey
	if s.Kind == KindReading {
		pk, vk, err = UnsafeSetup(cc, []byte("iotrust test"))
	} else {
		pk, vk, err = UnsafeRandomSetup(cc)
	}
	if err != nil {
		t.Fatal(err)
	}
	keyCache[id] = keyPair{pk, vk}
	return pk, vk
}

var backends = []Backend{Groth16, PLONK}

func TestProveVerifyReading(t *testing.T) {
	for _, b := range backends {
		t.Run(b.String(), func(t *testing.T) {
			pk, vk := testKeys(t, ReadingShape(16), b)
			c, o := mustOpen(t, 4500)
			claim := ReadingClaim{Interval{4200, 4800}, c}
			proof, err := Prove(pk, claim, []Opening{o})
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(vk, proof, claim); err != nil {
				t.Fatal(err)
			}
			other, _ := mustOpen(t, 4500)
			for name, bad := range map[string]ReadingClaim{
				"lo+1":            {Interval{4201, 4800}, c},
				"hi-1":            {Interval{4200, 4799}, c},
				"other reading":   {Interval{4200, 4800}, other},
				"narrower around": {Interval{4500, 4500}, c},
			} {
				if err := Verify(vk, proof, bad); !errors.Is(err, ErrVerify) {
					t.Errorf("%s: Verify = %v, want ErrVerify", name, err)
				}
			}
			if err := Verify(vk, proof, ReadingClaim{Interval{4800, 4200}, c}); !errors.Is(err, ErrOutOfRange) {
				t.Errorf("inverted interval: %v", err)
			}
			if err := Verify(vk, proof, BatchClaim{Interval{4200, 4800}, []Commitment{c}}); !errors.Is(err, ErrShape) {
				t.Errorf("batch claim against reading key: %v", err)
			}
			if _, err := Prove(pk, claim, []Opening{{Value: 4500, Salt: o.Salt}, o}); !errors.Is(err, ErrOpening) {
				t.Errorf("two openings: %v", err)
			}
			wrong := o
			wrong.Salt[31] ^= 1
			if _, err := Prove(pk, claim, []Opening{wrong}); !errors.Is(err, ErrOpening) {
				t.Errorf("wrong salt: %v", err)
			}
			if _, err := Prove(pk, ReadingClaim{Interval{4600, 4800}, c}, []Opening{o}); !errors.Is(err, ErrOutOfRange) {
				t.Errorf("false claim: %v", err)
			}
		})
	}
}

func TestProveVerifyBatch(t *testing.T) {
	for _, b := range backends {
		t.Run(b.String(), func(t *testing.T) {
			if testing.Short() && b == PLONK {
				t.Skip("PLONK batch circuits run outside -short")
			}
			pk, vk := testKeys(t, BatchShape(16, 16), b)
			f := newBatch(t, 4200, 4800, 4500, 4333, 4201)
			claim := BatchClaim{Interval{4200, 4800}, f.commitments}
			proof, err := Prove(pk, claim, f.openings)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(vk, proof, claim); err != nil {
				t.Fatal(err)
			}
			extra, _ := mustOpen(t, 4500)
			for name, cs := range map[string][]Commitment{
				"one dropped":      f.commitments[:4],
				"one added":        append(append([]Commitment{}, f.commitments...), extra),
				"padding appended": append(append([]Commitment{}, f.commitments...), PaddingLeaf()),
				"reordered":        {f.commitments[1], f.commitments[0], f.commitments[2], f.commitments[3], f.commitments[4]},
			} {
				if err := Verify(vk, proof, BatchClaim{Interval{4200, 4800}, cs}); !errors.Is(err, ErrVerify) {
					t.Errorf("%s: Verify = %v, want ErrVerify", name, err)
				}
			}
			if err := Verify(vk, proof, BatchClaim{Interval{4200, 4800}, nil}); !errors.Is(err, ErrShape) {
				t.Errorf("empty batch: %v", err)
			}
			if err := Verify(vk, proof, BatchClaim{Interval{4200, 4800}, make([]Commitment, 17)}); !errors.Is(err, ErrShape) {
				t.Errorf("17 in a batch of 16: %v", err)
			}
			bad := newBatch(t, 4200, 4801)
			if _, err := Prove(pk, BatchClaim{Interval{4200, 4800}, bad.commitments}, bad.openings); !errors.Is(err, ErrOutOfRange) {
				t.Errorf("batch with a bad reading: %v", err)
			}
		})
	}
}

func TestProveVerifyBox(t *testing.T) {
	for _, b := range backends {
		t.Run(b.String(), func(t *testing.T) {
			pk, vk := testKeys(t, BoxShape(2, 32), b)
			// latitude and longitude in micro-degrees + 90°/180°: a zone
			// around Rotterdam, the point stays private
			lat, lon := uint64(90_000_000+51_920_000), uint64(180_000_000+4_480_000)
			f := newBatch(t, lat, lon)
			zone := []Interval{{90_000_000 + 51_800_000, 90_000_000 + 52_000_000}, {180_000_000 + 4_300_000, 180_000_000 + 4_600_000}}
			claim := BoxClaim{zone, f.commitments}
			proof, err := Prove(pk, claim, f.openings)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(vk, proof, claim); err != nil {
				t.Fatal(err)
			}
			swapped := BoxClaim{zone, []Commitment{f.commitments[1], f.commitments[0]}}
			if err := Verify(vk, proof, swapped); !errors.Is(err, ErrVerify) {
				t.Errorf("swapped commitments: %v", err)
			}
			smaller := BoxClaim{[]Interval{zone[0], {180_000_000 + 4_300_000, 180_000_000 + 4_400_000}}, f.commitments}
			if err := Verify(vk, proof, smaller); !errors.Is(err, ErrVerify) {
				t.Errorf("smaller zone: %v", err)
			}
		})
	}
}

func TestProveVerifyThreshold(t *testing.T) {
	for _, b := range backends {
		t.Run(b.String(), func(t *testing.T) {
			if testing.Short() && b == PLONK {
				t.Skip("PLONK batch circuits run outside -short")
			}
			pk, vk := testKeys(t, ThresholdShape(16, 16), b)
			f := newBatch(t, 4200, 5000, 4500, 100, 4800, 4799)
			claim := ThresholdClaim{Interval{4200, 4800}, 2, f.commitments}
			proof, err := Prove(pk, claim, f.openings)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(vk, proof, claim); err != nil {
				t.Fatal(err)
			}
			stricter := ThresholdClaim{Interval{4200, 4800}, 1, f.commitments}
			if err := Verify(vk, proof, stricter); !errors.Is(err, ErrVerify) {
				t.Errorf("m=1: %v", err)
			}
			if _, err := Prove(pk, stricter, f.openings); !errors.Is(err, ErrOutOfRange) {
				t.Errorf("proving m=1 with two excursions: %v", err)
			}
			if _, err := Prove(pk, ThresholdClaim{Interval{4200, 4800}, 1 << 10, f.commitments}, f.openings); !errors.Is(err, ErrOutOfRange) {
				t.Errorf("huge m: %v", err)
			}
		})
	}
}

// TestSerializationRoundTrip writes and reads keys and proofs, then proves
// with the loaded proving key and verifies with the loaded verifying key.
func TestSerializationRoundTrip(t *testing.T) {
	for _, b := range backends {
		t.Run(b.String(), func(t *testing.T) {
			pk, vk := testKeys(t, ReadingShape(16), b)
			var pkBuf, vkBuf bytes.Buffer
			if _, err := pk.WriteTo(&pkBuf); err != nil {
				t.Fatal(err)
			}
			if _, err := vk.WriteTo(&vkBuf); err != nil {
				t.Fatal(err)
			}
			t.Logf("%v reading: proving key %d B, verifying key %d B", b, pkBuf.Len(), vkBuf.Len())
			pk2, err := ReadProvingKey(bytes.NewReader(pkBuf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			vk2, err := ReadVerifyingKey(bytes.NewReader(vkBuf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			c, o := mustOpen(t, 4500)
			claim := ReadingClaim{Interval{4200, 4800}, c}
			proof, err := Prove(pk2, claim, []Opening{o})
			if err != nil {
				t.Fatal(err)
			}
			raw, err := proof.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%v proof: %d B", b, len(raw))
			proof2, err := ParseProof(raw)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(vk2, proof2, claim); err != nil {
				t.Fatal(err)
			}
			if err := Verify(vk, proof2, claim); err != nil {
				t.Fatal(err)
			}
			// Every single-bit flip of the proof is rejected, either by
			// the decoder or by the verifier.
			for i := headerSize; i < len(raw); i += 7 {
				flipped := bytes.Clone(raw)
				flipped[i] ^= 0x04
				p, err := ParseProof(flipped)
				if err == nil {
					err = Verify(vk, p, claim)
				}
				if err == nil {
					t.Fatalf("proof with byte %d flipped verifies", i)
				}
				if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrVerify) {
					t.Fatalf("byte %d flipped: untyped error %v", i, err)
				}
			}
		})
	}
}

func TestDecodersRejectHostileInput(t *testing.T) {
	pk, vk := testKeys(t, ReadingShape(16), Groth16)
	c, o := mustOpen(t, 4500)
	proof, err := Prove(pk, ReadingClaim{Interval{4200, 4800}, c}, []Opening{o})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := proof.MarshalBinary()
	var vkBuf, pkBuf bytes.Buffer
	vk.WriteTo(&vkBuf)
	pk.WriteTo(&pkBuf)

	set32 := func(b []byte, off int, v uint32) []byte {
		b = bytes.Clone(b)
		b[off], b[off+1], b[off+2], b[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		return b
	}
	// Groth16 proof: the commitment count sits after Ar, Bs, Krs.
	for name, b := range map[string][]byte{
		"huge commitment count": set32(raw, headerSize+128, 0xffffffff),
		"one commitment":        set32(raw, headerSize+128, 1),
		"truncated":             raw[:len(raw)-1],
		"trailing byte":         append(bytes.Clone(raw), 0),
		"empty":                 nil,
		"header only":           raw[:headerSize],
		"bad magic":             append([]byte("XZKP"), raw[4:]...),
		"key as proof":          vkBuf.Bytes(),
		"oversized":             make([]byte, MaxProofSize+1),
	} {
		if _, err := ParseProof(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("proof %s: %v", name, err)
		}
	}
	uncompressed := bytes.Clone(raw)
	uncompressed[headerSize] &^= 0xc0
	if _, err := ParseProof(uncompressed); !errors.Is(err, ErrMalformed) {
		t.Errorf("uncompressed point flag: %v", err)
	}
	// Groth16 verifying key: K count after 3 G1 and 3 G2 points.
	kOff := headerSize + 3*32 + 3*64
	for name, b := range map[string][]byte{
		"huge K count":  set32(vkBuf.Bytes(), kOff, 0xffffffff),
		"K count 5":     set32(vkBuf.Bytes(), kOff, 5),
		"truncated":     vkBuf.Bytes()[:vkBuf.Len()-3],
		"proof as key":  raw,
		"shape changed": append(append(bytes.Clone(vkBuf.Bytes()[:7]), byte(KindBatch)), vkBuf.Bytes()[8:]...),
	} {
		if _, err := ReadVerifyingKey(bytes.NewReader(b)); !errors.Is(err, ErrMalformed) {
			t.Errorf("verifying key %s: %v", name, err)
		}
	}
	// Groth16 proving key: domain size first, then slices of points.
	for name, b := range map[string][]byte{
		"huge domain":  set32(pkBuf.Bytes(), headerSize, 0xffffffff),
		"huge A count": set32(pkBuf.Bytes(), headerSize+8+5*32+1+3*32, 0xffffffff),
		"truncated":    pkBuf.Bytes()[:pkBuf.Len()-1],
	} {
		if _, err := ReadProvingKey(bytes.NewReader(b)); !errors.Is(err, ErrMalformed) {
			t.Errorf("proving key %s: %v", name, err)
		}
	}
	// A G1 point off the curve and a G2 point on the curve but outside the
	// prime-order subgroup are caught by gnark's decoder checks.
	offCurve := bytes.Clone(raw)
	g1 := offCurveG1(t)
	copy(offCurve[headerSize:], g1[:])
	if _, err := ParseProof(offCurve); !errors.Is(err, ErrMalformed) {
		t.Errorf("G1 point off the curve: %v", err)
	}
	outside := bytes.Clone(raw)
	g2 := outsideSubgroupG2(t)
	copy(outside[headerSize+32:], g2[:])
	if _, err := ParseProof(outside); !errors.Is(err, ErrMalformed) {
		t.Errorf("G2 point outside the subgroup: %v", err)
	}
}

// offCurveG1 returns a compressed G1 encoding whose x has no y on the curve.
func offCurveG1(t testing.TB) [32]byte {
	for i := uint64(1); ; i++ {
		var x, rhs fp.Element
		x.SetUint64(i)
		rhs.Square(&x).Mul(&rhs, &x).Add(&rhs, new(fp.Element).SetUint64(3))
		if rhs.Legendre() == -1 {
			b := x.Bytes()
			b[0] |= 0b10 << 6 // compressed, smallest y
			return b
		}
	}
}

// outsideSubgroupG2 returns a compressed G2 point that lies on the twist
// but not in the prime-order subgroup (the twist has a large cofactor).
func outsideSubgroupG2(t testing.TB) [64]byte {
	var bTwist, nine bn254.E2
	nine.A0.SetUint64(9)
	nine.A1.SetUint64(1)
	bTwist.Inverse(&nine)
	bTwist.MulByElement(&bTwist, new(fp.Element).SetUint64(3))
	for i := uint64(1); ; i++ {
		var p bn254.G2Affine
		p.X.A0.SetUint64(i)
		var rhs bn254.E2
		rhs.Square(&p.X).Mul(&rhs, &p.X).Add(&rhs, &bTwist)
		if rhs.Legendre() != 1 {
			continue
		}
		p.Y.Sqrt(&rhs)
		if !p.IsOnCurve() {
			t.Fatal("constructed G2 point is off the twist")
		}
		if p.IsInSubGroup() {
			continue
		}
		return p.Bytes()
	}
}

func TestShapeValidate(t *testing.T) {
	for _, s := range []Shape{ReadingShape(16), ReadingShape(64), BatchShape(16, 16), BatchShape(1024, 1), BoxShape(16, 32), ThresholdShape(32, 16)} {
		if err := s.Validate(); err != nil {
			t.Errorf("%v: %v", s, err)
		}
	}
	for _, s := range []Shape{ReadingShape(0), ReadingShape(65), {Kind: KindReading, Size: 2, Bits: 16}, BatchShape(8, 16), BatchShape(24, 16), BatchShape(2048, 16), BoxShape(0, 16), BoxShape(17, 16), {Kind: 9, Size: 1, Bits: 16}} {
		if err := s.Validate(); !errors.Is(err, ErrShape) {
			t.Errorf("%v accepted: %v", s, err)
		}
	}
}

// TestUnsafeSetupDeterministic: the same seed gives the same verifying key
// (which is what makes a generated Solidity verifier reproducible), another
// seed a different one.
func TestUnsafeSetupDeterministic(t *testing.T) {
	for _, b := range backends {
		cc, err := Compile(ReadingShape(16), b)
		if err != nil {
			t.Fatal(err)
		}
		enc := func(seed string) []byte {
			_, vk, err := UnsafeSetup(cc, []byte(seed))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			vk.WriteTo(&buf)
			return buf.Bytes()
		}
		a, a2, other := enc("one"), enc("one"), enc("two")
		if !bytes.Equal(a, a2) {
			t.Errorf("%v: same seed, different keys", b)
		}
		if bytes.Equal(a, other) {
			t.Errorf("%v: different seeds, same key", b)
		}
	}
}

// TestCheckInterval: the rule Prove applies to a claim's interval, offered
// to parties that fix an interval before anyone proves.
func TestCheckInterval(t *testing.T) {
	s := BatchShape(16, 16)
	for _, tc := range []struct {
		iv Interval
		ok bool
	}{
		{Interval{0, 1<<16 - 1}, true},
		{Interval{7, 7}, true},
		{Interval{0, 1 << 16}, false},
		{Interval{0, 1 << 40}, false},
		{Interval{9, 8}, false},
	} {
		err := s.CheckInterval(tc.iv)
		if tc.ok != (err == nil) || (err != nil && !errors.Is(err, ErrOutOfRange)) {
			t.Errorf("%v on %v: %v", tc.iv, s, err)
		}
	}
}
