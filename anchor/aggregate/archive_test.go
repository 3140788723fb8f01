package aggregate_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// TestConformanceArchived runs the ledger suite with every anchored
// aggregate moved to the archive at once (MemoryCommitments 1): Lookup,
// Upgrade, WaitFinal, Follow and a repeated Anchor answer from it.
func TestConformanceArchived(t *testing.T) {
	anchortest.Run(t, func(t *testing.T) anchor.Ledger {
		cfg := testConfig(openLog(t, t.TempDir()), t.TempDir())
		cfg.MemoryCommitments = 1
		return openAggregator(t, cfg)
	})
}

// Anchored aggregates beyond MemoryCommitments leave memory for the
// archive; every commitment still answers Lookup with the receipt it got,
// is not accepted twice (its receipt again; another commitment under its
// root refused), and keeps answering after a restart, which reads back
// only what is not archived.
func TestArchive(t *testing.T) {
	log := openLog(t, t.TempDir())
	dir := t.TempDir()
	cfg := testConfig(log, dir)
	cfg.MaxLeaves = 2
	cfg.MemoryCommitments = 4
	a, err := aggregate.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	const n = 12
	cs := make([]anchor.Commitment, n)
	rs := make([]anchor.Receipt, n)
	for i := range cs {
		cs[i] = anchortest.Commitment(fmt.Sprintf("archive-%d", i))
		if rs[i], err = a.Anchor(t.Context(), cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "archive.db")); err != nil || fi.Size() == 0 {
		t.Fatalf("no archive: %v", err)
	}
	check := func(a *aggregate.Aggregator) {
		t.Helper()
		for i, c := range cs {
			got, err := a.Lookup(t.Context(), c.Root)
			if err != nil {
				t.Fatalf("Lookup %d: %v", i, err)
			}
			if !got.Commitment.Equal(c) || got.TxID != rs[i].TxID {
				t.Fatalf("Lookup %d: another receipt", i)
			}
			final, err := a.WaitFinal(t.Context(), got)
			if err != nil {
				t.Fatalf("WaitFinal %d: %v", i, err)
			}
			if err := a.VerifyReceipt(t.Context(), final); err != nil {
				t.Fatalf("receipt %d: %v", i, err)
			}
			again, err := a.Anchor(t.Context(), c)
			if err != nil || again.TxID != rs[i].TxID {
				t.Fatalf("Anchor %d again: %v (a new aggregate?)", i, err)
			}
			other := anchortest.Commitment("another under the same root")
			other.Root = c.Root
			if _, err := a.Anchor(t.Context(), other); !errors.Is(err, anchor.ErrRootConflict) {
				t.Fatalf("another commitment under root %d: %v", i, err)
			}
		}
		followed := 0
		for r, err := range a.Follow(t.Context(), 0) {
			if err != nil {
				t.Fatal(err)
			}
			if !r.Commitment.Equal(cs[followed]) {
				t.Fatalf("Follow's receipt %d is of another commitment", followed)
			}
			followed++
			if followed == n {
				break
			}
		}
		if followed != n {
			t.Fatalf("Follow yielded %d receipts, want %d", followed, n)
		}
	}
	check(a)
	if err := a.Close(); err != nil { // waits for the archiving after the last anchor
		t.Fatal(err)
	}
	if got := aggregate.InMemory(a); got > cfg.MemoryCommitments {
		t.Fatalf("%d commitments in memory, bound %d", got, cfg.MemoryCommitments)
	}
	a = openAggregator(t, cfg)
	if got := aggregate.InMemory(a); got > cfg.MemoryCommitments {
		t.Fatalf("after a restart: %d commitments in memory, bound %d", got, cfg.MemoryCommitments)
	}
	check(a)
	// New commitments continue the sequence of aggregates.
	r, err := a.Anchor(t.Context(), anchortest.Commitment("after the restart"))
	if err != nil {
		t.Fatal(err)
	}
	if r, err = a.WaitFinal(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	if err := a.VerifyReceipt(t.Context(), r); err != nil {
		t.Fatal(err)
	}

	bad := cfg
	bad.Dir, bad.MemoryCommitments = t.TempDir(), -1
	if _, err := aggregate.Open(t.Context(), bad); err == nil {
		t.Fatal("negative MemoryCommitments accepted")
	}
}
