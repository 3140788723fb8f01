package did

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
)

// The hostile-input catalogue of did, part 2: JSON. Every decoder of
// untrusted JSON here goes through canon.Decode; each case names the typed
// errors it must produce.

type hostileJSON struct {
	name string
	in   string
	want []error
}

// hostileJWKs are JWKs a strict reader must refuse, or whose key must be
// refused. embed marks those that are a JSON object, and so can also stand
// as a publicKeyJwk inside a DID document.
func hostileJWKs() []struct {
	hostileJSON
	embed bool
} {
	ed, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32))
	other, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{2}, 32))
	x := b64.EncodeToString(ed.Public().Bytes())
	var xStd string // a key whose standard base64 differs from its base64url
	for seed := byte(3); xStd == ""; seed++ {
		k, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{seed}, 32))
		if s := base64.RawStdEncoding.EncodeToString(k.Public().Bytes()); strings.ContainsAny(s, "+/") {
			xStd = s
		}
	}
	x2 := b64.EncodeToString(other.Public().Bytes())
	p, _ := P256.DeriveKey(bytes.Repeat([]byte{1}, 32))
	pj, _ := NewJWK(p.Public())
	ml, _ := MLDSA44.DeriveKey(make([]byte, 32))
	mlPub := b64.EncodeToString(ml.Public().Bytes())
	okp := func(extra string) string { return `{"crv":"Ed25519","kty":"OKP","x":"` + x + `"` + extra + `}` }
	type c = struct {
		hostileJSON
		embed bool
	}
	return []c{
		{hostileJSON{"upper-case X shadows x", `{"crv":"Ed25519","kty":"OKP","x":"` + x + `","X":"` + x2 + `"}`, []error{ErrInvalidJWK, canon.ErrUnknownMember}}, true},
		{hostileJSON{"upper-case X alone", `{"crv":"Ed25519","kty":"OKP","X":"` + x + `"}`, []error{ErrInvalidJWK, canon.ErrUnknownMember}}, true},
		{hostileJSON{"case variant Kty", `{"crv":"Ed25519","Kty":"OKP","kty":"OKP","x":"` + x + `"}`, []error{ErrInvalidJWK, canon.ErrUnknownMember}}, true},
		{hostileJSON{"case variant CRV", `{"CRV":"X25519","crv":"Ed25519","kty":"OKP","x":"` + x + `"}`, []error{ErrInvalidJWK, canon.ErrUnknownMember}}, true},
		{hostileJSON{"no kty", `{"crv":"Ed25519","x":"` + x + `"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"duplicate x", `{"crv":"Ed25519","kty":"OKP","x":"` + x + `","x":"` + x2 + `"}`, []error{ErrInvalidJWK, canon.ErrDuplicateKey}}, false},
		{hostileJSON{"duplicate kty", `{"crv":"Ed25519","kty":"OKP","kty":"EC","x":"` + x + `"}`, []error{ErrInvalidJWK, canon.ErrDuplicateKey}}, false},
		{hostileJSON{"empty input", ``, []error{ErrInvalidJWK, canon.ErrEmpty}}, false},
		{hostileJSON{"whitespace only", " \n", []error{ErrInvalidJWK, canon.ErrEmpty}}, false},
		{hostileJSON{"trailing garbage", okp("") + ` x`, []error{ErrInvalidJWK, canon.ErrTrailingData}}, false},
		{hostileJSON{"two objects", okp("") + okp(""), []error{ErrInvalidJWK, canon.ErrTrailingData}}, false},
		{hostileJSON{"array", `[]`, []error{ErrInvalidJWK, canon.ErrWrongType}}, false},
		{hostileJSON{"string", `"OKP"`, []error{ErrInvalidJWK, canon.ErrWrongType}}, false},
		{hostileJSON{"null", `null`, []error{ErrInvalidJWK}}, false},
		{hostileJSON{"kty a number", `{"kty":1}`, []error{ErrInvalidJWK, canon.ErrWrongType}}, true},
		{hostileJSON{"invalid UTF-8 in a member", "{\"kid\":\"\xff\",\"kty\":\"OKP\"}", []error{ErrInvalidJWK, canon.ErrInvalidUTF8}}, false},
		{hostileJSON{"private d", okp(`,"d":"` + x + `"`), []error{ErrInvalidJWK}}, true},
		{hostileJSON{"private priv of AKP", `{"alg":"ML-DSA-44","kty":"AKP","priv":"AA","pub":"` + mlPub + `"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"RSA private d", `{"d":"AQAB","e":"AQAB","kty":"RSA","n":"AQAB"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"unknown member x5c", okp(`,"x5c":["AA"]`), []error{ErrInvalidJWK, canon.ErrUnknownMember}}, true},
		{hostileJSON{"ext not a boolean", okp(`,"ext":"true"`), []error{ErrInvalidJWK, canon.ErrWrongType}}, true},
		{hostileJSON{"key_ops empty", okp(`,"key_ops":[]`), []error{ErrInvalidJWK}}, true},
		{hostileJSON{"key_ops unregistered", okp(`,"key_ops":["verify","fly"]`), []error{ErrInvalidJWK}}, true},
		{hostileJSON{"key_ops twice verify", okp(`,"key_ops":["verify","verify"]`), []error{ErrInvalidJWK}}, true},
		{hostileJSON{"key_ops without verify", okp(`,"key_ops":["encrypt"]`), []error{ErrInvalidJWK}}, true},
		{hostileJSON{"use enc", okp(`,"use":"enc"`), []error{ErrInvalidJWK}}, true},
		{hostileJSON{"Ed25519 alg ES256", okp(`,"alg":"ES256"`), []error{ErrInvalidJWK}}, true},
		{hostileJSON{"x with a line break", `{"crv":"Ed25519","kty":"OKP","x":"` + x[:20] + `\n` + x[20:] + `"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"x padded", `{"crv":"Ed25519","kty":"OKP","x":"` + x + `="}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"x in standard base64", `{"crv":"Ed25519","kty":"OKP","x":"` + xStd + `"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"x with non-zero padding bits", `{"crv":"Ed25519","kty":"OKP","x":"` + x[:len(x)-1] + string(x[len(x)-1]+1) + `"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"x of 31 bytes", `{"crv":"Ed25519","kty":"OKP","x":"` + b64.EncodeToString(make([]byte, 31)) + `"}`, []error{ErrInvalidKey}}, true},
		{hostileJSON{"x the identity point", `{"crv":"Ed25519","kty":"OKP","x":"` + b64.EncodeToString(append([]byte{1}, make([]byte, 31)...)) + `"}`, []error{ErrWeakKey, ErrInvalidKey}}, true},
		{hostileJSON{"OKP with y", okp(`,"y":"` + x + `"`), []error{ErrInvalidJWK}}, true},
		{hostileJSON{"OKP with pub", okp(`,"pub":"` + x + `"`), []error{ErrInvalidJWK}}, true},
		{hostileJSON{"EC with pub", `{"crv":"P-256","kty":"EC","pub":"AA","x":"` + pj.X + `","y":"` + pj.Y + `"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"EC alg ES384", `{"alg":"ES384","crv":"P-256","kty":"EC","x":"` + pj.X + `","y":"` + pj.Y + `"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"EC without y", `{"crv":"P-256","kty":"EC","x":"` + pj.X + `"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"EC P-384", `{"crv":"P-384","kty":"EC","x":"` + pj.X + `","y":"` + pj.Y + `"}`, []error{ErrUnsupportedKeyType}}, true},
		{hostileJSON{"AKP with crv", `{"alg":"ML-DSA-44","crv":"Ed25519","kty":"AKP","pub":"` + mlPub + `"}`, []error{ErrInvalidJWK}}, true},
		{hostileJSON{"AKP pub one byte short", `{"alg":"ML-DSA-44","kty":"AKP","pub":"` + b64.EncodeToString(ml.Public().Bytes()[1:]) + `"}`, []error{ErrInvalidKey}}, true},
		{hostileJSON{"AKP unknown alg", `{"alg":"ML-DSA-99","kty":"AKP","pub":"` + mlPub + `"}`, []error{ErrUnsupportedKeyType}}, true},
		{hostileJSON{"OKP X25519", `{"crv":"X25519","kty":"OKP","x":"` + x + `"}`, []error{ErrUnsupportedKeyType}}, true},
		{hostileJSON{"RSA", `{"e":"AQAB","kty":"RSA","n":"AQAB"}`, []error{ErrUnsupportedKeyType}}, true},
		{hostileJSON{"too large", `{"kid":"` + strings.Repeat("a", MaxDIDLength) + `","kty":"OKP"}`, []error{ErrInvalidJWK}}, false},
	}
}

// jwkKey is the whole path from JWK bytes to a key.
func jwkKey(raw []byte) (PublicKey, error) {
	j, err := ParseJWK(raw)
	if err != nil {
		return nil, err
	}
	return j.PublicKey()
}

func TestHostileJWKs(t *testing.T) {
	for _, c := range hostileJWKs() {
		t.Run(c.name, func(t *testing.T) {
			_, err := jwkKey([]byte(c.in))
			checkErr(t, "ParseJWK", err, c.want...)
			var j JWK
			if err := json.Unmarshal([]byte(c.in), &j); err == nil {
				if _, err := j.PublicKey(); err == nil {
					t.Errorf("encoding/json through JWK.UnmarshalJSON yields a key")
				}
			}
			dj := "did:jwk:" + b64.EncodeToString([]byte(c.in))
			_, err = ResolveKey(dj)
			if c.in == "" || len(dj) > MaxDIDLength { // refused as a DID before any JWK is read
				checkErr(t, "did:jwk", err, ErrInvalidDID)
			} else {
				checkErr(t, "did:jwk", err, append([]error{ErrInvalidDID}, c.want...)...)
			}
			if !c.embed {
				return
			}
			const id = "did:web:device.example"
			doc := `{"@context":"https://www.w3.org/ns/did/v1","id":"` + id + `","verificationMethod":[{"id":"#k","type":"JsonWebKey2020","controller":"` + id + `","publicKeyJwk":` + c.in + `}],"assertionMethod":["#k"]}`
			d, err := ParseDocument([]byte(doc))
			if err == nil { // a key type this package does not read: kept, without a key
				_, err = d.Key("#k", AssertionMethod)
			} else {
				checkErr(t, "document", err, ErrInvalidDocument)
			}
			checkErr(t, "document", err, c.want...)
		})
	}
}

// The shadowing of issue 10, shown on encoding/json itself: it reads the
// upper-case "X" into the field tagged "x", so the key it gives is not the
// key a reader of "x" gives. ParseJWK refuses the JWK instead.
func TestJWKShadowingPremise(t *testing.T) {
	c := hostileJWKs()[0]
	var lax struct {
		X string `json:"x"`
	}
	if err := json.Unmarshal([]byte(c.in), &lax); err != nil {
		t.Fatal(err)
	}
	var exact map[string]string
	if err := json.Unmarshal([]byte(c.in), &exact); err != nil {
		t.Fatal(err)
	}
	if lax.X == exact["x"] {
		t.Fatal("premise: encoding/json no longer lets \"X\" shadow \"x\"")
	}
	if _, err := ParseJWK([]byte(c.in)); err == nil {
		t.Fatal("shadowed JWK accepted")
	}
}

// JWKs with the optional members accepted (kid, key_ops, ext, alg, use)
// give the same key as the bare JWK, and keep kid and key_ops.
func TestJWKOptionalMembers(t *testing.T) {
	ed, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32))
	x := b64.EncodeToString(ed.Public().Bytes())
	raw := `{"alg":"EdDSA","crv":"Ed25519","ext":true,"key_ops":["verify"],"kid":"device-1","kty":"OKP","use":"sig","x":"` + x + `"}`
	j, err := ParseJWK([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	k, err := j.PublicKey()
	if err != nil || !k.Equal(ed.Public()) {
		t.Fatalf("key %v", err)
	}
	if j.Kid != "device-1" || len(j.KeyOps) != 1 {
		t.Fatalf("members lost: %+v", j)
	}
	again, _ := json.Marshal(j)
	if back, err := ParseJWK(again); err != nil || back.Kid != j.Kid {
		t.Fatalf("round trip: %v", err)
	}
	// The JWK type promises that encoding/json writes it canonically.
	full := JWK{Alg: "a", Crv: "c", KeyOps: []string{"verify"}, Kid: "k", Kty: "t", Pub: "p", Use: "u", X: "x", Y: "y"}
	raw1, _ := json.Marshal(full)
	if c, err := canon.Canonicalize(raw1); err != nil || string(c) != string(raw1) {
		t.Fatalf("encoding/json writes %s, canonical is %s (%v)", raw1, c, err)
	}
}

func TestHostileDocuments(t *testing.T) {
	ed, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32))
	id, _ := New(ed.Public())
	mb := strings.TrimPrefix(id, "did:key:")
	vm := `{"id":"#k","type":"Multikey","controller":"` + id + `","publicKeyMultibase":"` + mb + `"}`
	doc := func(members string) string {
		return `{"@context":"https://www.w3.org/ns/did/v1","id":"` + id + `"` + members + `}`
	}
	good := doc(`,"verificationMethod":[` + vm + `],"authentication":["#k"]`)
	if _, err := ParseDocument([]byte(good)); err != nil {
		t.Fatalf("baseline document: %v", err)
	}
	if _, err := ParseDocument([]byte(doc(`,"controller":"` + id + `","alsoKnownAs":["https://example.com"],"service":[{"id":"#s","type":"LinkedDomains","serviceEndpoint":"https://example.com"}]`))); err != nil {
		t.Fatalf("DID Core members refused: %v", err)
	}
	many := make([]string, MaxVerificationMethods+1)
	for i := range many {
		many[i] = strings.Replace(vm, "#k", fmt.Sprintf("#k%d", i), 1)
	}
	identity := didKeyOf(ed25519Multicodec, append([]byte{1}, make([]byte, 31)...))
	p256OffCurve := didKeyOf([]byte{0x80, 0x24}, append([]byte{2}, append(make([]byte, 31), 1)...))
	cases := []hostileJSON{
		{"empty input", ``, []error{canon.ErrEmpty}},
		{"whitespace only", "\t\n ", []error{canon.ErrEmpty}},
		{"trailing garbage", good + `]`, []error{canon.ErrTrailingData}},
		{"two documents", good + good, []error{canon.ErrTrailingData}},
		{"array", `[` + good + `]`, []error{canon.ErrWrongType}},
		{"case variant ID", `{"@context":"https://www.w3.org/ns/did/v1","ID":"` + id + `"}`, []error{canon.ErrUnknownMember}},
		{"case variant @Context", `{"@Context":"https://www.w3.org/ns/did/v1","id":"` + id + `"}`, []error{canon.ErrUnknownMember}},
		{"case variant Authentication shadowing", doc(`,"verificationMethod":[` + vm + `],"Authentication":["#k"]`), []error{canon.ErrUnknownMember}},
		{"unknown member", doc(`,"proof":{}`), []error{canon.ErrUnknownMember}},
		{"duplicate id", `{"@context":"https://www.w3.org/ns/did/v1","id":"` + id + `","id":"did:web:other"}`, []error{canon.ErrDuplicateKey}},
		{"duplicate inside a method", doc(`,"verificationMethod":[{"id":"#k","id":"#j","type":"Multikey","controller":"` + id + `","publicKeyMultibase":"` + mb + `"}]`), []error{canon.ErrDuplicateKey}},
		{"duplicate inside a service", doc(`,"service":[{"id":"#s","id":"#t"}]`), []error{canon.ErrDuplicateKey}},
		{"nesting too deep inside a service", doc(`,"service":` + strings.Repeat("[", 80) + strings.Repeat("]", 80)), []error{canon.ErrTooDeep}},
		{"method member case variant", doc(`,"verificationMethod":[{"id":"#k","type":"Multikey","controller":"` + id + `","PublicKeyMultibase":"` + mb + `"}]`), []error{canon.ErrUnknownMember}},
		{"method unknown member", doc(`,"verificationMethod":[{"id":"#k","type":"Multikey","controller":"` + id + `","publicKeyMultibase":"` + mb + `","revoked":"2020-01-01"}]`), []error{canon.ErrUnknownMember}},
		{"method with two key members", doc(`,"verificationMethod":[{"id":"#k","type":"Multikey","controller":"` + id + `","publicKeyMultibase":"` + mb + `","publicKeyBase58":"` + mb[1:] + `"}]`), nil},
		{"publicKeyJwk with X shadowing x", doc(`,"verificationMethod":[{"id":"#k","type":"JsonWebKey2020","controller":"` + id + `","publicKeyJwk":{"crv":"Ed25519","kty":"OKP","x":"` + b64.EncodeToString(ed.Public().Bytes()) + `","X":"AA"}}]`), []error{ErrInvalidJWK, canon.ErrUnknownMember}},
		{"embedded method with a case variant", doc(`,"authentication":[{"id":"#k","Type":"Multikey","controller":"` + id + `","publicKeyMultibase":"` + mb + `"}]`), []error{canon.ErrUnknownMember}},
		{"reference a number", doc(`,"authentication":[1]`), []error{canon.ErrWrongType}},
		{"reference without a fragment", doc(`,"authentication":["` + id + `"]`), nil},
		{"no @context", `{"id":"` + id + `"}`, nil},
		{"@context entry a number", `{"@context":["https://www.w3.org/ns/did/v1",1],"id":"` + id + `"}`, nil},
		{"@context a number", `{"@context":1,"id":"` + id + `"}`, []error{canon.ErrWrongType}},
		{"foreign @context first", `{"@context":["https://example.com/ctx","https://www.w3.org/ns/did/v1"],"id":"` + id + `"}`, nil},
		{"id not a DID", `{"@context":"https://www.w3.org/ns/did/v1","id":"https://example.com"}`, []error{ErrInvalidDID}},
		{"weak key in a Multikey method", doc(`,"verificationMethod":[{"id":"#k","type":"Multikey","controller":"` + id + `","publicKeyMultibase":"` + strings.TrimPrefix(identity, "did:key:") + `"}]`), []error{ErrWeakKey}},
		{"P-256 key off the curve", doc(`,"verificationMethod":[{"id":"#k","type":"Multikey","controller":"` + id + `","publicKeyMultibase":"` + strings.TrimPrefix(p256OffCurve, "did:key:") + `"}]`), []error{ErrInvalidKey}},
		{"P-256 key in an Ed25519VerificationKey2020", doc(`,"verificationMethod":[{"id":"#k","type":"Ed25519VerificationKey2020","controller":"` + id + `","publicKeyMultibase":"zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"}]`), []error{ErrInvalidKey}},
		{"too many methods", doc(`,"verificationMethod":[` + strings.Join(many, ",") + `]`), nil},
		{"too large", doc(`,"service":"` + strings.Repeat("a", MaxDocumentSize) + `"`), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseDocument([]byte(c.in))
			checkErr(t, "ParseDocument", err, append([]error{ErrInvalidDocument}, c.want...)...)
			var d Document
			if json.Unmarshal([]byte(c.in), &d) == nil {
				t.Errorf("encoding/json through Document.UnmarshalJSON accepts it")
			}
		})
	}
}

func TestHostileRegistryEntries(t *testing.T) {
	org := newParty(t, Ed25519, 1)
	dev := newParty(t, Ed25519, 2)
	e := Entry{Seq: 1, Prev: canon.Sum(canon.BLAKE3, nil), Op: OpRegister, Subject: dev.did, Key: dev.did, Controller: org.did, Time: t0}
	if err := e.Sign(org.key, org.did); err != nil {
		t.Fatal(err)
	}
	raw, _ := e.MarshalJSON()
	good := string(raw)
	var back Entry
	if err := back.UnmarshalJSON(raw); err != nil {
		t.Fatalf("baseline entry: %v", err)
	}
	swap := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("baseline lacks %q", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	sig := base64.RawURLEncoding.EncodeToString(e.Signature)
	cases := []hostileJSON{
		{"empty input", ``, []error{canon.ErrEmpty}},
		{"trailing garbage", good + `x`, []error{canon.ErrTrailingData}},
		{"trailing space", good + ` `, nil},
		{"two entries", good + good, []error{canon.ErrTrailingData}},
		{"case variant OP", swap(`"op"`, `"OP"`), []error{canon.ErrUnknownMember}},
		{"unknown member", swap(`{"controller"`, `{"comment":"x","controller"`), []error{canon.ErrUnknownMember}},
		{"duplicate seq", swap(`"seq":1`, `"seq":1,"seq":2`), []error{canon.ErrDuplicateKey}},
		{"members out of canonical order", swap(`"controller":"`+org.did+`",`, ``)[:len(good)-len(`"controller":"`+org.did+`",`)-1] + `,"controller":"` + org.did + `"}`, nil},
		{"whitespace", swap(`"seq":1`, `"seq": 1`), nil},
		{"seq negative", swap(`"seq":1`, `"seq":-1`), []error{canon.ErrWrongType}},
		{"seq as a string", swap(`"seq":1`, `"seq":"1"`), []error{canon.ErrWrongType}},
		{"time with a fraction", swap(`"time":`, `"time":0.5,"x":`), []error{canon.ErrUnknownMember}},
		{"prev in upper case", swap(e.Prev.Hex(), strings.ToUpper(e.Prev.Hex())), []error{canon.ErrBadDigest}},
		{"sig with a line break", swap(sig, sig[:10]+`\n`+sig[10:]), nil},
		{"sig padded", swap(sig, sig+"="), nil},
		{"too large", `{"subject":"` + strings.Repeat("a", MaxRecordSize) + `"}`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e Entry
			checkErr(t, "Entry", e.UnmarshalJSON([]byte(c.in)), append([]error{ErrInvalidEntry}, c.want...)...)
		})
	}
}

func TestHostileChallengeJSON(t *testing.T) {
	a, clock := newTestAuthenticator(t)
	k, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{4}, 32))
	dev, _ := New(k.Public())
	c, _ := a.NewChallenge()
	r, err := Answer(k, dev, c, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	rawR, _ := json.Marshal(r)
	rawC, _ := json.Marshal(c)
	var c2 Challenge
	if err := json.Unmarshal(rawC, &c2); err != nil || !bytes.Equal(c2.Nonce, c.Nonce) || !c2.Expires.Equal(c.Expires) {
		t.Fatalf("challenge round trip: %v", err)
	}
	var r2 Response
	if err := json.Unmarshal(rawR, &r2); err != nil {
		t.Fatalf("response round trip: %v", err)
	}
	if who, err := a.Verify(context.Background(), r2); err != nil || who != dev {
		t.Fatalf("decoded response does not verify: %v", err)
	}
	good := string(rawR)
	swap := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("%s lacks %q", s, old)
		}
		return strings.Replace(s, old, new, 1)
	}
	nonce := base64.StdEncoding.EncodeToString(r.Nonce)
	at := r.Time.Format(time.RFC3339Nano)
	responses := []hostileJSON{
		{"empty input", ``, []error{canon.ErrEmpty}},
		{"trailing garbage", good + `x`, []error{canon.ErrTrailingData}},
		{"case variant Nonce", swap(good, `"nonce"`, `"Nonce"`), []error{canon.ErrUnknownMember}},
		{"unknown member", swap(good, `"nonce"`, `"extra":1,"nonce"`), []error{canon.ErrUnknownMember}},
		{"duplicate device", swap(good, `"device"`, `"device":"did:web:x","device"`), []error{canon.ErrDuplicateKey}},
		{"nonce with a line break", swap(good, nonce, nonce[:8]+`\n`+nonce[8:]), nil},
		{"nonce unpadded", swap(good, nonce, strings.TrimRight(nonce, "=")), nil},
		{"nonce in base64url", swap(good, `"nonce":"`, `"nonce":"-_`), nil},
		{"nonce of 31 bytes", swap(good, nonce, base64.StdEncoding.EncodeToString(r.Nonce[:31])), nil},
		{"time with an offset", swap(good, at, r.Time.In(time.FixedZone("", 3600)).Format(time.RFC3339Nano)), nil},
		{"time with microseconds", swap(good, at, r.Time.Add(time.Microsecond).Format(time.RFC3339Nano)), nil},
		{"time with trailing zeros", swap(good, strings.TrimSuffix(at, "Z"), strings.TrimSuffix(at, "Z")+".000"), nil},
		{"time as a number", swap(good, `"`+at+`"`, `0`), []error{canon.ErrWrongType}},
		{"device not a DID", swap(good, `"device":"`+dev, `"device":"key`), []error{ErrInvalidDID}},
		{"signature as an array", swap(good, `"signature":"`+base64.StdEncoding.EncodeToString(r.Signature)+`"`, `"signature":[1]`), []error{canon.ErrWrongType}},
	}
	for _, c := range responses {
		t.Run("response "+c.name, func(t *testing.T) {
			var r Response
			checkErr(t, "Response", r.UnmarshalJSON([]byte(c.in)), append([]error{ErrMalformedResponse}, c.want...)...)
		})
	}
	goodC := string(rawC)
	exp := c.Expires.Format(time.RFC3339Nano)
	challenges := []hostileJSON{
		{"empty input", ``, []error{canon.ErrEmpty}},
		{"trailing garbage", goodC + `{}`, []error{canon.ErrTrailingData}},
		{"case variant Expires", swap(goodC, `"expires"`, `"Expires"`), []error{canon.ErrUnknownMember}},
		{"expires with an offset", swap(goodC, exp, c.Expires.In(time.FixedZone("", -7200)).Format(time.RFC3339Nano)), nil},
		{"nonce of 33 bytes", swap(goodC, base64.StdEncoding.EncodeToString(c.Nonce), base64.StdEncoding.EncodeToString(append(bytes.Clone(c.Nonce), 0))), nil},
		{"verifier not a DID", swap(goodC, `"verifier":"did:`, `"verifier":"`), []error{ErrInvalidDID}},
	}
	for _, cc := range challenges {
		t.Run("challenge "+cc.name, func(t *testing.T) {
			var c Challenge
			checkErr(t, "Challenge", c.UnmarshalJSON([]byte(cc.in)), append([]error{ErrMalformedChallenge}, cc.want...)...)
		})
	}
}

// A verification method decoded alone with encoding/json is read as
// strictly as inside a document.
func TestVerificationMethodJSON(t *testing.T) {
	ed, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32))
	id, _ := New(ed.Public())
	mb := strings.TrimPrefix(id, "did:key:")
	var vm VerificationMethod
	good := `{"id":"` + id + `#k","type":"Multikey","controller":"` + id + `","publicKeyMultibase":"` + mb + `"}`
	if err := json.Unmarshal([]byte(good), &vm); err != nil {
		t.Fatal(err)
	}
	if k, err := vm.PublicKey(); err != nil || !k.Equal(ed.Public()) {
		t.Fatalf("key: %v", err)
	}
	for _, c := range []hostileJSON{
		{"case variant TYPE", strings.Replace(good, `"type"`, `"TYPE"`, 1), []error{canon.ErrUnknownMember}},
		{"unknown member", strings.Replace(good, `"type"`, `"x":1,"type"`, 1), []error{canon.ErrUnknownMember}},
		{"two key members", strings.Replace(good, `"type"`, `"publicKeyBase58":"1","type"`, 1), nil},
		{"JWK with X", strings.Replace(good, `"publicKeyMultibase":"`+mb+`"`, `"publicKeyJwk":{"kty":"OKP","X":"AA"}`, 1), []error{ErrInvalidJWK, canon.ErrUnknownMember}},
	} {
		var vm VerificationMethod
		checkErr(t, c.name, vm.UnmarshalJSON([]byte(c.in)), append([]error{ErrInvalidDocument}, c.want...)...)
	}
}
