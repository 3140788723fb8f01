package vc

import (
	"errors"
	"testing"

	"github.com/iotrust/iotrust/did"
)

// The fuzz targets feed hostile bytes to every parser of untrusted input.
// Besides not panicking, no input may reach a library panic that the
// boundary recovers (ErrInternal), and nothing but the seeds' own valid
// credentials may verify.

func FuzzVerifyCredential(f *testing.F) {
	fx := newFixture(f, did.Ed25519)
	jwtVC := fx.issue(f, FormatJWT, fx.credential())
	diVC := fx.issue(f, FormatDataIntegrity, fx.credential())
	f.Add(jwtVC)
	f.Add(diVC)
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://iotrust.dev/contexts/device/v1"],"proof":{}}`))
	f.Add([]byte(`eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDprZXk6eiN6In0.e30.AA`))
	f.Add([]byte(`"a.b.c"`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, err := fx.verifier.Verify(ctx, raw)
		if errors.Is(err, ErrInternal) {
			t.Fatalf("library panic reached: %v", err)
		}
	})
}

func FuzzVerifyPresentation(f *testing.F) {
	fx := newFixture(f, did.Ed25519)
	vp := fx.present(f, fx.issue(f, FormatJWT, fx.credential()), fx.issue(f, FormatDataIntegrity, fx.credential()))
	f.Add([]byte(vp))
	f.Add([]byte("a.b.c"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		empty, _ := did.NewAuthenticator(did.AuthConfig{Verifier: gatewayDID})
		_, err := fx.verifier.VerifyPresentation(ctx, raw, gatewayDID, empty)
		if err == nil {
			t.Fatal("presentation verified against an empty nonce store")
		}
		if errors.Is(err, ErrInternal) {
			t.Fatalf("library panic reached: %v", err)
		}
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
