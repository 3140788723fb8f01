package main

import (
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/vc"
)

// The device credential in a bundle is checked against the issuers given
// with --issuer, at the reading's time, not today's.
func TestVerifyCredential(t *testing.T) {
	w := fixture(t)
	mfrKey, _ := did.Ed25519.GenerateKey(nil)
	mfr, err := vc.NewIssuer(mfrKey)
	if err != nil {
		t.Fatal(err)
	}
	readAt := w.plain.Readings[0].Time
	issue := func(topic string, from, until time.Time) []byte {
		jwt, err := mfr.IssueJWT(vc.DeviceCredential{
			Subject: w.plain.Readings[0].Device, Manufacturer: "Acme Sensors", Model: "TX-1", SerialNumber: "SN-1",
			FirmwareHash: canon.Sum(canon.BLAKE3, []byte("firmware 1.4.2")),
			Roles:        vc.Roles{Publish: []string{topic}},
			ValidFrom:    from, ValidUntil: until,
		})
		if err != nil {
			t.Fatal(err)
		}
		return []byte(jwt)
	}
	with := func(cred []byte) string {
		return writeFile(t, "c.evidence.json", changeBundle(t, w.plain, func(b *evidence.Bundle) { b.Credential = cred }))
	}
	valid := with(issue("coldchain/+/temp", readAt.Add(-time.Hour), readAt.Add(time.Hour)))
	other, _ := did.Ed25519.GenerateKey(nil)
	otherDID, _ := did.New(other.Public())
	for _, tc := range []struct {
		name    string
		path    string
		issuers []string
		want    string
		code    int
	}{
		{"trusted issuer", valid, []string{mfr.DID()}, "pass  credential\n", exitOK},
		{"no issuer given", valid, nil, "skip  credential: no credential verifier trusted", exitOK},
		{"untrusted issuer", valid, []string{otherDID}, "fail  credential", exitFailed},
		// Expired by the time of the audit would not matter; expired
		// before the reading does.
		{"expired before the reading", with(issue("coldchain/+/temp", readAt.Add(-2*time.Hour), readAt.Add(-time.Hour))), []string{mfr.DID()}, "fail  credential", exitFailed},
		{"no right to publish", with(issue("other/#", readAt.Add(-time.Hour), readAt.Add(time.Hour))), []string{mfr.DID()}, `fail  credential: credential does not cover the readings: reading 0: the credential grants no publishing on "coldchain/truck-7/temp"`, exitFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"verify", "--log-key", w.logKey}
			for _, iss := range tc.issuers {
				args = append(args, "--issuer", iss)
			}
			r := iotrust(t, "", append(args, tc.path)...)
			if r.code != tc.code || !strings.Contains(r.stdout, tc.want) {
				t.Fatalf("exit %d, want %d with %q", r.code, tc.code, tc.want)
			}
		})
	}
}
