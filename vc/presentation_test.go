package vc

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
)

const gatewayDID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"

func (f *fixture) present(t *testing.T, nonces *Nonces, creds ...[]byte) string {
	t.Helper()
	nonce, err := nonces.New(f.now)
	if err != nil {
		t.Fatal(err)
	}
	vp, err := f.device.PresentJWT(creds, PresentationRequest{Audience: gatewayDID, Nonce: nonce, IssuedAt: f.now, Expires: f.now.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return vp
}

func TestPresentation(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	nonces := &Nonces{TTL: time.Minute}
	jwtVC := f.issue(t, FormatJWT, f.credential())
	diVC := f.issue(t, FormatDataIntegrity, f.credential())

	vp := f.present(t, nonces, jwtVC, diVC)
	got, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, nonces)
	if err != nil {
		t.Fatal(err)
	}
	if got.Holder != f.device.DID() || len(got.Credentials) != 2 {
		t.Fatalf("holder %q, %d credentials", got.Holder, len(got.Credentials))
	}
	// Replaying the same presentation fails: the nonce is single use.
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, nonces); !errors.Is(err, ErrChallenge) {
		t.Fatalf("replay: %v", err)
	}
	// Another audience.
	vp = f.present(t, nonces, jwtVC)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), "did:example:other-gateway", nonces); !errors.Is(err, ErrChallenge) {
		t.Fatalf("wrong audience: %v", err)
	}
	// A nonce the verifier never issued.
	vp, _ = f.device.PresentJWT([][]byte{jwtVC}, PresentationRequest{Audience: gatewayDID, Nonce: "made-up", Expires: f.now.Add(time.Minute)})
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, nonces); !errors.Is(err, ErrChallenge) {
		t.Fatalf("unknown nonce: %v", err)
	}
	// Expired presentation.
	vp = f.present(t, nonces, jwtVC)
	f.now = t0.Add(5 * time.Minute)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, nonces); !errors.Is(err, ErrExpired) {
		t.Fatalf("expired presentation: %v", err)
	}
	f.now = t0
}

// TestForgedCredentialInsideSignedPresentation: the holder's signature over
// a presentation says nothing about the credentials in it; a tampered
// JSON-LD credential inside a validly signed presentation must fail.
func TestForgedCredentialInsideSignedPresentation(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	nonces := &Nonces{}
	var doc map[string]any
	_ = json.Unmarshal(f.issue(t, FormatDataIntegrity, f.credential()), &doc)
	doc["credentialSubject"].(map[string]any)["roles"] = map[string]any{"command": []any{"#"}}
	forged, _ := json.Marshal(doc)
	vp := f.present(t, nonces, forged)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, nonces); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("forged embedded credential: %v", err)
	}
	// A credential with no proof at all.
	delete(doc, "proof")
	bare, _ := json.Marshal(doc)
	vp = f.present(t, nonces, bare)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, nonces); !errors.Is(err, ErrMalformed) {
		t.Fatalf("unsigned embedded credential: %v", err)
	}
}

func TestPresentationHolderMustBeSubject(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	nonces := &Nonces{}
	c := f.credential()
	c.Subject = "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG" // another device
	vp := f.present(t, nonces, f.issue(t, FormatJWT, c))
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, nonces); !errors.Is(err, ErrHolderNotSubject) {
		t.Fatalf("err = %v", err)
	}
}

func TestPresentationSignerMustBeHolder(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	nonces := &Nonces{}
	vp := f.present(t, nonces, f.issue(t, FormatJWT, f.credential()))
	thief, _ := NewIssuer(seededKey(t, did.Ed25519, 200))
	// The thief re-signs the device's presentation under its own kid while
	// keeping iss = the device.
	forged := resignJWT(t, vp, thief, func(h, _ map[string]any) { h["kid"] = thief.KeyID() })
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(forged), gatewayDID, nonces); !errors.Is(err, ErrSignerNotIssuer) {
		t.Fatalf("err = %v", err)
	}
}
