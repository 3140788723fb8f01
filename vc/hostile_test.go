package vc

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mr-tron/base58"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
)

// The hostile-input catalogue: every class of hostile input, as named
// cases with the typed errors each must produce (all of them, checked with
// errors.Is). The fuzz targets take these inputs as seeds.

// hostileTarget is what a case feeds its bytes to.
type hostileTarget int

const (
	toVerify hostileTarget = iota
	toPresentation
	toStatusCache
)

type hostileCase struct {
	name   string
	target hostileTarget
	raw    []byte
	want   []error
}

// signJWS signs header.payload (both raw JSON) with key: a token whose
// signature is valid, so that only the parser can refuse it.
func signJWS(t testing.TB, key did.PrivateKey, header, payload string) []byte {
	t.Helper()
	in := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	sig, err := key.Sign([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(in + "." + base64.RawURLEncoding.EncodeToString(sig))
}

// jwtParts returns the decoded header and payload JSON of a token.
func jwtParts(t testing.TB, tok []byte) (header, payload string) {
	t.Helper()
	p := strings.Split(string(tok), ".")
	h, err1 := base64.RawURLEncoding.DecodeString(p[0])
	b, err2 := base64.RawURLEncoding.DecodeString(p[1])
	if err1 != nil || err2 != nil {
		t.Fatal("cannot decode token")
	}
	return string(h), string(b)
}

// replaceOnce replaces the first old in s, failing the test if absent.
func replaceOnce(t testing.TB, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in %s", old, s)
	}
	return strings.Replace(s, old, new, 1)
}

// weakDIDKey returns the did:key and key ID of raw Ed25519 public key
// bytes, built by hand: did.New would (rightly) refuse to make one.
func weakDIDKey(raw []byte) (string, string) {
	id := "z" + base58.Encode(append([]byte{0xed, 0x01}, raw...))
	return "did:key:" + id, "did:key:" + id + "#" + id
}

// The Ed25519 identity point (0, 1), a point of order 8 on the curve, and
// a non-canonical encoding of the identity (y = p + 1). Under a
// small-order key, R = identity, S = 0 "verifies" any message (crypto/ed25519
// accepts it): whoever uses such a key as an issuer or holder can be
// impersonated by anyone.
var (
	identityPoint = append([]byte{1}, make([]byte, 31)...)
	order8Point   = mustHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
	nonCanonical1 = mustHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	forgedSig     = append(append([]byte{1}, make([]byte, 31)...), make([]byte, 32)...)
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// nonCanonicalB64 sets a padding bit in the last character of an
// unpadded base64url string whose length leaves unused bits: the same
// bytes under a second spelling.
func nonCanonicalB64(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[last|1])
}

// forgeJWS assembles header.payload with the small-order forgery as its
// signature.
func forgeJWS(header, payload string) []byte {
	return []byte(base64.RawURLEncoding.EncodeToString([]byte(header)) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(forgedSig))
}

func hostileCases(t testing.TB, f *fixture) []hostileCase {
	t.Helper()
	key := f.issuer.key
	c := f.credential()
	c.Claims = Claims{"vin": "WVWZZZ1JZXW000001", "maxPowerW": 11000}
	tok := f.issue(t, FormatJWT, c)
	header, payload := jwtParts(t, tok)
	resign := func(h, p string) []byte { return signJWS(t, key, h, p) }
	diRaw := f.issue(t, FormatDataIntegrity, c)
	di := string(diRaw)
	// editDI edits the signed Data Integrity credential as JSON; the
	// proof stays, and stays valid for the RDF the document expands to.
	editDI := func(edit func(doc, subject map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(diRaw, &doc); err != nil {
			t.Fatal(err)
		}
		edit(doc, doc["credentialSubject"].(map[string]any))
		b, _ := json.Marshal(doc)
		return b
	}
	vp := f.present(t, tok)
	vpHeader, vpPayload := jwtParts(t, []byte(vp))
	resignVP := func(h, p string) []byte { return signJWS(t, f.devKey, h, p) }
	list, _ := NewStatusList(MinStatusListBits)
	slTok, err := f.issuer.IssueStatusListJWT("https://status.example/1", list, t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	slHeader, slPayload := jwtParts(t, []byte(slTok))

	clique := func(n int) []any {
		var nodes []any
		for i := range n {
			var refs []any
			for j := range n {
				if j != i {
					refs = append(refs, map[string]any{"id": fmt.Sprintf("_:b%d", j)})
				}
			}
			nodes = append(nodes, map[string]any{"id": fmt.Sprintf("_:b%d", i), "name": refs})
		}
		return nodes
	}

	mal := func(extra ...error) []error { return append([]error{ErrMalformed}, extra...) }
	cases := []hostileCase{
		// 1. Strict JSON: one spelling, no unknown or duplicate members,
		// one value — in every JWT part, every DI envelope, presentations
		// and status list credentials.
		{"JWT claims: duplicate iss", toVerify, resign(header, replaceOnce(t, payload, `"iss":`, `"iss":"did:example:x","iss":`)), mal(canon.ErrDuplicateKey)},
		{"JWT claims: unknown member", toVerify, resign(header, replaceOnce(t, payload, `"iss":`, `"admin":true,"iss":`)), mal(canon.ErrUnknownMember)},
		{"JWT claims: case variant VC", toVerify, resign(header, replaceOnce(t, payload, `"vc":`, `"VC":`)), mal(canon.ErrUnknownMember)},
		{"JWT claims: fractional exp", toVerify, resign(header, replaceOnce(t, payload, `"exp":1803902400`, `"exp":1803902400.5`)), mal(canon.ErrWrongType)},
		{"JWT claims: trailing data", toVerify, resign(header, payload+` {}`), mal(canon.ErrTrailingData)},
		{"JWT claims: empty", toVerify, resign(header, " "), mal(canon.ErrEmpty)},
		{"JWT header: duplicate kid", toVerify, resign(replaceOnce(t, header, `"kid":`, `"kid":"did:example:x#1","kid":`), payload), mal(canon.ErrDuplicateKey)},
		{"JWT header: case variant Kid", toVerify, resign(replaceOnce(t, header, `"kid":`, `"Kid":`), payload), mal(canon.ErrUnknownMember)},
		{"JWT header: crit", toVerify, resign(replaceOnce(t, header, `"alg":`, `"crit":["exp"],"alg":`), payload), mal(canon.ErrUnknownMember)},
		{"JWT header: embedded jwk", toVerify, resign(replaceOnce(t, header, `"alg":`, `"jwk":{"kty":"OKP"},"alg":`), payload), mal(canon.ErrUnknownMember)},
		{"JWT vc: case variant CredentialSubject", toVerify, resign(header, replaceOnce(t, payload, `"credentialSubject":`, `"CredentialSubject":`)), mal(canon.ErrUnknownMember)},
		{"JWT subject: unknown member", toVerify, resign(header, replaceOnce(t, payload, `"model":`, `"role":"admin","model":`)), mal(canon.ErrUnknownMember)},
		{"JWT subject: case variant Model", toVerify, resign(header, replaceOnce(t, payload, `"model":`, `"Model":"TX-9","model":`)), mal(canon.ErrUnknownMember)},
		{"JWT roles: unknown action", toVerify, resign(header, replaceOnce(t, payload, `"read":`, `"admin":["#"],"read":`)), mal(canon.ErrUnknownMember)},
		{"JWT roles: duplicate publish", toVerify, resign(header, replaceOnce(t, payload, `"publish":`, `"publish":["#"],"publish":`)), mal(canon.ErrDuplicateKey)},
		{"JWT claims: a float claim", toVerify, resign(header, replaceOnce(t, payload, `"maxPowerW":11000`, `"maxPowerW":11000.5`)), []error{ErrInvalidClaims}},
		{"JWT claims: an object claim", toVerify, resign(header, replaceOnce(t, payload, `"maxPowerW":11000`, `"maxPowerW":{"w":1}`)), []error{ErrInvalidClaims}},
		{"JWT claims: duplicate claim", toVerify, resign(header, replaceOnce(t, payload, `"maxPowerW":11000`, `"maxPowerW":1,"maxPowerW":11000`)), mal(canon.ErrDuplicateKey)},
		{"JWT: line break inside base64url", toVerify, []byte(strings.Replace(string(tok), ".", ".\n", 1)), mal()},
		{"JWT: non-canonical base64url signature", toVerify, []byte(nonCanonicalB64(string(tok))), mal()},
		{"JWT: token in JSON quotes", toVerify, []byte(`"` + string(tok) + `"`), mal()},
		{"empty input", toVerify, nil, mal()},
		{"whitespace only", toVerify, []byte(" \n\t"), mal()},
		{"DI: duplicate member at the top level", toVerify, []byte(replaceOnce(t, di, `"issuer":`, `"issuer":"did:example:x","issuer":`)), mal(canon.ErrDuplicateKey)},
		{"DI: duplicate member in the subject", toVerify, []byte(replaceOnce(t, di, `"model":"TX-1"`, `"model":"TX-9","model":"TX-1"`)), mal(canon.ErrDuplicateKey)},
		{"DI: case variant Issuer", toVerify, []byte(replaceOnce(t, di, `"issuer":`, `"Issuer":"did:example:x","issuer":`)), mal(canon.ErrUnknownMember)},
		{"DI: case variant ProofPurpose", toVerify, []byte(replaceOnce(t, di, `"proofPurpose":`, `"ProofPurpose":"authentication","proofPurpose":`)), mal(canon.ErrUnknownMember)},
		{"DI: case variant VerificationMethod", toVerify, []byte(replaceOnce(t, di, `"verificationMethod":`, `"VerificationMethod":"did:example:x#1","verificationMethod":`)), mal(canon.ErrUnknownMember)},
		{"DI: case variant @Context", toVerify, []byte(replaceOnce(t, di, `"@context":`, `"@Context":[],"@context":`)), mal(canon.ErrUnknownMember)},
		{"DI: trailing data", toVerify, []byte(di + ` {}`), mal(canon.ErrTrailingData)},
		{"DI: truncated", toVerify, []byte(di[:len(di)/2]), mal(canon.ErrSyntax)},
		{"DI: nested too deep", toVerify, []byte(replaceOnce(t, di, `"model":"TX-1"`, `"description":`+strings.Repeat(`{"name":`, 40)+`"x"`+strings.Repeat(`}`, 40)+`,"model":"TX-1"`)), mal(canon.ErrTooDeep)},
		{"VP: unknown member in vp", toPresentation, resignVP(vpHeader, replaceOnce(t, vpPayload, `"holder":`, `"admin":true,"holder":`)), mal(canon.ErrUnknownMember)},
		{"VP: duplicate nonce", toPresentation, resignVP(vpHeader, replaceOnce(t, vpPayload, `"nonce":`, `"nonce":"AAAA","nonce":`)), mal(canon.ErrDuplicateKey)},
		{"VP: case variant Nonce", toPresentation, resignVP(vpHeader, replaceOnce(t, vpPayload, `"nonce":`, `"Nonce":`)), mal(canon.ErrUnknownMember)},
		{"VP: trailing data", toPresentation, resignVP(vpHeader, vpPayload+`x`), mal(canon.ErrTrailingData)},
		{"VP: empty", toPresentation, nil, mal()},
		{"VP: nonce not base64url", toPresentation, resignVP(vpHeader, replaceOnce(t, vpPayload, `"nonce":"`, `"nonce":"*`)), []error{ErrChallenge}},
		{"status list: unknown member in subject", toStatusCache, signJWS(t, key, slHeader, replaceOnce(t, slPayload, `"encodedList":`, `"statusSize":1,"encodedList":`)), mal(canon.ErrUnknownMember)},
		{"status list: duplicate encodedList", toStatusCache, signJWS(t, key, slHeader, replaceOnce(t, slPayload, `"encodedList":`, `"encodedList":"u","encodedList":`)), mal(canon.ErrDuplicateKey)},

		// 2. Unbounded work: canonicalization is bounded.
		{"DI: poison graph (8-clique of blank nodes)", toVerify, editDI(func(_, s map[string]any) { s["name"] = clique(8) }), []error{ErrTooComplex}},
		{"DI: poison graph (16-clique of blank nodes)", toVerify, editDI(func(_, s map[string]any) { s["name"] = clique(16) }), []error{ErrTooComplex}},
		{"DI: too many values", toVerify, editDI(func(_, s map[string]any) {
			many := make([]any, 3000)
			for i := range many {
				many[i] = i
			}
			s["name"] = many
		}), []error{ErrTooComplex}},
		{"DI: oversized", toVerify, editDI(func(_, s map[string]any) { s["name"] = strings.Repeat("x", MaxCredentialSize) }), mal()},

		// 3. Unsigned data rides along: a signed credential with members
		// its contexts do not define (JSON-LD drops them before signing,
		// so the signature still verifies) is refused.
		{"DI: undefined term at the top level", toVerify, editDI(func(d, _ map[string]any) { d["admin"] = true }), []error{ErrUndefinedTerm}},
		{"DI: undefined term inside credentialSubject", toVerify, editDI(func(_, s map[string]any) { s["maxPower"] = 50000 }), []error{ErrUndefinedTerm}},
		{"DI: undefined term deeply nested", toVerify, editDI(func(_, s map[string]any) {
			s["description"] = map[string]any{"name": map[string]any{"name": map[string]any{"grant": "#"}}}
		}), []error{ErrUndefinedTerm}},
		{"DI: undefined term in roles", toVerify, editDI(func(_, s map[string]any) { s["roles"].(map[string]any)["admin"] = []any{"#"} }), []error{ErrUndefinedTerm}},
		{"DI: undefined term in the proof", toVerify, editDI(func(d, _ map[string]any) { d["proof"].(map[string]any)["grant"] = "#" }), mal(canon.ErrUnknownMember)},
		{"DI: undefined type", toVerify, editDI(func(d, _ map[string]any) {
			d["type"] = []any{TypeVerifiableCredential, TypeDeviceCredential, "AdminCredential"}
		}), []error{ErrUndefinedTerm}},
		{"DI: keyword-shaped member", toVerify, editDI(func(_, s map[string]any) { s["@grant"] = "#" }), []error{ErrUndefinedTerm}},
		// A number under an empty member name made the JSON-LD library
		// panic (found by fuzzing).
		{"DI: empty member name", toVerify, editDI(func(_, s map[string]any) { s[""] = 0 }), []error{ErrUndefinedTerm}},
		{"DI: blank node property", toVerify, editDI(func(_, s map[string]any) { s["_:grant"] = "#" }), []error{ErrUndefinedTerm}},
		{"DI: null member", toVerify, editDI(func(_, s map[string]any) { s["description"] = nil }), []error{ErrUndefinedTerm}},
		{"DI: repeated role", toVerify, editDI(func(_, s map[string]any) {
			r := s["roles"].(map[string]any)
			r["read"] = append(r["read"].([]any), r["read"].([]any)...)
		}), []error{ErrUndefinedTerm}},
		{"DI: nested @context", toVerify, editDI(func(_, s map[string]any) { s["@context"] = map[string]any{"@vocab": "https://evil.example/#"} }), mal()},
	}

	// 4. Keys: an issuer or holder whose did:key holds a small-order or
	// non-canonical Ed25519 point is refused by package did's key parsing
	// before anything is trusted. The forged signature (R = identity,
	// S = 0) is valid under every small-order key, so without that check
	// these credentials and presentations would verify.
	for _, weak := range []struct {
		name string
		raw  []byte
	}{{"identity point", identityPoint}, {"order-8 point", order8Point}, {"non-canonical identity", nonCanonical1}} {
		weakDID, weakKID := weakDIDKey(weak.raw)
		h := replaceOnce(t, header, f.issuer.KeyID(), weakKID)
		p := strings.ReplaceAll(payload, f.issuer.DID(), weakDID)
		cases = append(cases, hostileCase{"keys: " + weak.name + " did:key as JWT issuer", toVerify, forgeJWS(h, p), []error{ErrKeyResolution, did.ErrInvalidKey}})

		var doc map[string]any
		_ = json.Unmarshal(diRaw, &doc)
		doc["issuer"] = weakDID
		pr := doc["proof"].(map[string]any)
		pr["verificationMethod"] = weakKID
		pr["proofValue"] = "z" + base58.Encode(forgedSig)
		b, _ := json.Marshal(doc)
		cases = append(cases, hostileCase{"keys: " + weak.name + " did:key as Data Integrity issuer", toVerify, b, []error{ErrKeyResolution, did.ErrInvalidKey}})

		// The real issuer vouches for a device whose key is weak; anyone
		// could then present as that device.
		dc := f.credential()
		dc.Subject = weakDID
		cred := f.issue(t, FormatJWT, dc)
		vh := replaceOnce(t, vpHeader, f.device.keyID, weakKID)
		vpBody := strings.ReplaceAll(vpPayload, f.device.DID(), weakDID)
		vpBody = replaceOnce(t, vpBody, string(tok), string(cred))
		fresh, err := f.gateway.NewChallenge() // each forgery its own live challenge
		if err != nil {
			t.Fatal(err)
		}
		var vpClaims struct {
			Nonce string `json:"nonce"`
		}
		_ = json.Unmarshal([]byte(vpPayload), &vpClaims)
		vpBody = replaceOnce(t, vpBody, vpClaims.Nonce, base64.RawURLEncoding.EncodeToString(fresh.Nonce))
		cases = append(cases, hostileCase{"keys: " + weak.name + " did:key as holder", toPresentation, forgeJWS(vh, vpBody), []error{ErrKeyResolution, did.ErrInvalidKey}})
	}
	return cases
}

// runHostile feeds each case to its target, the key cases (named
// "keys: ...") only when keys is true, and checks the errors.
func runHostile(t *testing.T, keys bool) {
	f := newFixture(t, did.Ed25519)
	cases := hostileCases(t, f)
	// The verifier trusts the weak DIDs too: trust must not be what stops
	// the key cases.
	trusted := []string{f.issuer.DID()}
	for _, raw := range [][]byte{identityPoint, order8Point, nonCanonical1} {
		d, _ := weakDIDKey(raw)
		trusted = append(trusted, d)
	}
	v := NewVerifier(VerifierConfig{TrustedIssuers: trusted, Now: func() time.Time { return f.now }, ClockSkew: time.Minute, Status: f.status})
	names := map[string]bool{}
	n := 0
	for _, tc := range cases {
		if names[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		names[tc.name] = true
		if strings.HasPrefix(tc.name, "keys: ") != keys {
			continue
		}
		n++
		t.Run(tc.name, func(t *testing.T) {
			var err error
			switch tc.target {
			case toVerify:
				_, err = v.Verify(ctx, tc.raw)
			case toPresentation:
				_, err = v.VerifyPresentation(ctx, tc.raw, gatewayDID, f.gateway)
			case toStatusCache:
				err = f.status.Add(ctx, v, tc.raw)
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range tc.want {
				if !errors.Is(err, want) {
					t.Fatalf("err = %v\nwant errors.Is(err, %v) for all of %v", err, want, tc.want)
				}
			}
			if errors.Is(err, ErrInternal) {
				t.Fatalf("library panic reached: %v", err)
			}
		})
	}
	t.Logf("%d hostile cases", n)
}

// TestHostileCatalogue runs the hostile cases of classes 1–3: strict JSON,
// bounded work, unsigned data.
func TestHostileCatalogue(t *testing.T) { runHostile(t, false) }

// TestHostileKeys runs the key cases: an issuer or holder did:key holding
// a small-order or non-canonical Ed25519 point must be refused with an
// error wrapping did.ErrInvalidKey. Package vc gets every key through
// did.KeyResolver and has no key check of its own; the refusal comes from
// did's key parsing (the did part of issue 10). Until that lands these
// cases FAIL — "accepted": the forged signature verifies under such keys.
// They are not skipped on purpose.
func TestHostileKeys(t *testing.T) { runHostile(t, true) }

// TestHostileBaseline: the unedited inputs the hostile cases start from
// verify, so each case fails for its own edit and nothing else.
func TestHostileBaseline(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	c := f.credential()
	c.Claims = Claims{"vin": "WVWZZZ1JZXW000001", "maxPowerW": 11000}
	for _, format := range []Format{FormatJWT, FormatDataIntegrity} {
		raw := f.issue(t, format, c)
		if _, err := f.verifier.Verify(ctx, raw); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
	}
	// A member the contexts define but this package does not read is
	// signed, so it is accepted (and ignored).
	var doc map[string]any
	_ = json.Unmarshal(f.issue(t, FormatDataIntegrity, c), &doc)
	delete(doc, "proof")
	doc["credentialSubject"].(map[string]any)["name"] = "Wallbox of car 7"
	b, err := f.issuer.signDataIntegrity(doc, "assertionMethod", t0, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifier.Verify(ctx, b); err != nil {
		t.Fatalf("defined, unread member: %v", err)
	}
	// The same member added after signing breaks the signature.
	_ = json.Unmarshal(f.issue(t, FormatDataIntegrity, c), &doc)
	doc["credentialSubject"].(map[string]any)["name"] = "x"
	b, _ = json.Marshal(doc)
	if _, err := f.verifier.Verify(ctx, b); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("defined member added after signing: %v", err)
	}
	// The issuer refuses to sign what it could not sign faithfully.
	_ = json.Unmarshal(f.issue(t, FormatDataIntegrity, c), &doc)
	delete(doc, "proof")
	doc["credentialSubject"].(map[string]any)["maxPower"] = 1
	if _, err := f.issuer.signDataIntegrity(doc, "assertionMethod", t0, "", ""); !errors.Is(err, ErrUndefinedTerm) {
		t.Fatalf("signing an undefined term: %v", err)
	}
}

// BenchmarkPoisonCredential measures how fast a 2 KB poison-graph
// credential (an 8-clique of blank nodes; seconds of work for an unbounded
// canonicalizer) is refused with ErrTooComplex.
func BenchmarkPoisonCredential(b *testing.B) {
	f := newFixture(b, did.Ed25519)
	var raw []byte
	for _, tc := range hostileCases(b, f) {
		if tc.name == "DI: poison graph (8-clique of blank nodes)" {
			raw = tc.raw
		}
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrTooComplex) {
			b.Fatal(err)
		}
	}
}
