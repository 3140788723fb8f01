package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/cmd/iotrust/internal/keyfile"
	"github.com/iotrust/iotrust/did"
)

// did new makes a key file only its owner reads, whose DID did resolve
// turns into a document holding the key file's public key.
func TestDIDNewResolveRoundTrip(t *testing.T) {
	for _, tc := range []struct{ scheme, method, keyType string }{
		{"ed25519", "did:key:z6Mk", "Multikey"},
		{"p256", "did:key:zDn", "Multikey"},
		{"ml-dsa-44", "did:jwk:", "JsonWebKey2020"},
		{"ML-DSA-65", "did:jwk:", "JsonWebKey2020"},
	} {
		t.Run(tc.scheme, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "device.jwk")
			r := iotrust(t, "", "did", "new", "--scheme", tc.scheme, "--out", path)
			if r.code != exitOK {
				t.Fatalf("exit %d", r.code)
			}
			id := strings.TrimSpace(r.stdout)
			if !strings.HasPrefix(id, tc.method) || strings.Contains(id, "\n") {
				t.Fatalf("printed %q, want one %s DID", r.stdout, tc.method)
			}
			fi, err := os.Stat(path)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("key file: %v, mode %v, want 0600", err, fi.Mode().Perm())
			}
			raw, _ := os.ReadFile(path)
			key, fileID, err := keyfile.Parse(raw)
			if err != nil || fileID != id {
				t.Fatalf("key file: %v, DID %s, want %s", err, fileID, id)
			}

			r = iotrust(t, "", "did", "resolve", id)
			if r.code != exitOK {
				t.Fatalf("resolve: exit %d", r.code)
			}
			doc, err := did.ParseDocument([]byte(r.stdout))
			if err != nil || doc.ID != id || len(doc.VerificationMethod) != 1 || doc.VerificationMethod[0].Type != tc.keyType {
				t.Fatalf("document: %v %+v", err, doc)
			}
			pub, err := doc.Key(doc.VerificationMethod[0].ID, did.AssertionMethod)
			if err != nil || !pub.Equal(key.Public()) {
				t.Fatalf("document key: %v, does not match the key file", err)
			}
			// A signature by the file's key verifies under the resolved key.
			sig, err := key.Sign([]byte("round trip"))
			if err != nil || !pub.Verify([]byte("round trip"), sig) {
				t.Fatal("signature by the key file does not verify under the resolved key")
			}
			// A DID URL resolves to its DID's document.
			if r := iotrust(t, "", "did", "resolve", doc.VerificationMethod[0].ID); r.code != exitOK || !strings.Contains(r.stdout, id) {
				t.Fatalf("resolve DID URL: exit %d", r.code)
			}
		})
	}
}

func TestDIDNewToStdout(t *testing.T) {
	r := iotrust(t, "", "did", "new")
	if r.code != exitOK {
		t.Fatalf("exit %d", r.code)
	}
	_, id, err := keyfile.Parse([]byte(r.stdout))
	if err != nil || r.stderr != "DID: "+id+"\n" {
		t.Fatalf("key file on stdout: %v; stderr %q", err, r.stderr)
	}
}

func TestDIDRefusals(t *testing.T) {
	existing := writeFile(t, "key.jwk", []byte("keep me"))
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"did", "new", "--scheme", "rsa"}, exitUsage, "choose one of ed25519, p256, ml-dsa-44"},
		{[]string{"did", "new", "--out", existing}, exitFailed, "exists; not overwriting"},
		{[]string{"did", "resolve", "did:web:example.com"}, exitFailed, `unsupported DID method: "web"`},
		{[]string{"did", "resolve", "did:key:z6MkNOTAKEY"}, exitFailed, "invalid"},
		// The identity point: a key anyone can sign for.
		{[]string{"did", "resolve", "did:key:z6MkeXATEjyXENzBXBxgC5EHk2JE5aqd7qMGGtDpLUH1e2Sj"}, exitFailed, "weak"},
		{[]string{"did", "resolve"}, exitUsage, "missing DID"},
		{[]string{"did"}, exitUsage, "name a subcommand"},
	} {
		r := iotrust(t, "", tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, want %d naming %q", tc.args, r.code, tc.code, tc.want)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Error("an existing file was overwritten")
	}
}
