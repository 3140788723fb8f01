package merkle

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

// hexBytes is a byte string written as hex in test vectors.
type hexBytes []byte

func (b *hexBytes) UnmarshalText(t []byte) error {
	v, err := hex.DecodeString(string(t))
	*b = v
	return err
}

func (b hexBytes) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(b)), nil }

// treeVectors is the layout of testdata/rfc6962.json and
// testdata/blake3.json.
type treeVectors struct {
	Comment    string `json:"comment,omitempty"`
	Hasher     Hasher `json:"hasher"`
	EmptyRoot  Hash   `json:"empty_root"`
	LeafHashes []struct {
		Data hexBytes `json:"data"`
		Hash Hash     `json:"hash"`
	} `json:"leaf_hashes"`
	NodeHashes []struct {
		Left  Hash `json:"left"`
		Right Hash `json:"right"`
		Hash  Hash `json:"hash"`
	} `json:"node_hashes,omitempty"`
	Leaves    []hexBytes `json:"leaves"`
	Roots     []Hash     `json:"roots"` // Roots[i] is the root of Leaves[:i+1]
	Inclusion []struct {
		Index uint64 `json:"index"`
		Size  uint64 `json:"size"`
		Path  []Hash `json:"path"`
	} `json:"inclusion"`
	Consistency []struct {
		OldSize uint64 `json:"old_size"`
		NewSize uint64 `json:"new_size"`
		Path    []Hash `json:"path"`
	} `json:"consistency"`
	MultiInclusion []multiVector `json:"multi_inclusion,omitempty"`
}

type multiVector struct {
	Size    uint64   `json:"size"`
	Indices []uint64 `json:"indices"`
	Path    []Hash   `json:"path"`
}

func loadVectors(t *testing.T, name string) treeVectors {
	t.Helper()
	raw, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var v treeVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(v.Roots) != len(v.Leaves) || len(v.Leaves) == 0 {
		t.Fatalf("%s: %d roots for %d leaves", name, len(v.Roots), len(v.Leaves))
	}
	return v
}

func TestRFC6962Vectors(t *testing.T) { checkVectors(t, loadVectors(t, "testdata/rfc6962.json")) }

func TestBLAKE3Vectors(t *testing.T) { checkVectors(t, loadVectors(t, "testdata/blake3.json")) }

func checkVectors(t *testing.T, v treeVectors) {
	h := v.Hasher
	if got := h.EmptyRoot(); got != v.EmptyRoot {
		t.Errorf("EmptyRoot = %s, want %s", got, v.EmptyRoot)
	}
	for _, lh := range v.LeafHashes {
		if got := h.HashLeaf(lh.Data); got != lh.Hash {
			t.Errorf("HashLeaf(%x) = %s, want %s", []byte(lh.Data), got, lh.Hash)
		}
	}
	for _, nh := range v.NodeHashes {
		if got := h.HashNode(nh.Left, nh.Right); got != nh.Hash {
			t.Errorf("HashNode(%s, %s) = %s, want %s", nh.Left, nh.Right, got, nh.Hash)
		}
	}
	leaves := make([][]byte, len(v.Leaves))
	for i, l := range v.Leaves {
		leaves[i] = l
	}
	full := NewTree(h, leaves)
	b := NewBuilder(h)
	for i, want := range v.Roots {
		size := i + 1
		if _, err := b.Append(leaves[i]); err != nil {
			t.Fatal(err)
		}
		if got := h.Root(leaves[:size]); got != want {
			t.Errorf("Root(size %d) = %s, want %s", size, got, want)
		}
		if got := NewTree(h, leaves[:size]).Root(); got != want {
			t.Errorf("NewTree(size %d).Root = %s, want %s", size, got, want)
		}
		if got := b.Root(); got != want {
			t.Errorf("Builder root at size %d = %s, want %s", size, got, want)
		}
		if got, err := full.RootAt(uint64(size)); err != nil || got != want {
			t.Errorf("RootAt(%d) = %s, %v; want %s", size, got, err, want)
		}
	}
	for _, c := range v.Inclusion {
		p, err := full.InclusionProofAt(c.Index, c.Size)
		if err != nil {
			t.Fatalf("InclusionProofAt(%d, %d): %v", c.Index, c.Size, err)
		}
		if !equalPaths(p.Path, c.Path) {
			t.Errorf("inclusion %d/%d: path %v, want %v", c.Index, c.Size, p.Path, c.Path)
		}
		leaf := h.HashLeaf(leaves[c.Index])
		if err := VerifyInclusion(h, c.Index, c.Size, leaf, c.Path, v.Roots[c.Size-1]); err != nil {
			t.Errorf("inclusion %d/%d: %v", c.Index, c.Size, err)
		}
	}
	for _, c := range v.MultiInclusion {
		p, err := full.MultiInclusionProofAt(c.Indices, c.Size)
		if err != nil {
			t.Fatalf("MultiInclusionProofAt(%v, %d): %v", c.Indices, c.Size, err)
		}
		if !equalPaths(p.Path, c.Path) {
			t.Errorf("multi-inclusion %v/%d: path %v, want %v", c.Indices, c.Size, p.Path, c.Path)
		}
		lh := make([]Hash, len(c.Indices))
		for i, x := range c.Indices {
			lh[i] = h.HashLeaf(leaves[x])
		}
		if err := VerifyMultiInclusion(h, c.Size, c.Indices, lh, c.Path, v.Roots[c.Size-1]); err != nil {
			t.Errorf("multi-inclusion %v/%d: %v", c.Indices, c.Size, err)
		}
	}
	for _, c := range v.Consistency {
		p, err := full.ConsistencyProof(c.OldSize, c.NewSize)
		if err != nil {
			t.Fatalf("ConsistencyProof(%d, %d): %v", c.OldSize, c.NewSize, err)
		}
		if !equalPaths(p.Path, c.Path) {
			t.Errorf("consistency %d→%d: path %v, want %v", c.OldSize, c.NewSize, p.Path, c.Path)
		}
		if err := VerifyConsistency(h, c.OldSize, c.NewSize, v.Roots[c.OldSize-1], v.Roots[c.NewSize-1], c.Path); err != nil {
			t.Errorf("consistency %d→%d: %v", c.OldSize, c.NewSize, err)
		}
	}
}

func equalPaths(a, b []Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
