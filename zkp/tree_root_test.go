package zkp

import "testing"

// naiveRoot is the plain definition: pad to capacity, pair level by level.
func naiveRoot(t *testing.T, cs []Commitment, capacity int) Root {
	level := make([][ElementSize]byte, capacity)
	for i := range level {
		if i < len(cs) {
			level[i] = cs[i]
		} else {
			level[i] = PaddingLeaf()
		}
	}
	for len(level) > 1 {
		for i := 0; i < len(level)/2; i++ {
			n, err := compress(level[2*i][:], level[2*i+1][:])
			if err != nil {
				t.Fatal(err)
			}
			level[i] = n
		}
		level = level[:len(level)/2]
	}
	return Root(level[0])
}

// TestMerkleRootMatchesDefinition checks the memoised-padding, two-core
// MerkleRoot against the plain definition for every fill of several
// capacities, across the parallel threshold.
func TestMerkleRootMatchesDefinition(t *testing.T) {
	cs := make([]Commitment, 256)
	for i := range cs {
		c, _, err := Commit(uint64(i), nil)
		if err != nil {
			t.Fatal(err)
		}
		cs[i] = c
	}
	for _, capacity := range []int{1, 2, 16, 128, 256} {
		for n := 1; n <= capacity; n++ {
			if capacity >= 128 && n%7 != 0 && n != 1 && n != capacity/2 && n != capacity/2+1 && n != capacity {
				continue
			}
			got, err := MerkleRoot(cs[:n], capacity)
			if err != nil {
				t.Fatal(err)
			}
			if want := naiveRoot(t, cs[:n], capacity); got != want {
				t.Fatalf("capacity %d, %d commitments: root differs from the definition", capacity, n)
			}
		}
	}
}
