package batch

import (
	"context"
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/reading"
)

// Evidence returns the evidence bundle of the acknowledged reading with
// the given ID: the signed reading, its inclusion proof in its batch, the
// batch commitment and every receipt the gateway holds for it. A reading
// acknowledged but not yet sealed gives ErrNotSealed; one the gateway never
// acknowledged, ErrNotFound. Bundles of batches not yet anchored carry no
// receipt: fetch them again later, or upgrade them (evidence.Upgrade).
func (g *Gateway) Evidence(ctx context.Context, id canon.Digest) (*evidence.Bundle, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	num, leaf, err := g.idx.lookup(id)
	if errors.Is(err, ErrNotFound) {
		if g.isOpen(id) {
			return nil, fmt.Errorf("%w: %s", ErrNotSealed, id)
		}
		return nil, fmt.Errorf("%w: reading %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	rec, err := g.idx.batch(num)
	if err != nil {
		return nil, err
	}
	tree, leaves, err := g.treeOf(ctx, rec)
	if err != nil {
		return nil, err
	}
	if uint64(leaf) >= tree.Size() {
		return nil, fmt.Errorf("%w: leaf %d of a batch of %d", ErrCorrupt, leaf, tree.Size())
	}
	s, _, err := parseLeaf(leaves[leaf])
	if err != nil {
		return nil, fmt.Errorf("%w: batch %d leaf %d: %w", ErrCorrupt, num, leaf, err)
	}
	proof, err := tree.InclusionProof(uint64(leaf))
	if err != nil {
		return nil, err
	}
	return newBundle(s, proof, infoOf(rec))
}

// newBundle makes the evidence bundle of reading s at proof in batch b.
func newBundle(s reading.Signed, proof merkle.InclusionProof, b BatchInfo) (*evidence.Bundle, error) {
	return evidence.New(s, proof, b.Commitment, b.Receipts)
}
