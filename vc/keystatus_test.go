package vc

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
)

// A device's presentation is accepted while its key is the one the did
// Registry holds, and refused once the manufacturer rotates it out or
// revokes it — with the registry on disk, as a gateway runs it.
func TestRegistryKeyStatus(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	manufacturer := seededKey(t, did.Ed25519, 1) // the issuer's key controls the device identity
	reg, err := did.OpenRegistry(ctx, filepath.Join(t.TempDir(), "registry.log"), did.RegistryOptions{Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	// A did:key is registered only by itself; the device then hands
	// control to its manufacturer.
	if _, err := reg.Register(ctx, f.devKey, f.device.DID(), f.device.DID(), f.devKey.Public(), t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Transfer(ctx, f.devKey, f.device.DID(), f.issuer.DID(), t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	verifier := NewVerifier(VerifierConfig{
		TrustedIssuers: []string{f.issuer.DID()},
		Now:            func() time.Time { return f.now },
		KeyStatus:      RegistryKeyStatus(reg, true),
	})
	cred := f.issue(t, FormatJWT, f.credential())

	if _, err := verifier.VerifyPresentation(ctx, []byte(f.present(t, cred)), gatewayDID, f.gateway); err != nil {
		t.Fatalf("registered device: %v", err)
	}

	// The manufacturer rotates the device to a new key: presentations
	// signed with the old one are refused from then on.
	newKey := seededKey(t, did.Ed25519, 200)
	if _, err := reg.Rotate(ctx, manufacturer, f.device.DID(), newKey.Public(), t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	f.now = t0.Add(2 * time.Second)
	_, err = verifier.VerifyPresentation(ctx, []byte(f.present(t, cred)), gatewayDID, f.gateway)
	if !errors.Is(err, ErrKeyNotCurrent) || !errors.Is(err, did.ErrKeyRotated) {
		t.Fatalf("rotated-out key: %v, want ErrKeyNotCurrent and did.ErrKeyRotated", err)
	}

	// Revoking the current key refuses it too.
	if _, err := reg.Revoke(ctx, manufacturer, f.device.DID(), newKey.Public(), t0.Add(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	f.now = t0.Add(4 * time.Second)
	status := RegistryKeyStatus(reg, true)
	if err := status(ctx, f.device.DID(), newKey.Public(), f.now); !errors.Is(err, did.ErrKeyRevoked) {
		t.Fatalf("revoked key: %v, want did.ErrKeyRevoked", err)
	}

	// Unregistered DIDs: accepted on their own key, or refused when the
	// fleet requires registration.
	stranger := seededKey(t, did.Ed25519, 150)
	strangerDID, _ := did.New(stranger.Public())
	if err := status(ctx, strangerDID, stranger.Public(), f.now); err != nil {
		t.Fatalf("unregistered DID with allowUnregistered: %v", err)
	}
	if err := RegistryKeyStatus(reg, false)(ctx, strangerDID, stranger.Public(), f.now); !errors.Is(err, did.ErrNotRegistered) {
		t.Fatalf("unregistered DID, registration required: %v", err)
	}
}
