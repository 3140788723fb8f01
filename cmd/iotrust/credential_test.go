package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
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
		// A bundle whose credential was removed passes with the check
		// skipped, unless a credential is required.
		{"no credential", w.plainPath, []string{mfr.DID()}, "skip  credential: the bundle has no credential", exitOK},
		{"no credential, one required", w.plainPath, []string{mfr.DID(), "+require"}, "fail  credential: evidence: device credential required: the bundle has none", exitFailed},
		{"credential required and present", valid, []string{mfr.DID(), "+require"}, "pass  credential\n", exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"verify", "--log-key", w.logKey}
			for _, iss := range tc.issuers {
				if iss == "+require" {
					args = append(args, "--require-credential")
					continue
				}
				args = append(args, "--issuer", iss)
			}
			r := iotrust(t, "", append(args, tc.path)...)
			if r.code != tc.code || !strings.Contains(r.stdout, tc.want) {
				t.Fatalf("exit %d, want %d with %q", r.code, tc.code, tc.want)
			}
		})
	}
}

// --status-list checks the device credential's revocation status in a
// status list credential read from a file, or fetched from a URL when one
// is given: a revoked credential fails, a valid one passes, and a list
// from an issuer nobody trusts is refused.
func TestVerifyStatusList(t *testing.T) {
	w := fixture(t)
	mfrKey, _ := did.Ed25519.GenerateKey(nil)
	mfr, err := vc.NewIssuer(mfrKey)
	if err != nil {
		t.Fatal(err)
	}
	const listURL = "https://status.example.com/devices/1"
	readAt := w.plain.Readings[0].Time
	bundleAt := func(index int) string {
		jwt, err := mfr.IssueJWT(vc.DeviceCredential{
			Subject: w.plain.Readings[0].Device, Manufacturer: "Acme Sensors", Model: "TX-1", SerialNumber: "SN-1",
			FirmwareHash: canon.Sum(canon.BLAKE3, []byte("firmware 1.4.2")),
			Roles:        vc.Roles{Publish: []string{"coldchain/+/temp"}},
			ValidFrom:    readAt.Add(-time.Hour), ValidUntil: readAt.Add(time.Hour),
			Status: &vc.StatusEntry{ListCredential: listURL, Index: index},
		})
		if err != nil {
			t.Fatal(err)
		}
		return writeFile(t, "c.evidence.json", changeBundle(t, w.plain, func(b *evidence.Bundle) { b.Credential = []byte(jwt) }))
	}
	valid, revoked := bundleAt(41), bundleAt(42)
	list, _ := vc.NewStatusList(vc.MinStatusListBits)
	if err := list.Set(42, true); err != nil {
		t.Fatal(err)
	}
	issueList := func(is *vc.Issuer) string {
		tok, err := is.IssueStatusListJWT(listURL, list, time.Now().Add(-time.Minute), time.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	listFile := writeFile(t, "revocations.jwt", []byte(issueList(mfr)+"\n"))
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/devices/1" {
			http.NotFound(rw, r)
			return
		}
		io.WriteString(rw, issueList(mfr))
	}))
	defer srv.Close()
	otherKey, _ := did.Ed25519.GenerateKey(nil)
	other, _ := vc.NewIssuer(otherKey)
	forged := writeFile(t, "forged.jwt", []byte(issueList(other)))

	for _, tc := range []struct {
		name   string
		bundle string
		flags  []string
		want   string
		code   int
	}{
		{"valid, list from a file", valid, []string{"--issuer", mfr.DID(), "--status-list", listFile}, "pass  credential\n", exitOK},
		{"revoked, list from a file", revoked, []string{"--issuer", mfr.DID(), "--status-list", listFile}, "fail  credential: vc: credential revoked", exitFailed},
		{"valid, list from a URL", valid, []string{"--issuer", mfr.DID(), "--status-list", srv.URL + "/devices/1"}, "pass  credential\n", exitOK},
		{"revoked, list from a URL", revoked, []string{"--issuer", mfr.DID(), "--status-list", srv.URL + "/devices/1"}, "fail  credential: vc: credential revoked", exitFailed},
		{"no list given", valid, []string{"--issuer", mfr.DID()}, "(give its status list with --status-list FILE|URL)", exitFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := iotrust(t, "", append(append([]string{"verify", "--log-key", w.logKey}, tc.flags...), tc.bundle)...)
			if r.code != tc.code || !strings.Contains(r.stdout, tc.want) {
				t.Fatalf("exit %d, want %d with %q", r.code, tc.code, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name  string
		flags []string
		want  string
		code  int
	}{
		{"list of an untrusted issuer", []string{"--issuer", mfr.DID(), "--status-list", forged}, "issuer not trusted", exitFailed},
		{"list URL not found", []string{"--issuer", mfr.DID(), "--status-list", srv.URL + "/nothing"}, "404", exitFailed},
		{"list file missing", []string{"--issuer", mfr.DID(), "--status-list", filepath.Join(t.TempDir(), "none.jwt")}, "no such file", exitFailed},
		{"no issuer", []string{"--status-list", listFile}, "--status-list needs --issuer", exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := iotrust(t, "", append(append([]string{"verify", "--log-key", w.logKey}, tc.flags...), valid)...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d, want %d with %q on stderr", r.code, tc.code, tc.want)
			}
		})
	}
}
