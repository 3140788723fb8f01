package aggregate_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// TestInnerLedgerClosed: an aggregator whose inner ledger was closed
// answers Anchor with an error matching anchor.ErrClosed instead of
// retrying the closed ledger until the caller's ctx ends (forever under
// context.Background). What it accepted stays in its record log: an
// aggregator reopened over the reopened inner ledger anchors it.
func TestInnerLedgerClosed(t *testing.T) {
	logDir, dir := t.TempDir(), t.TempDir()
	inner, err := tlog.Open(t.Context(), tlogConfig(t, logDir))
	if err != nil {
		t.Fatal(err)
	}
	a, err := aggregate.Open(t.Context(), testConfig(inner, dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := inner.Close(); err != nil {
		t.Fatal(err)
	}
	c := anchortest.Commitment("inner closed")
	// The deadline only keeps a hang from stalling the suite.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if _, err := a.Anchor(ctx, c); !errors.Is(err, anchor.ErrClosed) {
		t.Errorf("Anchor over a closed inner ledger: %v, want anchor.ErrClosed", err)
	}
	if _, err := a.Anchor(ctx, anchortest.Commitment("after the inner ledger closed")); !errors.Is(err, anchor.ErrClosed) {
		t.Errorf("a later Anchor: %v, want anchor.ErrClosed", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	a = openAggregator(t, testConfig(openLog(t, logDir), dir))
	r, err := a.Anchor(t.Context(), c)
	if err != nil {
		t.Fatalf("Anchor after reopening: %v", err)
	}
	if !r.Commitment.Equal(c) {
		t.Fatalf("receipt of %v, want %v", r.Commitment, c)
	}
}
