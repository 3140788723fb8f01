package merkle

import (
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// benchLeaves returns n leaves of 100 bytes each (the payload
// size), built once and shared by the benchmarks.
var benchLeaves = sync.OnceValue(func() [][]byte {
	const n, size = 1 << 20, 100
	buf := make([]byte, n*size)
	leaves := make([][]byte, n)
	for i := range leaves {
		l := buf[i*size : (i+1)*size : (i+1)*size]
		for j := 0; j+8 <= size; j += 8 {
			binary.LittleEndian.PutUint64(l[j:], uint64(i)*0x9e3779b97f4a7c15+uint64(j))
		}
		leaves[i] = l
	}
	return leaves
})

const benchTreeSize = 1_000_000

func reportLeaves(b *testing.B, n int) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "leaves/s")
}

// BenchmarkBuild1M builds the root of 1,000,000 leaves of 100 bytes: our
// hashers (root only, and the full tree with all levels) next to
// transparency-dev/merkle's compact.Range as its users call it.
func BenchmarkBuild1M(b *testing.B) {
	leaves := benchLeaves()[:benchTreeSize]
	b.Run("transparency-dev-compact", func(b *testing.B) {
		rh := rfc6962.DefaultHasher
		f := &compact.RangeFactory{Hash: rh.HashChildren}
		b.ReportAllocs()
		for b.Loop() {
			r := f.NewEmptyRange(0)
			for _, l := range leaves {
				if err := r.Append(rh.HashLeaf(l), nil); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := r.GetRootHash(nil); err != nil {
				b.Fatal(err)
			}
		}
		reportLeaves(b, len(leaves))
	})
	for _, h := range []Hasher{SHA256, BLAKE3} {
		b.Run(h.String()+"-root", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.Root(leaves)
			}
			reportLeaves(b, len(leaves))
		})
		b.Run(h.String()+"-tree", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NewTree(h, leaves)
			}
			reportLeaves(b, len(leaves))
		})
		b.Run(h.String()+"-builder", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bl := NewBuilder(h)
				if err := bl.AppendLeaves(leaves); err != nil {
					b.Fatal(err)
				}
				bl.Root()
			}
			reportLeaves(b, len(leaves))
		})
	}
}

var benchTrees sync.Map // Hasher → *Tree of benchTreeSize leaves

func benchTree(h Hasher) *Tree {
	if t, ok := benchTrees.Load(h); ok {
		return t.(*Tree)
	}
	t := NewTree(h, benchLeaves()[:benchTreeSize])
	benchTrees.Store(h, t)
	return t
}

// BenchmarkInclusionProof serves inclusion proofs from a built 1M tree:
// for consecutive leaves (paths share their upper levels, which stay in
// cache) and for leaves far apart (each lower level is a cache miss).
func BenchmarkInclusionProof(b *testing.B) {
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := benchTree(h)
		for _, c := range []struct {
			name   string
			stride uint64
		}{{"consecutive", 1}, {"scattered", 7919}} {
			b.Run(h.String()+"-"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				i := uint64(0)
				for b.Loop() {
					if _, err := tree.InclusionProof(i % benchTreeSize); err != nil {
						b.Fatal(err)
					}
					i += c.stride
				}
			})
			b.Run(h.String()+"-"+c.name+"-append", func(b *testing.B) {
				b.ReportAllocs()
				buf := make([]Hash, 0, MaxPathLen)
				i := uint64(0)
				for b.Loop() {
					if _, err := tree.AppendInclusionPath(buf[:0], i%benchTreeSize); err != nil {
						b.Fatal(err)
					}
					i += c.stride
				}
			})
		}
	}
}

// BenchmarkVerifyInclusion verifies an inclusion proof in a 1M tree, next
// to transparency-dev/merkle's proof.VerifyInclusion.
func BenchmarkVerifyInclusion(b *testing.B) {
	const index = 777_777
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := benchTree(h)
		p, _ := tree.InclusionProof(index)
		leaf, _ := tree.LeafHash(index)
		root := tree.Root()
		b.Run(h.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := VerifyInclusion(h, index, benchTreeSize, leaf, p.Path, root); err != nil {
					b.Fatal(err)
				}
			}
		})
		if h == SHA256 {
			b.Run("transparency-dev", func(b *testing.B) {
				path := toSlices(p.Path)
				b.ReportAllocs()
				for b.Loop() {
					if err := proof.VerifyInclusion(rfc6962.DefaultHasher, index, benchTreeSize, leaf[:], path, root[:]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkVerifyConsistency verifies a consistency proof 600,001 → 1M.
func BenchmarkVerifyConsistency(b *testing.B) {
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := benchTree(h)
		p, _ := tree.ConsistencyProof(600_001, benchTreeSize)
		old, _ := tree.RootAt(600_001)
		root := tree.Root()
		b.Run(h.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := p.Verify(old, root); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHash measures the two primitives of each hasher.
func BenchmarkHash(b *testing.B) {
	leaf := benchLeaves()[0]
	for _, h := range []Hasher{SHA256, BLAKE3} {
		b.Run(fmt.Sprintf("%s-leaf-%dB", h, len(leaf)), func(b *testing.B) {
			s := newState(h)
			var out Hash
			b.ReportAllocs()
			b.SetBytes(int64(len(leaf)))
			for b.Loop() {
				s.leaf(&out, leaf)
			}
		})
		b.Run(h.String()+"-node", func(b *testing.B) {
			s := newState(h)
			var l, r Hash
			b.ReportAllocs()
			for b.Loop() {
				s.node(&l, &l, &r)
			}
		})
	}
}

// BenchmarkBuild1MPaired runs the builds of BenchmarkBuild1M back to back
// inside each iteration and reports each one's leaves/s and the ratios, so
// that the comparison holds even when other processes share the cores:
// both sides of a ratio see the same load within a second or so.
func BenchmarkBuild1MPaired(b *testing.B) {
	leaves := benchLeaves()[:benchTreeSize]
	rh := rfc6962.DefaultHasher
	f := &compact.RangeFactory{Hash: rh.HashChildren}
	builds := []struct {
		name string
		run  func()
	}{
		{"compact", func() {
			r := f.NewEmptyRange(0)
			for _, l := range leaves {
				_ = r.Append(rh.HashLeaf(l), nil)
			}
			_, _ = r.GetRootHash(nil)
		}},
		{"sha256-root", func() { SHA256.Root(leaves) }},
		{"sha256-tree", func() { NewTree(SHA256, leaves) }},
		{"blake3-root", func() { BLAKE3.Root(leaves) }},
		{"blake3-tree", func() { NewTree(BLAKE3, leaves) }},
	}
	spent := make([]time.Duration, len(builds))
	for b.Loop() {
		for i, bl := range builds {
			start := time.Now()
			bl.run()
			spent[i] += time.Since(start)
		}
	}
	rate := func(i int) float64 { return float64(len(leaves)) * float64(b.N) / spent[i].Seconds() }
	for i, bl := range builds {
		b.ReportMetric(rate(i)/1e6, "M-leaves/s-"+bl.name)
	}
	b.ReportMetric(rate(1)/rate(0), "x-sha256-root/compact")
	b.ReportMetric(rate(2)/rate(0), "x-sha256-tree/compact")
	b.ReportMetric(rate(3)/rate(1), "x-blake3-root/sha256-root")
	b.ReportMetric(rate(4)/rate(2), "x-blake3-tree/sha256-tree")
}
