package merkle

import (
	"math/rand/v2"
	"testing"

	"github.com/zeebo/blake3"
)

// TestEightLanesMatchBLAKE3 compares the eight-lane path with
// github.com/zeebo/blake3 on random leaves of every block-boundary length
// and on random nodes.
func TestEightLanesMatchBLAKE3(t *testing.T) {
	if !haveX8 {
		t.Skip("no AVX2: the eight-lane path is not used on this machine")
	}
	s := newState(BLAKE3)
	rng := rand.New(rand.NewPCG(8, 8))
	lengths := []int{0, 1, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 500, 1023, 1024}
	for _, n := range lengths {
		leaves := make([][]byte, 8)
		for i := range leaves {
			leaves[i] = make([]byte, n)
			for j := range leaves[i] {
				leaves[i][j] = byte(rng.Uint32())
			}
		}
		var got [8]Hash
		leaves8(s.x8, &got, leaves, n)
		for i := range leaves {
			var want Hash
			blake3.DeriveKey(LeafContext, leaves[i], want[:])
			if got[i] != want {
				t.Fatalf("leaf of %d bytes, lane %d: %s, want %s", n, i, got[i], want)
			}
		}
	}
	key, _ := blake3.NewKeyed(nodeKey[:])
	for round := 0; round < 50; round++ {
		var src [16]Hash
		for i := range src {
			for j := range src[i] {
				src[i][j] = byte(rng.Uint32())
			}
		}
		var got [8]Hash
		nodes8(s.x8, &got, &src)
		for i := 0; i < 8; i++ {
			key.Reset()
			key.Write(src[2*i][:])
			key.Write(src[2*i+1][:])
			var want Hash
			key.Sum(want[:0])
			if got[i] != want {
				t.Fatalf("node lane %d: %s, want %s", i, got[i], want)
			}
		}
	}
	// In place, as reduce uses it.
	var buf [16]Hash
	for i := range buf {
		buf[i] = BLAKE3.HashLeaf([]byte{byte(i)})
	}
	want := make([]Hash, 8)
	for i := range want {
		want[i] = BLAKE3.HashNode(buf[2*i], buf[2*i+1])
	}
	nodes8(s.x8, (*[8]Hash)(buf[:8]), &buf)
	if !equalPaths(buf[:8], want) {
		t.Fatal("in-place nodes8 differs")
	}
}

// TestEightLaneTreeMatchesScalar builds trees whose leaves mix runs of
// equal and unequal lengths with and without the eight-lane path.
func TestEightLaneTreeMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	leaves := make([][]byte, 3000)
	for i := range leaves {
		n := 100
		if rng.IntN(10) == 0 {
			n = rng.IntN(1100)
		}
		leaves[i] = make([]byte, n)
		for j := range leaves[i] {
			leaves[i][j] = byte(rng.Uint32())
		}
	}
	scalar := newState(BLAKE3)
	scalar.x8 = nil
	hashes := make([]Hash, len(leaves))
	for i := range leaves {
		scalar.leaf(&hashes[i], leaves[i])
	}
	want := reduce(scalar, append([]Hash(nil), hashes...))
	if got := BLAKE3.Root(leaves); got != want {
		t.Fatalf("Root = %s, want %s", got, want)
	}
	if got := NewTree(BLAKE3, leaves).Root(); got != want {
		t.Fatalf("NewTree = %s, want %s", got, want)
	}
	b := NewBuilder(BLAKE3)
	for _, l := range leaves[:100] {
		if _, err := b.Append(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.AppendLeaves(leaves[100:]); err != nil {
		t.Fatal(err)
	}
	if b.Root() != want {
		t.Fatal("Builder root differs")
	}
}
