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
	for i := range commitments {
		if _, err := ParseCommitment(commitments[i][:]); err != nil {
			return Root{}, fmt.Errorf("commitment %d: %w", i, err)
		}
	}
	// A subtree of padding leaves only has the same root wherever it
	// stands, so the padded part costs one hash per level, not one per node.
	depth := bits.TrailingZeros(uint(capacity))
	pads := make([][ElementSize]byte, depth+1)
	pads[0] = PaddingLeaf()
	for d := 1; d <= depth; d++ {
		n, err := compress(pads[d-1][:], pads[d-1][:])
		if err != nil {
			return Root{}, err
		}
		pads[d] = n
	}
	// The two halves of a large tree are independent: hash them on two cores.
	if capacity >= parallelRootMin && len(commitments) > capacity/2 {
		half := capacity / 2
		var right [ElementSize]byte
		var rightErr error
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			right, rightErr = subtreeRoot(commitments[half:], half, pads)
		}()
		left, err := subtreeRoot(commitments[:half], half, pads)
		wg.Wait()
		if err == nil {
			err = rightErr
		}
		if err != nil {
			return Root{}, err
		}
		n, err := compress(left[:], right[:])
		return Root(n), err
	}
	n, err := subtreeRoot(commitments, capacity, pads)
	return Root(n), err
}

// parallelRootMin is the smallest capacity whose halves are hashed
// concurrently; below it a goroutine costs more than it saves.
const parallelRootMin = 128

// subtreeRoot returns the root of leaves padded to capacity (a power of
// two ≥ len(leaves)); pads[d] is the root of a padding-only subtree of
// height d.
func subtreeRoot(leaves []Commitment, capacity int, pads [][ElementSize]byte) ([ElementSize]byte, error) {
	level := make([][ElementSize]byte, len(leaves))
	for i := range leaves {
		level[i] = leaves[i]
	}
	for d := 0; capacity > 1; d++ {
		next := level[:(len(level)+1)/2]
		for i := range next {
			right := pads[d]
			if 2*i+1 < len(level) {
				right = level[2*i+1]
			}
			n, err := compress(level[2*i][:], right[:])
			if err != nil {
				return [ElementSize]byte{}, err
			}
			next[i] = n
		}
		level = next
		capacity /= 2
	}
	if len(level) == 0 {
		return pads[len(pads)-1], nil
	}
	return level[0], nil
}
