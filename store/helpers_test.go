package store

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ipfs/go-cid"
)

// seeded returns a deterministic randomness source.
func seeded(seed byte) *rand.ChaCha8 {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

// testIdentity derives a fixed identity per seed.
func testIdentity(t testing.TB, seed byte) Identity {
	t.Helper()
	id, err := GenerateIdentity(seeded(seed))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// openStore opens a Store in a fresh directory and closes it at the end.
func openStore(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// paths returns the files holding c's blob and envelope under dir.
func paths(t testing.TB, dir string, c cid.Cid) (blob, env string) {
	t.Helper()
	d, err := cidDigest(c)
	if err != nil {
		t.Fatal(err)
	}
	b, e := objectNames(c, d)
	return filepath.Join(dir, filepath.FromSlash(b)), filepath.Join(dir, filepath.FromSlash(e))
}

func readFile(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t testing.TB, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

var bg = context.Background()
