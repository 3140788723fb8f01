package batch

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/iotrust/iotrust/anchor"
)

// finalPoll is how often WaitFinal looks at the index.
const finalPoll = 20 * time.Millisecond

// WaitFinal waits until the newest n sealed batches all have final
// receipts from every ledger, and returns them, oldest first. It is what a
// program calls after Flush before it hands out evidence bundles whose
// receipts must be final. It waits until ctx is done (the error then wraps
// ctx's), also while fewer than n batches are sealed; an index error is
// returned as it is. One of the batches settled without final receipts (a
// ledger the gateway cannot follow, see BatchInfo.Settled) will never be
// final: WaitFinal then returns at once with an error wrapping
// ErrNeverFinal that names the batch and the receipt. n must be at least
// 1.
func (g *Gateway) WaitFinal(ctx context.Context, n int) ([]BatchInfo, error) {
	if n < 1 {
		return nil, fmt.Errorf("batch: WaitFinal of %d batches", n)
	}
	tick := time.NewTicker(finalPoll)
	defer tick.Stop()
	for {
		bs, err := g.Batches(ctx, n)
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			if b.Settled && !b.Final {
				return nil, neverFinal(b)
			}
		}
		if len(bs) == n && !slices.ContainsFunc(bs, func(b BatchInfo) bool { return !b.Final }) {
			slices.Reverse(bs)
			return bs, nil
		}
		select {
		case <-ctx.Done():
			final := 0
			for _, b := range bs {
				if b.Final {
					final++
				}
			}
			return nil, fmt.Errorf("batch: %d of the newest %d batches final: %w", final, n, ctx.Err())
		case <-tick.C:
		}
	}
}

// neverFinal is the error of WaitFinal for b, settled but not final.
func neverFinal(b BatchInfo) error {
	for _, r := range b.Receipts {
		if r.State != anchor.Final {
			return fmt.Errorf("%w: batch %d has a receipt of %s %s %s, from a ledger the gateway cannot follow (upgrade its bundles with evidence.Upgrade)",
				ErrNeverFinal, b.Number, r.Ledger, r.Chain, r.State)
		}
	}
	return fmt.Errorf("%w: batch %d", ErrNeverFinal, b.Number)
}
