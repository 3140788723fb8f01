package solctest

import (
	"context"
	"os"
	"testing"

	"github.com/iotrust/iotrust/anchor/evm/solc"
)

// Compile recompiles the Solidity files in dir (base names) with the
// pinned compiler and returns the artifacts. Without a Node.js toolchain it
// skips the test, or fails it when solc.RequireEnv is set (as CI does); in
// -short mode it skips unless solc.RequireEnv is set, since compiling takes
// a few seconds.
func Compile(t testing.TB, dir string, files ...string) []solc.Artifact {
	t.Helper()
	root, err := solc.RepoRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	required := os.Getenv(solc.RequireEnv) != ""
	if err := solc.Available(root); err != nil {
		if required {
			t.Fatalf("%v (required because %s is set)", err, solc.RequireEnv)
		}
		t.Skipf("cannot recompile the contracts: %v; set %s=1 to make this a failure", err, solc.RequireEnv)
	}
	if testing.Short() && !required {
		t.Skip("recompiling takes a few seconds; skipped in -short mode")
	}
	arts, _, err := solc.Compile(context.Background(), root, dir, files...)
	if err != nil {
		t.Fatal(err)
	}
	return arts
}
