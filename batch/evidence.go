package batch

import (
	"context"
	"fmt"
	"slices"

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
// receipt, and a batch anchored but not yet final carries its receipts as
// they are (Included on the embedded log until its next checkpoint):
// evidence.Verify counts final receipts only and reports the others as
// skipped ("not final"), so call WaitFinal before handing out bundles, or
// fetch them again later, or upgrade them (evidence.Upgrade).
// Receipts of a settled batch that are not Final (from a ledger the
// gateway cannot follow, see Config.Ledgers) are as the ledger gave them:
// evidence.Verify skips them until they are upgraded from the ledger.
func (g *Gateway) Evidence(ctx context.Context, id canon.Digest) (*evidence.Bundle, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	num, leaf, err := g.locate(ctx, id)
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

// EvidenceSet returns one evidence bundle for several acknowledged readings
// of one batch, with one multi-leaf inclusion proof: the signed meter values
// of a charging session, say, which a billing record must carry together.
// The bundle holds each distinct ID's reading once, in batch order (the
// order of the proof's indices), whatever the order of ids.
//
// Errors: ErrNotFound (no ids, or a reading the gateway never
// acknowledged), ErrNotSealed (a reading whose batch is not sealed yet),
// ErrNotOneBatch (readings of different batches: ask for one bundle per
// batch) and evidence.ErrTooLarge beyond evidence.MaxReadings readings.
// Like Evidence, a bundle of a batch not yet anchored carries no receipt:
// fetch it again later, or upgrade it (evidence.Upgrade).
func (g *Gateway) EvidenceSet(ctx context.Context, ids ...canon.Digest) (*evidence.Bundle, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: no reading IDs", ErrNotFound)
	}
	var num uint64
	leaves := make([]uint64, 0, len(ids))
	for i, id := range ids {
		n, leaf, err := g.locate(ctx, id)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			num = n
		} else if n != num {
			return nil, fmt.Errorf("%w: reading %s is in batch %d, reading %s in batch %d", ErrNotOneBatch, ids[0], num, id, n)
		}
		leaves = append(leaves, uint64(leaf))
	}
	slices.Sort(leaves)
	leaves = slices.Compact(leaves)
	if len(leaves) > evidence.MaxReadings {
		return nil, fmt.Errorf("%w: %d readings in one bundle, at most %d", evidence.ErrTooLarge, len(leaves), evidence.MaxReadings)
	}
	rec, err := g.idx.batch(num)
	if err != nil {
		return nil, err
	}
	tree, blob, err := g.treeOf(ctx, rec)
	if err != nil {
		return nil, err
	}
	rs := make([]reading.Signed, len(leaves))
	for i, leaf := range leaves {
		if leaf >= tree.Size() {
			return nil, fmt.Errorf("%w: leaf %d of a batch of %d", ErrCorrupt, leaf, tree.Size())
		}
		if rs[i], _, err = parseLeaf(blob[leaf]); err != nil {
			return nil, fmt.Errorf("%w: batch %d leaf %d: %w", ErrCorrupt, num, leaf, err)
		}
	}
	proof, err := tree.MultiInclusionProof(leaves)
	if err != nil {
		return nil, err
	}
	b := infoOf(rec)
	return evidence.NewSet(rs, proof, b.Commitment, b.Receipts)
}

// locate returns the batch number and leaf index of an acknowledged
// reading, ErrNotSealed when its batch is not sealed yet, ErrNotFound when
// the gateway never acknowledged it.
func (g *Gateway) locate(ctx context.Context, id canon.Digest) (uint64, uint32, error) {
	locs, err := g.idx.lookup(id)
	if err != nil {
		return 0, 0, err
	}
	for _, l := range locs { // entries sharing id's prefix: find the one that is id
		rec, err := g.idx.batch(l.batch)
		if err != nil {
			return 0, 0, err
		}
		_, leaves, err := g.treeOf(ctx, rec)
		if err != nil {
			return 0, 0, err
		}
		if uint64(l.leaf) >= uint64(len(leaves)) {
			return 0, 0, fmt.Errorf("%w: leaf %d of a batch of %d", ErrCorrupt, l.leaf, len(leaves))
		}
		_, got, err := parseLeaf(leaves[l.leaf])
		if err != nil {
			return 0, 0, fmt.Errorf("%w: batch %d leaf %d: %w", ErrCorrupt, l.batch, l.leaf, err)
		}
		if got.Equal(id) {
			return l.batch, l.leaf, nil
		}
	}
	if g.isOpen(id) {
		return 0, 0, fmt.Errorf("%w: %s", ErrNotSealed, id)
	}
	return 0, 0, fmt.Errorf("%w: reading %s", ErrNotFound, id)
}
