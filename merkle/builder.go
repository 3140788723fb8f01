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
// average, one node hash. A Builder holds at most 2^64−1 leaves;
// appending beyond returns ErrSizeOutOfRange and changes nothing. The zero
// Builder has no hasher: make one with NewBuilder or restore one with
// UnmarshalBinary. A Builder is not safe for concurrent use.
type Builder struct {
	st   *state
	size uint64
	// peaks[k] is the root of the whole subtree of 2^k leaves present
	// when bit k of size is set; lower k are further right in the tree.
	peaks [64]Hash
}

// maxBuilderSize is the most leaves a Builder holds: the largest tree size
// a uint64 counts.
const maxBuilderSize uint64 = 1<<64 - 1

// NewBuilder returns an empty Builder for h. It panics if h is not a valid
// Hasher (a programming error).
func NewBuilder(h Hasher) *Builder {
	mustValid(h)
	return &Builder{st: newState(h)}
}

// Hasher returns the builder's hasher (0, which is not a valid Hasher, for
// the zero Builder).
func (b *Builder) Hasher() Hasher {
	if b.st == nil {
		return 0
	}
	return b.st.h
}

// Size returns the number of leaves appended so far.
func (b *Builder) Size() uint64 { return b.size }

// Append hashes data as a leaf and appends it. It returns the leaf hash,
// which callers keep if they serve proofs later. A full builder returns
// ErrSizeOutOfRange, the zero Builder ErrUnknownHasher; either leaves b
// unchanged.
func (b *Builder) Append(data []byte) (Hash, error) {
	if err := b.room(1); err != nil {
		return Hash{}, err
	}
	var lh Hash
	b.st.leaf(&lh, data)
	b.appendLeafHash(lh)
	return lh, nil
}

// AppendLeaves appends several leaves; on machines with AVX2 it hashes
// BLAKE3 leaves eight at a time, so a gateway that receives readings in
// bursts should prefer it to repeated Append. It appends all of them or,
// when they would not fit (ErrSizeOutOfRange) or b is the zero Builder
// (ErrUnknownHasher), none.
func (b *Builder) AppendLeaves(leaves [][]byte) error {
	if err := b.room(uint64(len(leaves))); err != nil {
		return err
	}
	var buf [64]Hash
	for len(leaves) > 0 {
		n := min(len(leaves), len(buf))
		b.st.leaves(buf[:n], leaves[:n])
		for i := range buf[:n] {
			b.appendLeafHash(buf[i])
		}
		leaves = leaves[n:]
	}
	return nil
}

// AppendLeafHash appends a leaf whose hash was computed with the builder's
// Hasher. Errors are those of Append.
func (b *Builder) AppendLeafHash(leafHash Hash) error {
	if err := b.room(1); err != nil {
		return err
	}
	b.appendLeafHash(leafHash)
	return nil
}

// room reports whether n more leaves fit.
func (b *Builder) room(n uint64) error {
	if b.st == nil {
		return fmt.Errorf("%w: the zero Builder has none (use NewBuilder)", ErrUnknownHasher)
	}
	if n > maxBuilderSize-b.size {
		return fmt.Errorf("%w: %d leaves do not fit a builder of %d, limit %d", ErrSizeOutOfRange, n, b.size, maxBuilderSize)
	}
	return nil
}

// appendLeafHash appends one leaf; the caller checked that it fits, so
// the carry below never runs past peaks[63].
func (b *Builder) appendLeafHash(leafHash Hash) {
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
// (Hasher().EmptyRoot() before the first). The builder stays usable. Like
// HashLeaf with an invalid Hasher, Root panics on the zero Builder (a
// programming error).
func (b *Builder) Root() Hash {
	if b.st == nil {
		panic("merkle: Root of the zero Builder (use NewBuilder)")
	}
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
// peak hashes, largest first, laid out as the package documentation
// specifies — so a gateway can resume a batch after a restart (write it
// next to its write-ahead log). The zero Builder has no state to save
// (ErrUnknownHasher).
func (b *Builder) MarshalBinary() ([]byte, error) {
	if b.st == nil {
		return nil, fmt.Errorf("%w: the zero Builder has none (use NewBuilder)", ErrUnknownHasher)
	}
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

// UnmarshalBinary restores a state saved by MarshalBinary, hasher included
// (the state's hasher replaces b's); every state has exactly one encoding. Malformed input is rejected with ErrMalformedProof
// or ErrUnknownHasher and leaves b unchanged. A restored builder of
// 2^64−1 leaves gives its root and refuses further appends.
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
		return fmt.Errorf("%w: builder state: %w", ErrMalformedProof, err)
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
