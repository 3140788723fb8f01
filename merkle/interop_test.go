package merkle

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// reference is an RFC 6962 tree kept by transparency-dev/merkle, the
// independent implementation the SHA256 hasher must equal.
type reference struct {
	nodes map[compact.NodeID][]byte
	roots [][]byte // roots[m] is the root of the first m leaves
}

func newReference(t testing.TB, leaves [][]byte) *reference {
	rh := rfc6962.DefaultHasher
	f := &compact.RangeFactory{Hash: rh.HashChildren}
	r := f.NewEmptyRange(0)
	ref := &reference{nodes: map[compact.NodeID][]byte{}, roots: [][]byte{rh.EmptyRoot()}}
	visit := func(id compact.NodeID, h []byte) { ref.nodes[id] = h }
	for _, l := range leaves {
		if err := r.Append(rh.HashLeaf(l), visit); err != nil {
			t.Fatal(err)
		}
		root, err := r.GetRootHash(nil)
		if err != nil {
			t.Fatal(err)
		}
		ref.roots = append(ref.roots, root)
	}
	return ref
}

func (ref *reference) path(t testing.TB, n proof.Nodes) []Hash {
	hashes := make([][]byte, len(n.IDs))
	for i, id := range n.IDs {
		h, ok := ref.nodes[id]
		if !ok {
			t.Fatalf("reference lacks node %+v", id)
		}
		hashes[i] = h
	}
	p, err := n.Rehash(hashes, rfc6962.DefaultHasher.HashChildren)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]Hash, len(p))
	for i := range p {
		out[i] = Hash(p[i])
	}
	return out
}

func randomLeaves(seed uint64, n int) [][]byte {
	rng := rand.New(rand.NewPCG(seed, 0x10715))
	leaves := make([][]byte, n)
	for i := range leaves {
		l := make([]byte, rng.IntN(80))
		for j := range l {
			l[j] = byte(rng.Uint32())
		}
		leaves[i] = l
	}
	return leaves
}

func toSlices(p []Hash) [][]byte {
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = p[i][:]
	}
	return out
}

// TestSHA256MatchesTransparencyDev compares roots, inclusion proofs and
// consistency proofs with transparency-dev/merkle for every tree size from
// 0 to 1000: exhaustively up to 70 leaves, for sampled indices and old
// sizes above.
func TestSHA256MatchesTransparencyDev(t *testing.T) {
	const maxSize = 1000
	leaves := randomLeaves(1, maxSize)
	ref := newReference(t, leaves)
	full := NewTree(SHA256, leaves)
	rh := rfc6962.DefaultHasher
	rng := rand.New(rand.NewPCG(2, 2))
	b := NewBuilder(SHA256)
	for m := 0; m <= maxSize; m++ {
		if m > 0 {
			if _, err := b.Append(leaves[m-1]); err != nil {
				t.Fatal(err)
			}
		}
		want := Hash(ref.roots[m])
		tree := NewTree(SHA256, leaves[:m])
		for name, got := range map[string]Hash{
			"Root":               SHA256.Root(leaves[:m]),
			"NewTree":            tree.Root(),
			"Builder":            b.Root(),
			"RootFromLeafHashes": SHA256.RootFromLeafHashes(full.levels0(m)),
		} {
			if got != want {
				t.Fatalf("size %d: %s = %s, want %s", m, name, got, want)
			}
		}
		if got, _ := full.RootAt(uint64(m)); got != want {
			t.Fatalf("RootAt(%d) = %s, want %s", m, got, want)
		}
		size := uint64(m)
		var indices, olds []uint64
		if m <= 70 {
			for i := uint64(0); i <= size; i++ {
				indices = append(indices, i)
				olds = append(olds, i)
			}
		} else {
			indices = []uint64{0, size - 1, size / 2, rng.Uint64N(size), rng.Uint64N(size)}
			olds = []uint64{0, 1, size - 1, size, rng.Uint64N(size), rng.Uint64N(size)}
		}
		for _, i := range indices {
			if i >= size {
				continue
			}
			nodes, err := proof.Inclusion(i, size)
			if err != nil {
				t.Fatal(err)
			}
			wantPath := ref.path(t, nodes)
			for _, p := range []func() (InclusionProof, error){
				func() (InclusionProof, error) { return full.InclusionProofAt(i, size) },
				func() (InclusionProof, error) { return tree.InclusionProof(i) },
			} {
				got, err := p()
				if err != nil {
					t.Fatal(err)
				}
				if !equalPaths(got.Path, wantPath) {
					t.Fatalf("inclusion %d/%d: path %v, want %v", i, size, got.Path, wantPath)
				}
			}
			lh := rh.HashLeaf(leaves[i])
			if err := VerifyInclusion(SHA256, i, size, Hash(lh), wantPath, want); err != nil {
				t.Fatalf("inclusion %d/%d: %v", i, size, err)
			}
			if err := proof.VerifyInclusion(rh, i, size, lh, toSlices(wantPath), want[:]); err != nil {
				t.Fatalf("reference rejects inclusion %d/%d: %v", i, size, err)
			}
		}
		for _, old := range olds {
			nodes, err := proof.Consistency(old, size)
			if err != nil {
				t.Fatal(err)
			}
			wantPath := ref.path(t, nodes)
			got, err := full.ConsistencyProof(old, size)
			if err != nil {
				t.Fatal(err)
			}
			if !equalPaths(got.Path, wantPath) {
				t.Fatalf("consistency %d→%d: path %v, want %v", old, size, got.Path, wantPath)
			}
			oldRoot := Hash(ref.roots[old])
			if err := VerifyConsistency(SHA256, old, size, oldRoot, want, wantPath); err != nil {
				t.Fatalf("consistency %d→%d: %v", old, size, err)
			}
			if err := proof.VerifyConsistency(rh, old, size, toSlices(wantPath), oldRoot[:], want[:]); err != nil {
				t.Fatalf("reference rejects consistency %d→%d: %v", old, size, err)
			}
		}
	}
}

// levels0 returns the first m leaf hashes of the tree.
func (t *Tree) levels0(m int) []Hash {
	if m == 0 {
		return nil
	}
	return t.levels[0][:m]
}

// TestLargeTreesMatchTransparencyDev covers trees above the parallel build
// threshold, whose chunks are hashed on several goroutines.
func TestLargeTreesMatchTransparencyDev(t *testing.T) {
	sizes := []int{chunkLeaves - 1, chunkLeaves, chunkLeaves + 1, 3*chunkLeaves + 77}
	if !testing.Short() {
		sizes = append(sizes, 9*chunkLeaves+1)
	}
	for _, n := range sizes {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			leaves := randomLeaves(uint64(n), n)
			rh := rfc6962.DefaultHasher
			f := &compact.RangeFactory{Hash: rh.HashChildren}
			r := f.NewEmptyRange(0)
			for _, l := range leaves {
				_ = r.Append(rh.HashLeaf(l), nil)
			}
			want, _ := r.GetRootHash(nil)
			tree := NewTree(SHA256, leaves)
			for name, got := range map[string]Hash{"Root": SHA256.Root(leaves), "NewTree": tree.Root()} {
				if !bytes.Equal(got[:], want) {
					t.Fatalf("%s = %s, want %x", name, got, want)
				}
			}
			for _, i := range []uint64{0, uint64(n) / 3, uint64(n) - 1} {
				p, err := tree.InclusionProof(i)
				if err != nil {
					t.Fatal(err)
				}
				if err := proof.VerifyInclusion(rh, i, uint64(n), rh.HashLeaf(leaves[i]), toSlices(p.Path), want); err != nil {
					t.Fatalf("reference rejects our inclusion proof of %d: %v", i, err)
				}
			}
		})
	}
}
