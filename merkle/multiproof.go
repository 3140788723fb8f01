package merkle

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"sort"
)

// MaxMultiLeaves is the most leaves one MultiInclusionProof covers.
// Larger sets are proven with several proofs.
const MaxMultiLeaves = 1024

// MultiInclusionProof shows that several leaves are in one tree, with each
// hash their inclusion paths share given once. Path lists the roots of
// the largest subtrees that contain none of the leaves, in the order a
// left-to-right walk of the tree meets them; the verifier walks the tree
// the same way. For k leaves of a tree of n, the path has at most
// k·⌈log2 n⌉ hashes, and far fewer for neighbouring leaves (a run of
// consecutive leaves needs about 2·log2 n).
type MultiInclusionProof struct {
	Hasher  Hasher
	Size    uint64
	Indices []uint64 // strictly increasing, each below Size
	Path    []Hash
}

// MultiInclusionProof returns the proof that the leaves at indices
// (strictly increasing) are in the tree.
func (t *Tree) MultiInclusionProof(indices []uint64) (MultiInclusionProof, error) {
	return t.MultiInclusionProofAt(indices, t.size)
}

// MultiInclusionProofAt returns the proof that the leaves at indices are
// in the tree of the first size leaves.
func (t *Tree) MultiInclusionProofAt(indices []uint64, size uint64) (MultiInclusionProof, error) {
	if size > t.size {
		return MultiInclusionProof{}, fmt.Errorf("%w: size %d, tree has %d leaves", ErrSizeOutOfRange, size, t.size)
	}
	if err := checkIndexList(indices, len(indices), size); err != nil {
		return MultiInclusionProof{}, err
	}
	p := MultiInclusionProof{Hasher: t.h, Size: size, Indices: append([]uint64(nil), indices...)}
	p.Path = make([]Hash, 0, multiPathLen(indices, 0, size))
	p.Path = t.appendMultiPath(p.Path, indices, 0, size, size)
	return p, nil
}

func (t *Tree) appendMultiPath(path []Hash, idx []uint64, lo, hi, size uint64) []Hash {
	if len(idx) == 0 {
		return append(path, t.rangeHash(lo, hi, size))
	}
	if hi-lo == 1 {
		return path
	}
	mid := lo + splitPoint(hi-lo)
	j := sort.Search(len(idx), func(i int) bool { return idx[i] >= mid })
	path = t.appendMultiPath(path, idx[:j], lo, mid, size)
	return t.appendMultiPath(path, idx[j:], mid, hi, size)
}

// splitPoint returns the largest power of two below n (n ≥ 2), where RFC
// 6962 splits a tree of n leaves.
func splitPoint(n uint64) uint64 { return 1 << (bits.Len64(n-1) - 1) }

// multiPathLen counts the hashes of the multi-leaf path for idx in the
// node [lo, hi).
func multiPathLen(idx []uint64, lo, hi uint64) int {
	if len(idx) == 0 {
		return 1
	}
	if hi-lo == 1 {
		return 0
	}
	mid := lo + splitPoint(hi-lo)
	j := sort.Search(len(idx), func(i int) bool { return idx[i] >= mid })
	return multiPathLen(idx[:j], lo, mid) + multiPathLen(idx[j:], mid, hi)
}

func checkIndexList(indices []uint64, leaves int, size uint64) error {
	if len(indices) == 0 || len(indices) > MaxMultiLeaves || len(indices) != leaves {
		return fmt.Errorf("%w: %d indices for %d leaf hashes (1 to %d)", ErrBadIndexList, len(indices), leaves, MaxMultiLeaves)
	}
	for i, x := range indices {
		if i > 0 && x <= indices[i-1] {
			return fmt.Errorf("%w: index %d follows %d", ErrBadIndexList, x, indices[i-1])
		}
	}
	if last := indices[len(indices)-1]; last >= size {
		return fmt.Errorf("%w: index %d, size %d", ErrIndexOutOfRange, last, size)
	}
	return nil
}

// Verify checks that leafHashes (one per index, in the same order) are the
// leaves at p.Indices of the tree of p.Size leaves with the given root.
func (p *MultiInclusionProof) Verify(leafHashes []Hash, root Hash) error {
	return VerifyMultiInclusion(p.Hasher, p.Size, p.Indices, leafHashes, p.Path, root)
}

// VerifyMultiInclusion checks a multi-leaf inclusion path. Errors wrap
// ErrUnknownHasher, ErrBadIndexList, ErrIndexOutOfRange, ErrProofLength or
// ErrRootMismatch; it does not panic on any input.
func VerifyMultiInclusion(h Hasher, size uint64, indices []uint64, leafHashes []Hash, path []Hash, root Hash) error {
	if err := checkHasher(h); err != nil {
		return err
	}
	if err := checkIndexList(indices, len(leafHashes), size); err != nil {
		return err
	}
	if want := multiPathLen(indices, 0, size); len(path) != want {
		return fmt.Errorf("%w: %d hashes for %d leaves of %d, want %d", ErrProofLength, len(path), len(indices), size, want)
	}
	v := multiVerifier{c: newChain(h), path: path}
	defer v.c.release()
	if got := v.root(indices, leafHashes, 0, size); got != root {
		return fmt.Errorf("%w: multi-leaf proof of %d leaves in size %d", ErrRootMismatch, len(indices), size)
	}
	return nil
}

type multiVerifier struct {
	c    chain
	path []Hash
}

// root recomputes the hash of the node [lo, hi) from the leaves in it and
// the path, consuming path hashes in the order appendMultiPath wrote them.
func (v *multiVerifier) root(idx []uint64, leaves []Hash, lo, hi uint64) Hash {
	if len(idx) == 0 {
		h := v.path[0]
		v.path = v.path[1:]
		return h
	}
	if hi-lo == 1 {
		return leaves[0]
	}
	mid := lo + splitPoint(hi-lo)
	j := sort.Search(len(idx), func(i int) bool { return idx[i] >= mid })
	l := v.root(idx[:j], leaves[:j], lo, mid)
	r := v.root(idx[j:], leaves[j:], mid, hi)
	v.c.node(&l, &l, &r)
	return l
}

// kindMultiInclusion is the kind byte of a MultiInclusionProof's binary
// form (specified in the package documentation).
const kindMultiInclusion = 3

// MaxBinaryMultiProofSize bounds the binary form of a MultiInclusionProof.
const MaxBinaryMultiProofSize = 3 + 3*10 + MaxMultiLeaves*10 + MaxMultiLeaves*MaxPathLen*HashSize

// MaxJSONMultiProofSize bounds the JSON form of a MultiInclusionProof.
const MaxJSONMultiProofSize = 5 << 20

func (p *MultiInclusionProof) check() error {
	if err := checkHasher(p.Hasher); err != nil {
		return err
	}
	if err := checkIndexList(p.Indices, len(p.Indices), p.Size); err != nil {
		return err
	}
	if want := multiPathLen(p.Indices, 0, p.Size); len(p.Path) != want {
		return fmt.Errorf("%w: %d hashes for %d leaves of %d, want %d", ErrProofLength, len(p.Path), len(p.Indices), p.Size, want)
	}
	return nil
}

// MarshalBinary encodes the proof in its binary form (see the package
// documentation).
func (p MultiInclusionProof) MarshalBinary() ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	out := append([]byte(nil), proofVersion, kindMultiInclusion, byte(p.Hasher))
	out = binary.AppendUvarint(out, p.Size)
	out = binary.AppendUvarint(out, uint64(len(p.Indices)))
	for _, x := range p.Indices {
		out = binary.AppendUvarint(out, x)
	}
	out = binary.AppendUvarint(out, uint64(len(p.Path)))
	for i := range p.Path {
		out = append(out, p.Path[i][:]...)
	}
	return out, nil
}

// UnmarshalBinary decodes the binary form; it rejects anything that is not
// exactly one well-formed proof and leaves p unchanged on error.
func (p *MultiInclusionProof) UnmarshalBinary(b []byte) error {
	if len(b) > MaxBinaryMultiProofSize {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrMalformedProof, len(b), MaxBinaryMultiProofSize)
	}
	if len(b) < 3 || b[0] != proofVersion || b[1] != kindMultiInclusion {
		return fmt.Errorf("%w: not a version %d multi-leaf inclusion proof", ErrMalformedProof, proofVersion)
	}
	v := MultiInclusionProof{Hasher: Hasher(b[2])}
	if err := checkHasher(v.Hasher); err != nil {
		return err
	}
	rest := b[3:]
	var k, n uint64
	var err error
	if v.Size, rest, err = readUvarint(rest); err != nil {
		return fmt.Errorf("%w: size: %w", ErrMalformedProof, err)
	}
	if k, rest, err = readUvarint(rest); err != nil {
		return fmt.Errorf("%w: leaf count: %w", ErrMalformedProof, err)
	}
	if k == 0 || k > MaxMultiLeaves {
		return fmt.Errorf("%w: %d leaves (1 to %d)", ErrBadIndexList, k, MaxMultiLeaves)
	}
	v.Indices = make([]uint64, k)
	for i := range v.Indices {
		if v.Indices[i], rest, err = readUvarint(rest); err != nil {
			return fmt.Errorf("%w: index %d: %w", ErrMalformedProof, i, err)
		}
	}
	if n, rest, err = readUvarint(rest); err != nil {
		return fmt.Errorf("%w: path length: %w", ErrMalformedProof, err)
	}
	if n > MaxMultiLeaves*MaxPathLen {
		return fmt.Errorf("%w: path of %d hashes", ErrMalformedProof, n)
	}
	if uint64(len(rest)) != n*HashSize {
		return fmt.Errorf("%w: %d path bytes for %d hashes", ErrMalformedProof, len(rest), n)
	}
	v.Path = make([]Hash, n)
	for i := range v.Path {
		copy(v.Path[i][:], rest[i*HashSize:])
	}
	if err := v.check(); err != nil {
		return err
	}
	*p = v
	return nil
}

// multiJSON is the JSON form of a MultiInclusionProof, as written.
type multiJSON struct {
	Type    string   `json:"type"`
	Hasher  Hasher   `json:"hasher"`
	Size    uint64   `json:"size"`
	Indices []uint64 `json:"indices"`
	Path    []Hash   `json:"path"`
}

// multiWire is the JSON form as read (see inclusionWire); a null index is
// refused rather than read as 0.
type multiWire struct {
	Type    *string    `json:"type"`
	Hasher  *string    `json:"hasher"`
	Size    *uint64    `json:"size"`
	Indices *[]*uint64 `json:"indices"`
	Path    *[]string  `json:"path"`
}

const jsonMultiInclusion = "multi-inclusion"

// MarshalJSON encodes the proof as {"type":"multi-inclusion","hasher":…,
// "size":…,"indices":[…],"path":["<hex>",…]}.
func (p MultiInclusionProof) MarshalJSON() ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	path := p.Path
	if path == nil {
		path = []Hash{}
	}
	return json.Marshal(multiJSON{jsonMultiInclusion, p.Hasher, p.Size, p.Indices, path})
}

// UnmarshalJSON decodes the JSON form strictly (see the package
// documentation), at most MaxJSONMultiProofSize bytes. It leaves p
// unchanged on error.
func (p *MultiInclusionProof) UnmarshalJSON(b []byte) error {
	var w multiWire
	if err := decodeJSON(b, &w, MaxJSONMultiProofSize); err != nil {
		return err
	}
	if err := present(member{w.Type != nil, "type"}, member{w.Hasher != nil, "hasher"}, member{w.Size != nil, "size"}, member{w.Indices != nil, "indices"}, member{w.Path != nil, "path"}); err != nil {
		return err
	}
	if err := checkType(*w.Type, jsonMultiInclusion); err != nil {
		return err
	}
	h, err := ParseHasher(*w.Hasher)
	if err != nil {
		return err
	}
	if len(*w.Indices) > MaxMultiLeaves {
		return fmt.Errorf("%w: %d indices, limit %d", ErrBadIndexList, len(*w.Indices), MaxMultiLeaves)
	}
	indices := make([]uint64, len(*w.Indices))
	for i, x := range *w.Indices {
		if x == nil {
			return fmt.Errorf("%w: index %d is null", ErrMalformedProof, i)
		}
		indices[i] = *x
	}
	path, err := parseHexPath(*w.Path)
	if err != nil {
		return err
	}
	v := MultiInclusionProof{Hasher: h, Size: *w.Size, Indices: indices, Path: path}
	if err := v.check(); err != nil {
		return err
	}
	*p = v
	return nil
}
