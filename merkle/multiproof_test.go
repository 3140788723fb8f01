package merkle

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

func randomIndices(rng *rand.Rand, size uint64, k int) []uint64 {
	set := map[uint64]bool{}
	for len(set) < k && uint64(len(set)) < size {
		set[rng.Uint64N(size)] = true
	}
	out := make([]uint64, 0, len(set))
	for x := range set {
		out = append(out, x)
	}
	slices.Sort(out)
	return out
}

func TestMultiInclusionProofs(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	leaves := randomLeaves(12, 300)
	for _, h := range []Hasher{SHA256, BLAKE3} {
		full := NewTree(h, leaves)
		for _, size := range []uint64{1, 2, 3, 7, 8, 64, 100, 257, 300} {
			root, _ := full.RootAt(size)
			for _, k := range []int{1, 2, 5, 17, 300} {
				idx := randomIndices(rng, size, k)
				p, err := full.MultiInclusionProofAt(idx, size)
				if err != nil {
					t.Fatal(err)
				}
				lh := make([]Hash, len(idx))
				single := 0
				for i, x := range idx {
					lh[i] = h.HashLeaf(leaves[x])
					single += InclusionPathLen(x, size)
				}
				if err := p.Verify(lh, root); err != nil {
					t.Fatalf("%s size %d, %d leaves: %v", h, size, len(idx), err)
				}
				if len(p.Path) > single {
					t.Fatalf("multi path of %d hashes, single paths %d", len(p.Path), single)
				}
				// Round trips.
				b, err := p.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				var q MultiInclusionProof
				if err := q.UnmarshalBinary(b); err != nil || !slices.Equal(q.Indices, p.Indices) || !equalPaths(q.Path, p.Path) {
					t.Fatalf("binary round trip: %v", err)
				}
				js, _ := p.MarshalJSON()
				var r MultiInclusionProof
				if err := r.UnmarshalJSON(js); err != nil || !slices.Equal(r.Indices, p.Indices) || !equalPaths(r.Path, p.Path) {
					t.Fatalf("JSON round trip: %v", err)
				}
				// A changed leaf, a dropped or added path hash, a moved index.
				bad := slices.Clone(lh)
				bad[len(bad)/2] = flip(bad[len(bad)/2], 5)
				if err := p.Verify(bad, root); !errors.Is(err, ErrRootMismatch) {
					t.Fatalf("changed leaf: %v", err)
				}
				if len(p.Path) > 0 {
					if err := VerifyMultiInclusion(h, size, idx, lh, p.Path[1:], root); !errors.Is(err, ErrProofLength) {
						t.Fatalf("short path: %v", err)
					}
				}
				if err := VerifyMultiInclusion(h, size, idx, lh, append(slices.Clone(p.Path), root), root); !errors.Is(err, ErrProofLength) {
					t.Fatalf("long path: %v", err)
				}
			}
		}
	}
}

func TestMultiInclusionErrors(t *testing.T) {
	tree := NewTree(SHA256, randomLeaves(13, 10))
	for name, idx := range map[string][]uint64{
		"empty":      {},
		"unsorted":   {3, 2},
		"repeated":   {2, 2},
		"past size":  {2, 10},
		"too many":   make([]uint64, MaxMultiLeaves+1),
		"max uint64": {^uint64(0)},
	} {
		_, err := tree.MultiInclusionProof(idx)
		if !errors.Is(err, ErrBadIndexList) && !errors.Is(err, ErrIndexOutOfRange) {
			t.Errorf("%s: %v", name, err)
		}
		err = VerifyMultiInclusion(SHA256, 10, idx, make([]Hash, len(idx)), nil, Hash{})
		if !errors.Is(err, ErrBadIndexList) && !errors.Is(err, ErrIndexOutOfRange) {
			t.Errorf("verify %s: %v", name, err)
		}
	}
	if err := VerifyMultiInclusion(SHA256, 10, []uint64{1, 2}, make([]Hash, 1), nil, Hash{}); !errors.Is(err, ErrBadIndexList) {
		t.Errorf("leaf count mismatch: %v", err)
	}
	if err := VerifyMultiInclusion(SHA256, 0, []uint64{0}, make([]Hash, 1), nil, Hash{}); !errors.Is(err, ErrIndexOutOfRange) {
		t.Errorf("size 0: %v", err)
	}
}

func FuzzMultiInclusionProofDecode(f *testing.F) {
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := fuzzTree(h)
		for _, idx := range [][]uint64{{0}, {1, 2, 3}, {0, 10}, {4, 6, 9}} {
			p, _ := tree.MultiInclusionProof(idx)
			b, _ := p.MarshalBinary()
			j, _ := p.MarshalJSON()
			f.Add(b)
			f.Add(j)
		}
	}
	f.Add([]byte{1, 3, 1, 11, 0x80, 0x80, 0x04})
	seedHostile(f, "decode-multi", "json-multi", "parse-json-multi")
	f.Fuzz(func(t *testing.T, data []byte) {
		var p MultiInclusionProof
		if err := p.UnmarshalBinary(data); err == nil {
			checkBinaryOneEncoding(t, data, p)
			if err := p.Verify(make([]Hash, len(p.Indices)), Hash{}); err != nil && !knownError(err) {
				t.Fatalf("untyped error %v", err)
			}
		} else {
			checkDecodeError(t, err)
		}
		var q MultiInclusionProof
		if err := q.UnmarshalJSON(data); err == nil {
			checkJSONOneEncoding(t, data, q)
		} else {
			checkDecodeError(t, err)
		}
	})
}

// FuzzVerifyMultiInclusion checks genuine multi-leaf proofs in trees and
// index sets chosen by the fuzzer, and that a changed path is rejected
// with a typed error.
func FuzzVerifyMultiInclusion(f *testing.F) {
	f.Add(uint8(1), uint16(11), []byte{0, 3, 4}, uint16(0), uint8(0))
	f.Add(uint8(2), uint16(1000), []byte{255, 1, 1, 1}, uint16(3), uint8(7))
	f.Fuzz(func(t *testing.T, hc uint8, size uint16, picks []byte, flipAt uint16, bit uint8) {
		h := Hasher(hc%2 + 1)
		n := uint64(size)%2000 + 1
		seen := map[uint64]bool{}
		var idx []uint64
		for _, p := range picks {
			x := (uint64(p) * 7919) % n
			if !seen[x] && len(idx) < MaxMultiLeaves {
				seen[x] = true
				idx = append(idx, x)
			}
		}
		if len(idx) == 0 {
			idx = []uint64{0}
		}
		slices.Sort(idx)
		leaves := generatedLeaves(int(n))
		tree := NewTree(h, leaves)
		p, err := tree.MultiInclusionProof(idx)
		if err != nil {
			t.Fatal(err)
		}
		lh := make([]Hash, len(idx))
		for i, x := range idx {
			lh[i], _ = tree.LeafHash(x)
		}
		if err := p.Verify(lh, tree.Root()); err != nil {
			t.Fatalf("genuine proof: %v", err)
		}
		if len(p.Path) > 0 {
			i := int(flipAt) % len(p.Path)
			p.Path[i] = flip(p.Path[i], int(bit))
			if err := p.Verify(lh, tree.Root()); !errors.Is(err, ErrRootMismatch) {
				t.Fatalf("flipped bit accepted or wrong error: %v", err)
			}
		}
	})
}
