package tlog_test

import (
	"crypto/ed25519"
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
