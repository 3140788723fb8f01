package eddsardfc

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/mr-tron/base58"

	"github.com/iotrust/iotrust/vc/ldcontext"
)

// The W3C vc-di-eddsa test vector for eddsa-rdfc-2022 (TestVectors/
// eddsa-rdfc-2022 in the specification's repository): key pair, signed
// credential and the intermediate hashes.
const (
	vectorPublicKey  = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	vectorPrivateKey = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
	vectorCombined   = "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
	examplesV2       = "https://www.w3.org/ns/credentials/examples/v2"
)

var ctx = context.Background()

func vectorLoader(t testing.TB) *ldcontext.Loader {
	l, err := ldcontext.New(ldcontext.WithContext(examplesV2, []byte(`{"@context":{"@vocab":"https://www.w3.org/ns/credentials/examples#"}}`)))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func vectorKey(t testing.TB) ed25519.PrivateKey {
	raw, err := base58.Decode(vectorPrivateKey[1:])
	if err != nil || len(raw) != 34 || raw[0] != 0x80 || raw[1] != 0x26 { // multicodec ed25519-priv 0x1300
		t.Fatalf("private key multibase: %x %v", raw, err)
	}
	sk := ed25519.NewKeyFromSeed(raw[2:])
	pub, _ := base58.Decode(vectorPublicKey[1:])
	if !ed25519.PublicKey(pub[2:]).Equal(sk.Public()) {
		t.Fatal("vector key pair does not match")
	}
	return sk
}

func loadVector(t testing.TB) (map[string]any, Proof) {
	b, err := os.ReadFile("testdata/signedDataInt.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	pb, _ := json.Marshal(doc["proof"])
	var p Proof
	if err := json.Unmarshal(pb, &p); err != nil {
		t.Fatal(err)
	}
	delete(doc, "proof")
	return doc, p
}

func TestVector(t *testing.T) {
	doc, p := loadVector(t)
	loader := vectorLoader(t)
	sk := vectorKey(t)

	msg, err := HashData(ctx, doc, p, loader)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(msg); got != vectorCombined {
		t.Fatalf("combined hash\n got %s\nwant %s", got, vectorCombined)
	}
	signed, err := Sign(ctx, doc, p, func(m []byte) ([]byte, error) { return ed25519.Sign(sk, m), nil }, loader)
	if err != nil {
		t.Fatal(err)
	}
	if signed.ProofValue != p.ProofValue {
		t.Fatalf("proofValue\n got %s\nwant %s", signed.ProofValue, p.ProofValue)
	}
	pub := sk.Public().(ed25519.PublicKey)
	verify := func(m, s []byte) bool { return ed25519.Verify(pub, m, s) }
	if err := Verify(ctx, doc, p, verify, loader); err != nil {
		t.Fatal(err)
	}

	// Tampering with a claim, the proof configuration or the signature
	// must each fail.
	doc["credentialSubject"].(map[string]any)["alumniOf"] = "Another School"
	if err := Verify(ctx, doc, p, verify, loader); !errors.Is(err, ErrProof) {
		t.Fatalf("tampered claim: %v", err)
	}
	doc, _ = loadVector(t)
	q := p
	q.Created = "2023-02-24T23:36:39Z"
	if err := Verify(ctx, doc, q, verify, loader); !errors.Is(err, ErrProof) {
		t.Fatalf("tampered created: %v", err)
	}
	q = p
	q.ProofPurpose = "authentication"
	if err := Verify(ctx, doc, q, verify, loader); !errors.Is(err, ErrProof) {
		t.Fatalf("tampered purpose: %v", err)
	}
	q = p
	q.ProofValue = "z" + base58.Encode(make([]byte, 64))
	if err := Verify(ctx, doc, q, verify, loader); !errors.Is(err, ErrProof) {
		t.Fatalf("zero signature: %v", err)
	}
}

func TestUnknownContextFails(t *testing.T) {
	doc, p := loadVector(t)
	// The default loader lacks the examples context: canonicalization must
	// fail with a typed error, offline.
	_, err := HashData(ctx, doc, p, ldcontext.Default())
	if !errors.Is(err, ErrCanonicalize) || !errors.Is(err, ldcontext.ErrUnknownContext) {
		t.Fatalf("err = %v", err)
	}
}
