package merkle

import (
	"fmt"
	"math/bits"
)

// MaxPathLen is the most hashes an inclusion proof can hold: one per level
// of a tree of up to 2^64−1 leaves. Decoders reject longer paths.
const MaxPathLen = 64

// MaxConsistencyPathLen is the most hashes a consistency proof can hold.
const MaxConsistencyPathLen = MaxPathLen + 1

// InclusionProof shows that the leaf at Index is in the tree of Size leaves
// built with Hasher: Path lists the sibling hashes from the leaf up to the
// root, as RFC 9162 §2.1.3 defines them.
type InclusionProof struct {
	Hasher Hasher
	Index  uint64
	Size   uint64
	Path   []Hash
}

// ConsistencyProof shows that the tree of OldSize leaves is a prefix of the
// tree of NewSize leaves, both built with Hasher (RFC 9162 §2.1.4).
type ConsistencyProof struct {
	Hasher  Hasher
	OldSize uint64
	NewSize uint64
	Path    []Hash
}

// Verify checks that leafHash is at p.Index in the tree of p.Size leaves
// whose root is root. The proof does not authenticate p.Size (see the
// package documentation): compare it with the size root was published
// with.
func (p *InclusionProof) Verify(leafHash, root Hash) error {
	return VerifyInclusion(p.Hasher, p.Index, p.Size, leafHash, p.Path, root)
}

// Verify checks that the tree with root oldRoot and p.OldSize leaves is a
// prefix of the tree with root newRoot and p.NewSize leaves.
func (p *ConsistencyProof) Verify(oldRoot, newRoot Hash) error {
	return VerifyConsistency(p.Hasher, p.OldSize, p.NewSize, oldRoot, newRoot, p.Path)
}

// InclusionPathLen returns the number of hashes in the inclusion proof of
// leaf index in a tree of size leaves, or 0 if index ≥ size.
func InclusionPathLen(index, size uint64) int {
	if index >= size {
		return 0
	}
	inner := bits.Len64(index ^ (size - 1))
	return inner + bits.OnesCount64(index>>inner)
}

// ConsistencyPathLen returns the number of hashes in the consistency proof
// from oldSize to newSize leaves: 0 when oldSize is 0 or not below newSize.
func ConsistencyPathLen(oldSize, newSize uint64) int {
	if oldSize == 0 || oldSize >= newSize {
		return 0
	}
	n := InclusionPathLen(oldSize-1, newSize) - bits.TrailingZeros64(oldSize)
	if oldSize&(oldSize-1) != 0 {
		n++ // the old tree's root is not a node of the new tree's path
	}
	return n
}

// InclusionProof returns the proof that leaf index is in the tree.
func (t *Tree) InclusionProof(index uint64) (InclusionProof, error) {
	return t.InclusionProofAt(index, t.size)
}

// InclusionProofAt returns the proof that leaf index is in the tree of the
// first size leaves, for checking against a root published at that size.
func (t *Tree) InclusionProofAt(index, size uint64) (InclusionProof, error) {
	if size > t.size {
		return InclusionProof{}, fmt.Errorf("%w: size %d, tree has %d leaves", ErrSizeOutOfRange, size, t.size)
	}
	if index >= size {
		return InclusionProof{}, fmt.Errorf("%w: index %d, size %d", ErrIndexOutOfRange, index, size)
	}
	p := InclusionProof{Hasher: t.h, Index: index, Size: size}
	p.Path = t.appendInclusionPath(make([]Hash, 0, InclusionPathLen(index, size)), index, size)
	return p, nil
}

// AppendInclusionPath appends the inclusion path of leaf index in the
// whole tree to dst and returns it: InclusionProof without allocating when
// dst has room (MaxPathLen hashes always suffice), for servers that answer
// many proof requests.
func (t *Tree) AppendInclusionPath(dst []Hash, index uint64) ([]Hash, error) {
	if index >= t.size {
		return dst, fmt.Errorf("%w: index %d, size %d", ErrIndexOutOfRange, index, t.size)
	}
	return t.appendInclusionPath(dst, index, t.size), nil
}

func (t *Tree) appendInclusionPath(path []Hash, index, size uint64) []Hash {
	last := size - 1
	if size == t.size {
		// Every node of the whole tree is stored: the path is one lookup
		// per level, with no dependency between the loads.
		for k := 0; last>>k > 0; k++ {
			if sib := (index >> k) ^ 1; sib <= last>>k {
				path = append(path, t.levels[k][sib])
			}
		}
		return path
	}
	for k := 0; last>>k > 0; k++ {
		if sib := (index >> k) ^ 1; sib <= last>>k {
			path = append(path, t.node(k, sib, size))
		}
	}
	return path
}

// ConsistencyProof returns the proof that the tree of the first oldSize
// leaves is a prefix of the tree of the first newSize leaves
// (0 ≤ oldSize ≤ newSize ≤ t.Size()). The proof from size 0 is empty.
func (t *Tree) ConsistencyProof(oldSize, newSize uint64) (ConsistencyProof, error) {
	if newSize > t.size || oldSize > newSize {
		return ConsistencyProof{}, fmt.Errorf("%w: sizes %d → %d, tree has %d leaves", ErrSizeOutOfRange, oldSize, newSize, t.size)
	}
	p := ConsistencyProof{Hasher: t.h, OldSize: oldSize, NewSize: newSize}
	if oldSize == 0 || oldSize == newSize {
		p.Path = []Hash{}
		return p, nil
	}
	p.Path = t.subproof(make([]Hash, 0, ConsistencyPathLen(oldSize, newSize)), oldSize, 0, newSize, newSize, true)
	return p, nil
}

// subproof appends RFC 9162's SUBPROOF(m, D[lo:hi], whole) for the tree of
// the first size leaves: the old tree covers the first m leaves of the
// node [lo, hi).
func (t *Tree) subproof(path []Hash, m, lo, hi, size uint64, whole bool) []Hash {
	n := hi - lo
	if m == n {
		if whole {
			return path
		}
		return append(path, t.rangeHash(lo, hi, size))
	}
	k := uint64(1) << (bits.Len64(n-1) - 1) // largest power of two < n
	if m <= k {
		path = t.subproof(path, m, lo, lo+k, size, whole)
		return append(path, t.rangeHash(lo+k, hi, size))
	}
	path = t.subproof(path, m-k, lo+k, hi, size, false)
	return append(path, t.rangeHash(lo, lo+k, size))
}
