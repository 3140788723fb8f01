package did

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/edwards25519"
	"github.com/hdevalence/ed25519consensus"
	"github.com/mr-tron/base58"
)

// The hostile-input catalogue of did, part 1: public keys. Each case names
// the typed error it must produce; hostile_json_test.go holds part 2.

// sentinels maps the error names used in testdata/hostile to the errors.
var sentinels = map[string]error{
	"ErrWeakKey":    ErrWeakKey,
	"ErrInvalidKey": ErrInvalidKey,
}

type hostileKey struct {
	Name  string `json:"name"`
	Key   string `json:"key"`
	Error string `json:"error"`
}

func loadHostileEd25519(t testing.TB) []hostileKey {
	t.Helper()
	raw, err := os.ReadFile("testdata/hostile/ed25519-public-keys.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []hostileKey `json:"cases"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 20 {
		t.Fatalf("%d cases loaded", len(f.Cases))
	}
	return f.Cases
}

// checkErr fails unless err wraps every one of want, and names each
// package once (no "did: x: did: y").
func checkErr(t testing.TB, what string, err error, want ...error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: accepted, want %v", what, want)
		return
	}
	for _, w := range want {
		if !errors.Is(err, w) {
			t.Errorf("%s: %v, want %v", what, err, w)
		}
	}
	noStutter(t, what, err)
}

func noStutter(t testing.TB, what string, err error) {
	t.Helper()
	msg := err.Error()
	for _, pkg := range []string{"did: ", "canon: "} {
		if strings.Count(msg, pkg) > 1 {
			t.Errorf("%s: message names %q more than once: %s", what, pkg, msg)
		}
	}
}

func didKeyOf(code []byte, key []byte) string {
	return "did:key:z" + base58.Encode(append(append([]byte(nil), code...), key...))
}

var ed25519Multicodec = []byte{0xed, 0x01}

// Every way an Ed25519 key enters did — the scheme, did:key, did:jwk, a DID
// document in its current and 2018 forms, a JWK, a registry entry — refuses
// the weak keys of the catalogue with the named error, and accepts the
// honest ones.
func TestHostileEd25519Keys(t *testing.T) {
	ctx := context.Background()
	reg := openTestRegistry(t, filepath.Join(t.TempDir(), "registry.log"))
	defer reg.Close()
	org := newParty(t, Ed25519, 1)
	for _, c := range loadHostileEd25519(t) {
		t.Run(c.Name, func(t *testing.T) {
			key, err := hex.DecodeString(c.Key)
			if err != nil || len(key) != 32 {
				t.Fatalf("bad vector %q", c.Key)
			}
			dk := didKeyOf(ed25519Multicodec, key)
			jwk := fmt.Sprintf(`{"crv":"Ed25519","kty":"OKP","x":%q}`, b64.EncodeToString(key))
			dj := "did:jwk:" + b64.EncodeToString([]byte(jwk))
			mb := strings.TrimPrefix(dk, "did:key:")
			docMultikey := fmt.Sprintf(`{"@context":"https://www.w3.org/ns/did/v1","id":%q,"verificationMethod":[{"id":"#k","type":"Multikey","controller":%q,"publicKeyMultibase":%q}]}`, dk, dk, mb)
			doc2018 := fmt.Sprintf(`{"@context":"https://www.w3.org/ns/did/v1","id":%q,"publicKey":[{"id":"#k","type":"Ed25519VerificationKey2018","controller":%q,"publicKeyBase58":%q}]}`, dk, dk, base58.Encode(key))
			docJWK := fmt.Sprintf(`{"@context":"https://www.w3.org/ns/did/v1","id":%q,"verificationMethod":[{"id":"#k","type":"JsonWebKey2020","controller":%q,"publicKeyJwk":%s}]}`, dk, dk, jwk)
			n, head := reg.Head()
			entry := Entry{Seq: n, Prev: head, Op: OpRegister, Subject: "did:web:device" + fmt.Sprint(n) + ".example", Key: dk, Controller: org.did, Time: t0}
			if err := entry.Sign(org.key, org.did); err != nil {
				t.Fatal(err)
			}

			_, errScheme := Ed25519.UnmarshalPublicKey(key)
			_, errDIDKey := ResolveKey(dk)
			_, errDIDJWK := ResolveKey(dj)
			_, errDocMK := ParseDocument([]byte(docMultikey))
			_, errDoc2018 := ParseDocument([]byte(doc2018))
			_, errDocJWK := ParseDocument([]byte(docJWK))
			var errJWK error
			if j, err := ParseJWK([]byte(jwk)); err != nil {
				errJWK = err
			} else {
				_, errJWK = j.PublicKey()
			}
			if c.Error == "" {
				for what, err := range map[string]error{"scheme": errScheme, "did:key": errDIDKey, "did:jwk": errDIDJWK,
					"Multikey document": errDocMK, "2018 document": errDoc2018, "JWK document": errDocJWK, "JWK": errJWK} {
					if err != nil {
						t.Errorf("%s refuses an honest key: %v", what, err)
					}
				}
				return
			}
			want := sentinels[c.Error]
			if want == nil {
				t.Fatalf("unknown error name %q", c.Error)
			}
			checkErr(t, "scheme", errScheme, want)
			checkErr(t, "did:key", errDIDKey, want, ErrInvalidDID)
			checkErr(t, "did:jwk", errDIDJWK, want, ErrInvalidDID)
			checkErr(t, "Multikey document", errDocMK, want, ErrInvalidDocument)
			checkErr(t, "2018 document", errDoc2018, want, ErrInvalidDocument)
			checkErr(t, "JWK document", errDocJWK, want, ErrInvalidDocument)
			checkErr(t, "JWK", errJWK, want)
			checkErr(t, "registry entry", reg.Append(ctx, entry), want, ErrInvalidEntry)
			if want == ErrInvalidKey && errors.Is(errScheme, ErrWeakKey) {
				t.Errorf("not a point, yet reported as weak: %v", errScheme)
			}
		})
	}
}

// The catalogue's claims, checked without the code under test: the eight
// published small-order encodings are eight distinct points whose order
// divides 8 (by repeated addition, not MultByCofactor), every key the
// catalogue calls weak decodes under ZIP-215 rules (so a ZIP-215 verifier
// would take it) and is small-order or re-encodes differently, and — the
// attack the check exists for — every small-order key "verifies" the
// signature (R = identity, s = 0) on any message under ZIP-215.
func TestHostileEd25519CatalogueIsRight(t *testing.T) {
	identity := edwards25519.NewIdentityPoint()
	orderDivides8 := func(p *edwards25519.Point) bool {
		q := edwards25519.NewIdentityPoint()
		for range 8 {
			q.Add(q, p)
		}
		return q.Equal(identity) == 1
	}
	forged := append(append([]byte(nil), identity.Bytes()...), make([]byte, 32)...)
	canonicalSmall := map[string]bool{}
	for _, c := range loadHostileEd25519(t) {
		key, _ := hex.DecodeString(c.Key)
		p, err := new(edwards25519.Point).SetBytes(key)
		if c.Error == "ErrInvalidKey" {
			if err == nil {
				t.Errorf("%s: decodes, the catalogue says it is not a point", c.Name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: does not decode: %v", c.Name, err)
			continue
		}
		small := orderDivides8(p)
		canonical := bytes.Equal(p.Bytes(), key)
		if small && canonical {
			canonicalSmall[string(p.Bytes())] = true
		}
		if weak := small || !canonical; weak != (c.Error == "ErrWeakKey") {
			t.Errorf("%s: small order %v, canonical %v, catalogue says %q", c.Name, small, canonical, c.Error)
		}
		if small {
			for _, msg := range []string{"", "transfer everything", "challenge"} {
				if !ed25519consensus.Verify(ed25519.PublicKey(key), []byte(msg), forged) {
					t.Errorf("%s: the forgery the check guards against does not verify under ZIP-215", c.Name)
				}
			}
		}
	}
	if len(canonicalSmall) != 8 {
		t.Errorf("%d distinct canonical small-order points, want the whole torsion subgroup of 8", len(canonicalSmall))
	}
}

// The attack of issue 10: a did:key whose key is the identity point, and a
// challenge answer any attacker can write without a private key (R the
// identity, s = 0), which ZIP-215 verification accepts for every message.
// Resolving the DID now fails with ErrWeakKey, so the Authenticator refuses
// the answer — through its default resolver and through a cached registry
// chain — and the challenge stays unspent.
func TestForgedAnswerForIdentityDIDKeyRefused(t *testing.T) {
	identity := edwards25519.NewIdentityPoint().Bytes()
	device := didKeyOf(ed25519Multicodec, identity)
	forgedSig := append(append([]byte(nil), identity...), make([]byte, 32)...)

	reg := openTestRegistry(t, filepath.Join(t.TempDir(), "registry.log"))
	defer reg.Close()
	for name, keys := range map[string]KeyResolver{
		"default":         nil,
		"cached registry": NewKeyCache(16, KeyResolvers{reg, SelfCertifying{}}, time.Minute),
		"self-certifying": SelfCertifying{},
	} {
		t.Run(name, func(t *testing.T) {
			a, clock := newTestAuthenticator(t)
			if keys != nil {
				a.cfg.Keys = keys
			}
			c, err := a.NewChallenge()
			if err != nil {
				t.Fatal(err)
			}
			r := Response{Nonce: c.Nonce, Verifier: c.Verifier, Device: device, Time: clock.Now(), Signature: forgedSig}
			body, err := r.canonicalBody()
			if err != nil {
				t.Fatal(err)
			}
			msg := a.hasher.Sum(body)
			if !ed25519consensus.Verify(ed25519.PublicKey(identity), msg.Sum[:], forgedSig) {
				t.Fatal("premise: the forged answer does not verify under ZIP-215 for the identity key")
			}
			_, err = a.Verify(context.Background(), r)
			checkErr(t, "forged answer", err, ErrWeakKey, ErrInvalidKey, ErrInvalidDID)
			if _, err := a.check(c.Nonce, clock.Now(), false); err != nil {
				t.Errorf("a refused forgery spent the challenge: %v", err)
			}
		})
	}
}

// P-256 and ML-DSA keys: points off the curve, non-canonical coordinates
// and wrong sizes are refused with ErrInvalidKey wherever they enter.
func TestHostileP256AndMLDSAKeys(t *testing.T) {
	// The point with x = 0 is on P-256; its x written as p is not canonical.
	zero := append([]byte{2}, make([]byte, 32)...)
	x0, y0 := elliptic.UnmarshalCompressed(elliptic.P256(), zero)
	if x0 == nil {
		t.Fatal("premise: x = 0 is on P-256")
	}
	p := elliptic.P256().Params().P.FillBytes(make([]byte, 32))
	y0b := y0.FillBytes(make([]byte, 32))
	one := append([]byte{2}, make([]byte, 32)...)
	one[32] = 1 // x = 1 is not on P-256
	good, _ := P256.DeriveKey(bytes.Repeat([]byte{5}, 32))
	uncompressed := append([]byte{4}, make([]byte, 64)...)
	for _, c := range []struct {
		name string
		key  []byte
	}{
		{"compressed x = 1, not on the curve", one},
		{"compressed x = p, non-canonical x = 0", append([]byte{2}, p...)},
		{"compressed x = 2^256 - 1", append([]byte{3}, bytes.Repeat([]byte{0xff}, 32)...)},
		{"prefix 0x04 at compressed length", append([]byte{4}, good.Public().Bytes()[1:]...)},
		{"prefix 0x00", append([]byte{0}, good.Public().Bytes()[1:]...)},
		{"uncompressed form", uncompressed},
		{"one byte short", good.Public().Bytes()[:32]},
		{"empty", nil},
	} {
		t.Run("P-256 "+c.name, func(t *testing.T) {
			_, err := P256.UnmarshalPublicKey(c.key)
			checkErr(t, "scheme", err, ErrInvalidKey)
			if len(c.key) == 33 {
				_, err := ResolveKey(didKeyOf([]byte{0x80, 0x24}, c.key))
				checkErr(t, "did:key", err, ErrInvalidKey, ErrInvalidDID)
			}
		})
	}
	for _, c := range []struct {
		name, x, y string
		want       error
	}{
		{"JWK point (1, 0) off the curve", b64.EncodeToString(one[1:]), b64.EncodeToString(make([]byte, 32)), ErrInvalidKey},
		{"JWK x = p, non-canonical x = 0", b64.EncodeToString(p), b64.EncodeToString(y0b), ErrInvalidKey},
		{"JWK y = p + y, non-canonical", b64.EncodeToString(make([]byte, 32)), b64.EncodeToString(bytes.Repeat([]byte{0xff}, 32)), ErrInvalidKey},
		{"JWK x of 33 bytes", b64.EncodeToString(append([]byte{0}, make([]byte, 32)...)), b64.EncodeToString(y0b), ErrInvalidJWK},
	} {
		t.Run("P-256 "+c.name, func(t *testing.T) {
			raw := fmt.Sprintf(`{"crv":"P-256","kty":"EC","x":%q,"y":%q}`, c.x, c.y)
			j, err := ParseJWK([]byte(raw))
			if err == nil {
				_, err = j.PublicKey()
			}
			checkErr(t, "JWK", err, c.want)
			_, err = ResolveKey("did:jwk:" + b64.EncodeToString([]byte(raw)))
			checkErr(t, "did:jwk", err, c.want, ErrInvalidDID)
		})
	}
	for _, s := range []SchemeID{MLDSA44, MLDSA65, MLDSA87} {
		k, _ := s.DeriveKey(make([]byte, s.SeedSize()))
		pub := k.Public().Bytes()
		for _, c := range []struct {
			name string
			key  []byte
		}{
			{"one byte short", pub[:len(pub)-1]},
			{"one byte long", append(bytes.Clone(pub), 0)},
			{"empty", nil},
		} {
			t.Run(s.Name()+" "+c.name, func(t *testing.T) {
				_, err := s.UnmarshalPublicKey(c.key)
				checkErr(t, "scheme", err, ErrInvalidKey)
				raw := fmt.Sprintf(`{"alg":%q,"kty":"AKP","pub":%q}`, s.JWSAlgorithm(), b64.EncodeToString(c.key))
				_, err = ResolveKey("did:jwk:" + b64.EncodeToString([]byte(raw)))
				checkErr(t, "did:jwk", err, ErrInvalidKey, ErrInvalidDID)
			})
		}
	}
}
