package reading

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
)

type zip215Vectors struct {
	Source  string `json:"source"`
	Message string `json:"message"`
	Cases   []struct {
		Key string `json:"key"`
		Sig string `json:"sig"`
	} `json:"cases"`
}

func loadZIP215(t *testing.T) ([]edEntry, zip215Vectors) {
	t.Helper()
	raw, err := os.ReadFile("testdata/zip215.json")
	if err != nil {
		t.Fatal(err)
	}
	var v zip215Vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) != 196 {
		t.Fatalf("%d ZIP-215 cases, want the published 196", len(v.Cases))
	}
	es := make([]edEntry, len(v.Cases))
	for i, c := range v.Cases {
		pub, err1 := hex.DecodeString(c.Key)
		sig, err2 := hex.DecodeString(c.Sig)
		if err1 != nil || err2 != nil {
			t.Fatalf("case %d: bad hex", i)
		}
		es[i] = edEntry{pub: pub, msg: []byte(v.Message), sig: sig}
	}
	return es, v
}

// TestZIP215Vectors: every published ZIP-215 edge case (small-order and
// non-canonical A and R) verifies alone and in batches of any size, as
// ZIP-215 requires; crypto/ed25519 rejects some of them, which is why the
// batch path cannot be paired with it. A forged honest signature among
// them is the only one rejected.
func TestZIP215Vectors(t *testing.T) {
	es, _ := loadZIP215(t)
	ok := make([]bool, len(es))
	stdRejects := 0
	for i, e := range es {
		verifyEd25519(es[i:i+1], ok[i:i+1])
		if !ok[i] {
			t.Errorf("case %d rejected alone", i)
		}
		if !ed25519.Verify(e.pub, e.msg, e.sig) {
			stdRejects++
		}
	}
	if stdRejects == 0 {
		t.Error("crypto/ed25519 accepts every case: the vectors test nothing here")
	}
	for _, size := range []int{2, BatchSize, len(es)} {
		for lo := 0; lo < len(es); lo += size {
			hi := min(lo+size, len(es))
			verifyEd25519(es[lo:hi], ok[lo:hi])
			for i := lo; i < hi; i++ {
				if !ok[i] {
					t.Errorf("batch of %d: case %d rejected", size, i)
				}
			}
		}
	}
	// Mix in honest signatures and one forgery.
	k := ed25519.NewKeyFromSeed(make([]byte, 32))
	mixed := append([]edEntry(nil), es[:60]...)
	for i := 0; i < 4; i++ {
		msg := []byte{byte(i)}
		mixed = append(mixed, edEntry{pub: k.Public().(ed25519.PublicKey), msg: msg, sig: ed25519.Sign(k, msg)})
	}
	mixed[62].msg = []byte("forged")
	ok = make([]bool, len(mixed))
	verifyEd25519(mixed, ok)
	for i := range mixed {
		if ok[i] != (i != 62) {
			t.Errorf("mixed batch: entry %d ok=%v", i, ok[i])
		}
	}
}

// TestZIP215NonCanonicalS: ZIP-215 requires S < ℓ; adding ℓ to S (the
// classic malleability) is rejected alone and in a batch.
func TestZIP215NonCanonicalS(t *testing.T) {
	k := ed25519.NewKeyFromSeed(make([]byte, 32))
	msg := []byte("reading")
	sig := ed25519.Sign(k, msg)
	// ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
	l, _ := hex.DecodeString("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
	mauled := append([]byte(nil), sig...)
	var carry uint16
	for i := 0; i < 32; i++ {
		v := uint16(mauled[32+i]) + uint16(l[i]) + carry
		mauled[32+i], carry = byte(v), v>>8
	}
	if carry != 0 || mauled[63]&0xe0 != 0 {
		t.Skip("S+ℓ does not fit 253 bits for this signature")
	}
	ok := make([]bool, 3)
	e := edEntry{pub: k.Public().(ed25519.PublicKey), msg: msg}
	good, bad := e, e
	good.sig, bad.sig = sig, mauled
	verifyEd25519([]edEntry{good, bad, good}, ok)
	if !ok[0] || ok[1] || !ok[2] {
		t.Fatalf("S+ℓ: %v", ok)
	}
}

// rawEd25519 is a did.PublicKey holding any 32 bytes, as a resolver of
// another origin might return; did's own parsing may refuse weak keys
// before they get here.
type rawEd25519 []byte

func (k rawEd25519) Scheme() did.Scheme          { return did.Ed25519 }
func (k rawEd25519) Bytes() []byte               { return k }
func (k rawEd25519) Verify(msg, sig []byte) bool { return false }
func (k rawEd25519) Equal(o did.PublicKey) bool  { return false }

// TestZIP215ThroughVerify: the published cases are small-order A and R
// with S = 0, which satisfy the cofactored equation for every message. So
// each, used as a device key and signature on a reading, is accepted by
// Verify and by VerifyBatch alike (one rule for both), and a forged honest
// reading among them is the only one refused. did refuses such keys
// before any of its resolvers hands them out; this resolver is of another
// origin.
func TestZIP215ThroughVerify(t *testing.T) {
	ctx := context.Background()
	es, _ := loadZIP215(t)
	byDevice := map[string]did.PublicKey{}
	ss := make([]Signed, 0, len(es)+3)
	for i, e := range es {
		dev := fmt.Sprintf("did:web:example.com:zip215:%d", i)
		byDevice[dev] = rawEd25519(e.pub)
		ss = append(ss, Signed{Reading: sample(dev, uint64(i)), Signature: e.sig})
	}
	honest := newDevice(t, did.Ed25519, 7)
	for i := 0; i < 3; i++ {
		ss = append(ss, mustSign(t, honest, sample(honest.did, uint64(i))))
	}
	forged := len(ss) - 2
	ss[forged].Value++
	res := resolverFunc(func(ctx context.Context, d string, at time.Time) (did.PublicKey, error) {
		if k, ok := byDevice[d]; ok {
			return k, nil
		}
		return did.SelfCertifying{}.KeyAt(ctx, d, at)
	})
	batch := VerifyBatch(ctx, res, ss)
	for i := range ss {
		single := Verify(ctx, res, ss[i])
		if i == forged {
			if !errors.Is(single, ErrBadSignature) || !errors.Is(batch[i], ErrBadSignature) {
				t.Errorf("forged reading: single %v, batch %v", single, batch[i])
			}
			continue
		}
		if single != nil || batch[i] != nil {
			t.Errorf("reading %d: single %v, batch %v", i, single, batch[i])
		}
	}
}
