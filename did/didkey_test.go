package did

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
	diddoc "github.com/trustbloc/did-go/doc/did"
	didgojwk "github.com/trustbloc/did-go/method/jwk"
	didgokey "github.com/trustbloc/did-go/method/key"
)

type specVectors struct {
	Ed25519 []struct {
		DID             string          `json:"did"`
		Seed            string          `json:"seed"`
		PublicKeyBase58 string          `json:"publicKeyBase58"`
		DIDDocument     json.RawMessage `json:"didDocument"`
	} `json:"ed25519"`
	P256 []struct {
		DID           string          `json:"did"`
		PublicKeyJWK  json.RawMessage `json:"publicKeyJwk"`
		PrivateKeyJWK struct {
			D string `json:"d"`
		} `json:"privateKeyJwk"`
		DIDDocument json.RawMessage `json:"didDocument"`
	} `json:"p256"`
	Unsupported []string `json:"unsupported"`
}

func loadVectors(t *testing.T) specVectors {
	t.Helper()
	raw, err := os.ReadFile("testdata/didkey-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v specVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Ed25519) == 0 || len(v.P256) == 0 {
		t.Fatal("no vectors loaded")
	}
	return v
}

// The did:key specification's published vectors: a key derived from the
// seed (Ed25519) or private scalar (P-256) yields the published DID, the
// DID resolves to the published key, and the published (older-form) DID
// document parses to the same key.
func TestDIDKeySpecVectors(t *testing.T) {
	v := loadVectors(t)
	for _, tc := range v.Ed25519 {
		k, err := Ed25519.DeriveKey(mustHex(t, tc.Seed))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := base58.Decode(tc.PublicKeyBase58)
		if !bytes.Equal(k.Public().Bytes(), want) {
			t.Errorf("%s: derived public key %x, vector %x", tc.DID, k.Public().Bytes(), want)
		}
		checkVector(t, k.Public(), tc.DID, tc.DIDDocument)
	}
	for _, tc := range v.P256 {
		d, err := b64.DecodeString(tc.PrivateKeyJWK.D)
		if err != nil {
			t.Fatal(err)
		}
		k, err := P256.UnmarshalPrivateKey(d)
		if err != nil {
			t.Fatal(err)
		}
		j, err := ParseJWK(tc.PublicKeyJWK)
		if err != nil {
			t.Fatal(err)
		}
		jk, err := j.PublicKey()
		if err != nil || !jk.Equal(k.Public()) {
			t.Errorf("%s: JWK key differs from the private key's: %v", tc.DID, err)
		}
		checkVector(t, k.Public(), tc.DID, tc.DIDDocument)
	}
	for _, d := range v.Unsupported {
		if _, err := ResolveKey(d); !errors.Is(err, ErrUnsupportedKeyType) {
			t.Errorf("%s: %v, want ErrUnsupportedKeyType", d, err)
		}
	}
}

func checkVector(t *testing.T, k PublicKey, wantDID string, rawDoc json.RawMessage) {
	t.Helper()
	got, err := New(k)
	if err != nil || got != wantDID {
		t.Errorf("New = %q, %v; vector %q", got, err, wantDID)
	}
	rk, err := ResolveKey(wantDID)
	if err != nil || !rk.Equal(k) {
		t.Errorf("ResolveKey(%s) = %v", wantDID, err)
	}
	vmID, _ := VerificationMethodID(wantDID)
	if rk, err := ResolveKey(vmID); err != nil || !rk.Equal(k) {
		t.Errorf("ResolveKey(%s) = %v", vmID, err)
	}
	doc, err := ParseDocument(rawDoc)
	if err != nil {
		t.Fatalf("published document of %s: %v", wantDID, err)
	}
	dk, err := doc.Key(vmID, AssertionMethod)
	if err != nil || !dk.Equal(k) {
		t.Errorf("published document of %s: key %v", wantDID, err)
	}
}

// Cross-check with trustbloc/did-go, an independent did:key implementation:
// it reads the DIDs we make to the same key, and the DIDs it makes from our
// keys are ours.
func TestDIDKeyAgreesWithDIDGo(t *testing.T) {
	vdr := didgokey.New()
	for _, s := range []Scheme{Ed25519, P256} {
		for range 20 {
			k, _ := s.GenerateKey(nil)
			d, err := NewKeyDID(k.Public())
			if err != nil {
				t.Fatal(err)
			}
			res, err := vdr.Read(d)
			if err != nil {
				t.Fatalf("did-go cannot read %s: %v", d, err)
			}
			vm := res.DIDDocument.VerificationMethod[0]
			var theirs PublicKey
			if s == Ed25519 {
				theirs, err = Ed25519.UnmarshalPublicKey(vm.Value)
				// and did-go makes the same DID from the raw key
				created, cerr := vdr.Create(&diddoc.Doc{VerificationMethod: []diddoc.VerificationMethod{{Type: TypeEd25519VerificationKey2018, Value: k.Public().Bytes()}}})
				if cerr != nil || created.DIDDocument.ID != d {
					t.Errorf("did-go made %v (%v) from our key, we made %s", created, cerr, d)
				}
			} else {
				raw, merr := vm.JSONWebKey().MarshalJSON()
				if merr != nil {
					t.Fatal(merr)
				}
				var j JWK
				j, err = ParseJWK(raw)
				if err == nil {
					theirs, err = j.PublicKey()
				}
			}
			if err != nil || !theirs.Equal(k.Public()) {
				t.Fatalf("%s: did-go resolves a different key: %v", d, err)
			}
			if ours, err := ResolveKey(d); err != nil || !ours.Equal(k.Public()) {
				t.Fatalf("%s: own resolve: %v", d, err)
			}
		}
	}
}

// did-go's did:jwk reads our did:jwk of an Ed25519 key (ML-DSA has no JOSE
// support there yet) to the same key.
func TestDIDJWKAgreesWithDIDGo(t *testing.T) {
	k, _ := Ed25519.GenerateKey(nil)
	d, err := NewJWKDID(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	res, err := didgojwk.New().Read(d)
	if err != nil {
		t.Fatalf("did-go cannot read %s: %v", d, err)
	}
	raw, err := res.DIDDocument.VerificationMethod[0].JSONWebKey().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	j, err := ParseJWK(raw)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := j.PublicKey()
	if err != nil || !theirs.Equal(k.Public()) {
		t.Fatalf("did-go resolves a different key: %v", err)
	}
	if res.DIDDocument.VerificationMethod[0].ID != d+"#0" {
		t.Errorf("did-go method id %s", res.DIDDocument.VerificationMethod[0].ID)
	}
}

func TestMLDSAUsesDIDJWKWithAKP(t *testing.T) {
	for _, s := range []Scheme{MLDSA44, MLDSA65, MLDSA87} {
		k, _ := s.GenerateKey(nil)
		d, err := New(k.Public())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(d, "did:jwk:") || len(d) > MaxDIDLength {
			t.Fatalf("%s DID %.40s… (%d bytes)", s.Name(), d, len(d))
		}
		raw, _ := b64.DecodeString(strings.TrimPrefix(d, "did:jwk:"))
		var j map[string]string
		if err := json.Unmarshal(raw, &j); err != nil {
			t.Fatal(err)
		}
		if j["kty"] != "AKP" || j["alg"] != s.Name() || j["pub"] != b64.EncodeToString(k.Public().Bytes()) {
			t.Fatalf("%s JWK %v", s.Name(), j)
		}
		rk, err := ResolveKey(d + "#0")
		if err != nil || !rk.Equal(k.Public()) {
			t.Fatalf("%s: resolve: %v", s.Name(), err)
		}
		if _, err := NewKeyDID(k.Public()); !errors.Is(err, ErrUnsupportedKeyType) {
			t.Fatalf("%s did:key: %v", s.Name(), err)
		}
	}
}

func TestResolveDocumentForms(t *testing.T) {
	for _, s := range allSchemes {
		k, _ := s.GenerateKey(nil)
		d, _ := New(k.Public())
		doc, err := Resolve(d)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Context[0] != ContextDIDv1 || doc.ID != d || len(doc.VerificationMethod) != 1 {
			t.Fatalf("%s: document %+v", s.Name(), doc)
		}
		vm := doc.VerificationMethod[0]
		if strings.HasPrefix(d, "did:key:") && (vm.Type != TypeMultikey || vm.PublicKeyMultibase != strings.TrimPrefix(d, "did:key:")) {
			t.Fatalf("%s: did:key method %+v", s.Name(), vm)
		}
		raw, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseDocument(raw)
		if err != nil {
			t.Fatalf("%s: own document does not parse: %v\n%s", s.Name(), err, raw)
		}
		for _, rel := range []Relationship{Authentication, AssertionMethod, CapabilityInvocation, CapabilityDelegation} {
			got, err := back.Key(vm.ID, rel)
			if err != nil || !got.Equal(k.Public()) {
				t.Fatalf("%s %s: %v", s.Name(), rel, err)
			}
		}
		if _, err := back.Key(vm.ID, KeyAgreement); !errors.Is(err, ErrUnknownVerificationMethod) {
			t.Fatalf("%s: signing key listed for key agreement: %v", s.Name(), err)
		}
		// did-go parses our document too (it has no AKP keys, so not ML-DSA).
		if s != Ed25519 && s != P256 {
			continue
		}
		if _, err := diddoc.ParseDocument(raw); err != nil {
			t.Errorf("%s: did-go cannot parse our document: %v", s.Name(), err)
		}
	}
}

func TestBadDIDs(t *testing.T) {
	ed, _ := Ed25519.DeriveKey(make([]byte, 32))
	good, _ := New(ed.Public())
	id := strings.TrimPrefix(good, "did:key:")
	raw, _ := base58.Decode(id[1:])
	enc := func(b []byte) string { return "did:key:z" + base58.Encode(b) }
	cases := []struct {
		in   string
		want error
	}{
		{"", ErrInvalidDID},
		{"did:", ErrInvalidDID},
		{"did:key", ErrInvalidDID},
		{"did:key:", ErrInvalidDID},
		{"did:KEY:" + id, ErrInvalidDID},
		{"DID:key:" + id, ErrInvalidDID},
		{"did:key:" + id + ":", ErrInvalidDID},
		{"did:key:" + id + " ", ErrInvalidDID},
		{"did:key:" + id + "/path", ErrInvalidDID},
		{"did:key:%zz", ErrInvalidDID},
		{"did:web:example.com", ErrUnsupportedMethod},
		{"did:ethr:0xabc", ErrUnsupportedMethod},
		{"did:key:" + id[1:], ErrInvalidDID},                                                      // no multibase prefix
		{"did:key:f" + id[1:], ErrInvalidDID},                                                     // another base
		{"did:key:z0OIl", ErrInvalidDID},                                                          // not base58
		{enc(raw[:len(raw)-1]), ErrInvalidDID},                                                    // truncated key
		{enc(append(bytes.Clone(raw), 0)), ErrInvalidDID},                                         // long key
		{enc(append([]byte{0xec, 0x01}, raw[2:]...)), ErrUnsupportedKeyType},                      // x25519-pub
		{enc(append([]byte{0xed, 0x81, 0x00}, raw[2:]...)), ErrInvalidDID},                        // non-minimal varint
		{enc([]byte{0x80}), ErrInvalidDID},                                                        // truncated varint
		{enc(append([]byte{0x80, 0x24, 0x04}, make([]byte, 32)...)), ErrInvalidDID},               // bad point prefix
		{enc(append([]byte{0x80, 0x24, 0x02}, bytes.Repeat([]byte{0xff}, 32)...)), ErrInvalidDID}, // x ≥ p
		{"did:key:z" + strings.Repeat("2", 200), ErrInvalidDID},
		{"did:key:" + strings.Repeat("a", MaxDIDLength), ErrInvalidDID},
		{good + "#wrong", ErrUnknownVerificationMethod},
		{good + "#", ErrInvalidDID}, // an empty fragment: a second name for the key
		{"did:jwk:!!", ErrInvalidDID},
		{"did:jwk:" + b64.EncodeToString([]byte(`{"kty":"OKP","crv":"Ed25519","x":"AAAA"}`)), ErrInvalidDID},
		{"did:jwk:" + b64.EncodeToString([]byte(`{"kty":"OKP","crv":"X25519","x":"`+b64.EncodeToString(make([]byte, 32))+`"}`)), ErrUnsupportedKeyType},
		{"did:jwk:" + b64.EncodeToString([]byte(`{"kty":"RSA","n":"AQAB","e":"AQAB"}`)), ErrUnsupportedKeyType},
		{"did:jwk:" + b64.EncodeToString([]byte(`{"kty":"OKP","crv":"Ed25519","x":"`+b64.EncodeToString(make([]byte, 32))+`","d":"AA"}`)), ErrInvalidJWK},
		{"did:jwk:" + b64.EncodeToString([]byte(`{"kty":"OKP","kty":"EC","crv":"Ed25519","x":"`+b64.EncodeToString(make([]byte, 32))+`"}`)), ErrInvalidJWK},
		{"did:jwk:" + b64.EncodeToString([]byte(`{"kty":"OKP","crv":"Ed25519","use":"enc","x":"`+b64.EncodeToString(make([]byte, 32))+`"}`)), ErrInvalidJWK},
		{"did:jwk:" + b64.EncodeToString([]byte(`{"kty":"EC","crv":"P-256","x":"`+b64.EncodeToString(make([]byte, 32))+`","y":"`+b64.EncodeToString(make([]byte, 32))+`"}`)), ErrInvalidKey},
		{"did:jwk:" + b64.EncodeToString([]byte(`{"kty":"AKP","alg":"ML-DSA-44","pub":"AAAA"}`)), ErrInvalidKey},
		{"did:jwk:" + b64.EncodeToString([]byte(`[]`)), ErrInvalidJWK},
	}
	for _, c := range cases {
		_, err := ResolveKey(c.in)
		if !errors.Is(err, c.want) {
			t.Errorf("ResolveKey(%.60q): %v, want %v", c.in, err, c.want)
		}
		if _, err := Resolve(c.in); err == nil {
			t.Errorf("Resolve(%.60q) succeeded", c.in)
		}
	}
	if _, err := Resolve(good + "#" + id); !errors.Is(err, ErrInvalidDID) {
		t.Errorf("Resolve of a DID URL: %v", err)
	}
}
