package vc

import (
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type fixture struct {
	issuer   *Issuer
	device   *Holder
	devKey   did.PrivateKey
	verifier *Verifier
	status   *StatusCache
	gateway  *did.Authenticator // the one nonce store: challenges for presentations
	now      time.Time
}

const gatewayDID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"

func seededKey(t testing.TB, s did.Scheme, b byte) did.PrivateKey {
	t.Helper()
	seed := make([]byte, s.SeedSize())
	for i := range seed {
		seed[i] = b + byte(i)
	}
	k, err := s.DeriveKey(seed)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newFixture(t testing.TB, issuerScheme did.Scheme) *fixture {
	t.Helper()
	is, err := NewIssuer(seededKey(t, issuerScheme, 1))
	if err != nil {
		t.Fatal(err)
	}
	devKey := seededKey(t, did.Ed25519, 100)
	h, err := NewHolder(devKey)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{issuer: is, device: h, devKey: devKey, status: &StatusCache{MaxAge: time.Hour}, now: t0}
	f.verifier = NewVerifier(VerifierConfig{
		TrustedIssuers: []string{is.DID()},
		Now:            func() time.Time { return f.now },
		ClockSkew:      time.Minute,
		Status:         f.status,
	})
	if f.gateway, err = did.NewAuthenticator(did.AuthConfig{Verifier: gatewayDID, Now: func() time.Time { return f.now }}); err != nil {
		t.Fatal(err)
	}
	return f
}

// present answers a fresh gateway challenge with a presentation of creds.
func (f *fixture) present(t testing.TB, creds ...[]byte) string {
	t.Helper()
	c, err := f.gateway.NewChallenge()
	if err != nil {
		t.Fatal(err)
	}
	vp, err := f.device.PresentJWT(creds, c, f.now)
	if err != nil {
		t.Fatal(err)
	}
	return vp
}

func (f *fixture) credential() DeviceCredential {
	return DeviceCredential{
		ID:           "urn:uuid:3f1d9a62-7a4e-4c8e-9d7e-2b1f5c0e8a11",
		Subject:      f.device.DID(),
		Manufacturer: "Acme Sensors",
		Model:        "TX-1",
		SerialNumber: "SN-000123",
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("firmware image 1.4.2")),
		Roles: Roles{
			Publish: []string{"sensors/+/temperature", "fleet/acme/#"},
			Read:    []string{"config/TX-1"},
			Command: []string{"actuators/valve/+"},
		},
		ValidFrom:  t0.Add(-24 * time.Hour),
		ValidUntil: t0.Add(365 * 24 * time.Hour),
	}
}
