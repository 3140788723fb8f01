package batch

import (
	"context"
	"fmt"
	"slices"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
)

// leafOf returns a signed reading's leaf bytes (its canonical JSON, what the
// write-ahead log holds and the batch tree hashes).
func leafOf(s *reading.Signed) ([]byte, error) {
	leaf, err := s.LeafBytes()
	if err != nil {
		return nil, err
	}
	if len(leaf) > MaxLeafSize {
		return nil, fmt.Errorf("%w: %d bytes", reading.ErrTooLarge, len(leaf))
	}
	return leaf, nil
}

// parseLeaf decodes a leaf written by leafOf.
func parseLeaf(leaf []byte) (reading.Signed, canon.Digest, error) {
	s, err := reading.ParseJSON(leaf)
	if err != nil {
		return reading.Signed{}, canon.Digest{}, err
	}
	id, err := s.ID()
	return s, id, err
}

// verifyAll verifies the signatures of the readings whose errs entry is
// still nil, in batches.
func verifyAll(ctx context.Context, keys did.KeyResolver, ss []reading.Signed, errs []error) []canon.Digest {
	if !slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
		ids, verrs := reading.VerifyBatchIDs(ctx, keys, ss)
		copy(errs, verrs)
		return ids
	}
	idx := make([]int, 0, len(ss))
	todo := make([]reading.Signed, 0, len(ss))
	for i := range ss {
		if errs[i] == nil {
			idx = append(idx, i)
			todo = append(todo, ss[i])
		}
	}
	ids := make([]canon.Digest, len(ss))
	if len(todo) == 0 {
		return ids
	}
	vids, verrs := reading.VerifyBatchIDs(ctx, keys, todo)
	for j, err := range verrs {
		errs[idx[j]], ids[idx[j]] = err, vids[j]
	}
	return ids
}
