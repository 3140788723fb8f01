package zkp

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"math/bits"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// PaddingTag names the nothing-up-my-sleeve padding leaf:
// PaddingLeaf = SHA-256(PaddingTag) mod r.
const PaddingTag = "iotrust.zkp.padding.v1"

// PaddingLeaf is the leaf that fills a batch tree past its last reading.
// Nobody knows an opening for it (that would need a Poseidon2 preimage), the
// circuits force every leaf at index ≥ count to equal it, and verifiers add
// it themselves, so padding can never stand in for a reading.
func PaddingLeaf() Commitment { return paddingLeaf() }

var paddingLeaf = sync.OnceValue(func() Commitment {
	h := sha256.Sum256([]byte(PaddingTag))
	var e fr.Element
	e.SetBigInt(new(big.Int).SetBytes(h[:]))
	return Commitment(e.Bytes())
})

// MerkleRoot returns the root of the fixed-depth binary Poseidon2 tree whose
// capacity leaves are the commitments followed by PaddingLeaf; inner nodes
// are Compress(left, right). Capacity must be a power of two ≥ the number of
// commitments, which must be at least one.
func MerkleRoot(commitments []Commitment, capacity int) (Root, error) {
	if capacity < 1 || bits.OnesCount(uint(capacity)) != 1 || len(commitments) < 1 || len(commitments) > capacity {
		return Root{}, fmt.Errorf("%w: %d commitments in a tree of %d leaves", ErrShape, len(commitments), capacity)
	}
	level := make([][ElementSize]byte, capacity)
	pad := PaddingLeaf()
	for i := range level {
		if i < len(commitments) {
			if _, err := ParseCommitment(commitments[i][:]); err != nil {
				return Root{}, fmt.Errorf("commitment %d: %w", i, err)
			}
			level[i] = commitments[i]
		} else {
			level[i] = pad
		}
	}
	for len(level) > 1 {
		for i := 0; i < len(level)/2; i++ {
			n, err := compress(level[2*i][:], level[2*i+1][:])
			if err != nil {
				return Root{}, err
			}
			level[i] = n
		}
		level = level[:len(level)/2]
	}
	return Root(level[0]), nil
}
