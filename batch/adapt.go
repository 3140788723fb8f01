package batch

import (
	"context"
	"fmt"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
)

// leafOf returns a signed reading's leaf bytes (its canonical JSON, what the
// write-ahead log holds and the batch tree hashes) and its ID.
func leafOf(s *reading.Signed) ([]byte, canon.Digest, error) {
	leaf, err := s.LeafBytes()
	if err != nil {
		return nil, canon.Digest{}, err
	}
	if len(leaf) > MaxLeafSize {
		return nil, canon.Digest{}, fmt.Errorf("%w: %d bytes", reading.ErrTooLarge, len(leaf))
	}
	id, err := s.ID()
	if err != nil {
		return nil, canon.Digest{}, err
	}
	return leaf, id, nil
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
func verifyAll(ctx context.Context, keys did.KeyResolver, ss []reading.Signed, errs []error) {
	idx := make([]int, 0, len(ss))
	todo := make([]reading.Signed, 0, len(ss))
	for i := range ss {
		if errs[i] == nil {
			idx = append(idx, i)
			todo = append(todo, ss[i])
		}
	}
	if len(todo) == 0 {
		return
	}
	for j, err := range reading.VerifyBatch(ctx, keys, todo) {
		errs[idx[j]] = err
	}
}
