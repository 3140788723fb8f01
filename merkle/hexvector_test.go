package merkle

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// TestSpecHexVectors decodes one vector of each binary encoding, written by
// hand from the tables in the package documentation (not produced by the
// encoder), and checks every field and the re-encoding. The trees are the
// RFC 6962 SHA-256 trees of the leaves "", 0x00 and 0x10, whose hashes are
// published test values:
//
//	leaf("")    6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d
//	leaf(0x00)  96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7
//	leaf(0x10)  0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7
//	node(0, 1)  fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125
//	root of 3   aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77
func TestSpecHexVectors(t *testing.T) {
	const (
		leaf0  = "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
		leaf1  = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"
		leaf2  = "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"
		node01 = "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
		root3  = "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"
	)
	hash := func(s string) Hash {
		var h Hash
		if err := h.UnmarshalText([]byte(s)); err != nil {
			t.Fatal(err)
		}
		return h
	}
	unhex := func(parts ...string) []byte {
		b, err := hex.DecodeString(strings.Join(parts, ""))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if got := SHA256.Root([][]byte{{}, {0x00}, {0x10}}); got != hash(root3) {
		t.Fatalf("root of the vector tree is %s", got)
	}

	t.Run("inclusion", func(t *testing.T) {
		// version 1, kind 1, SHA256, index 2, size 3, one hash: node(0, 1).
		in := unhex("01", "01", "02", "02", "03", "01", node01)
		var p InclusionProof
		if err := p.UnmarshalBinary(in); err != nil {
			t.Fatal(err)
		}
		if p.Hasher != SHA256 || p.Index != 2 || p.Size != 3 || len(p.Path) != 1 || p.Path[0] != hash(node01) {
			t.Fatalf("decoded %+v", p)
		}
		if err := p.Verify(hash(leaf2), hash(root3)); err != nil {
			t.Fatal(err)
		}
		reencode(t, in, p.MarshalBinary)
	})

	t.Run("consistency", func(t *testing.T) {
		// Two-byte uvarints: old size 300 = 0b10_0101100 → ac 02, new
		// size 1000 = 0b111_1101000 → e8 07. The path needs
		// ConsistencyPathLen(300, 1000) = 9 hashes; their values are
		// arbitrary here (hash i is 32 bytes of value i).
		var path []string
		for i := 1; i <= 9; i++ {
			path = append(path, strings.Repeat(hex.EncodeToString([]byte{byte(i)}), HashSize))
		}
		in := unhex("01", "02", "01", "ac02", "e807", "09", strings.Join(path, ""))
		var p ConsistencyProof
		if err := p.UnmarshalBinary(in); err != nil {
			t.Fatal(err)
		}
		if p.Hasher != BLAKE3 || p.OldSize != 300 || p.NewSize != 1000 || len(p.Path) != 9 || p.Path[8] != hash(path[8]) {
			t.Fatalf("decoded %+v", p)
		}
		reencode(t, in, p.MarshalBinary)
		// The same sizes with a non-minimal uvarint (300 as ac 82 00) are
		// another spelling and refused.
		if err := new(ConsistencyProof).UnmarshalBinary(unhex("01", "02", "01", "ac8200", "e807", "09", strings.Join(path, ""))); err == nil {
			t.Fatal("non-minimal uvarint accepted")
		}
	})

	t.Run("multi-leaf inclusion", func(t *testing.T) {
		// version 1, kind 3, SHA256, size 3, k = 2 leaves at indices 0 and
		// 2, n = 1 path hash: leaf 1, the only subtree holding neither.
		in := unhex("01", "03", "02", "03", "02", "00", "02", "01", leaf1)
		var p MultiInclusionProof
		if err := p.UnmarshalBinary(in); err != nil {
			t.Fatal(err)
		}
		if p.Hasher != SHA256 || p.Size != 3 || len(p.Indices) != 2 || p.Indices[0] != 0 || p.Indices[1] != 2 || len(p.Path) != 1 {
			t.Fatalf("decoded %+v", p)
		}
		if err := p.Verify([]Hash{hash(leaf0), hash(leaf2)}, hash(root3)); err != nil {
			t.Fatal(err)
		}
		reencode(t, in, p.MarshalBinary)
	})

	t.Run("builder state", func(t *testing.T) {
		// version 1, SHA256, size 3 = 0b11: the subtree of leaves 0–1
		// (bit 1) first, then leaf 2 (bit 0).
		in := unhex("01", "02", "03", node01, leaf2)
		b := NewBuilder(BLAKE3)
		if err := b.UnmarshalBinary(in); err != nil {
			t.Fatal(err)
		}
		if b.Hasher() != SHA256 || b.Size() != 3 || b.Root() != hash(root3) {
			t.Fatalf("restored %v, size %d, root %s", b.Hasher(), b.Size(), b.Root())
		}
		reencode(t, in, b.MarshalBinary)
	})
}

func reencode(t *testing.T, in []byte, marshal func() ([]byte, error)) {
	t.Helper()
	out, err := marshal()
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("re-encoded as %x (%v), want %x", out, err, in)
	}
}

// TestVerifyDoesNotAllocate holds the package documentation's claim that
// verifying a good proof allocates nothing, for both hashers and for
// inclusion, consistency and multi-leaf proofs.
func TestVerifyDoesNotAllocate(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("instrumented builds allocate (the race detector empties sync.Pools at random)")
	}
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := NewTree(h, generatedLeaves(1000))
		incl, _ := tree.InclusionProof(637)
		leaf, _ := tree.LeafHash(637)
		cons, _ := tree.ConsistencyProof(300, 1000)
		old, _ := tree.RootAt(300)
		multi, _ := tree.MultiInclusionProof([]uint64{3, 4, 500, 999})
		var leaves []Hash
		for _, i := range multi.Indices {
			lh, _ := tree.LeafHash(i)
			leaves = append(leaves, lh)
		}
		root := tree.Root()
		for name, verify := range map[string]func() error{
			"inclusion":   func() error { return VerifyInclusion(h, incl.Index, incl.Size, leaf, incl.Path, root) },
			"consistency": func() error { return VerifyConsistency(h, cons.OldSize, cons.NewSize, old, root, cons.Path) },
			"multi-leaf":  func() error { return VerifyMultiInclusion(h, multi.Size, multi.Indices, leaves, multi.Path, root) },
		} {
			if err := verify(); err != nil {
				t.Fatalf("%v %s: %v", h, name, err)
			}
			if n := testing.AllocsPerRun(100, func() { _ = verify() }); n != 0 {
				t.Errorf("%v %s: %v allocations per verification", h, name, n)
			}
		}
	}
}
