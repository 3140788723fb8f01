package linkcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// TestConsumerNeedsNoReplace builds a fresh module, the way a user starts
// one, that imports package vc. Its go.mod gets a replace for iotrust itself
// only — standing in for a published release — and must build with no
// other replace: in particular none for json-gold.
func TestConsumerNeedsNoReplace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module: skipped with -short")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	_, self, _, _ := runtime.Caller(0)
	root, err := filepath.Abs(filepath.Join(filepath.Dir(self), "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/consumer\n\ngo 1.25.7\n\n"+
		"require github.com/iotrust/iotrust v0.0.0\n\n"+
		"replace github.com/iotrust/iotrust => "+root+"\n")
	write("main.go", `package main

import (
	"fmt"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc"
)

func main() {
	k, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	is, err := vc.NewIssuer(k)
	if err != nil {
		panic(err)
	}
	fmt.Println(is.DID()[:8])
}
`)
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goBin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("mod", "tidy")
	out := run("run", ".")
	if strings.TrimSpace(out) != "did:key:" {
		t.Fatalf("consumer printed %q", out)
	}

	raw, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse("go.mod", raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(mf.Replace) != 1 || mf.Replace[0].Old.Path != "github.com/iotrust/iotrust" {
		t.Fatalf("consumer go.mod has replaces beyond iotrust itself:\n%s", raw)
	}
	// The versions the consumer resolved are those iotrust pins.
	for _, want := range []string{
		"github.com/trustbloc/vc-go v1.2.0",
		"github.com/trustbloc/did-go v1.3.0",
		"github.com/go-jose/go-jose/v3 v3.0.4",
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("consumer go.mod lacks %q:\n%s", want, raw)
		}
	}
}
