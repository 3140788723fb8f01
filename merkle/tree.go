package merkle

import (
	"fmt"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/iotrust/iotrust/canon"
)

// Tree is a Merkle tree held in memory with every level stored, so that
// inclusion and consistency proofs are served by lookups. Level 0 holds the
// leaf hashes; each level above holds the hashes of pairs of the level
// below, with a lone last node carried up unchanged — which is exactly the
// RFC 6962 shape (see the package documentation). A Tree is immutable and
// safe for concurrent use.
type Tree struct {
	h      Hasher
	size   uint64
	levels [][]Hash
}

// chunkShift sets the work unit of parallel builds: 2^12 leaves, whose
// hashes (128 KiB) stay in a core's cache while they are paired up. It must
// be a power of two so that every chunk is a whole subtree.
const (
	chunkShift  = 12
	chunkLeaves = 1 << chunkShift
)

// NewTree hashes leaves with h and builds the tree over them. Large trees
// are built on all GOMAXPROCS cores; the result does not depend on how many.
// NewTree panics if h is not a valid Hasher (a programming error).
func NewTree(h Hasher, leaves [][]byte) *Tree {
	mustValid(h)
	t := newTreeLevels(h, len(leaves))
	t.build(func(s *state, lo, hi int) {
		s.leaves(t.levels[0][lo:hi], leaves[lo:hi])
	})
	return t
}

// NewTreeFromLeafHashes builds the tree over leaf hashes already computed
// with h.HashLeaf (for instance by a gateway as readings arrived). The
// hashes are copied.
func NewTreeFromLeafHashes(h Hasher, leafHashes []Hash) *Tree {
	mustValid(h)
	t := newTreeLevels(h, len(leafHashes))
	t.build(func(_ *state, lo, hi int) { copy(t.levels[0][lo:hi], leafHashes[lo:hi]) })
	return t
}

func mustValid(h Hasher) {
	if !h.Valid() {
		panic(invalidHasher(h))
	}
}

// newTreeLevels allocates all levels of a tree of n leaves in one slice.
func newTreeLevels(h Hasher, n int) *Tree {
	t := &Tree{h: h, size: uint64(n)}
	if n == 0 {
		return t
	}
	total, depth := 0, 0
	for w := n; ; w = (w + 1) / 2 {
		total += w
		depth++
		if w == 1 {
			break
		}
	}
	all := make([]Hash, total)
	t.levels = make([][]Hash, depth)
	for k, w := 0, n; k < depth; k, w = k+1, (w+1)/2 {
		t.levels[k], all = all[:w:w], all[w:]
	}
	return t
}

// build fills the levels. fillLeaves writes level 0 for leaves [lo, hi).
// Leaves are cut into chunks of chunkLeaves; a worker takes a chunk, fills
// its leaves and the levels above them up to the chunk's root, then takes
// the next. The few levels above the chunk roots are hashed afterwards by
// one goroutine. Every node is computed from the same inputs whatever the
// schedule, so the tree is deterministic.
func (t *Tree) build(fillLeaves func(s *state, lo, hi int)) {
	n := int(t.size)
	if n == 0 {
		return
	}
	chunks := (n + chunkLeaves - 1) / chunkLeaves
	parallel(t.h, chunks, func(s *state, j int) {
		lo, hi := j*chunkLeaves, min((j+1)*chunkLeaves, n)
		fillLeaves(s, lo, hi)
		for k := 1; k < len(t.levels) && k <= chunkShift; k++ {
			src := t.levels[k-1][lo>>(k-1) : ceilShift(hi, k-1)]
			dst := t.levels[k][lo>>k : ceilShift(hi, k)]
			pairUp(s, dst, src)
		}
	})
	if len(t.levels) > chunkShift+1 {
		s := newState(t.h)
		for k := chunkShift + 1; k < len(t.levels); k++ {
			pairUp(s, t.levels[k], t.levels[k-1])
		}
	}
}

func ceilShift(x, k int) int { return (x + 1<<k - 1) >> k }

// pairUp hashes src in pairs into dst, carrying a lone last node up
// unchanged; len(dst) must be (len(src)+1)/2. dst may be src's first half
// (in-place reduction): dst[i] is written after src[2i] and src[2i+1] are
// read.
func pairUp(s *state, dst, src []Hash) {
	m := len(src) / 2
	i := 0
	if s.x8 != nil {
		for ; i+8 <= m; i += 8 {
			nodes8(s.x8, (*[8]Hash)(dst[i:i+8]), (*[16]Hash)(src[2*i:2*i+16]))
		}
	}
	for ; i < m; i++ {
		s.node(&dst[i], &src[2*i], &src[2*i+1])
	}
	if len(src)%2 == 1 {
		dst[m] = src[len(src)-1]
	}
}

// reduce pairs buf up in place until one hash is left and returns it.
func reduce(s *state, buf []Hash) Hash {
	for len(buf) > 1 {
		w := (len(buf) + 1) / 2
		pairUp(s, buf[:w], buf)
		buf = buf[:w]
	}
	return buf[0]
}

// parallel runs work(s, j) for j in [0, jobs) on up to GOMAXPROCS
// goroutines, each with its own hashing state; the calling goroutine is
// one of them.
func parallel(h Hasher, jobs int, work func(s *state, j int)) {
	workers := min(runtime.GOMAXPROCS(0), jobs)
	if workers <= 1 {
		s := newState(h)
		for j := 0; j < jobs; j++ {
			work(s, j)
		}
		return
	}
	var next atomic.Int64
	run := func() {
		s := newState(h)
		for {
			j := int(next.Add(1) - 1)
			if j >= jobs {
				return
			}
			work(s, j)
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() { defer wg.Done(); run() }()
	}
	run()
	wg.Wait()
}

// Root returns the root of the tree over leaves without keeping the tree:
// each worker hashes a chunk of leaves into a cache-sized scratch buffer
// and pairs it up in place. It panics if h is not a valid Hasher.
func (h Hasher) Root(leaves [][]byte) Hash {
	mustValid(h)
	return h.chunkedRoot(len(leaves), func(s *state, dst []Hash, lo int) {
		s.leaves(dst, leaves[lo:lo+len(dst)])
	})
}

// RootFromLeafHashes returns the root of the tree over leaf hashes already
// computed with h.HashLeaf. It panics if h is not a valid Hasher.
func (h Hasher) RootFromLeafHashes(leafHashes []Hash) Hash {
	mustValid(h)
	return h.chunkedRoot(len(leafHashes), func(_ *state, dst []Hash, lo int) {
		copy(dst, leafHashes[lo:])
	})
}

func (h Hasher) chunkedRoot(n int, fill func(s *state, dst []Hash, lo int)) Hash {
	if n == 0 {
		return h.EmptyRoot()
	}
	chunks := (n + chunkLeaves - 1) / chunkLeaves
	roots := make([]Hash, chunks)
	scratch := make(chan []Hash, runtime.GOMAXPROCS(0))
	parallel(h, chunks, func(s *state, j int) {
		var buf []Hash
		select {
		case buf = <-scratch:
		default:
			buf = make([]Hash, min(chunkLeaves, n))
		}
		lo, hi := j*chunkLeaves, min((j+1)*chunkLeaves, n)
		b := buf[:hi-lo]
		fill(s, b, lo)
		roots[j] = reduce(s, b)
		select {
		case scratch <- buf:
		default:
		}
	})
	// Chunks are whole subtrees, so the tree above them is the RFC 6962
	// tree whose leaves are the chunk roots.
	return reduce(newState(h), roots)
}

// Hasher returns the hasher the tree was built with.
func (t *Tree) Hasher() Hasher { return t.h }

// Size returns the number of leaves.
func (t *Tree) Size() uint64 { return t.size }

// Root returns the root hash (h.EmptyRoot() for a tree without leaves).
func (t *Tree) Root() Hash {
	if t.size == 0 {
		return t.h.EmptyRoot()
	}
	return t.levels[len(t.levels)-1][0]
}

// Digest returns the root with its hash function attached.
func (t *Tree) Digest() canon.Digest { return t.h.Digest(t.Root()) }

// LeafHash returns the hash of leaf index.
func (t *Tree) LeafHash(index uint64) (Hash, error) {
	if index >= t.size {
		return Hash{}, fmt.Errorf("%w: index %d, size %d", ErrIndexOutOfRange, index, t.size)
	}
	return t.levels[0][index], nil
}

// RootAt returns the root the tree had when it held its first size leaves,
// so that a log can prove against roots it published earlier.
func (t *Tree) RootAt(size uint64) (Hash, error) {
	if size > t.size {
		return Hash{}, fmt.Errorf("%w: size %d, tree has %d leaves", ErrSizeOutOfRange, size, t.size)
	}
	if size == 0 {
		return t.h.EmptyRoot(), nil
	}
	return t.rangeHash(0, size, size), nil
}

// node returns the hash of the node at level k, position idx, in the tree
// of the first size leaves: the root of leaves [idx·2^k, min((idx+1)·2^k,
// size)). Whole subtrees and the right edge of the full tree are stored;
// the right edge of a smaller tree is folded from the whole subtrees that
// make it up (at most 63 node hashes).
func (t *Tree) node(k int, idx, size uint64) Hash {
	lo := idx << k
	if size == t.size || lo+1<<k <= size {
		return t.levels[k][idx]
	}
	// [lo, size) is the concatenation of whole subtrees whose sizes are the
	// set bits of size-lo, largest first; RFC 6962 splits at the largest,
	// so the root folds them from the right.
	rest := size - lo
	var acc Hash
	first := true
	for j := 0; j < k; j++ {
		if rest&(1<<j) == 0 {
			continue
		}
		start := lo + (rest &^ (1<<(j+1) - 1))
		piece := t.levels[j][start>>j]
		if first {
			acc, first = piece, false
		} else {
			acc = t.h.HashNode(piece, acc)
		}
	}
	return acc
}

// rangeHash returns the root of leaves [lo, hi) of the tree of the first
// size leaves; [lo, hi) must be a node of that tree.
func (t *Tree) rangeHash(lo, hi, size uint64) Hash {
	k := bits.Len64(hi - lo - 1)
	return t.node(k, lo>>k, size)
}
