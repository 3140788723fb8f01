package aggregate_test

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/merkle"
)

const testOrigin = "example.com/iotrust/aggregate-test"

// tlogConfig is a log with a fixed key, so that a child process reopening
// it signs with the same key.
func tlogConfig(t testing.TB, dir string) tlog.Config {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, "iotrust aggregate test key seed.")
	s, v, err := tlog.NewEd25519Signer(testOrigin, ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	return tlog.Config{Dir: dir, Signer: s, Verifier: v, CheckpointInterval: tlog.MinCheckpointInterval, BatchMaxAge: 2 * time.Millisecond}
}

func openLog(t testing.TB, dir string) *tlog.Log {
	t.Helper()
	l, err := tlog.Open(t.Context(), tlogConfig(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("closing the inner log: %v", err)
		}
	})
	return l
}

func openAggregator(t testing.TB, cfg aggregate.Config) *aggregate.Aggregator {
	t.Helper()
	a, err := aggregate.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return a
}

func testConfig(inner anchor.Ledger, dir string) aggregate.Config {
	return aggregate.Config{Inner: inner, Dir: dir, Interval: 5 * time.Millisecond, MaxLeaves: 16}
}

func TestConformance(t *testing.T) {
	anchortest.Run(t, func(t *testing.T) anchor.Ledger {
		return openAggregator(t, testConfig(openLog(t, t.TempDir()), t.TempDir()))
	})
}

// TestConformanceSHA256 runs the suite with RFC 6962 paths, the ones an
// EVM contract can check.
func TestConformanceSHA256(t *testing.T) {
	if testing.Short() {
		t.Skip("the BLAKE3 run covers the same code in -short")
	}
	anchortest.Run(t, func(t *testing.T) anchor.Ledger {
		cfg := testConfig(openLog(t, t.TempDir()), t.TempDir())
		cfg.Hasher = merkle.SHA256
		return openAggregator(t, cfg)
	})
}
