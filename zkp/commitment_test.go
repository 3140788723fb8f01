package zkp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/test"
)

// compressCircuit exposes the in-circuit Compress so the native function
// can be checked against it.
type compressCircuit struct {
	A, B, Out frontend.Variable
}

func (c *compressCircuit) Define(api frontend.API) error {
	p, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(p.Compress(c.A, c.B), c.Out)
	return nil
}

// TestNativeMatchesCircuit checks that the Go commitment is exactly what the
// circuit computes, for edge and random inputs; a wrong output must fail.
func TestNativeMatchesCircuit(t *testing.T) {
	rMinus1 := new(big.Int).Sub(fr.Modulus(), big.NewInt(1))
	inputs := [][2]*big.Int{{big.NewInt(0), big.NewInt(0)}, {big.NewInt(65535), rMinus1}, {rMinus1, rMinus1}}
	for i := 0; i < 5; i++ {
		a, _ := new(fr.Element).SetRandom()
		b, _ := new(fr.Element).SetRandom()
		inputs = append(inputs, [2]*big.Int{a.BigInt(new(big.Int)), b.BigInt(new(big.Int))})
	}
	for _, in := range inputs {
		var l, r [ElementSize]byte
		in[0].FillBytes(l[:])
		in[1].FillBytes(r[:])
		out, err := compress(l[:], r[:])
		if err != nil {
			t.Fatal(err)
		}
		good := &compressCircuit{A: in[0], B: in[1], Out: bigOf(out)}
		if err := test.IsSolved(&compressCircuit{}, good, ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("circuit disagrees with native Compress on %v: %v", in, err)
		}
		bad := &compressCircuit{A: in[0], B: in[1], Out: new(big.Int).Add(bigOf(out), big.NewInt(1))}
		if test.IsSolved(&compressCircuit{}, bad, ecc.BN254.ScalarField()) == nil {
			t.Fatal("circuit accepted a wrong output")
		}
	}
}

// TestCommitmentVector pins the commitment of one opening. It changes only
// if gnark-crypto changes its default Poseidon2 parameters, which would make
// every stored commitment unprovable: that must be a deliberate migration.
func TestCommitmentVector(t *testing.T) {
	var salt Salt
	salt[31] = 1
	c, err := Opening{Value: 4250, Salt: salt}.Commitment()
	if err != nil {
		t.Fatal(err)
	}
	const want = "292f4b8abb2992c8b08ffbff033dc31e08440a6e7bf7f78cd8b54bcb6614e864"
	if c.String() != want {
		t.Logf("commitment of (4250, salt 1) = %s", c)
		t.Fatalf("Poseidon2 commitment changed")
	}
}

func TestCommitRoundTrip(t *testing.T) {
	c, o, err := Commit(4200, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := o.Commitment()
	if err != nil || again != c {
		t.Fatalf("opening recomputes %v, %v; want %v", again, err, c)
	}
	c2, o2, err := Commit(4200, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c2 == c || o2.Salt == o.Salt {
		t.Fatal("two commitments to the same value collide: salt is not fresh")
	}
	text, _ := c.MarshalText()
	var back Commitment
	if err := back.UnmarshalText(text); err != nil || back != c {
		t.Fatalf("text round trip: %v %v", back, err)
	}
	bin, _ := c.MarshalBinary()
	if err := back.UnmarshalBinary(bin); err != nil || back != c {
		t.Fatalf("binary round trip: %v %v", back, err)
	}
}

// A deterministic reader makes NewSalt deterministic, and its output is
// always below r.
func TestNewSaltDeterministicAndCanonical(t *testing.T) {
	stream := bytes.Repeat([]byte{0xff}, 64) // 2^256-1 is rejected, then retried
	stream = append(stream, bytes.Repeat([]byte{0x07}, 64)...)
	s1, err := NewSalt(bytes.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := NewSalt(bytes.NewReader(stream))
	if s1 != s2 {
		t.Fatal("salt from the same stream differs")
	}
	if _, err := ParseSalt(s1[:]); err != nil {
		t.Fatalf("salt not canonical: %v", err)
	}
	if _, err := NewSalt(bytes.NewReader(nil)); err == nil {
		t.Fatal("salt from an empty reader")
	}
}

func TestParseCommitmentRejectsNonCanonical(t *testing.T) {
	r := fr.Modulus()
	enc := func(n *big.Int) []byte { b := make([]byte, 32); n.FillBytes(b); return b }
	if _, err := ParseCommitment(enc(new(big.Int).Sub(r, big.NewInt(1)))); err != nil {
		t.Fatalf("r-1 rejected: %v", err)
	}
	for name, b := range map[string][]byte{
		"r":     enc(r),
		"r+1":   enc(new(big.Int).Add(r, big.NewInt(1))),
		"max":   bytes.Repeat([]byte{0xff}, 32),
		"short": make([]byte, 31),
		"long":  make([]byte, 33),
		"nil":   nil,
	} {
		if _, err := ParseCommitment(b); !errors.Is(err, ErrNonCanonical) {
			t.Errorf("%s: error = %v, want ErrNonCanonical", name, err)
		}
		var c Commitment
		if err := c.UnmarshalText([]byte(hex.EncodeToString(b))); !errors.Is(err, ErrNonCanonical) {
			t.Errorf("%s as text: error = %v", name, err)
		}
	}
	var o Opening
	copy(o.Salt[:], enc(r))
	if _, err := o.Commitment(); !errors.Is(err, ErrNonCanonical) {
		t.Errorf("salt r accepted: %v", err)
	}
}

// TestZeroSaltLeaksValue shows why salts must be random: with a known salt a
// 16-bit value is found by trying every candidate.
func TestZeroSaltLeaksValue(t *testing.T) {
	secret := Opening{Value: 4321}
	c, err := secret.Commitment()
	if err != nil {
		t.Fatal(err)
	}
	found := -1
	for v := uint64(0); v < 1<<16; v++ {
		if got, _ := (Opening{Value: v}).Commitment(); got == c {
			found = int(v)
			break
		}
	}
	if found != 4321 {
		t.Fatalf("brute force found %d", found)
	}
	// With a random salt the same search finds nothing.
	c, _, err = Commit(4321, nil)
	if err != nil {
		t.Fatal(err)
	}
	for v := uint64(4300); v < 4400; v++ {
		if got, _ := (Opening{Value: v}).Commitment(); got == c {
			t.Fatal("salted commitment opened without its salt")
		}
	}
}

func TestPaddingLeaf(t *testing.T) {
	h := sha256.Sum256([]byte("iotrust.zkp.padding.v1"))
	want := new(big.Int).Mod(new(big.Int).SetBytes(h[:]), fr.Modulus())
	if got := bigOf(PaddingLeaf()); got.Cmp(want) != 0 {
		t.Fatalf("PaddingLeaf = %x, want %x", got, want)
	}
}

func TestMerkleRoot(t *testing.T) {
	cs := make([]Commitment, 3)
	for i := range cs {
		cs[i], _, _ = Commit(uint64(i), nil)
	}
	pad := PaddingLeaf()
	h := func(a, b [ElementSize]byte) [ElementSize]byte {
		out, err := compress(a[:], b[:])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := h(h(cs[0], cs[1]), h(cs[2], pad))
	got, err := MerkleRoot(cs, 4)
	if err != nil || got != Root(want) {
		t.Fatalf("root = %v, %v", got, err)
	}
	// order matters
	swapped, _ := MerkleRoot([]Commitment{cs[1], cs[0], cs[2]}, 4)
	if swapped == got {
		t.Fatal("root ignores order")
	}
	for _, bad := range []struct {
		n   int
		cap int
	}{{0, 4}, {5, 4}, {3, 3}, {1, 0}} {
		if _, err := MerkleRoot(make([]Commitment, bad.n), bad.cap); !errors.Is(err, ErrShape) {
			t.Errorf("MerkleRoot(%d leaves, cap %d) error = %v", bad.n, bad.cap, err)
		}
	}
	var nonCanonical Commitment
	for i := range nonCanonical {
		nonCanonical[i] = 0xff
	}
	if _, err := MerkleRoot([]Commitment{nonCanonical}, 1); !errors.Is(err, ErrNonCanonical) {
		t.Errorf("non-canonical leaf: %v", err)
	}
}
