package reading

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
)

var t0 = time.Date(2026, 11, 22, 6, 0, 0, 123_000_000, time.UTC)

type device struct {
	key did.PrivateKey
	did string
}

func newDevice(t testing.TB, s did.Scheme, seed byte) device {
	t.Helper()
	k, err := s.DeriveKey(bytes.Repeat([]byte{seed}, s.SeedSize()))
	if err != nil {
		t.Fatal(err)
	}
	d, err := did.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return device{k, d}
}

func sample(dev string, seq uint64) Reading {
	return Reading{
		Device: dev, Topic: "coldchain/truck-7/temp", Seq: seq,
		Time: t0.Add(time.Duration(seq) * time.Second), Sensor: "temperature",
		Value: 425 + int64(seq%7), Scale: 2, Unit: "Cel",
	}
}

func mustSign(t testing.TB, d device, r Reading) Signed {
	t.Helper()
	s, err := Sign(d.key, r)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var schemes = []did.Scheme{did.Ed25519, did.P256, did.MLDSA44}

func keys() did.KeyResolver { return did.NewKeyCache(64, nil, 0) }

func TestSignVerifyRoundTrip(t *testing.T) {
	ctx := context.Background()
	for i, sch := range schemes {
		t.Run(sch.Name(), func(t *testing.T) {
			d := newDevice(t, sch, byte(i+1))
			private := sample(d.did, 2)
			private.Value = 0
			private.Commitment = bytes.Repeat([]byte{0x2a}, CommitmentSize)
			private.Metadata = map[string]string{"shipment": "SHP-2026-0042", "fw": "1.4.2"}
			for _, r := range []Reading{sample(d.did, 1), private} {
				s := mustSign(t, d, r)
				if err := Verify(ctx, keys(), s); err != nil {
					t.Fatalf("Verify: %v", err)
				}
				j, err := s.MarshalJSON()
				if err != nil {
					t.Fatal(err)
				}
				c, err := s.MarshalCBOR()
				if err != nil {
					t.Fatal(err)
				}
				fromJ, err := ParseJSON(j)
				if err != nil {
					t.Fatalf("ParseJSON(%s): %v", j, err)
				}
				fromC, err := ParseCBOR(c)
				if err != nil {
					t.Fatalf("ParseCBOR: %v", err)
				}
				for name, got := range map[string]Signed{"json": fromJ, "cbor": fromC} {
					if err := Verify(ctx, keys(), got); err != nil {
						t.Errorf("%s: Verify after round trip: %v", name, err)
					}
					gj, _ := got.MarshalJSON()
					if !bytes.Equal(gj, j) {
						t.Errorf("%s: round trip changed the reading:\n%s\n%s", name, gj, j)
					}
					gc, _ := got.MarshalCBOR()
					if !bytes.Equal(gc, c) {
						t.Errorf("%s: CBOR differs after round trip", name)
					}
					id1, _ := got.ID()
					id2, _ := s.ID()
					if !id1.Equal(id2) {
						t.Errorf("%s: ID changed", name)
					}
				}
				if len(c) >= len(j) {
					t.Errorf("CBOR (%d B) not smaller than JSON (%d B)", len(c), len(j))
				}
			}
		})
	}
}

// The signed message is the ID, and does not depend on the signature.
func TestIDIsSigningMessage(t *testing.T) {
	d := newDevice(t, did.P256, 9)
	r := sample(d.did, 5)
	s1, s2 := mustSign(t, d, r), mustSign(t, d, r)
	if bytes.Equal(s1.Signature, s2.Signature) {
		t.Fatal("P-256 signatures are randomized; got two equal ones")
	}
	id1, _ := s1.ID()
	id2, _ := s2.ID()
	msg, _ := r.SigningMessage()
	c, _ := r.CanonicalJSON()
	want, _ := canon.SigningMessage(Tag, c)
	if !id1.Equal(id2) || !bytes.Equal(id1.Sum[:], msg) || !bytes.Equal(msg, want) || id1.Func != canon.BLAKE3 {
		t.Fatalf("ID %v / %v, message %x, canon %x", id1, id2, msg, want)
	}
	l1, _ := s1.Leaf(merkle.BLAKE3)
	l2, _ := s2.Leaf(merkle.BLAKE3)
	if l1 == l2 {
		t.Fatal("leaves of differently signed readings are equal: the leaf must cover the signature")
	}
	lb, _ := s1.LeafBytes()
	if merkle.SHA256.HashLeaf(lb) != must(s1.Leaf(merkle.SHA256)) {
		t.Fatal("Leaf is not HashLeaf(LeafBytes)")
	}
	if _, err := s1.Leaf(merkle.Hasher(0)); !errors.Is(err, merkle.ErrUnknownHasher) {
		t.Fatalf("Leaf with invalid hasher: %v", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The hand-written canonical encoder must agree with canon's RFC 8785
// implementation on every reading, escapes and all.
func TestCanonicalMatchesCanon(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	d := newDevice(t, did.Ed25519, 1)
	for i := 0; i < 2000; i++ {
		rd := randomReading(r, d.did)
		s := Signed{Reading: rd, Signature: randBytes(r, 1+r.IntN(100))}
		got, err := s.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v (%+v)", err, rd)
		}
		want, err := canon.Canonicalize(got)
		if err != nil {
			t.Fatalf("canon.Canonicalize(%s): %v", got, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("not canonical:\n got %s\nwant %s", got, want)
		}
		// And the same content through encoding/json + canon.JSON.
		m := map[string]any{"device": rd.Device, "topic": rd.Topic, "seq": rd.Seq, "ts": rd.Time.UnixMilli(),
			"sensor": rd.Sensor, "sig": b64.EncodeToString(s.Signature)}
		if rd.Scale != 0 {
			m["scale"] = rd.Scale
		}
		if rd.Unit != "" {
			m["unit"] = rd.Unit
		}
		if len(rd.Metadata) > 0 {
			m["meta"] = rd.Metadata
		}
		if rd.Commitment != nil {
			m["commitment"] = b64.EncodeToString(rd.Commitment)
		} else {
			m["value"] = rd.Value
		}
		viaCanon, err := canon.JSON(m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, viaCanon) {
			t.Fatalf("differs from canon.JSON:\n got %s\nwant %s", got, viaCanon)
		}
		back, err := ParseJSON(got)
		if err != nil {
			t.Fatalf("ParseJSON(%s): %v", got, err)
		}
		again, _ := back.MarshalJSON()
		if !bytes.Equal(again, got) {
			t.Fatalf("JSON round trip:\n%s\n%s", got, again)
		}
		c, err := s.MarshalCBOR()
		if err != nil {
			t.Fatal(err)
		}
		back, err = ParseCBOR(c)
		if err != nil {
			t.Fatalf("ParseCBOR: %v", err)
		}
		again, _ = back.MarshalJSON()
		if !bytes.Equal(again, got) {
			t.Fatalf("CBOR round trip:\n%s\n%s", got, again)
		}
	}
}

const nameAlphabet = "abcXYZ019-._~/:"

func randName(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

var metaValues = []string{"", "plain", "quote\" back\\slash", "ctl\x00\x01\x1f\x7f", "\b\t\n\f\r", "é ü ß", "日本語", "😀 emoji", "\u2028\u2029", "</script>"}

func randomReading(r *rand.Rand, dev string) Reading {
	rd := Reading{
		Device: dev,
		Topic:  randName(r, nameAlphabet, 1+r.IntN(MaxTopicLen)),
		Seq:    r.Uint64N(MaxValue + 1),
		Time:   time.UnixMilli(r.Int64N(MaxValue + 1)).UTC(),
		Sensor: randName(r, nameAlphabet, 1+r.IntN(MaxSensorLen)),
		Scale:  int8(r.IntN(256) - 128),
	}
	if r.IntN(4) == 0 {
		rd.Scale = 0
	}
	if r.IntN(3) > 0 {
		rd.Unit = randName(r, "Cel%[]/.km2!~", 1+r.IntN(MaxUnitLen))
	}
	if r.IntN(3) == 0 {
		rd.Commitment = randBytes(r, CommitmentSize)
	} else {
		rd.Value = r.Int64N(2*MaxValue+1) - MaxValue
	}
	if n := r.IntN(MaxMetadata + 1); n > 0 && r.IntN(2) == 0 {
		rd.Metadata = map[string]string{}
		for j := 0; j < n; j++ {
			rd.Metadata[randName(r, "aZ09-._", 1+r.IntN(MaxMetadataKeyLen))] = metaValues[r.IntN(len(metaValues))]
		}
	}
	return rd
}

func TestSignRefuses(t *testing.T) {
	d := newDevice(t, did.Ed25519, 1)
	other := newDevice(t, did.Ed25519, 2)
	if _, err := Sign(other.key, sample(d.did, 1)); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("signing for another did:key: %v", err)
	}
	mld := newDevice(t, did.MLDSA44, 3)
	mld2 := newDevice(t, did.MLDSA44, 4)
	if _, err := Sign(mld2.key, sample(mld.did, 1)); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("signing for another did:jwk: %v", err)
	}
	// A DID URL naming the key's verification method is fine.
	vm, _ := did.VerificationMethodID(d.did)
	if _, err := Sign(d.key, sample(vm, 1)); err != nil {
		t.Errorf("signing as a DID URL: %v", err)
	}
	// A DID of another method is resolved by verifiers only.
	if _, err := Sign(d.key, sample("did:web:example.com:devices:7", 1)); err != nil {
		t.Errorf("signing as did:web: %v", err)
	}
	bad := sample(d.did, 1)
	bad.Time = bad.Time.Add(time.Microsecond)
	if _, err := Sign(d.key, bad); !errors.Is(err, ErrMalformed) {
		t.Errorf("sub-millisecond time: %v", err)
	}
	if _, err := Sign(nil, sample(d.did, 1)); err == nil {
		t.Error("nil key accepted")
	}
}

// resolverFunc adapts a function to did.KeyResolver.
type resolverFunc func(ctx context.Context, d string, at time.Time) (did.PublicKey, error)

func (f resolverFunc) KeyAt(ctx context.Context, d string, at time.Time) (did.PublicKey, error) {
	return f(ctx, d, at)
}

func TestVerifyFailures(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, did.Ed25519, 1)
	s := mustSign(t, d, sample(d.did, 1))

	tampered := s
	tampered.Value++
	if err := Verify(ctx, keys(), tampered); !errors.Is(err, ErrBadSignature) {
		t.Errorf("tampered value: %v", err)
	}
	// Same content signed under another domain tag.
	c, _ := s.CanonicalJSON()
	for _, tag := range []canon.Tag{did.AuthTag, "iotrust.example.coldchain.reading.v1", "iotrust.reading.v2"} {
		msg, _ := canon.SigningMessage(tag, c)
		sig, _ := d.key.Sign(msg)
		wrong := s
		wrong.Signature = sig
		if err := Verify(ctx, keys(), wrong); !errors.Is(err, ErrBadSignature) {
			t.Errorf("signature under tag %q: %v", tag, err)
		}
	}
	// Signature of the raw canonical bytes, without the tagged hash.
	raw := s
	raw.Signature, _ = d.key.Sign(c)
	if err := Verify(ctx, keys(), raw); !errors.Is(err, ErrBadSignature) {
		t.Errorf("signature over untagged bytes: %v", err)
	}
	// Wrong-size signature for the scheme.
	short := s
	short.Signature = s.Signature[:63]
	if err := Verify(ctx, keys(), short); !errors.Is(err, ErrBadSignature) {
		t.Errorf("63-byte Ed25519 signature: %v", err)
	}
	// The resolver knows no key (a registry that revoked it, say).
	revoked := resolverFunc(func(context.Context, string, time.Time) (did.PublicKey, error) {
		return nil, did.ErrKeyRevoked
	})
	if err := Verify(ctx, revoked, s); !errors.Is(err, ErrNoKey) || !errors.Is(err, did.ErrKeyRevoked) {
		t.Errorf("revoked key: %v", err)
	}
	if err := Verify(ctx, nil, s); !errors.Is(err, ErrNoKey) {
		t.Errorf("nil resolver: %v", err)
	}
	// The resolver is asked for the reading's time.
	var asked time.Time
	spy := resolverFunc(func(ctx context.Context, id string, at time.Time) (did.PublicKey, error) {
		asked = at
		return did.SelfCertifying{}.KeyAt(ctx, id, at)
	})
	if err := Verify(ctx, spy, s); err != nil || !asked.Equal(s.Time) {
		t.Errorf("Verify: %v, key asked at %v, want %v", err, asked, s.Time)
	}
	// A key of another scheme than the signature's.
	p := newDevice(t, did.P256, 5)
	other := resolverFunc(func(context.Context, string, time.Time) (did.PublicKey, error) { return p.key.Public(), nil })
	if err := Verify(ctx, other, s); !errors.Is(err, ErrBadSignature) {
		t.Errorf("P-256 key for an Ed25519 signature: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := Verify(cctx, keys(), s); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestVerifyBatch(t *testing.T) {
	ctx := context.Background()
	devs := []device{newDevice(t, did.Ed25519, 1), newDevice(t, did.Ed25519, 2), newDevice(t, did.P256, 3), newDevice(t, did.MLDSA44, 4)}
	for _, n := range []int{0, 1, 2, 63, 64, 65, 200, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ss := make([]Signed, n)
			want := make([]error, n)
			for i := range ss {
				d := devs[0]
				if i%5 == 0 {
					d = devs[i%len(devs)]
				} else if i%2 == 0 {
					d = devs[1]
				}
				ss[i] = mustSign(t, d, sample(d.did, uint64(i)))
			}
			// Forgeries and malformed readings at scattered places.
			for i := 3; i < n; i += 97 {
				ss[i].Value += 1000
				want[i] = ErrBadSignature
			}
			for i := 50; i < n; i += 333 {
				ss[i].Topic = ""
				want[i] = ErrMalformed
			}
			for i := 7; i < n; i += 501 {
				ss[i].Signature = append([]byte(nil), ss[i].Signature...)
				ss[i].Signature[40] ^= 1
				want[i] = ErrBadSignature
			}
			errs := VerifyBatch(ctx, keys(), ss)
			if len(errs) != n {
				t.Fatalf("%d results for %d readings", len(errs), n)
			}
			for i := range ss {
				if want[i] == nil && errs[i] != nil || want[i] != nil && !errors.Is(errs[i], want[i]) {
					t.Errorf("reading %d: %v, want %v", i, errs[i], want[i])
				}
				// One rule: the batch agrees with Verify on every reading.
				single := Verify(ctx, keys(), ss[i])
				if (single == nil) != (errs[i] == nil) {
					t.Errorf("reading %d: batch %v, single %v", i, errs[i], single)
				}
			}
			// VerifyBatchIDs: the same verdicts, and the ID of every
			// reading that verifies.
			ids, errs2 := VerifyBatchIDs(ctx, keys(), ss)
			for i := range ss {
				if (errs[i] == nil) != (errs2[i] == nil) {
					t.Errorf("reading %d: VerifyBatch %v, VerifyBatchIDs %v", i, errs[i], errs2[i])
				}
				var want canon.Digest
				if errs2[i] == nil {
					if want, _ = ss[i].ID(); want.Sum == (canon.Digest{}).Sum {
						t.Fatalf("reading %d: no ID", i)
					}
				}
				if ids[i] != want {
					t.Errorf("reading %d: VerifyBatchIDs ID %v, want %v", i, ids[i], want)
				}
			}
			// VerifyBatchLeaves: the same again, and the leaf bytes.
			ids3, leaves, errs3 := VerifyBatchLeaves(ctx, keys(), ss)
			for i := range ss {
				if (errs[i] == nil) != (errs3[i] == nil) || ids3[i] != ids[i] {
					t.Errorf("reading %d: VerifyBatchLeaves %v %v, VerifyBatchIDs %v %v", i, errs3[i], ids3[i], errs2[i], ids[i])
				}
				var want []byte
				if errs3[i] == nil {
					want, _ = ss[i].LeafBytes()
				}
				if !bytes.Equal(leaves[i], want) {
					t.Errorf("reading %d: leaf %q, want %q", i, leaves[i], want)
				}
			}
		})
	}
}

// TestVerifyBatchLeavesShapes: the leaf VerifyBatchLeaves builds from the
// unsigned canonical JSON is LeafBytes for readings of every shape: a
// commitment instead of a value, metadata, no unit, negative scale and
// value, metadata that needs escaping, and every signature scheme.
func TestVerifyBatchLeavesShapes(t *testing.T) {
	ctx := context.Background()
	var ss []Signed
	for i, sch := range schemes {
		d := newDevice(t, sch, byte(10+i))
		plain := sample(d.did, 1)
		private := sample(d.did, 2)
		private.Value = 0
		private.Commitment = bytes.Repeat([]byte{0x2a}, CommitmentSize)
		private.Metadata = map[string]string{"shipment": "SHP-\"42\"\n", "fw": "1.4.2", "z": "é€😀"}
		odd := sample(d.did, 3)
		odd.Unit, odd.Scale, odd.Value = "", -3, -123456789
		odd.Metadata = map[string]string{"note": "\t<&>\u2028\\"}
		for _, r := range []Reading{plain, private, odd} {
			ss = append(ss, mustSign(t, d, r))
		}
	}
	_, leaves, errs := VerifyBatchLeaves(ctx, keys(), ss)
	for i, s := range ss {
		want, err := s.LeafBytes()
		if err != nil || errs[i] != nil {
			t.Fatalf("reading %d: %v / %v", i, err, errs[i])
		}
		if !bytes.Equal(leaves[i], want) {
			t.Errorf("reading %d: leaf\n%s\nwant\n%s", i, leaves[i], want)
		}
	}
}

func TestVerifyBatchCancelled(t *testing.T) {
	d := newDevice(t, did.Ed25519, 1)
	ss := make([]Signed, 300)
	for i := range ss {
		ss[i] = mustSign(t, d, sample(d.did, uint64(i)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	stopAfter := resolverFunc(func(c context.Context, id string, at time.Time) (did.PublicKey, error) {
		calls++
		if calls == 10 {
			cancel()
		}
		return did.SelfCertifying{}.KeyAt(c, id, at)
	})
	// One goroutine (n < 2×MinChunk would be needed for a deterministic
	// count; use a chunk directly).
	errs := make([]error, len(ss))
	verifyChunk(ctx, stopAfter, ss, errs, nil, nil)
	for i, err := range errs {
		if i < 10 && err != nil {
			t.Errorf("reading %d checked before the cancel: %v", i, err)
		}
		if i >= 10 && !errors.Is(err, context.Canceled) {
			t.Errorf("reading %d after the cancel: %v", i, err)
		}
	}
	all := VerifyBatch(ctx, keys(), ss)
	for i, err := range all {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("reading %d with a done context: %v", i, err)
		}
	}
}

// JSON of a reading is the same whether made by encoding/json or directly.
func TestEncodingJSONUsesCanonical(t *testing.T) {
	d := newDevice(t, did.Ed25519, 1)
	s := mustSign(t, d, sample(d.did, 3))
	type envelope struct {
		R Signed  `json:"r"`
		U Reading `json:"u"`
	}
	b, err := json.Marshal(envelope{s, s.Reading})
	if err != nil {
		t.Fatal(err)
	}
	var back envelope
	if err := canon.Decode(b, &back); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	if err := Verify(context.Background(), keys(), back.R); err != nil {
		t.Fatal(err)
	}
	id1, _ := back.U.ID()
	id2, _ := s.ID()
	if !id1.Equal(id2) {
		t.Fatal("unsigned reading changed through JSON")
	}
	var u Reading
	sj, _ := s.MarshalJSON()
	if err := json.Unmarshal(sj, &u); !errors.Is(err, ErrMalformed) {
		t.Fatalf("unsigned decoder took a signed reading: %v", err)
	}
}

// TestTimeBeyondUnixMilli checks that a time whose Unix milliseconds do
// not fit an int64 is refused: time.Time.UnixMilli wraps there, and a
// wrapped value inside 0..MaxValue was signed as another time than the
// Reading's (and the key was looked up at the unwrapped one).
func TestTimeBeyondUnixMilli(t *testing.T) {
	d := newDevice(t, did.Ed25519, 1)
	for _, sec := range []int64{
		18446744073709552,     // ⌈2^64/1000⌉: UnixMilli wraps to 384
		18446744073709552 + 1, // wraps to 1384
		-18446744073709551,    // wraps from below into range
		1 << 62,
	} {
		r := sample(d.did, 1)
		r.Time = time.Unix(sec, 0)
		if err := r.Validate(); !errors.Is(err, ErrMalformed) {
			t.Errorf("time %d s: Validate: %v (UnixMilli %d)", sec, err, r.Time.UnixMilli())
		}
		if _, err := Sign(d.key, r); !errors.Is(err, ErrMalformed) {
			t.Errorf("time %d s: Sign: %v", sec, err)
		}
	}
	// The largest time still fits.
	r := sample(d.did, 1)
	r.Time = time.UnixMilli(MaxValue)
	if err := r.Validate(); err != nil {
		t.Errorf("MaxValue ms: %v", err)
	}
}

// TestSignRefusesUnresolvableFragment checks that Sign refuses a did:key or
// did:jwk device URL whose fragment names no key of the DID: verifiers
// resolve the whole URL and fail, so the reading could never verify.
func TestSignRefusesUnresolvableFragment(t *testing.T) {
	for _, s := range schemes {
		d := newDevice(t, s, 1)
		for _, dev := range []string{d.did + "#junk", d.did + "#1"} {
			if _, err := Sign(d.key, sample(dev, 1)); !errors.Is(err, ErrKeyMismatch) {
				t.Errorf("%s: Sign as %s: %v, want ErrKeyMismatch", s.Name(), dev[len(dev)-5:], err)
			}
		}
		vm, err := did.VerificationMethodID(d.did)
		if err != nil {
			t.Fatal(err)
		}
		sg, err := Sign(d.key, sample(vm, 1))
		if err != nil {
			t.Fatalf("%s: Sign as the verification method: %v", s.Name(), err)
		}
		if err := Verify(context.Background(), keys(), sg); err != nil {
			t.Errorf("%s: %v", s.Name(), err)
		}
	}
}
