package vc

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
)

func TestPresentation(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	jwtVC := f.issue(t, FormatJWT, f.credential())
	diVC := f.issue(t, FormatDataIntegrity, f.credential())

	vp := f.present(t, jwtVC, diVC)
	got, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway)
	if err != nil {
		t.Fatal(err)
	}
	if got.Holder != f.device.DID() || len(got.Credentials) != 2 {
		t.Fatalf("holder %q, %d credentials", got.Holder, len(got.Credentials))
	}
	// Replaying the same presentation fails: the challenge is spent.
	_, err = f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway)
	if !errors.Is(err, ErrChallenge) || !errors.Is(err, did.ErrChallengeUsed) {
		t.Fatalf("replay: %v, want ErrChallenge and did.ErrChallengeUsed", err)
	}
	// Another audience.
	vp = f.present(t, jwtVC)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), "did:example:other-gateway", f.gateway); !errors.Is(err, ErrChallenge) {
		t.Fatalf("wrong audience: %v", err)
	}
	// A challenge the gateway never issued.
	forged := did.Challenge{Nonce: make([]byte, did.NonceSize), Verifier: gatewayDID, Expires: f.now.Add(time.Minute)}
	vp, _ = f.device.PresentJWT([][]byte{jwtVC}, forged, f.now)
	_, err = f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway)
	if !errors.Is(err, ErrChallenge) || !errors.Is(err, did.ErrUnknownChallenge) {
		t.Fatalf("unknown nonce: %v", err)
	}
	// Expired presentation (and challenge).
	vp = f.present(t, jwtVC)
	f.now = t0.Add(5 * time.Minute)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway); !errors.Is(err, ErrExpired) {
		t.Fatalf("expired presentation: %v", err)
	}
	f.now = t0
}

// TestOneNonceStore: a challenge answered by did challenge-response cannot
// also be answered by a presentation, and the other way round — the
// Authenticator is the one store of spent nonces.
func TestOneNonceStore(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	cred := f.issue(t, FormatJWT, f.credential())

	c, _ := f.gateway.NewChallenge()
	resp, err := did.Answer(f.devKey, f.device.DID(), c, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.gateway.Verify(ctx, resp); err != nil {
		t.Fatal(err)
	}
	vp, _ := f.device.PresentJWT([][]byte{cred}, c, f.now)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway); !errors.Is(err, did.ErrChallengeUsed) {
		t.Fatalf("presentation after challenge-response: %v", err)
	}

	c, _ = f.gateway.NewChallenge()
	vp, _ = f.device.PresentJWT([][]byte{cred}, c, f.now)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway); err != nil {
		t.Fatal(err)
	}
	resp, _ = did.Answer(f.devKey, f.device.DID(), c, f.now)
	if _, err := f.gateway.Verify(ctx, resp); !errors.Is(err, did.ErrChallengeUsed) {
		t.Fatalf("challenge-response after presentation: %v", err)
	}
}

// A presentation with a bad signature or a bad credential does not spend
// the challenge only in the first case: the holder's signature is checked
// before the nonce is spent.
func TestBadSignatureKeepsChallenge(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	c, _ := f.gateway.NewChallenge()
	vp, _ := f.device.PresentJWT([][]byte{f.issue(t, FormatJWT, f.credential())}, c, f.now)
	thief, _ := NewIssuer(seededKey(t, did.Ed25519, 200))
	forged := resignJWT(t, vp, thief, func(map[string]any, map[string]any) {})
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(forged), gatewayDID, f.gateway); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("forged signature: %v", err)
	}
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway); err != nil {
		t.Fatalf("the real answer after a forged one: %v", err)
	}
}

// TestForgedCredentialInsideSignedPresentation: the holder's signature over
// a presentation says nothing about the credentials in it; a tampered
// JSON-LD credential inside a validly signed presentation must fail.
func TestForgedCredentialInsideSignedPresentation(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	var doc map[string]any
	_ = json.Unmarshal(f.issue(t, FormatDataIntegrity, f.credential()), &doc)
	doc["credentialSubject"].(map[string]any)["roles"] = map[string]any{"command": []any{"#"}}
	forged, _ := json.Marshal(doc)
	vp := f.present(t, forged)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("forged embedded credential: %v", err)
	}
	// A credential with no proof at all.
	delete(doc, "proof")
	bare, _ := json.Marshal(doc)
	vp = f.present(t, bare)
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway); !errors.Is(err, ErrMalformed) {
		t.Fatalf("unsigned embedded credential: %v", err)
	}
}

func TestPresentationHolderMustBeSubject(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	c := f.credential()
	c.Subject = "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG" // another device
	vp := f.present(t, f.issue(t, FormatJWT, c))
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, f.gateway); !errors.Is(err, ErrHolderNotSubject) {
		t.Fatalf("err = %v", err)
	}
}

func TestPresentationSignerMustBeHolder(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	vp := f.present(t, f.issue(t, FormatJWT, f.credential()))
	thief, _ := NewIssuer(seededKey(t, did.Ed25519, 200))
	// The thief re-signs the device's presentation under its own kid while
	// keeping iss = the device.
	forged := resignJWT(t, vp, thief, func(h, _ map[string]any) { h["kid"] = thief.KeyID() })
	if _, err := f.verifier.VerifyPresentation(ctx, []byte(forged), gatewayDID, f.gateway); !errors.Is(err, ErrSignerNotIssuer) {
		t.Fatalf("err = %v", err)
	}
}
