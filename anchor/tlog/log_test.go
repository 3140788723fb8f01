package tlog_test

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

const testOrigin = "example.com/iotrust/test-log"

// testKey is a fixed Ed25519 key, so that a log reopened by another
// process (the crash test's child) signs with the same key.
func testKey() ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, "iotrust tlog test key seed......")
	return ed25519.NewKeyFromSeed(seed)
}

func testConfig(t testing.TB, dir string) tlog.Config {
	t.Helper()
	s, v, err := tlog.NewEd25519Signer(testOrigin, testKey())
	if err != nil {
		t.Fatal(err)
	}
	return tlog.Config{Dir: dir, Signer: s, Verifier: v, CheckpointInterval: tlog.MinCheckpointInterval, BatchMaxAge: 2 * time.Millisecond}
}

func openTestLog(t testing.TB, cfg tlog.Config) *tlog.Log {
	t.Helper()
	l, err := tlog.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func TestConformance(t *testing.T) {
	anchortest.Run(t, func(t *testing.T) anchor.Ledger {
		return openTestLog(t, testConfig(t, t.TempDir()))
	})
}

// Open refuses a directory that holds other files but no log, before
// writing anything into it; an empty or missing directory becomes a log,
// and a log's own directory opens again.
func TestOpenRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := tlog.Open(t.Context(), testConfig(t, dir))
	if !errors.Is(err, tlog.ErrCorrupt) || !strings.Contains(err.Error(), "notes.txt") {
		t.Fatalf("Open of a directory of other files: %v, want ErrCorrupt naming a file", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("Open wrote into the directory: %d entries", len(ents))
	}
	fresh := filepath.Join(t.TempDir(), "new", "log")
	openTestLog(t, testConfig(t, fresh)).Close()
	openTestLog(t, testConfig(t, fresh)).Close()
	empty := t.TempDir()
	openTestLog(t, testConfig(t, empty)).Close()
}
