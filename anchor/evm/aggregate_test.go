package evm

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// TestAggregateOverChain: commitments aggregated by anchor/aggregate into
// one anchor of this Ledger get member receipts that verify offline,
// through aggregate's Verifier over a HeaderVerifier that trusts one
// block hash; a member receipt with a changed commitment does not.
func TestAggregateOverChain(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(1))
	a, err := aggregate.Open(context.Background(), aggregate.Config{Inner: l, Dir: t.TempDir(), Interval: time.Minute, MaxLeaves: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ctx := testCtx(t)
	rs := make([]anchor.Receipt, 5)
	errs := make([]error, 5)
	var wg sync.WaitGroup
	for i := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs[i], errs[i] = a.Anchor(ctx, anchortest.Commitment(fmt.Sprintf("aggregated-%d", i)))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs[1:] {
		if r.TxID != rs[0].TxID {
			t.Fatalf("members in transactions %s and %s, want one", rs[0].TxID, r.TxID)
		}
	}
	v, err := aggregate.NewVerifier(c.verifier(c.checkpoint(t, rs[0].Position)))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if err := v.VerifyReceipt(ctx, r); err != nil {
			t.Errorf("member %s: %v", r.Commitment.Topic, err)
		}
	}
	forged := rs[2]
	forged.Commitment.Count++
	if err := v.VerifyReceipt(ctx, forged); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("member with another count: %v, want ErrBadReceipt", err)
	}
}
