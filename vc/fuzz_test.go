package vc

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
)

// The fuzz targets feed hostile bytes to every decoder of untrusted input
// in this package, seeded with valid inputs and the whole hostile
// catalogue. Besides not panicking, no input may reach a library panic
// that the boundary recovers (ErrInternal), and every refusal must carry
// one of this package's sentinels.

var sentinels = []error{
	ErrMalformed, ErrUndefinedTerm, ErrTooComplex, ErrInvalidClaims, ErrUnsupportedAlgorithm, ErrKeyID,
	ErrSignerNotIssuer, ErrBadSignature, ErrKeyResolution, ErrProofPurpose, ErrNotYetValid, ErrExpired,
	ErrUntrustedIssuer, ErrRevoked, ErrStatusUnavailable, ErrStaleStatus, ErrKeyNotCurrent, ErrChallenge,
	ErrHolderNotSubject, ErrUnknownContext,
}

func checkTyped(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if errors.Is(err, ErrInternal) {
		t.Fatalf("library panic reached: %v", err)
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("untyped error: %v", err)
}

func addHostile(f *testing.F, fx *fixture, target hostileTarget) {
	for _, tc := range hostileCases(f, fx) {
		if tc.target == target {
			f.Add(tc.raw)
		}
	}
}

func FuzzVerifyCredential(f *testing.F) {
	fx := newFixture(f, did.Ed25519)
	c := fx.credential()
	c.Claims = carClaims()
	f.Add(fx.issue(f, FormatJWT, c))
	f.Add(fx.issue(f, FormatDataIntegrity, c))
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://iotrust.dev/contexts/device/v1"],"proof":{}}`))
	f.Add([]byte(`eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDprZXk6eiN6In0.e30.AA`))
	addHostile(f, fx, toVerify)
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, err := fx.verifier.Verify(ctx, raw)
		checkTyped(t, err)
	})
}

func FuzzVerifyPresentation(f *testing.F) {
	fx := newFixture(f, did.Ed25519)
	f.Add([]byte(fx.present(f, fx.issue(f, FormatJWT, fx.credential()), fx.issue(f, FormatDataIntegrity, fx.credential()))))
	f.Add([]byte("a.b.c"))
	addHostile(f, fx, toPresentation)
	f.Fuzz(func(t *testing.T, raw []byte) {
		empty, err := did.NewAuthenticator(did.AuthConfig{Verifier: gatewayDID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = fx.verifier.VerifyPresentation(ctx, raw, gatewayDID, empty)
		if err == nil {
			t.Fatal("presentation verified against an empty nonce store")
		}
		checkTyped(t, err)
	})
}

func FuzzStatusListCredential(f *testing.F) {
	fx := newFixture(f, did.Ed25519)
	list, _ := NewStatusList(MinStatusListBits)
	_ = list.Set(3, true)
	tok, err := fx.issuer.IssueStatusListJWT("https://status.example/1", list, t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(tok))
	addHostile(f, fx, toStatusCache)
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkTyped(t, (&StatusCache{}).Add(ctx, fx.verifier, raw))
	})
}

func FuzzDecodeStatusList(f *testing.F) {
	l, _ := NewStatusList(MinStatusListBits)
	_ = l.Set(5, true)
	f.Add(l.Encode())
	f.Add("u")
	f.Add("uH4sIAAAAAAAA_wEAAP__AAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := DecodeStatusList(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if d.Len() < MinStatusListBits || d.Len() > MaxStatusListBits {
			t.Fatalf("decoded %d bits", d.Len())
		}
		// Re-encoding round-trips the bits.
		e, err := DecodeStatusList(d.Encode())
		if err != nil || string(e.bits) != string(d.bits) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzClaims: whatever Claims decodes is valid and survives a round trip
// unchanged.
func FuzzClaims(f *testing.F) {
	b, _ := json.Marshal(carClaims())
	f.Add(b)
	for _, s := range []string{`{}`, `{"p":1e3}`, `{"p":1,"p":2}`, `{"P":1,"p":2}`, `{"p":9007199254740992}`, `{"p":-0}`, `{"a":"\u0000"}`, `{"a":true} x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var c Claims
		if err := c.UnmarshalJSON(raw); err != nil {
			return
		}
		if err := c.validate(); err != nil {
			t.Fatalf("decoded invalid claims: %v", err)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var again Claims
		if err := again.UnmarshalJSON(out); err != nil || len(again) != len(c) {
			t.Fatalf("round trip: %v", err)
		}
		for k, v := range c {
			if again[k] != v {
				t.Fatalf("claim %q: %v then %v", k, v, again[k])
			}
		}
	})
}
