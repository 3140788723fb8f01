package batch

import (
	"context"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
)

// BatchInfo describes a sealed batch.
type BatchInfo struct {
	// Number counts the gateway's batches from 1.
	Number uint64
	// Commitment is what was (or is to be) anchored.
	Commitment anchor.Commitment
	// Anchored reports whether the ledger policy is met; Final whether
	// every receipt is Final.
	Anchored, Final bool
	// Settled reports whether the gateway follows the batch's receipts no
	// further: every receipt is Final, or Included (or later) from a
	// ledger the gateway cannot follow, one that is no anchor.Ledger (see
	// Config.Ledgers). Such receipts are kept as the ledger gave them,
	// never labelled Final. Final implies Settled; a settled batch stays
	// as it is, also across restarts.
	Settled bool
	// Receipts holds the ledgers' latest receipts.
	Receipts []anchor.Receipt
	// SealedAt is when the gateway sealed the batch.
	SealedAt time.Time
}

func infoOf(rec batchRecord) BatchInfo {
	bi := BatchInfo{
		Number: rec.Number, Commitment: rec.Commitment, SealedAt: rec.SealedAt,
		Anchored: rec.State != stateSealed, Final: rec.State == stateFinal,
		Settled: settledState(rec.State),
	}
	for _, lr := range rec.Receipts {
		bi.Receipts = append(bi.Receipts, lr.Receipt)
	}
	return bi
}

// Batch returns the sealed batch whose commitment has root.
func (g *Gateway) Batch(ctx context.Context, root canon.Digest) (BatchInfo, error) {
	if err := ctx.Err(); err != nil {
		return BatchInfo{}, err
	}
	rec, err := g.idx.batchByRoot(root)
	if err != nil {
		return BatchInfo{}, err
	}
	return infoOf(rec), nil
}

// Batches returns up to n of the most recently sealed batches, newest
// first.
func (g *Gateway) Batches(ctx context.Context, n int) ([]BatchInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	recs, err := g.idx.recent(n)
	if err != nil {
		return nil, err
	}
	out := make([]BatchInfo, len(recs))
	for i, r := range recs {
		out[i] = infoOf(r)
	}
	return out, nil
}

// isOpen reports whether a reading is in the open batch or in a batch
// being sealed.
func (g *Gateway) isOpen(id canon.Digest) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.seg != nil { // nil once closed
		for _, p := range g.seg.open {
			if p.id.Equal(id) {
				return true
			}
		}
	}
	for _, seg := range g.sealing {
		for _, p := range seg.open {
			if p.id.Equal(id) {
				return true
			}
		}
	}
	return false
}

// treeOf returns a batch's tree and leaves, from the store.
func (g *Gateway) treeOf(ctx context.Context, rec batchRecord) (*merkle.Tree, [][]byte, error) {
	if t, ok := g.trees.get(rec.Number); ok {
		return t.tree, t.leaves, nil
	}
	blob, err := g.cfg.Store.Get(ctx, rec.Commitment.CID, g.cfg.Identity)
	if err != nil {
		return nil, nil, fmt.Errorf("batch: reading batch %d from the store: %w", rec.Number, err)
	}
	h, leaves, err := decodeBlob(blob)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: batch %d: %w", ErrCorrupt, rec.Number, err)
	}
	tree := merkle.NewTree(h, leaves)
	if !tree.Digest().Equal(rec.Commitment.Root) {
		return nil, nil, fmt.Errorf("%w: batch %d: stored leaves do not hash to the committed root", ErrCorrupt, rec.Number)
	}
	g.trees.put(rec.Number, cachedTree{tree: tree, leaves: leaves})
	return tree, leaves, nil
}
