package merkle

import "fmt"

// VerifyInclusion checks that leafHash is the leaf at index in the tree of
// size leaves with the given root, using the inclusion path of RFC 9162
// §2.1.3.2. It returns nil or an error wrapping ErrUnknownHasher,
// ErrIndexOutOfRange, ErrProofLength or ErrRootMismatch; it neither panics
// nor allocates on any input. size must come from the same trusted source
// as root: a path that checks out for one size may for another (see the
// package documentation).
func VerifyInclusion(h Hasher, index, size uint64, leafHash Hash, path []Hash, root Hash) error {
	got, err := RootFromInclusionProof(h, index, size, leafHash, path)
	if err != nil {
		return err
	}
	if got != root {
		return fmt.Errorf("%w: inclusion proof of leaf %d in size %d", ErrRootMismatch, index, size)
	}
	return nil
}

// RootFromInclusionProof returns the root that the inclusion path implies
// for leafHash at index in a tree of size leaves.
func RootFromInclusionProof(h Hasher, index, size uint64, leafHash Hash, path []Hash) (Hash, error) {
	if err := checkHasher(h); err != nil {
		return Hash{}, err
	}
	if index >= size {
		return Hash{}, fmt.Errorf("%w: index %d, size %d", ErrIndexOutOfRange, index, size)
	}
	if want := InclusionPathLen(index, size); len(path) != want {
		return Hash{}, fmt.Errorf("%w: %d hashes for leaf %d of %d, want %d", ErrProofLength, len(path), index, size, want)
	}
	c := newChain(h)
	defer c.release()
	r := leafHash
	fn, sn := index, size-1
	for i := range path {
		if fn&1 == 1 || fn == sn {
			c.node(&r, &path[i], &r)
			if fn&1 == 0 {
				// A right-edge node with no sibling: climb to the level
				// where it is a right child.
				for fn&1 == 0 && fn != 0 {
					fn >>= 1
					sn >>= 1
				}
			}
		} else {
			c.node(&r, &r, &path[i])
		}
		fn >>= 1
		sn >>= 1
	}
	return r, nil
}

// VerifyConsistency checks that the tree of oldSize leaves with root
// oldRoot is a prefix of the tree of newSize leaves with root newRoot,
// using the consistency path of RFC 9162 §2.1.4.2. The empty tree is a
// prefix of every tree (the path must then be empty and oldRoot is not
// consulted); equal sizes need equal roots and an empty path. Errors wrap
// ErrUnknownHasher, ErrSizeOutOfRange, ErrProofLength or ErrRootMismatch;
// it neither panics nor allocates on any input.
func VerifyConsistency(h Hasher, oldSize, newSize uint64, oldRoot, newRoot Hash, path []Hash) error {
	if err := checkHasher(h); err != nil {
		return err
	}
	if oldSize > newSize {
		return fmt.Errorf("%w: old size %d > new size %d", ErrSizeOutOfRange, oldSize, newSize)
	}
	if oldSize == 0 || oldSize == newSize {
		if len(path) != 0 {
			return fmt.Errorf("%w: %d hashes from size %d to %d, want 0", ErrProofLength, len(path), oldSize, newSize)
		}
		if oldSize == newSize && oldRoot != newRoot {
			return fmt.Errorf("%w: different roots for equal sizes %d", ErrRootMismatch, oldSize)
		}
		return nil
	}
	if want := ConsistencyPathLen(oldSize, newSize); len(path) != want {
		return fmt.Errorf("%w: %d hashes from size %d to %d, want %d", ErrProofLength, len(path), oldSize, newSize, want)
	}
	c := newChain(h)
	defer c.release()
	var fr, sr Hash
	rest := path
	if oldSize&(oldSize-1) == 0 {
		// The old tree is a whole subtree of the new one: its root seeds
		// both chains.
		fr, sr = oldRoot, oldRoot
	} else {
		fr, sr = path[0], path[0]
		rest = path[1:]
	}
	fn, sn := oldSize-1, newSize-1
	for fn&1 == 1 {
		fn >>= 1
		sn >>= 1
	}
	for i := range rest {
		if fn&1 == 1 || fn == sn {
			c.node(&fr, &rest[i], &fr)
			c.node(&sr, &rest[i], &sr)
			if fn&1 == 0 {
				for fn&1 == 0 && fn != 0 {
					fn >>= 1
					sn >>= 1
				}
			}
		} else {
			c.node(&sr, &sr, &rest[i])
		}
		fn >>= 1
		sn >>= 1
	}
	if fr != oldRoot {
		return fmt.Errorf("%w: old root of size %d", ErrRootMismatch, oldSize)
	}
	if sr != newRoot {
		return fmt.Errorf("%w: new root of size %d", ErrRootMismatch, newSize)
	}
	return nil
}

// chain hashes the nodes of one verification with a pooled state, so that
// verifying allocates nothing.
type chain struct {
	s *state
}

func newChain(h Hasher) chain {
	if h == BLAKE3 {
		return chain{s: getState()}
	}
	return chain{s: getSHAState()}
}

func (c chain) release() {
	if c.s != nil {
		putState(c.s)
	}
}

func (c chain) node(out, l, r *Hash) {
	if c.s == nil {
		sha256Node(out, l, r)
		return
	}
	c.s.node(out, l, r)
}
