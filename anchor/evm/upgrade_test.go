package evm

import (
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// TestUpgrade: Upgrade answers at once with the anchor's current state and
// a fresh proof, trusting nothing of the receipt it is given but its
// commitment; it refuses receipts of other ledgers and commitments.
func TestUpgrade(t *testing.T) {
	c := newTestChain(t)
	const confirmations = 3
	l := c.ledger(t, c.config(confirmations))
	c.pause()
	com := anchortest.Commitment("upgrade")
	r := anchorPaused(t, c, l, com)
	ctx := testCtx(t)
	stale := r
	stale.State, stale.Proof, stale.Time = anchor.Pending, nil, time.Time{}
	up, err := l.Upgrade(ctx, stale)
	if err != nil {
		t.Fatal(err)
	}
	if up.State != anchor.Included || up.TxID != r.TxID || len(up.Proof) == 0 {
		t.Fatalf("Upgrade right after anchoring: %v tx %s, %d proof bytes", up.State, up.TxID, len(up.Proof))
	}
	for range confirmations {
		c.commit()
	}
	up, err = l.Upgrade(ctx, stale)
	if err != nil || up.State != anchor.Final {
		t.Fatalf("Upgrade %d blocks deep: %v, %v; want final", confirmations, up.State, err)
	}
	if err := c.verifier(c.checkpoint(t, up.Position)).VerifyReceipt(ctx, up); err != nil {
		t.Fatalf("the upgraded receipt does not verify offline: %v", err)
	}
	c.resume()

	never := stale
	never.Commitment = anchortest.Commitment("never anchored")
	if _, err := l.Upgrade(ctx, never); !errors.Is(err, anchor.ErrNotAnchored) {
		t.Errorf("Upgrade of a commitment never anchored: %v, want ErrNotAnchored", err)
	}
	other := stale
	other.Commitment.Topic = "another/topic"
	if _, err := l.Upgrade(ctx, other); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("Upgrade of another commitment under the root: %v, want ErrBadReceipt", err)
	}
	chain := stale
	chain.Chain = "eip155:1"
	if _, err := l.Upgrade(ctx, chain); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("Upgrade of a receipt of another chain: %v, want ErrBadReceipt", err)
	}
}
