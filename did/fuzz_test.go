package did

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func didSeeds(f *testing.F) {
	for _, s := range allSchemes {
		k, _ := s.DeriveKey(bytes.Repeat([]byte{1}, s.SeedSize()))
		d, _ := New(k.Public())
		f.Add(d)
		vm, _ := VerificationMethodID(d)
		f.Add(vm)
	}
	for _, s := range []string{"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
		"did:web:example.com", "did:key:", "did:jwk:e30", "did:key:z1111", "did:a:b%41#x", ""} {
		f.Add(s)
	}
}

// FuzzResolveKey: DIDs and DID URLs from anywhere never panic, fail with a
// typed error, and a did:key that resolves is the canonical name of its key.
func FuzzResolveKey(f *testing.F) {
	didSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ResolveKey(s)
		doc, derr := Resolve(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidDID) && !errors.Is(err, ErrUnsupportedMethod) &&
				!errors.Is(err, ErrUnsupportedKeyType) && !errors.Is(err, ErrUnknownVerificationMethod) {
				t.Fatalf("untyped error %v", err)
			}
			if derr == nil {
				t.Fatalf("Resolve accepts what ResolveKey rejects: %v", err)
			}
			return
		}
		d, _, _ := SplitURL(s)
		if strings.HasPrefix(d, "did:key:") {
			if again, err := NewKeyDID(k); err != nil || again != d {
				t.Fatalf("did:key %q re-encodes as %q (%v)", d, again, err)
			}
		}
		if derr == nil {
			raw, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseDocument(raw)
			if err != nil {
				t.Fatalf("own document does not parse: %v", err)
			}
			if bk, err := back.Key(doc.VerificationMethod[0].ID, AssertionMethod); err != nil || !bk.Equal(k) {
				t.Fatalf("document key differs: %v", err)
			}
		}
	})
}

// FuzzParseDocument: DID documents from anywhere never panic; a document
// that parses serializes and parses again to the same keys.
func FuzzParseDocument(f *testing.F) {
	raw, err := os.ReadFile("testdata/didkey-vectors.json")
	if err != nil {
		f.Fatal(err)
	}
	var v specVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		f.Fatal(err)
	}
	for _, e := range v.Ed25519[:2] {
		f.Add([]byte(e.DIDDocument))
	}
	for _, e := range v.P256 {
		f.Add([]byte(e.DIDDocument))
	}
	for _, s := range allSchemes {
		k, _ := s.DeriveKey(bytes.Repeat([]byte{1}, s.SeedSize()))
		d, _ := New(k.Public())
		doc, _ := Resolve(d)
		b, _ := json.Marshal(doc)
		f.Add(b)
	}
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/did/v1","id":"did:x:y","authentication":[{"id":"#a","type":"Multikey","controller":"did:x:y","publicKeyMultibase":"z"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		doc, err := ParseDocument(raw)
		if err != nil {
			if !errors.Is(err, ErrInvalidDocument) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseDocument(again)
		if err != nil {
			t.Fatalf("re-serialized document does not parse: %v\n%s", err, again)
		}
		if len(back.VerificationMethod) != len(doc.VerificationMethod) {
			t.Fatal("methods lost")
		}
		for i := range doc.VerificationMethod {
			k1, e1 := doc.VerificationMethod[i].PublicKey()
			k2, e2 := back.VerificationMethod[i].PublicKey()
			if (e1 == nil) != (e2 == nil) || e1 == nil && !k1.Equal(k2) {
				t.Fatalf("method %d changed: %v / %v", i, e1, e2)
			}
		}
	})
}

// FuzzUnmarshalPublicKey: key bytes of every scheme never panic, and a key
// that parses has exactly the input as its encoding and verifies nothing
// random without panicking.
func FuzzUnmarshalPublicKey(f *testing.F) {
	for i, s := range allSchemes {
		k, _ := s.DeriveKey(bytes.Repeat([]byte{1}, s.SeedSize()))
		f.Add(uint8(i), k.Public().Bytes(), []byte("sig"))
		f.Add(uint8(i), make([]byte, s.PublicKeySize()), make([]byte, s.SignatureSize()))
	}
	f.Fuzz(func(t *testing.T, which uint8, b, sig []byte) {
		s := allSchemes[int(which)%len(allSchemes)]
		k, err := s.UnmarshalPublicKey(b)
		if err != nil {
			if !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if string(k.Bytes()) != string(b) {
			t.Fatal("encoding differs from input")
		}
		_ = k.Verify([]byte("m"), sig)
		if _, err := s.UnmarshalPrivateKey(b); err != nil && !errors.Is(err, ErrInvalidKey) {
			t.Fatalf("untyped private key error %v", err)
		}
	})
}

// FuzzParseJWK: JWKs never panic and a key read from one round-trips
// through NewJWK.
func FuzzParseJWK(f *testing.F) {
	for _, s := range allSchemes {
		k, _ := s.DeriveKey(bytes.Repeat([]byte{1}, s.SeedSize()))
		j, _ := NewJWK(k.Public())
		b, _ := json.Marshal(j)
		f.Add(b)
	}
	f.Add([]byte(`{"kty":"EC","crv":"P-256","x":"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns","y":"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		j, err := ParseJWK(raw)
		if err != nil {
			if !errors.Is(err, ErrInvalidJWK) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		k, err := j.PublicKey()
		if err != nil {
			return
		}
		j2, err := NewJWK(k)
		if err != nil {
			t.Fatal(err)
		}
		k2, err := j2.PublicKey()
		if err != nil || !k2.Equal(k) {
			t.Fatalf("JWK round trip: %v", err)
		}
	})
}

// FuzzRegistryEntry: entry JSON never panics and only canonical entries
// are accepted, so an entry's digest is a function of its content.
func FuzzRegistryEntry(f *testing.F) {
	org := newParty(f, Ed25519, 1)
	e := Entry{Seq: 3, Op: OpTransfer, Subject: org.did, Controller: "did:web:x", Time: t0}
	_ = e.Sign(org.key, org.did)
	raw, _ := e.MarshalJSON()
	f.Add(raw)
	f.Add([]byte(`{"op":"register","seq":0,"signer":"","subject":"","time":0}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var e Entry
		if err := e.UnmarshalJSON(raw); err != nil {
			if !errors.Is(err, ErrInvalidEntry) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := e.MarshalJSON()
		if err != nil || !bytes.Equal(again, raw) {
			t.Fatalf("accepted entry does not re-encode to itself: %v", err)
		}
	})
}
