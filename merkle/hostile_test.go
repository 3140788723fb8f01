package merkle

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

// hostileCase is one entry of testdata/hostile.json: an input that a
// decoder or verifier must reject with the named error (or accept, when
// Want is empty, to show the case is one change away from valid).
type hostileCase struct {
	Name string `json:"name"`
	// Op is what the input is fed to: "decode-inclusion",
	// "decode-consistency" (binary, then Verify against the roots),
	// "json-inclusion", "json-consistency", "verify-inclusion",
	// "verify-consistency".
	Op         string   `json:"op"`
	Binary     hexBytes `json:"binary,omitempty"`
	JSON       string   `json:"json,omitempty"`
	HasherCode uint8    `json:"hasher_code,omitempty"`
	Index      uint64   `json:"index,omitempty"`
	Size       uint64   `json:"size,omitempty"`
	OldSize    uint64   `json:"old_size,omitempty"`
	NewSize    uint64   `json:"new_size,omitempty"`
	Leaf       Hash     `json:"leaf"`
	Root       Hash     `json:"root"`
	OldRoot    Hash     `json:"old_root"`
	Path       []Hash   `json:"path,omitempty"`
	Indices    []uint64 `json:"indices,omitempty"`
	LeafHashes []Hash   `json:"leaf_hashes,omitempty"`
	Want       string   `json:"want"`
}

var errorNames = map[string]error{
	"ErrUnknownHasher":   ErrUnknownHasher,
	"ErrHasherMismatch":  ErrHasherMismatch,
	"ErrIndexOutOfRange": ErrIndexOutOfRange,
	"ErrSizeOutOfRange":  ErrSizeOutOfRange,
	"ErrProofLength":     ErrProofLength,
	"ErrRootMismatch":    ErrRootMismatch,
	"ErrMalformedProof":  ErrMalformedProof,
	"ErrBadIndexList":    ErrBadIndexList,
}

func (c *hostileCase) run() error {
	h := Hasher(c.HasherCode)
	switch c.Op {
	case "verify-inclusion":
		return VerifyInclusion(h, c.Index, c.Size, c.Leaf, c.Path, c.Root)
	case "verify-consistency":
		return VerifyConsistency(h, c.OldSize, c.NewSize, c.OldRoot, c.Root, c.Path)
	case "verify-multi":
		return VerifyMultiInclusion(h, c.Size, c.Indices, c.LeafHashes, c.Path, c.Root)
	case "decode-multi":
		var p MultiInclusionProof
		if err := p.UnmarshalBinary(c.Binary); err != nil {
			return err
		}
		return p.Verify(c.LeafHashes, c.Root)
	case "decode-inclusion", "json-inclusion":
		var p InclusionProof
		var err error
		if c.Op == "json-inclusion" {
			err = p.UnmarshalJSON([]byte(c.JSON))
		} else {
			err = p.UnmarshalBinary(c.Binary)
		}
		if err != nil {
			return err
		}
		return p.Verify(c.Leaf, c.Root)
	case "decode-consistency", "json-consistency":
		var p ConsistencyProof
		var err error
		if c.Op == "json-consistency" {
			err = p.UnmarshalJSON([]byte(c.JSON))
		} else {
			err = p.UnmarshalBinary(c.Binary)
		}
		if err != nil {
			return err
		}
		return p.Verify(c.OldRoot, c.Root)
	}
	return errors.New("unknown op " + c.Op)
}

func (c *hostileCase) check() error {
	err := c.run()
	if c.Want == "" {
		if err != nil {
			return errors.New(c.Name + ": want success, got " + err.Error())
		}
		return nil
	}
	want, ok := errorNames[c.Want]
	if !ok {
		return errors.New(c.Name + ": unknown error name " + c.Want)
	}
	if !errors.Is(err, want) {
		return errors.New(c.Name + ": want " + c.Want + ", got " + errString(err))
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

func TestHostileVectors(t *testing.T) {
	raw, err := os.ReadFile("testdata/hostile.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []hostileCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 40 {
		t.Fatalf("only %d hostile cases", len(cases))
	}
	for i := range cases {
		if err := cases[i].check(); err != nil {
			t.Error(err)
		}
	}
}

// TestWriteHostileVectors regenerates testdata/hostile.json with -update.
// Each case states the error it must produce; generation fails if the
// implementation disagrees, so the file records reasoning, not output.
func TestWriteHostileVectors(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate testdata/hostile.json")
	}
	var cases []hostileCase
	for _, h := range []Hasher{SHA256, BLAKE3} {
		cases = append(cases, hostileCases(t, h)...)
	}
	for i := range cases {
		if err := cases[i].check(); err != nil {
			t.Fatal(err)
		}
	}
	writeJSON(t, "testdata/hostile.json", cases)
}

func flip(h Hash, bit int) Hash {
	h[bit/8] ^= 1 << (bit % 8)
	return h
}

func clonePath(p []Hash) []Hash { return append([]Hash(nil), p...) }

func hostileCases(t *testing.T, h Hasher) []hostileCase {
	leaves := vectorLeaves()[:11]
	tree := NewTree(h, leaves)
	code := uint8(h)
	name := func(s string) string { return h.String() + ": " + s }
	root := tree.Root()
	leaf6 := h.HashLeaf(leaves[6])
	incl, _ := tree.InclusionProof(6) // 4 hashes
	incl5, _ := tree.InclusionProof(5)
	vi := func(n string, index, size uint64, leaf Hash, path []Hash, r Hash, want string) hostileCase {
		return hostileCase{Name: name(n), Op: "verify-inclusion", HasherCode: code, Index: index, Size: size, Leaf: leaf, Root: r, Path: path, Want: want}
	}
	other := h.HashLeaf([]byte("garbage"))
	cs := []hostileCase{
		vi("valid inclusion", 6, 11, leaf6, incl.Path, root, ""),
		vi("flipped bit in first path hash", 6, 11, leaf6, append([]Hash{flip(incl.Path[0], 3)}, incl.Path[1:]...), root, "ErrRootMismatch"),
		vi("flipped bit in last path hash", 6, 11, leaf6, append(clonePath(incl.Path[:3]), flip(incl.Path[3], 255)), root, "ErrRootMismatch"),
		vi("flipped bit in leaf", 6, 11, flip(leaf6, 0), incl.Path, root, "ErrRootMismatch"),
		vi("flipped bit in root", 6, 11, leaf6, incl.Path, flip(root, 100), "ErrRootMismatch"),
		vi("garbage before the proof", 6, 11, leaf6, append([]Hash{other}, incl.Path...), root, "ErrProofLength"),
		vi("garbage after the proof", 6, 11, leaf6, append(clonePath(incl.Path), other), root, "ErrProofLength"),
		vi("root appended to the proof", 6, 11, leaf6, append(clonePath(incl.Path), root), root, "ErrProofLength"),
		vi("truncated proof", 6, 11, leaf6, incl.Path[:3], root, "ErrProofLength"),
		vi("empty proof", 6, 11, leaf6, nil, root, "ErrProofLength"),
		// A root does not commit to its size (RFC 9162 signs the size next
		// to it), so a path whose shape is the same at another size checks.
		vi("size 12 has the same path shape: accepted", 6, 12, leaf6, incl.Path, root, ""),
		vi("proof for the wrong size (7)", 6, 7, leaf6, incl.Path, root, "ErrProofLength"),
		vi("proof for the wrong size (30)", 6, 30, leaf6, incl.Path, root, "ErrProofLength"),
		vi("proof of another leaf", 6, 11, leaf6, incl5.Path, root, "ErrRootMismatch"),
		vi("index at size", 11, 11, leaf6, incl.Path, root, "ErrIndexOutOfRange"),
		vi("index beyond size", 1<<63, 11, leaf6, incl.Path, root, "ErrIndexOutOfRange"),
		vi("size 0", 0, 0, leaf6, nil, h.EmptyRoot(), "ErrIndexOutOfRange"),
		vi("maximal size, empty path", 0, ^uint64(0), leaf6, nil, root, "ErrProofLength"),
		vi("swapped path hashes", 6, 11, leaf6, []Hash{incl.Path[1], incl.Path[0], incl.Path[2], incl.Path[3]}, root, "ErrRootMismatch"),
		vi("leaf hash given as the root", 6, 11, leaf6, incl.Path, leaf6, "ErrRootMismatch"),
	}
	unknown := vi("unknown hasher", 6, 11, leaf6, incl.Path, root, "ErrUnknownHasher")
	unknown.HasherCode = 7
	cs = append(cs, unknown)

	// Consistency 5 → 11 (path of 4 hashes) and 4 → 11 (old size a power of two).
	cons, _ := tree.ConsistencyProof(5, 11)
	cons4, _ := tree.ConsistencyProof(4, 11)
	root5, _ := tree.RootAt(5)
	root4, _ := tree.RootAt(4)
	vc := func(n string, old, new uint64, oldRoot, newRoot Hash, path []Hash, want string) hostileCase {
		return hostileCase{Name: name(n), Op: "verify-consistency", HasherCode: code, OldSize: old, NewSize: new, OldRoot: oldRoot, Root: newRoot, Path: path, Want: want}
	}
	cs = append(cs,
		vc("valid consistency", 5, 11, root5, root, cons.Path, ""),
		vc("valid consistency from a power of two", 4, 11, root4, root, cons4.Path, ""),
		vc("flipped bit in first path hash", 5, 11, root5, root, append([]Hash{flip(cons.Path[0], 7)}, cons.Path[1:]...), "ErrRootMismatch"),
		vc("flipped bit in last path hash", 5, 11, root5, root, append(clonePath(cons.Path[:len(cons.Path)-1]), flip(cons.Path[len(cons.Path)-1], 9)), "ErrRootMismatch"),
		vc("flipped bit in old root", 4, 11, flip(root4, 1), root, cons4.Path, "ErrRootMismatch"),
		vc("swapped roots", 5, 11, root, root5, cons.Path, "ErrRootMismatch"),
		vc("garbage before the proof", 5, 11, root5, root, append([]Hash{other}, cons.Path...), "ErrProofLength"),
		vc("garbage after the proof", 5, 11, root5, root, append(clonePath(cons.Path), other), "ErrProofLength"),
		vc("truncated proof", 5, 11, root5, root, cons.Path[:len(cons.Path)-1], "ErrProofLength"),
		vc("empty proof", 5, 11, root5, root, nil, "ErrProofLength"),
		vc("new size 12 has the same path shape: accepted", 5, 12, root5, root, cons.Path, ""),
		vc("proof for the wrong new size (17)", 5, 17, root5, root, cons.Path, "ErrProofLength"),
		vc("proof for the wrong old size", 7, 11, root5, root, cons.Path, "ErrRootMismatch"),
		vc("old size above new size", 12, 11, root5, root, cons.Path, "ErrSizeOutOfRange"),
		vc("old size 0 with a path", 0, 11, h.EmptyRoot(), root, cons.Path, "ErrProofLength"),
		vc("old size 0, empty path", 0, 11, h.EmptyRoot(), root, nil, ""),
		vc("equal sizes, different roots", 11, 11, root5, root, nil, "ErrRootMismatch"),
		vc("equal sizes with a path", 11, 11, root, root, cons.Path, "ErrProofLength"),
	)

	// Binary forms.
	bin, _ := incl.MarshalBinary()
	dec := func(n string, b []byte, want string) hostileCase {
		return hostileCase{Name: name(n), Op: "decode-inclusion", Binary: b, Leaf: leaf6, Root: root, Want: want}
	}
	flipped := bytes.Clone(bin)
	flipped[len(flipped)-5] ^= 0x10
	withKind := bytes.Clone(bin)
	withKind[1] = kindConsistency
	withVersion := bytes.Clone(bin)
	withVersion[0] = 2
	withHasher := bytes.Clone(bin)
	withHasher[2] = 0
	nonMinimal := append([]byte{bin[0], bin[1], bin[2], 0x86, 0x00}, bin[4:]...) // index 6 as two bytes
	wrongSize := appendProof(nil, kindInclusion, h, 6, 30, incl.Path)
	indexAtSize := appendProof(nil, kindInclusion, h, 11, 11, incl.Path)
	tooMany := append([]byte{bin[0], bin[1], bin[2], 6, 11, 200}, make([]byte, 200*HashSize)...)
	cs = append(cs,
		dec("valid binary inclusion", bin, ""),
		dec("flipped bit in an encoded path hash", flipped, "ErrRootMismatch"),
		dec("garbage byte before the proof", append([]byte{0xff}, bin...), "ErrMalformedProof"),
		dec("version byte repeated before the proof", append([]byte{proofVersion}, bin...), "ErrMalformedProof"),
		dec("trailing byte", append(bytes.Clone(bin), 0), "ErrMalformedProof"),
		dec("truncated by one byte", bin[:len(bin)-1], "ErrMalformedProof"),
		dec("header only", bin[:3], "ErrMalformedProof"),
		dec("empty input", nil, "ErrMalformedProof"),
		dec("consistency kind", withKind, "ErrMalformedProof"),
		dec("unknown version", withVersion, "ErrMalformedProof"),
		dec("hasher 0", withHasher, "ErrUnknownHasher"),
		dec("non-minimal varint", nonMinimal, "ErrMalformedProof"),
		dec("proof for the wrong size", wrongSize, "ErrProofLength"),
		dec("index at size", indexAtSize, "ErrIndexOutOfRange"),
		dec("path count over the limit", tooMany, "ErrMalformedProof"),
		dec("oversized input", make([]byte, MaxBinaryProofSize+1), "ErrMalformedProof"),
	)
	cbin, _ := cons.MarshalBinary()
	cs = append(cs,
		hostileCase{Name: name("valid binary consistency"), Op: "decode-consistency", Binary: cbin, OldRoot: root5, Root: root},
		hostileCase{Name: name("inclusion kind as consistency"), Op: "decode-consistency", Binary: bin, OldRoot: root5, Root: root, Want: "ErrMalformedProof"},
		hostileCase{Name: name("old size above new size"), Op: "decode-consistency", Binary: appendProof(nil, kindConsistency, h, 12, 11, cons.Path), OldRoot: root5, Root: root, Want: "ErrSizeOutOfRange"},
		hostileCase{Name: name("consistency padded"), Op: "decode-consistency", Binary: append(bytes.Clone(cbin), make([]byte, HashSize)...), OldRoot: root5, Root: root, Want: "ErrMalformedProof"},
	)

	// JSON forms.
	js, _ := incl.MarshalJSON()
	j := func(n, s, want string) hostileCase {
		return hostileCase{Name: name(n), Op: "json-inclusion", JSON: s, Leaf: leaf6, Root: root, Want: want}
	}
	jsS := string(js)
	cs = append(cs,
		j("valid JSON inclusion", jsS, ""),
		j("unknown field", strings.Replace(jsS, `"index"`, `"extra":1,"index"`, 1), "ErrMalformedProof"),
		j("consistency type", strings.Replace(jsS, `"inclusion"`, `"consistency"`, 1), "ErrMalformedProof"),
		j("unknown hasher", strings.Replace(jsS, `"`+h.String()+`"`, `"md5"`, 1), "ErrUnknownHasher"),
		j("hash of 63 hex digits", strings.Replace(jsS, incl.Path[0].String(), incl.Path[0].String()[1:], 1), "ErrMalformedProof"),
		j("non-hex hash", strings.Replace(jsS, incl.Path[0].String(), "zz"+incl.Path[0].String()[2:], 1), "ErrMalformedProof"),
		j("negative index", strings.Replace(jsS, `"index":6`, `"index":-6`, 1), "ErrMalformedProof"),
		j("index as a string", strings.Replace(jsS, `"index":6`, `"index":"6"`, 1), "ErrMalformedProof"),
		j("index at size", strings.Replace(jsS, `"index":6`, `"index":11`, 1), "ErrIndexOutOfRange"),
		j("proof for the wrong size", strings.Replace(jsS, `"size":11`, `"size":30`, 1), "ErrProofLength"),
		j("size 12 has the same path shape: accepted", strings.Replace(jsS, `"size":11`, `"size":12`, 1), ""),
		j("trailing garbage", jsS+"}", "ErrMalformedProof"),
		j("garbage before", "x"+jsS, "ErrMalformedProof"),
		j("two proofs", jsS+jsS, "ErrMalformedProof"),
		j("null", "null", "ErrMalformedProof"),
		j("oversized input", jsS+strings.Repeat(" ", MaxJSONProofSize), "ErrMalformedProof"),
	)
	cjs, _ := cons.MarshalJSON()
	cs = append(cs,
		hostileCase{Name: name("valid JSON consistency"), Op: "json-consistency", JSON: string(cjs), OldRoot: root5, Root: root},
		hostileCase{Name: name("JSON consistency with a flipped hex digit"), Op: "json-consistency", JSON: strings.Replace(string(cjs), cons.Path[1].String(), flip(cons.Path[1], 4).String(), 1), OldRoot: root5, Root: root, Want: "ErrRootMismatch"},
	)

	// Multi-leaf proofs of leaves 2, 3, 9 in size 11.
	idx := []uint64{2, 3, 9}
	mp, _ := tree.MultiInclusionProof(idx)
	lhs := []Hash{h.HashLeaf(leaves[2]), h.HashLeaf(leaves[3]), h.HashLeaf(leaves[9])}
	vm := func(n string, size uint64, indices []uint64, lh []Hash, path []Hash, want string) hostileCase {
		return hostileCase{Name: name(n), Op: "verify-multi", HasherCode: code, Size: size, Indices: indices, LeafHashes: lh, Path: path, Root: root, Want: want}
	}
	mbin, _ := mp.MarshalBinary()
	dm := func(n string, b []byte, want string) hostileCase {
		return hostileCase{Name: name(n), Op: "decode-multi", Binary: b, LeafHashes: lhs, Root: root, Want: want}
	}
	cs = append(cs,
		vm("valid multi-leaf proof", 11, idx, lhs, mp.Path, ""),
		vm("flipped bit in a shared hash", 11, idx, lhs, append([]Hash{flip(mp.Path[0], 200)}, mp.Path[1:]...), "ErrRootMismatch"),
		vm("leaf hashes swapped", 11, idx, []Hash{lhs[1], lhs[0], lhs[2]}, mp.Path, "ErrRootMismatch"),
		vm("garbage before the proof", 11, idx, lhs, append([]Hash{other}, mp.Path...), "ErrProofLength"),
		vm("truncated proof", 11, idx, lhs, mp.Path[:len(mp.Path)-1], "ErrProofLength"),
		vm("unsorted indices", 11, []uint64{3, 2, 9}, lhs, mp.Path, "ErrBadIndexList"),
		vm("repeated index", 11, []uint64{2, 2, 9}, lhs, mp.Path, "ErrBadIndexList"),
		vm("index beyond size", 11, []uint64{2, 3, 11}, lhs, mp.Path, "ErrIndexOutOfRange"),
		vm("fewer leaf hashes than indices", 11, idx, lhs[:2], mp.Path, "ErrBadIndexList"),
		vm("no leaves", 11, nil, nil, mp.Path, "ErrBadIndexList"),
		vm("size 0", 0, idx, lhs, mp.Path, "ErrIndexOutOfRange"),
		dm("valid binary multi-leaf proof", mbin, ""),
		dm("trailing byte", append(bytes.Clone(mbin), 0), "ErrMalformedProof"),
		dm("truncated by one byte", mbin[:len(mbin)-1], "ErrMalformedProof"),
		dm("leaf count 0", []byte{proofVersion, kindMultiInclusion, code, 11, 0, 0}, "ErrBadIndexList"),
		dm("leaf count over the limit", []byte{proofVersion, kindMultiInclusion, code, 11, 0x81, 0x08}, "ErrBadIndexList"),
		dm("inclusion kind", bin, "ErrMalformedProof"),
	)
	return cs
}
