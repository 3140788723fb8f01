package did

import (
	"bytes"
	"context"
	"crypto/elliptic"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/edwards25519"
)

// weakEd25519 is an independent statement of what checkEd25519Point
// refuses among points that decode: a non-canonical encoding, or a point
// whose eightfold sum (by repeated addition) is the identity.
func weakEd25519(b []byte) bool {
	p, err := new(edwards25519.Point).SetBytes(b)
	if err != nil {
		return false
	}
	if !bytes.Equal(p.Bytes(), b) {
		return true
	}
	q := edwards25519.NewIdentityPoint()
	for range 8 {
		q.Add(q, p)
	}
	return q.Equal(edwards25519.NewIdentityPoint()) == 1
}

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
// typed error, and a did:key that resolves is the canonical name of its
// key, which is not a weak Ed25519 key.
func FuzzResolveKey(f *testing.F) {
	didSeeds(f)
	for _, c := range loadHostileEd25519(f) {
		key, _ := hex.DecodeString(c.Key)
		f.Add(didKeyOf(ed25519Multicodec, key))
		f.Add("did:jwk:" + b64.EncodeToString([]byte(`{"crv":"Ed25519","kty":"OKP","x":"`+b64.EncodeToString(key)+`"}`)))
	}
	for _, c := range hostileJWKs() {
		f.Add("did:jwk:" + b64.EncodeToString([]byte(c.in)))
	}
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
		if k.Scheme() == Ed25519 && weakEd25519(k.Bytes()) {
			t.Fatalf("%q resolves to a weak key %x", s, k.Bytes())
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
	for _, c := range hostileDocumentSeeds() {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		doc, err := ParseDocument(raw)
		if err != nil {
			if !errors.Is(err, ErrInvalidDocument) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// One spelling: every member name is one DID Core defines, exactly.
		var members map[string]json.RawMessage
		if err := json.Unmarshal(raw, &members); err != nil {
			t.Fatalf("accepted a document encoding/json cannot read: %v", err)
		}
		for name := range members {
			if !slices.Contains([]string{"@context", "id", "controller", "alsoKnownAs", "service", "verificationMethod", "publicKey",
				"authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation", "keyAgreement"}, name) {
				t.Fatalf("accepted member %q", name)
			}
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
	for _, c := range loadHostileEd25519(f) {
		key, _ := hex.DecodeString(c.Key)
		f.Add(uint8(0), key, append(append([]byte{1}, make([]byte, 31)...), make([]byte, 32)...))
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
		if s == Ed25519 && weakEd25519(b) {
			t.Fatalf("weak key %x accepted", b)
		}
		if s == P256 {
			x, y := elliptic.UnmarshalCompressed(elliptic.P256(), b)
			if x == nil || !elliptic.P256().IsOnCurve(x, y) {
				t.Fatalf("P-256 key %x off the curve accepted", b)
			}
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
	for _, c := range hostileJWKs() {
		f.Add([]byte(c.in))
	}
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
		// One spelling: the members are the accepted ones, exactly, and
		// the key is read from the members a strict reader reads.
		var members map[string]json.RawMessage
		if err := json.Unmarshal(raw, &members); err != nil {
			t.Fatalf("accepted a JWK encoding/json cannot read: %v", err)
		}
		for name := range members {
			if !slices.Contains([]string{"alg", "crv", "ext", "key_ops", "kid", "kty", "pub", "use", "x", "y"}, name) {
				t.Fatalf("accepted member %q", name)
			}
		}
		var x string
		_ = json.Unmarshal(members["x"], &x)
		if x != j.X {
			t.Fatalf("x read as %q, the member says %q", j.X, x)
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

// hostileDocumentSeeds are documents with the hostile members of the
// catalogue, as seeds for FuzzParseDocument.
func hostileDocumentSeeds() []string {
	const id = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
	var out []string
	for _, c := range hostileJWKs() {
		if c.embed {
			out = append(out, `{"@context":"https://www.w3.org/ns/did/v1","id":"`+id+`","verificationMethod":[{"id":"#k","type":"JsonWebKey2020","controller":"`+id+`","publicKeyJwk":`+c.in+`}]}`)
		}
	}
	return append(out,
		`{"@context":"https://www.w3.org/ns/did/v1","ID":"`+id+`"}`,
		`{"@context":"https://www.w3.org/ns/did/v1","id":"`+id+`","id":"did:web:x"}`,
		`{"@context":"https://www.w3.org/ns/did/v1","id":"`+id+`"} {}`,
		`{"@context":"https://www.w3.org/ns/did/v1","id":"`+id+`","publicKey":[{"id":"#k","type":"Ed25519VerificationKey2018","controller":"`+id+`","publicKeyBase58":"11111111111111111111111111111111"}]}`,
		``)
}

// FuzzResponseJSON: challenge answers from the network never panic, fail
// with ErrMalformedResponse, and one that decodes encodes to JSON that
// decodes to the same answer, which an Authenticator can check.
func FuzzResponseJSON(f *testing.F) {
	a, clock := newTestAuthenticator(f)
	k, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{4}, 32))
	dev, _ := New(k.Public())
	c, _ := a.NewChallenge()
	r, _ := Answer(k, dev, c, clock.Now())
	raw, _ := json.Marshal(r)
	f.Add(raw)
	f.Add(bytes.Replace(raw, []byte(`"nonce"`), []byte(`"Nonce"`), 1))
	f.Add(append(bytes.Clone(raw), raw...))
	f.Add([]byte(`{}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var r Response
		if err := r.UnmarshalJSON(raw); err != nil {
			if !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Response
		if err := back.UnmarshalJSON(again); err != nil || !bytes.Equal(back.Nonce, r.Nonce) || !bytes.Equal(back.Signature, r.Signature) ||
			back.Device != r.Device || back.Verifier != r.Verifier || !back.Time.Equal(r.Time) {
			t.Fatalf("accepted %s, which encodes as %s, read back differently (%v)", raw, again, err)
		}
		_, _ = a.Verify(context.Background(), r)
	})
}

// FuzzChallengeJSON: challenges from the network never panic, fail with
// ErrMalformedChallenge, and one that decodes encodes to JSON that decodes
// to the same challenge.
func FuzzChallengeJSON(f *testing.F) {
	c := Challenge{Nonce: bytes.Repeat([]byte{7}, NonceSize), Verifier: "did:web:gateway.example", Expires: time.Date(2026, 3, 1, 12, 0, 0, 5e6, time.UTC)}
	raw, _ := json.Marshal(c)
	f.Add(raw)
	f.Add(bytes.Replace(raw, []byte(`Z"`), []byte(`+00:00"`), 1))
	f.Add([]byte(`{"expires":"2026-03-01T12:00:00Z","nonce":"","verifier":"did:a:b"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var c Challenge
		if err := c.UnmarshalJSON(raw); err != nil {
			if !errors.Is(err, ErrMalformedChallenge) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back Challenge
		if err := back.UnmarshalJSON(again); err != nil || !bytes.Equal(back.Nonce, c.Nonce) || back.Verifier != c.Verifier || !back.Expires.Equal(c.Expires) {
			t.Fatalf("accepted %s, which encodes as %s, read back differently (%v)", raw, again, err)
		}
	})
}
