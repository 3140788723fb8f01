package merkle

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Builder computes the root of a growing tree without holding its leaves:
// it keeps only the roots of the whole subtrees that make up the leaves so
// far (one per set bit of the size, at most 64), so a gateway can seal a
// batch of any size in O(log n) memory. Append costs one leaf hash plus, on
// average, one node hash. A Builder is not safe for concurrent use.
type Builder struct {
	st   *state
	size uint64
	// peaks[k] is the root of the whole subtree of 2^k leaves present
	// when bit k of size is set; lower k are further right in the tree.
	peaks [64]Hash
}

// NewBuilder returns an empty Builder for h. It panics if h is not a valid
// Hasher (a programming error).
func NewBuilder(h Hasher) *Builder {
	mustValid(h)
	return &Builder{st: newState(h)}
}

// Hasher returns the builder's hasher.
func (b *Builder) Hasher() Hasher { return b.st.h }

// Size returns the number of leaves appended so far.
func (b *Builder) Size() uint64 { return b.size }

// Append hashes data as a leaf and appends it. It returns the leaf hash,
// which callers keep if they serve proofs later.
func (b *Builder) Append(data []byte) Hash {
	var lh Hash
	b.st.leaf(&lh, data)
	b.AppendLeafHash(lh)
	return lh
}

// AppendLeaves appends several leaves; on machines with AVX2 it hashes
// BLAKE3 leaves eight at a time, so a gateway that receives readings in
// bursts should prefer it to repeated Append.
func (b *Builder) AppendLeaves(leaves [][]byte) {
	var buf [64]Hash
	for len(leaves) > 0 {
		n := min(len(leaves), len(buf))
		b.st.leaves(buf[:n], leaves[:n])
		for i := range buf[:n] {
			b.AppendLeafHash(buf[i])
		}
		leaves = leaves[n:]
	}
}

// AppendLeafHash appends a leaf whose hash was computed with the builder's
// Hasher. A Builder holds at most 2^64−1 leaves (centuries of appends at a
// billion per second); appending beyond panics rather than wrap around.
func (b *Builder) AppendLeafHash(leafHash Hash) {
	if b.size == ^uint64(0) {
		panic("merkle: Builder is full")
	}
	// Adding one to size carries through its trailing ones; each carry
	// merges a peak with the new subtree to its right.
	acc := leafHash
	k := 0
	for ; b.size&(1<<k) != 0; k++ {
		b.st.node(&acc, &b.peaks[k], &acc)
	}
	b.peaks[k] = acc
	b.size++
}

// Root returns the root of the tree of all leaves appended so far
// (Hasher().EmptyRoot() before the first). The builder stays usable.
func (b *Builder) Root() Hash {
	if b.size == 0 {
		return b.st.h.EmptyRoot()
	}
	// RFC 6962 splits at the largest power of two, so the root folds the
	// peaks from the smallest (rightmost) to the largest.
	k := bits.TrailingZeros64(b.size)
	acc := b.peaks[k]
	for k++; k < 64; k++ {
		if b.size&(1<<k) != 0 {
			b.st.node(&acc, &b.peaks[k], &acc)
		}
	}
	return acc
}

// Reset empties the builder for a new tree with the same hasher.
func (b *Builder) Reset() {
	b.size = 0
	b.peaks = [64]Hash{}
}

// builderStateVersion is the first byte of a marshalled Builder.
const builderStateVersion = 1

// MarshalBinary saves the builder's state — version, hasher, size and the
// peak hashes, largest first — so a gateway can resume a batch after a
// restart (write it next to its write-ahead log).
func (b *Builder) MarshalBinary() ([]byte, error) {
	out := make([]byte, 0, 2+binary.MaxVarintLen64+bits.OnesCount64(b.size)*HashSize)
	out = append(out, builderStateVersion, byte(b.st.h))
	out = binary.AppendUvarint(out, b.size)
	for k := 63; k >= 0; k-- {
		if b.size&(1<<k) != 0 {
			out = append(out, b.peaks[k][:]...)
		}
	}
	return out, nil
}

// UnmarshalBinary restores a state saved by MarshalBinary. Malformed input
// is rejected with ErrMalformedProof or ErrUnknownHasher and leaves b
// unchanged.
func (b *Builder) UnmarshalBinary(data []byte) error {
	if len(data) < 3 || data[0] != builderStateVersion {
		return fmt.Errorf("%w: builder state: bad header", ErrMalformedProof)
	}
	h := Hasher(data[1])
	if err := checkHasher(h); err != nil {
		return err
	}
	size, rest, err := readUvarint(data[2:])
	if err != nil {
		return fmt.Errorf("%w: builder state: %v", ErrMalformedProof, err)
	}
	if want := bits.OnesCount64(size) * HashSize; len(rest) != want {
		return fmt.Errorf("%w: builder state: %d hash bytes for size %d, want %d", ErrMalformedProof, len(rest), size, want)
	}
	var peaks [64]Hash
	for k := 63; k >= 0; k-- {
		if size&(1<<k) != 0 {
			copy(peaks[k][:], rest)
			rest = rest[HashSize:]
		}
	}
	if b.st == nil || b.st.h != h {
		b.st = newState(h)
	}
	b.size, b.peaks = size, peaks
	return nil
}
