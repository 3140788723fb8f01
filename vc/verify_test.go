package vc

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc/ldcontext"
)

var ctx = context.Background()

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scheme did.Scheme
		format Format
	}{
		{"JWT EdDSA", did.Ed25519, FormatJWT},
		{"JWT ES256", did.P256, FormatJWT},
		{"Data Integrity", did.Ed25519, FormatDataIntegrity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.scheme)
			want := f.credential()
			raw := f.issue(t, tc.format, want)
			got, err := f.verifier.Verify(ctx, raw)
			if err != nil {
				t.Fatal(err)
			}
			want.Issuer = f.issuer.DID()
			if !reflect.DeepEqual(got.DeviceCredential, want) {
				t.Fatalf("verified claims differ\n got %+v\nwant %+v", got.DeviceCredential, want)
			}
			if got.Format != tc.format || got.KeyID != f.issuer.KeyID() {
				t.Fatalf("format %q key %q", got.Format, got.KeyID)
			}
		})
	}
}

func (f *fixture) issue(t testing.TB, format Format, c DeviceCredential) []byte {
	t.Helper()
	if format == FormatJWT {
		s, err := f.issuer.IssueJWT(c)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(s)
	}
	b, err := f.issuer.IssueDataIntegrity(c, t0)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rewriteJWT decodes a JWT's payload, lets edit change it, and reassembles
// the token with the original header and signature.
func rewriteJWT(t testing.TB, tok string, edit func(header, payload map[string]any)) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	var h, p map[string]any
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	pb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if json.Unmarshal(hb, &h) != nil || json.Unmarshal(pb, &p) != nil {
		t.Fatal("cannot decode JWT")
	}
	edit(h, p)
	hb, _ = json.Marshal(h)
	pb, _ = json.Marshal(p)
	return base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(pb) + "." + parts[2]
}

func TestTamperedClaimsRejected(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	tok := string(f.issue(t, FormatJWT, f.credential()))
	forged := rewriteJWT(t, tok, func(_, p map[string]any) {
		p["vc"].(map[string]any)["credentialSubject"].(map[string]any)["roles"] = map[string]any{"command": []any{"#"}}
	})
	if _, err := f.verifier.Verify(ctx, []byte(forged)); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("tampered JWT: %v", err)
	}

	var doc map[string]any
	_ = json.Unmarshal(f.issue(t, FormatDataIntegrity, f.credential()), &doc)
	doc["credentialSubject"].(map[string]any)["model"] = "TX-2"
	b, _ := json.Marshal(doc)
	if _, err := f.verifier.Verify(ctx, b); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("tampered Data Integrity: %v", err)
	}
}

// TestSignerMustBeIssuer covers the gap vc-go leaves for Data Integrity
// and that aries accepted for JWT: a credential naming issuer X, validly
// signed by a key of Y.
func TestSignerMustBeIssuer(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	attacker, _ := NewIssuer(seededKey(t, did.Ed25519, 50))

	// JWT: attacker signs with its own kid but claims the trusted issuer.
	c := f.credential()
	tok, err := attacker.IssueJWT(c)
	if err != nil {
		t.Fatal(err)
	}
	// Re-sign a payload whose iss/vc.issuer name the victim.
	forged := resignJWT(t, tok, attacker, func(_, p map[string]any) {
		p["iss"] = f.issuer.DID()
		p["vc"].(map[string]any)["issuer"] = f.issuer.DID()
	})
	if _, err := f.verifier.Verify(ctx, []byte(forged)); !errors.Is(err, ErrSignerNotIssuer) {
		t.Fatalf("JWT signed by another key: %v", err)
	}
	// kid naming the victim's key, signature by the attacker: bad signature.
	forged = resignJWT(t, tok, attacker, func(h, p map[string]any) {
		h["kid"] = f.issuer.KeyID()
		p["iss"] = f.issuer.DID()
		p["vc"].(map[string]any)["issuer"] = f.issuer.DID()
	})
	if _, err := f.verifier.Verify(ctx, []byte(forged)); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("JWT with victim kid: %v", err)
	}

	// Data Integrity: attacker's proof over a document naming the victim.
	doc := map[string]any{
		"@context":          []any{ldcontext.CredentialsV2, ldcontext.DeviceV1},
		"type":              []any{TypeVerifiableCredential, TypeDeviceCredential},
		"issuer":            f.issuer.DID(),
		"validFrom":         c.ValidFrom.Format(time.RFC3339),
		"validUntil":        c.ValidUntil.Format(time.RFC3339),
		"credentialSubject": c.subjectJSON(),
	}
	b, err := attacker.signDataIntegrity(doc, "assertionMethod", t0, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifier.Verify(ctx, b); !errors.Is(err, ErrSignerNotIssuer) {
		t.Fatalf("Data Integrity signed by another key: %v", err)
	}
}

// resignJWT edits a JWT and signs it again with is's key.
func resignJWT(t testing.TB, tok string, is *Issuer, edit func(h, p map[string]any)) string {
	t.Helper()
	unsigned := rewriteJWT(t, tok, edit)
	parts := strings.Split(unsigned, ".")
	sig, err := is.key.Sign([]byte(parts[0] + "." + parts[1]))
	if err != nil {
		t.Fatal(err)
	}
	return parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestBadInputTypedErrors(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	tok := string(f.issue(t, FormatJWT, f.credential()))
	cases := map[string]struct {
		raw  string
		want error
	}{
		"empty":        {"", ErrMalformed},
		"garbage":      {"not a credential", ErrMalformed},
		"two parts":    {"a.b", ErrMalformed},
		"no signature": {tok[:strings.LastIndex(tok, ".")+1], ErrMalformed},
		"alg none":     {rewriteJWT(t, tok, func(h, _ map[string]any) { h["alg"] = "none" }), ErrUnsupportedAlgorithm},
		"alg HS256":    {rewriteJWT(t, tok, func(h, _ map[string]any) { h["alg"] = "HS256" }), ErrUnsupportedAlgorithm},
		"kid without #": {resignJWT(t, tok, f.issuer, func(h, _ map[string]any) {
			h["kid"] = f.issuer.DID()
		}), ErrKeyID},
		"no kid": {rewriteJWT(t, tok, func(h, _ map[string]any) { delete(h, "kid") }), ErrKeyID},
		// vc-go writes into a nil map for this payload; it must not get there.
		"payload without vc":       {resignJWT(t, tok, f.issuer, func(_, p map[string]any) { delete(p, "vc") }), ErrMalformed},
		"ES256 alg on Ed25519 key": {resignJWT(t, tok, f.issuer, func(h, _ map[string]any) { h["alg"] = "ES256" }), ErrUnsupportedAlgorithm},
		"kid of unknown DID method": {resignJWT(t, tok, f.issuer, func(h, p map[string]any) {
			h["kid"] = "did:web:example.com#key-1"
			p["iss"] = "did:web:example.com"
			delete(p["vc"].(map[string]any), "issuer")
		}), ErrKeyResolution},
		"bad firmware hash": {resignJWT(t, tok, f.issuer, func(_, p map[string]any) {
			p["vc"].(map[string]any)["credentialSubject"].(map[string]any)["firmwareHash"] = "md5:00"
		}), ErrInvalidClaims},
		"bad topic pattern": {resignJWT(t, tok, f.issuer, func(_, p map[string]any) {
			p["vc"].(map[string]any)["credentialSubject"].(map[string]any)["roles"] = map[string]any{"publish": []any{"a/#/b"}}
		}), ErrInvalidClaims},
		"not a device credential": {resignJWT(t, tok, f.issuer, func(_, p map[string]any) {
			p["vc"].(map[string]any)["type"] = []any{"VerifiableCredential"}
		}), ErrMalformed},
		"sub differs from subject": {resignJWT(t, tok, f.issuer, func(_, p map[string]any) {
			p["sub"] = "did:example:other"
		}), ErrMalformed},
		"oversized": {strings.Repeat("a", MaxCredentialSize+1), ErrMalformed},
	}
	for name, c := range cases {
		_, err := f.verifier.Verify(ctx, []byte(c.raw))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
}

func TestDataIntegrityChecks(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	c := f.credential()
	base := func() map[string]any {
		return map[string]any{
			"@context":          []any{ldcontext.CredentialsV2, ldcontext.DeviceV1},
			"type":              []any{TypeVerifiableCredential, TypeDeviceCredential},
			"issuer":            f.issuer.DID(),
			"validFrom":         c.ValidFrom.Format(time.RFC3339),
			"validUntil":        c.ValidUntil.Format(time.RFC3339),
			"credentialSubject": c.subjectJSON(),
		}
	}
	sign := func(doc map[string]any, purpose string) []byte {
		b, err := f.issuer.signDataIntegrity(doc, purpose, t0, "", "")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, err := f.verifier.Verify(ctx, sign(base(), "assertionMethod")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifier.Verify(ctx, sign(base(), "authentication")); !errors.Is(err, ErrProofPurpose) {
		t.Fatalf("authentication purpose: %v", err)
	}
	doc := base()
	doc["@context"] = []any{ldcontext.CredentialsV2, ldcontext.DeviceV1, "https://evil.example/v1"}
	raw, _ := json.Marshal(doc)
	// Unsigned is enough: the context is refused before any processing.
	if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrUnknownContext) {
		t.Fatalf("unknown context: %v", err)
	}
	doc = base()
	doc["@context"] = []any{ldcontext.CredentialsV2}
	// Without the device context the device terms are undefined: the
	// issuer refuses to sign them, and a verifier refuses the context list
	// before any processing.
	if _, err := f.issuer.signDataIntegrity(doc, "assertionMethod", t0, "", ""); !errors.Is(err, ErrUndefinedTerm) {
		t.Fatalf("signing without the device context: %v", err)
	}
	raw, _ = json.Marshal(map[string]any{"@context": []any{ldcontext.CredentialsV2}, "proof": map[string]any{}})
	if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrMalformed) {
		t.Fatalf("missing device context: %v", err)
	}
	// A proof array (several proofs) is not accepted.
	var signed map[string]any
	_ = json.Unmarshal(sign(base(), "assertionMethod"), &signed)
	signed["proof"] = []any{signed["proof"]}
	raw, _ = json.Marshal(signed)
	if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrMalformed) {
		t.Fatalf("proof set: %v", err)
	}
	// P-256 issuers cannot make eddsa-rdfc-2022 proofs.
	p256, _ := NewIssuer(seededKey(t, did.P256, 9))
	if _, err := p256.IssueDataIntegrity(c, t0); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Fatalf("P-256 Data Integrity: %v", err)
	}
}

func TestValidityWindow(t *testing.T) {
	for _, format := range []Format{FormatJWT, FormatDataIntegrity} {
		f := newFixture(t, did.Ed25519)
		c := f.credential()
		raw := f.issue(t, format, c)
		for _, tc := range []struct {
			now  time.Time
			want error
		}{
			{c.ValidFrom.Add(-2 * time.Minute), ErrNotYetValid},
			{c.ValidFrom.Add(-30 * time.Second), nil}, // within the one-minute skew
			{c.ValidUntil.Add(30 * time.Second), nil},
			{c.ValidUntil.Add(2 * time.Minute), ErrExpired},
		} {
			f.now = tc.now
			_, err := f.verifier.Verify(ctx, raw)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("%s at %v: err = %v, want %v", format, tc.now, err, tc.want)
			}
		}
	}
}

func TestUntrustedIssuer(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	other, _ := NewIssuer(seededKey(t, did.Ed25519, 77))
	tok, err := other.IssueJWT(f.credential())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifier.Verify(ctx, []byte(tok)); !errors.Is(err, ErrUntrustedIssuer) {
		t.Fatalf("err = %v", err)
	}
	empty := NewVerifier(VerifierConfig{Now: func() time.Time { return t0 }})
	if _, err := empty.Verify(ctx, f.issue(t, FormatJWT, f.credential())); !errors.Is(err, ErrUntrustedIssuer) {
		t.Fatalf("empty trust list: %v", err)
	}
}

func TestKeyStatusHook(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	rotated := errors.New("rotated out at t0-1h")
	v := NewVerifier(VerifierConfig{
		TrustedIssuers: []string{f.issuer.DID()},
		Now:            func() time.Time { return t0 },
		KeyStatus: func(_ context.Context, d string, k did.PublicKey, _ time.Time) error {
			if d == f.issuer.DID() && k.Equal(f.issuer.key.Public()) {
				return rotated
			}
			return nil
		},
	})
	_, err := v.Verify(ctx, f.issue(t, FormatJWT, f.credential()))
	if !errors.Is(err, ErrKeyNotCurrent) || !errors.Is(err, rotated) {
		t.Fatalf("err = %v", err)
	}
}
