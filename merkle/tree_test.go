package merkle

import (
	"errors"
	"runtime"
	"testing"

	"github.com/iotrust/iotrust/canon"
)

func TestAppendInclusionPath(t *testing.T) {
	tree := NewTree(SHA256, randomLeaves(14, 37))
	buf := make([]Hash, 0, MaxPathLen)
	for i := uint64(0); i < 37; i++ {
		p, _ := tree.InclusionProof(i)
		got, err := tree.AppendInclusionPath(buf[:0], i)
		if err != nil || !equalPaths(got, p.Path) {
			t.Fatalf("leaf %d: %v, %v", i, got, err)
		}
	}
	if _, err := tree.AppendInclusionPath(nil, 37); !errors.Is(err, ErrIndexOutOfRange) {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = tree.AppendInclusionPath(buf[:0], 5) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

func TestEmptyTree(t *testing.T) {
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := NewTree(h, nil)
		if tree.Root() != h.EmptyRoot() || h.Root(nil) != h.EmptyRoot() || NewBuilder(h).Root() != h.EmptyRoot() {
			t.Errorf("%s: empty roots disagree", h)
		}
		if h.EmptyRoot() == h.HashLeaf(nil) {
			t.Errorf("%s: empty root equals the hash of an empty leaf", h)
		}
		if _, err := tree.InclusionProof(0); !errors.Is(err, ErrIndexOutOfRange) {
			t.Errorf("%s: proof in empty tree: %v", h, err)
		}
		if p, err := tree.ConsistencyProof(0, 0); err != nil || len(p.Path) != 0 {
			t.Errorf("%s: consistency 0→0: %v", h, err)
		}
	}
}

func TestTreeErrors(t *testing.T) {
	tree := NewTree(BLAKE3, vectorLeaves()[:5])
	for name, err := range map[string]error{
		"leaf hash":        second(tree.LeafHash(5)),
		"root at 6":        second(tree.RootAt(6)),
		"inclusion at 6":   second(tree.InclusionProofAt(0, 6)),
		"inclusion 3 at 3": second(tree.InclusionProofAt(3, 3)),
		"consistency 4→6":  second(tree.ConsistencyProof(4, 6)),
		"consistency 4→3":  second(tree.ConsistencyProof(4, 3)),
	} {
		if !errors.Is(err, ErrIndexOutOfRange) && !errors.Is(err, ErrSizeOutOfRange) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestBLAKE3ProofsAllSizes checks every inclusion and consistency proof of
// BLAKE3 trees up to 40 leaves against roots computed three ways.
func TestBLAKE3ProofsAllSizes(t *testing.T) {
	leaves := randomLeaves(9, 40)
	full := NewTree(BLAKE3, leaves)
	for n := uint64(1); n <= 40; n++ {
		tree := NewTree(BLAKE3, leaves[:n])
		root := tree.Root()
		if r, _ := full.RootAt(n); r != root || BLAKE3.Root(leaves[:n]) != root {
			t.Fatalf("size %d: roots disagree", n)
		}
		for i := uint64(0); i < n; i++ {
			p, err := full.InclusionProofAt(i, n)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Verify(BLAKE3.HashLeaf(leaves[i]), root); err != nil {
				t.Fatalf("inclusion %d/%d: %v", i, n, err)
			}
			if err := p.Verify(BLAKE3.HashLeaf(leaves[(i+1)%n]), root); n > 1 && !errors.Is(err, ErrRootMismatch) {
				t.Fatalf("inclusion %d/%d of another leaf: %v", i, n, err)
			}
		}
		for m := uint64(0); m <= n; m++ {
			p, err := full.ConsistencyProof(m, n)
			if err != nil {
				t.Fatal(err)
			}
			old, _ := full.RootAt(m)
			if err := p.Verify(old, root); err != nil {
				t.Fatalf("consistency %d→%d: %v", m, n, err)
			}
		}
	}
}

func TestDeterministicAcrossGOMAXPROCS(t *testing.T) {
	leaves := randomLeaves(5, 5*chunkLeaves+3)
	prev := runtime.GOMAXPROCS(1)
	one := NewTree(BLAKE3, leaves)
	oneRoot := BLAKE3.Root(leaves)
	runtime.GOMAXPROCS(4)
	many := NewTree(BLAKE3, leaves)
	manyRoot := BLAKE3.Root(leaves)
	runtime.GOMAXPROCS(prev)
	if one.Root() != many.Root() || oneRoot != manyRoot || oneRoot != one.Root() {
		t.Fatal("root depends on GOMAXPROCS")
	}
	for k := range one.levels {
		for i := range one.levels[k] {
			if one.levels[k][i] != many.levels[k][i] {
				t.Fatalf("level %d node %d differs", k, i)
			}
		}
	}
	hashes := make([]Hash, len(leaves))
	for i, l := range leaves {
		hashes[i] = BLAKE3.HashLeaf(l)
	}
	if NewTreeFromLeafHashes(BLAKE3, hashes).Root() != oneRoot || BLAKE3.RootFromLeafHashes(hashes) != oneRoot {
		t.Fatal("roots from leaf hashes differ")
	}
}

func TestBuilderStateRoundTrip(t *testing.T) {
	leaves := randomLeaves(3, 100)
	for _, h := range []Hasher{SHA256, BLAKE3} {
		b := NewBuilder(h)
		for i, l := range leaves {
			if _, err := b.Append(l); err != nil {
				t.Fatal(err)
			}
			if i == 36 {
				state, err := b.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				var resumed Builder
				if err := resumed.UnmarshalBinary(state); err != nil {
					t.Fatal(err)
				}
				if resumed.Hasher() != h || resumed.Size() != 37 {
					t.Fatalf("resumed %s at %d", resumed.Hasher(), resumed.Size())
				}
				b = &resumed
			}
		}
		if b.Root() != h.Root(leaves) {
			t.Fatalf("%s: resumed builder root differs", h)
		}
		b.Reset()
		if b.Size() != 0 || b.Root() != h.EmptyRoot() {
			t.Fatalf("%s: Reset", h)
		}
	}
	var b Builder
	for _, bad := range [][]byte{nil, {1}, {2, 1, 0}, {1, 9, 0}, {1, 1, 1}, {1, 1, 0x80, 0}} {
		if err := b.UnmarshalBinary(bad); err == nil || !knownError(err) {
			t.Errorf("UnmarshalBinary(%x) = %v", bad, err)
		}
	}
}

func TestDigestConversion(t *testing.T) {
	root := SHA256.Root([][]byte{[]byte("a")})
	d := SHA256.Digest(root)
	if d.Func != canon.SHA256 || d.Sum != [32]byte(root) {
		t.Fatalf("Digest = %v", d)
	}
	if got, err := SHA256.FromDigest(d); err != nil || got != root {
		t.Fatalf("FromDigest = %s, %v", got, err)
	}
	if _, err := BLAKE3.FromDigest(d); !errors.Is(err, ErrHasherMismatch) {
		t.Fatalf("FromDigest across hashers: %v", err)
	}
	if h, err := HasherFor(canon.BLAKE3); err != nil || h != BLAKE3 || h.Func() != canon.BLAKE3 {
		t.Fatalf("HasherFor = %v, %v", h, err)
	}
	if _, err := HasherFor(0); !errors.Is(err, ErrUnknownHasher) {
		t.Fatalf("HasherFor(0): %v", err)
	}
	if _, err := ParseHasher("md5"); !errors.Is(err, ErrUnknownHasher) {
		t.Fatalf("ParseHasher(md5): %v", err)
	}
	var h Hash
	if err := h.UnmarshalText([]byte(root.String())); err != nil || h != root {
		t.Fatalf("Hash text round trip: %v", err)
	}
}

func TestProofEncodingRoundTrip(t *testing.T) {
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := NewTree(h, randomLeaves(4, 300))
		for _, c := range [][2]uint64{{0, 1}, {299, 300}, {128, 257}, {5, 300}} {
			p, _ := tree.InclusionProofAt(c[0], c[1])
			b, _ := p.MarshalBinary()
			var q InclusionProof
			if err := q.UnmarshalBinary(b); err != nil || q.Index != p.Index || q.Size != p.Size || q.Hasher != h || !equalPaths(q.Path, p.Path) {
				t.Fatalf("binary round trip %v: %v", c, err)
			}
			c2, _ := tree.ConsistencyProof(c[0], c[1])
			j, _ := c2.MarshalJSON()
			var r ConsistencyProof
			if err := r.UnmarshalJSON(j); err != nil || r.OldSize != c2.OldSize || r.NewSize != c2.NewSize || !equalPaths(r.Path, c2.Path) {
				t.Fatalf("JSON round trip %v: %v", c, err)
			}
		}
	}
	if _, err := (InclusionProof{Hasher: SHA256, Index: 1, Size: 1}).MarshalBinary(); !errors.Is(err, ErrIndexOutOfRange) {
		t.Fatalf("marshal of a malformed proof: %v", err)
	}
	if MaxBinaryProofSize < 3+1+1+1+MaxConsistencyPathLen*HashSize {
		t.Fatal("MaxBinaryProofSize too small")
	}
}

// TestMaximalProofs covers the size limits: the deepest possible proofs
// have MaxPathLen and MaxConsistencyPathLen hashes and round-trip.
func TestMaximalProofs(t *testing.T) {
	max := ^uint64(0)
	if n := InclusionPathLen(0, max); n != MaxPathLen {
		t.Fatalf("InclusionPathLen(0, max) = %d", n)
	}
	longest := 0
	for _, old := range []uint64{3, 5, 1<<63 - 1, 1<<63 + 1, max - 1} {
		longest = max0(longest, ConsistencyPathLen(old, max))
	}
	if longest > MaxConsistencyPathLen {
		t.Fatalf("consistency path of %d hashes", longest)
	}
	p := ConsistencyProof{Hasher: SHA256, OldSize: 3, NewSize: max, Path: make([]Hash, ConsistencyPathLen(3, max))}
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > MaxBinaryProofSize {
		t.Fatalf("%d bytes", len(b))
	}
	var q ConsistencyProof
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if err := q.Verify(Hash{}, Hash{}); !errors.Is(err, ErrRootMismatch) {
		t.Fatal(err)
	}
}

func max0(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// TestInclusionSizeNotAuthenticated holds the documented limit of an
// inclusion proof: it binds the leaf to the root, not to the size it is
// told, so verifiers must take the size from where the root comes from.
func TestInclusionSizeNotAuthenticated(t *testing.T) {
	for _, h := range []Hasher{BLAKE3, SHA256} {
		leaves := make([][]byte, 1000)
		for i := range leaves {
			leaves[i] = []byte{byte(i), byte(i >> 8)}
		}
		tr := NewTree(h, leaves)
		p, err := tr.InclusionProof(0)
		if err != nil {
			t.Fatal(err)
		}
		leaf := h.HashLeaf(leaves[0])
		if err := VerifyInclusion(h, 0, 1001, leaf, p.Path, tr.Root()); err != nil {
			t.Errorf("%v: the documented example (size 1001 for a proof of size 1000) no longer holds: %v", h, err)
		}
		if err := VerifyInclusion(h, 0, 1025, leaf, p.Path, tr.Root()); err == nil {
			t.Errorf("%v: a proof of size 1000 checks out for size 1025", h)
		}
	}
}

// TestBuilderRestoreTakesStateHasher holds Builder.UnmarshalBinary's
// documented rule: the saved state's hasher replaces the receiver's.
func TestBuilderRestoreTakesStateHasher(t *testing.T) {
	b := NewBuilder(SHA256)
	for i := range 5 {
		if _, err := b.Append([]byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	r := NewBuilder(BLAKE3)
	if err := r.UnmarshalBinary(st); err != nil {
		t.Fatal(err)
	}
	if r.Hasher() != SHA256 || r.Root() != b.Root() || r.Size() != 5 {
		t.Errorf("restored builder: hasher %v size %d, root equal %v", r.Hasher(), r.Size(), r.Root() == b.Root())
	}
}
