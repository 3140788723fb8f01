package batch

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// finalPoll is how often WaitFinal looks at the index.
const finalPoll = 20 * time.Millisecond

// WaitFinal waits until the newest n sealed batches all have final
// receipts from every ledger, and returns them, oldest first. It is what a
// program calls after Flush before it hands out evidence bundles whose
// receipts must be final. It waits until ctx is done (the error then wraps
// ctx's), also while fewer than n batches are sealed; an index error is
// returned as it is. n must be at least 1.
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
