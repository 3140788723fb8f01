package batch

import (
	"context"
	"fmt"
	"slices"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
)

// A reading's leaf bytes are its canonical JSON, signature included
// (reading.Signed.LeafBytes): what the write-ahead log holds and the batch
// tree hashes, at most MaxLeafSize bytes.

// parseLeaf decodes a leaf.
func parseLeaf(leaf []byte) (reading.Signed, canon.Digest, error) {
	s, err := reading.ParseJSON(leaf)
	if err != nil {
		return reading.Signed{}, canon.Digest{}, err
	}
	id, err := s.ID()
	return s, id, err
}

// verifyAll verifies the signatures of the readings whose errs entry is
// still nil, in batches, and returns the IDs and leaf bytes
// of those that verify.
func verifyAll(ctx context.Context, keys did.KeyResolver, ss []reading.Signed, errs []error) ([]canon.Digest, [][]byte) {
	if !slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
		ids, leaves, verrs := reading.VerifyBatchLeaves(ctx, keys, ss)
		copy(errs, verrs)
		checkLeaves(leaves, errs)
		return ids, leaves
	}
	idx := make([]int, 0, len(ss))
	todo := make([]reading.Signed, 0, len(ss))
	for i := range ss {
		if errs[i] == nil {
			idx = append(idx, i)
			todo = append(todo, ss[i])
		}
	}
	ids, leaves := make([]canon.Digest, len(ss)), make([][]byte, len(ss))
	if len(todo) == 0 {
		return ids, leaves
	}
	vids, vleaves, verrs := reading.VerifyBatchLeaves(ctx, keys, todo)
	for j, err := range verrs {
		errs[idx[j]], ids[idx[j]], leaves[idx[j]] = err, vids[j], vleaves[j]
	}
	checkLeaves(leaves, errs)
	return ids, leaves
}

// checkLeaves refuses the readings whose leaf exceeds MaxLeafSize.
func checkLeaves(leaves [][]byte, errs []error) {
	for i, l := range leaves {
		if errs[i] == nil && len(l) > MaxLeafSize {
			errs[i] = fmt.Errorf("%w: %d bytes", reading.ErrTooLarge, len(l))
		}
	}
}
