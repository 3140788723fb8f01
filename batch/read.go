package batch

import (
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/reading"
)

// ErrBadBatch reports a batch blob that is malformed or is not the batch its
// commitment names (ParseBatch).
var ErrBadBatch = errors.New("batch: blob malformed or not the committed batch")

// ParseBatch reads a sealed batch as a recipient gets it from the store (the
// plaintext of store.Get for the commitment's CID, for instance after the
// gateway's owner granted it with store.Grant) and checks it against the
// batch's anchored commitment: the blob must decode in its one encoding, its
// leaves must build the tree whose root (hash function included) and size the
// commitment names, and every leaf must be a well-formed signed reading. It
// returns the readings in batch order, leaf i at index i.
//
// ParseBatch verifies no signature (reading.VerifyBatch does) and no receipt
// (the commitment's anchoring is the caller's to check, e.g. with the
// ledger's verifier). Errors match ErrBadBatch and wrap the cause
// (reading.ErrMalformed for a leaf that is no reading). Work and memory are
// bounded by the blob's size.
func ParseBatch(plaintext []byte, c anchor.Commitment) ([]reading.Signed, error) {
	h, leaves, err := decodeBlob(plaintext)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadBatch, err)
	}
	if uint64(len(leaves)) != c.Count {
		return nil, fmt.Errorf("%w: %d leaves, the commitment counts %d", ErrBadBatch, len(leaves), c.Count)
	}
	if h.Func() != c.Root.Func {
		return nil, fmt.Errorf("%w: tree hashed with %s, the commitment's root is %s", ErrBadBatch, h, c.Root.Func)
	}
	if root := h.Digest(h.Root(leaves)); !root.Equal(c.Root) {
		return nil, fmt.Errorf("%w: leaves give root %s, the commitment names %s", ErrBadBatch, root, c.Root)
	}
	rs := make([]reading.Signed, len(leaves))
	for i, leaf := range leaves {
		if rs[i], _, err = parseLeaf(leaf); err != nil {
			return nil, fmt.Errorf("%w: leaf %d: %w", ErrBadBatch, i, err)
		}
	}
	return rs, nil
}
