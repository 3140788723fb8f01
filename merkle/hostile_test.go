package merkle

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iotrust/iotrust/canon"
)

// hostileCase is one entry of testdata/hostile.json: an input that a
// decoder or verifier must reject with the named error (or accept, when
// Want is empty, to show the case is one change away from valid).
type hostileCase struct {
	Name string `json:"name"`
	// Op is what the input is fed to: "decode-inclusion",
	// "decode-consistency", "decode-multi" (binary, then Verify against the
	// roots), "json-inclusion", "json-consistency", "json-multi" (JSON, then
	// Verify), "parse-json-inclusion", "parse-json-multi" (JSON only),
	// "verify-inclusion", "verify-consistency", "verify-multi",
	// "builder-restore" (UnmarshalBinary of a saved Builder state),
	// "builder-append" and "builder-append-leaves" (restore, then append
	// one leaf or Count leaves).
	Op     string   `json:"op"`
	Binary hexBytes `json:"binary,omitempty"`
	JSON   string   `json:"json,omitempty"`
	// JSONHex holds JSON input that is not valid UTF-8 (which a JSON
	// string cannot carry); Pad spaces are appended to the input, so that
	// oversized inputs stay small on disk.
	JSONHex    hexBytes `json:"json_hex,omitempty"`
	Pad        int      `json:"pad,omitempty"`
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
	Count      int      `json:"count,omitempty"`
	Want       string   `json:"want"`
	// Cause, when set, names the canon sentinel the error must wrap too
	// (strict JSON decoding).
	Cause string `json:"cause,omitempty"`
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

// causeNames are canon's strict-decoding sentinels a JSON case may name.
var causeNames = map[string]error{
	"canon.ErrUnknownMember": canon.ErrUnknownMember,
	"canon.ErrDuplicateKey":  canon.ErrDuplicateKey,
	"canon.ErrEmpty":         canon.ErrEmpty,
	"canon.ErrTrailingData":  canon.ErrTrailingData,
	"canon.ErrWrongType":     canon.ErrWrongType,
	"canon.ErrTooLarge":      canon.ErrTooLarge,
	"canon.ErrTooDeep":       canon.ErrTooDeep,
	"canon.ErrSyntax":        canon.ErrSyntax,
	"canon.ErrInvalidUTF8":   canon.ErrInvalidUTF8,
	"canon.ErrLoneSurrogate": canon.ErrLoneSurrogate,
}

// jsonInput returns the JSON input of the case.
func (c *hostileCase) jsonInput() []byte {
	in := []byte(c.JSON)
	if c.JSONHex != nil {
		in = bytes.Clone(c.JSONHex)
	}
	return append(in, bytes.Repeat([]byte{' '}, c.Pad)...)
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
	case "decode-multi", "json-multi", "parse-json-multi":
		var p MultiInclusionProof
		var err error
		if c.Op == "decode-multi" {
			err = p.UnmarshalBinary(c.Binary)
		} else {
			err = p.UnmarshalJSON(c.jsonInput())
		}
		if err != nil || c.Op == "parse-json-multi" {
			return err
		}
		return p.Verify(c.LeafHashes, c.Root)
	case "parse-json-inclusion":
		var p InclusionProof
		return p.UnmarshalJSON(c.jsonInput())
	case "builder-restore", "builder-append", "builder-append-leaves":
		b := NewBuilder(SHA256)
		before, _ := b.MarshalBinary()
		if err := b.UnmarshalBinary(c.Binary); err != nil {
			if after, _ := b.MarshalBinary(); !bytes.Equal(after, before) {
				return errors.New("failed restore changed the builder")
			}
			return err
		}
		saved, _ := b.MarshalBinary()
		var err error
		switch c.Op {
		case "builder-append":
			_, err = b.Append([]byte("leaf"))
		case "builder-append-leaves":
			err = b.AppendLeaves(make([][]byte, c.Count))
		}
		if after, _ := b.MarshalBinary(); err != nil && !bytes.Equal(after, saved) {
			return errors.New("failed append changed the builder")
		}
		return err
	case "decode-inclusion", "json-inclusion":
		var p InclusionProof
		var err error
		if c.Op == "json-inclusion" {
			err = p.UnmarshalJSON(c.jsonInput())
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
			err = p.UnmarshalJSON(c.jsonInput())
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
	if c.Cause != "" {
		cause, ok := causeNames[c.Cause]
		if !ok {
			return errors.New(c.Name + ": unknown cause name " + c.Cause)
		}
		if !errors.Is(err, cause) {
			return errors.New(c.Name + ": want cause " + c.Cause + ", got " + errString(err))
		}
		var de *canon.DecodeError
		if !errors.As(err, &de) {
			return errors.New(c.Name + ": no *canon.DecodeError in " + errString(err))
		}
	}
	if strings.Count(err.Error(), "merkle:") != 1 {
		return errors.New(c.Name + ": message names the package more than once: " + err.Error())
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
	cases := readHostileVectors(t)
	if len(cases) < 600 {
		t.Fatalf("only %d hostile cases", len(cases))
	}
	for i := range cases {
		if err := cases[i].check(); err != nil {
			t.Error(err)
		}
	}
}

func readHostileVectors(t *testing.T) []hostileCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/hostile.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []hostileCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
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
		for _, c := range hostileCases(t, h) {
			c.Name = strings.Replace(c.Name, ": ", ": "+c.Op+": ", 1)
			cases = append(cases, c)
		}
		cases = append(cases, strictJSONCases(h)...)
		cases = append(cases, builderCases(h)...)
	}
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.Name] {
			t.Fatalf("two cases named %q", c.Name)
		}
		names[c.Name] = true
	}
	for i := range cases {
		c := &cases[i]
		if !utf8.ValidString(c.JSON) {
			c.JSONHex, c.JSON = hexBytes(c.JSON), ""
		}
		if n := len(c.JSON); n > 4<<10 && strings.TrimRight(c.JSON, " ") != c.JSON {
			trimmed := strings.TrimRight(c.JSON, " ")
			c.JSON, c.Pad = trimmed, n-len(trimmed)
		}
		if err := c.check(); err != nil {
			t.Fatal(err)
		}
	}
	writeJSON(t, "testdata/hostile.json", cases)
	// What was written is what the test reads.
	for _, c := range readHostileVectors(t) {
		if err := c.check(); err != nil {
			t.Fatal(err)
		}
	}
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

// strictJSONCases holds each JSON proof decoder to canon's strict rules and
// to one spelling per proof: case variants, duplicates and unknown members,
// missing and null members, other number spellings, other hex spellings,
// nothing before or after the one value.
func strictJSONCases(h Hasher) []hostileCase {
	leaves := vectorLeaves()[:11]
	tree := NewTree(h, leaves)
	name := func(s string) string { return h.String() + ": strict JSON: " + s }
	root := tree.Root()
	leaf6 := h.HashLeaf(leaves[6])
	incl, _ := tree.InclusionProof(6)
	js, _ := incl.MarshalJSON()
	jsS := string(js)
	root5, _ := tree.RootAt(5)
	cons, _ := tree.ConsistencyProof(5, 11)
	cjs, _ := cons.MarshalJSON()
	cjsS := string(cjs)
	idx := []uint64{2, 3, 9}
	mp, _ := tree.MultiInclusionProof(idx)
	mjs, _ := mp.MarshalJSON()
	mjsS := string(mjs)
	lhs := []Hash{h.HashLeaf(leaves[2]), h.HashLeaf(leaves[3]), h.HashLeaf(leaves[9])}
	p0 := incl.Path[0].String()

	type variant struct {
		n, s, want, cause string
	}
	// Variants that apply to every proof kind, written against the
	// inclusion proof's JSON and rewritten for the others.
	common := func(doc, firstMember string) []variant {
		body := strings.TrimPrefix(doc, "{")
		return []variant{
			{"valid", doc, "", ""},
			{"member name in upper case", strings.Replace(doc, `"type"`, `"TYPE"`, 1), "ErrMalformedProof", "canon.ErrUnknownMember"},
			{"member name with a capital", strings.Replace(doc, `"hasher"`, `"Hasher"`, 1), "ErrMalformedProof", "canon.ErrUnknownMember"},
			{"duplicate member, same value", `{"type":` + strings.SplitN(body, ",", 2)[0][len(`"type":`):] + "," + body, "ErrMalformedProof", "canon.ErrDuplicateKey"},
			{"duplicate member, other value", `{"type":"x",` + body, "ErrMalformedProof", "canon.ErrDuplicateKey"},
			{"unknown member Root", `{"Root":"` + root.String() + `",` + body, "ErrMalformedProof", "canon.ErrUnknownMember"},
			{"unknown member root", `{"root":"` + root.String() + `",` + body, "ErrMalformedProof", "canon.ErrUnknownMember"},
			{"unknown member at the end", strings.TrimSuffix(doc, "}") + `,"comment":"x"}`, "ErrMalformedProof", "canon.ErrUnknownMember"},
			{"unknown member with null", strings.TrimSuffix(doc, "}") + `,"x":null}`, "ErrMalformedProof", "canon.ErrUnknownMember"},
			{"empty input", "", "ErrMalformedProof", "canon.ErrEmpty"},
			{"whitespace only", " \n\t ", "ErrMalformedProof", "canon.ErrEmpty"},
			{"trailing garbage", doc + "x", "ErrMalformedProof", "canon.ErrTrailingData"},
			{"trailing brace", doc + "}", "ErrMalformedProof", "canon.ErrTrailingData"},
			{"two proofs", doc + doc, "ErrMalformedProof", "canon.ErrTrailingData"},
			{"two proofs with a newline", doc + "\n" + doc, "ErrMalformedProof", "canon.ErrTrailingData"},
			{"trailing NUL", doc + "\u0000", "ErrMalformedProof", "canon.ErrTrailingData"},
			{"garbage before", "x" + doc, "ErrMalformedProof", "canon.ErrSyntax"},
			{"byte order mark before", "\ufeff" + doc, "ErrMalformedProof", "canon.ErrSyntax"},
			{"trailing comma", strings.TrimSuffix(doc, "}") + ",}", "ErrMalformedProof", "canon.ErrSyntax"},
			{"single quotes", strings.ReplaceAll(doc, `"type"`, `'type'`), "ErrMalformedProof", "canon.ErrSyntax"},
			{"truncated", doc[:len(doc)-1], "ErrMalformedProof", "canon.ErrSyntax"},
			{"array instead of object", "[" + doc + "]", "ErrMalformedProof", "canon.ErrWrongType"},
			{"string instead of object", `"` + strings.ReplaceAll(doc, `"`, `\"`) + `"`, "ErrMalformedProof", "canon.ErrWrongType"},
			{"null", "null", "ErrMalformedProof", ""},
			{"empty object", "{}", "ErrMalformedProof", ""},
			{"type missing", "{" + strings.SplitN(body, ",", 2)[1], "ErrMalformedProof", ""},
			{"type null", strings.Replace(doc, `"`+firstMember+`"`, `null`, 1), "ErrMalformedProof", ""},
			{"type in other case", strings.Replace(doc, `"`+firstMember+`"`, `"`+strings.ToUpper(firstMember)+`"`, 1), "ErrMalformedProof", ""},
			{"type with an escape: accepted", strings.Replace(doc, `"`+firstMember+`"`, `"`+firstMember[:len(firstMember)-1]+`\u00`+hexByte(firstMember[len(firstMember)-1])+`"`, 1), "", ""},
			{"type as a number", strings.Replace(doc, `"`+firstMember+`"`, `1`, 1), "ErrMalformedProof", "canon.ErrWrongType"},
			{"hasher null", strings.Replace(doc, `"hasher":"`+h.String()+`"`, `"hasher":null`, 1), "ErrMalformedProof", ""},
			{"hasher in upper case", strings.Replace(doc, `"`+h.String()+`"`, `"`+strings.ToUpper(h.String())+`"`, 1), "ErrUnknownHasher", ""},
			{"hasher as its code", strings.Replace(doc, `"`+h.String()+`"`, string(rune('0'+h)), 1), "ErrMalformedProof", "canon.ErrWrongType"},
			{"hasher md5", strings.Replace(doc, `"`+h.String()+`"`, `"md5"`, 1), "ErrUnknownHasher", ""},
			{"path missing", cutMember(doc, "path"), "ErrMalformedProof", ""},
			{"path null", replaceMember(doc, "path", "null"), "ErrMalformedProof", ""},
			{"path as an object", replaceMember(doc, "path", "{}"), "ErrMalformedProof", "canon.ErrWrongType"},
			{"path nested in an array", replaceMember(doc, "path", "["+memberValue(doc, "path")+"]"), "ErrMalformedProof", "canon.ErrWrongType"},
			{"path hash null", strings.Replace(doc, `"path":["`, `"path":[null,"`, 1), "ErrMalformedProof", ""},
			{"path hash in upper case", strings.Replace(doc, memberFirstHash(doc), strings.ToUpper(memberFirstHash(doc)), 1), "ErrMalformedProof", ""},
			{"path hash with 0x", strings.Replace(doc, memberFirstHash(doc), "0x"+memberFirstHash(doc)[2:], 1), "ErrMalformedProof", ""},
			{"path hash as base64", strings.Replace(doc, memberFirstHash(doc), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1), "ErrMalformedProof", ""},
			{"path hash of 65 digits", strings.Replace(doc, memberFirstHash(doc), memberFirstHash(doc)+"0", 1), "ErrMalformedProof", ""},
			{"path hash with an escaped digit", strings.Replace(doc, memberFirstHash(doc), `\u0030`+memberFirstHash(doc)[1:], 1), errIfNotZero(memberFirstHash(doc)[0]), ""},
			{"invalid UTF-8 in a string", strings.Replace(doc, `"`+h.String()+`"`, "\"\xff\"", 1), "ErrMalformedProof", "canon.ErrInvalidUTF8"},
			{"lone surrogate in a string", strings.Replace(doc, `"`+h.String()+`"`, `"\ud800"`, 1), "ErrMalformedProof", "canon.ErrLoneSurrogate"},
			{"deeply nested path", replaceMember(doc, "path", strings.Repeat("[", 100)+strings.Repeat("]", 100)), "ErrMalformedProof", "canon.ErrTooDeep"},
			{"oversized input", doc + strings.Repeat(" ", MaxJSONMultiProofSize), "ErrMalformedProof", "canon.ErrTooLarge"},
		}
	}
	numbers := func(doc, member string) []variant {
		v := memberValue(doc, member)
		return []variant{
			{member + " missing", cutMember(doc, member), "ErrMalformedProof", ""},
			{member + " null", replaceMember(doc, member, "null"), "ErrMalformedProof", ""},
			{member + " as a string", replaceMember(doc, member, `"`+v+`"`), "ErrMalformedProof", "canon.ErrWrongType"},
			{member + " with a fraction", replaceMember(doc, member, v+".0"), "ErrMalformedProof", "canon.ErrWrongType"},
			{member + " with an exponent", replaceMember(doc, member, v+"e0"), "ErrMalformedProof", "canon.ErrWrongType"},
			{member + " negative", replaceMember(doc, member, "-"+v), "ErrMalformedProof", "canon.ErrWrongType"},
			{member + " negative zero", replaceMember(doc, member, "-0"), "ErrMalformedProof", "canon.ErrWrongType"},
			{member + " with a leading zero", replaceMember(doc, member, "0"+v), "ErrMalformedProof", "canon.ErrSyntax"},
			{member + " with a plus sign", replaceMember(doc, member, "+"+v), "ErrMalformedProof", "canon.ErrSyntax"},
			{member + " 2^64", replaceMember(doc, member, "18446744073709551616"), "ErrMalformedProof", "canon.ErrWrongType"},
			{member + " true", replaceMember(doc, member, "true"), "ErrMalformedProof", "canon.ErrWrongType"},
			{member + " in upper case", strings.Replace(doc, `"`+member+`"`, `"`+strings.ToUpper(member)+`"`, 1), "ErrMalformedProof", "canon.ErrUnknownMember"},
			{member + " twice, other value", strings.Replace(doc, `"`+member+`":`, `"`+member+`":1,"`+member+`":`, 1), "ErrMalformedProof", "canon.ErrDuplicateKey"},
		}
	}
	var cs []hostileCase
	add := func(op string, vs []variant, leaf, oldRoot Hash, lh []Hash) {
		for _, v := range vs {
			c := hostileCase{Name: name(op + ": " + v.n), Op: op, JSON: v.s, Leaf: leaf, OldRoot: oldRoot, Root: root, LeafHashes: lh, Want: v.want, Cause: v.cause}
			cs = append(cs, c)
		}
	}
	add("json-inclusion", common(jsS, jsonInclusion), leaf6, Hash{}, nil)
	add("json-inclusion", numbers(jsS, "index"), leaf6, Hash{}, nil)
	add("json-inclusion", numbers(jsS, "size"), leaf6, Hash{}, nil)
	add("json-inclusion", []variant{
		{"index at size", replaceMember(jsS, "index", "11"), "ErrIndexOutOfRange", ""},
		{"path with one hash too many", strings.Replace(jsS, `"path":["`, `"path":["`+p0+`","`, 1), "ErrProofLength", ""},
		{"whitespace around members: accepted", strings.ReplaceAll(strings.ReplaceAll(jsS, ",", " ,\n "), ":", " : "), "", ""},
	}, leaf6, Hash{}, nil)
	add("json-consistency", common(cjsS, jsonConsistency), Hash{}, root5, nil)
	add("json-consistency", numbers(cjsS, "old_size"), Hash{}, root5, nil)
	add("json-consistency", numbers(cjsS, "new_size"), Hash{}, root5, nil)
	add("json-consistency", []variant{
		{"old size above new size", replaceMember(cjsS, "old_size", "12"), "ErrSizeOutOfRange", ""},
		{"sizes under inclusion names", strings.Replace(strings.Replace(cjsS, `"old_size"`, `"index"`, 1), `"new_size"`, `"size"`, 1), "ErrMalformedProof", "canon.ErrUnknownMember"},
	}, Hash{}, root5, nil)
	add("json-multi", common(mjsS, jsonMultiInclusion), Hash{}, Hash{}, lhs)
	add("json-multi", numbers(mjsS, "size"), Hash{}, Hash{}, lhs)
	add("json-multi", []variant{
		{"indices missing", cutMember(mjsS, "indices"), "ErrMalformedProof", ""},
		{"indices null", replaceMember(mjsS, "indices", "null"), "ErrMalformedProof", ""},
		{"null index", replaceMember(mjsS, "indices", "[null,3,9]"), "ErrMalformedProof", ""},
		{"index as a string", replaceMember(mjsS, "indices", `["2",3,9]`), "ErrMalformedProof", "canon.ErrWrongType"},
		{"index with a fraction", replaceMember(mjsS, "indices", `[2.0,3,9]`), "ErrMalformedProof", "canon.ErrWrongType"},
		{"negative index", replaceMember(mjsS, "indices", `[-2,3,9]`), "ErrMalformedProof", "canon.ErrWrongType"},
		{"index 2^64", replaceMember(mjsS, "indices", `[2,3,18446744073709551616]`), "ErrMalformedProof", "canon.ErrWrongType"},
		{"indices as an object", replaceMember(mjsS, "indices", `{"0":2}`), "ErrMalformedProof", "canon.ErrWrongType"},
		{"no indices", replaceMember(mjsS, "indices", `[]`), "ErrBadIndexList", ""},
		{"unsorted indices", replaceMember(mjsS, "indices", `[3,2,9]`), "ErrBadIndexList", ""},
		{"repeated index", replaceMember(mjsS, "indices", `[2,2,9]`), "ErrBadIndexList", ""},
		{"more indices than the limit", replaceMember(mjsS, "indices", "["+strings.TrimSuffix(strings.Repeat("1,", MaxMultiLeaves+1), ",")+"]"), "ErrBadIndexList", ""},
		{"index beyond size", replaceMember(mjsS, "indices", `[2,3,11]`), "ErrIndexOutOfRange", ""},
	}, Hash{}, Hash{}, lhs)

	// Integers beyond 2^53 (where a JSON number stops being an exact
	// double) are read exactly into the uint64 fields.
	big := uint64(1)<<60 + 5
	bigProof := InclusionProof{Hasher: h, Index: big, Size: big + 1, Path: make([]Hash, InclusionPathLen(big, big+1))}
	bjs, _ := bigProof.MarshalJSON()
	bigMulti := MultiInclusionProof{Hasher: h, Size: 1<<64 - 1, Indices: []uint64{1<<64 - 2}}
	bigMulti.Path = make([]Hash, multiPathLen(bigMulti.Indices, 0, bigMulti.Size))
	bmjs, _ := bigMulti.MarshalJSON()
	cs = append(cs,
		hostileCase{Name: name("index 2^60+5 of size 2^60+6: accepted"), Op: "parse-json-inclusion", JSON: string(bjs)},
		hostileCase{Name: name("index 2^64-1, size 2^64-1"), Op: "parse-json-inclusion", JSON: strings.Replace(string(bjs), `"index":1152921504606846981,"size":1152921504606846982`, `"index":18446744073709551615,"size":18446744073709551615`, 1), Want: "ErrIndexOutOfRange"},
		hostileCase{Name: name("multi-leaf proof of index 2^64-2 in size 2^64-1: accepted"), Op: "parse-json-multi", JSON: string(bmjs)},
	)
	return cs
}

// builderCases restores hostile Builder states and appends to them: a full
// builder refuses to grow (it would wrap around) and changes nothing.
func builderCases(h Hasher) []hostileCase {
	name := func(s string) string { return h.String() + ": builder: " + s }
	state := func(size uint64) []byte {
		out := binary.AppendUvarint([]byte{builderStateVersion, byte(h)}, size)
		for k := 0; k < 64; k++ {
			if size&(1<<k) != 0 {
				out = append(out, bytes.Repeat([]byte{byte(k + 1)}, HashSize)...)
			}
		}
		return out
	}
	full := state(1<<64 - 1)
	return []hostileCase{
		{Name: name("restore size 2^64-1: accepted"), Op: "builder-restore", Binary: full},
		{Name: name("append to size 2^64-1"), Op: "builder-append", Binary: full, Want: "ErrSizeOutOfRange"},
		{Name: name("append no leaves to size 2^64-1: accepted"), Op: "builder-append-leaves", Binary: full, Count: 0},
		{Name: name("append one of several leaves to size 2^64-1"), Op: "builder-append-leaves", Binary: full, Count: 1, Want: "ErrSizeOutOfRange"},
		{Name: name("append to size 2^64-2: accepted"), Op: "builder-append", Binary: state(1<<64 - 2)},
		{Name: name("append two leaves to size 2^64-2"), Op: "builder-append-leaves", Binary: state(1<<64 - 2), Count: 2, Want: "ErrSizeOutOfRange"},
		{Name: name("append two leaves to size 2^64-3: accepted"), Op: "builder-append-leaves", Binary: state(1<<64 - 3), Count: 2},
		{Name: name("append to size 2^63: accepted"), Op: "builder-append", Binary: state(1 << 63)},
		{Name: name("empty state"), Op: "builder-restore", Binary: nil, Want: "ErrMalformedProof"},
		{Name: name("version 2"), Op: "builder-restore", Binary: append([]byte{2}, full[1:]...), Want: "ErrMalformedProof"},
		{Name: name("hasher 0"), Op: "builder-restore", Binary: append([]byte{1, 0}, full[2:]...), Want: "ErrUnknownHasher"},
		{Name: name("hasher 3"), Op: "builder-restore", Binary: append([]byte{1, 3}, full[2:]...), Want: "ErrUnknownHasher"},
		{Name: name("size missing"), Op: "builder-restore", Binary: []byte{1, byte(h)}, Want: "ErrMalformedProof"},
		{Name: name("size 2^64 (varint overflow)"), Op: "builder-restore", Binary: append([]byte{1, byte(h), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}, full[12:]...), Want: "ErrMalformedProof"},
		{Name: name("size as a non-minimal varint"), Op: "builder-restore", Binary: []byte{1, byte(h), 0x80, 0x00}, Want: "ErrMalformedProof"},
		{Name: name("size as an eleven-byte varint"), Op: "builder-restore", Binary: append([]byte{1, byte(h)}, append(bytes.Repeat([]byte{0xff}, 10), 0x01)...), Want: "ErrMalformedProof"},
		{Name: name("one peak missing"), Op: "builder-restore", Binary: full[:len(full)-HashSize], Want: "ErrMalformedProof"},
		{Name: name("one peak too many"), Op: "builder-restore", Binary: append(bytes.Clone(full), make([]byte, HashSize)...), Want: "ErrMalformedProof"},
		{Name: name("trailing byte"), Op: "builder-restore", Binary: append(state(5), 0), Want: "ErrMalformedProof"},
		{Name: name("size 0 with a peak"), Op: "builder-restore", Binary: append(state(0), make([]byte, HashSize)...), Want: "ErrMalformedProof"},
		{Name: name("size 0: accepted"), Op: "builder-restore", Binary: state(0)},
	}
}

// cutMember removes "name":value from a flat JSON object written by
// MarshalJSON.
func cutMember(doc, name string) string {
	v := memberValue(doc, name)
	m := `"` + name + `":` + v
	if strings.Contains(doc, m+",") {
		return strings.Replace(doc, m+",", "", 1)
	}
	return strings.Replace(doc, ","+m, "", 1)
}

// replaceMember replaces the value of member name with v.
func replaceMember(doc, name, v string) string {
	return strings.Replace(doc, `"`+name+`":`+memberValue(doc, name), `"`+name+`":`+v, 1)
}

// memberValue returns the raw value of member name in a flat object whose
// values are scalars or arrays of scalars.
func memberValue(doc, name string) string {
	key := `"` + name + `":`
	i := strings.Index(doc, key)
	if i < 0 {
		panic("no member " + name + " in " + doc)
	}
	rest := doc[i+len(key):]
	if strings.HasPrefix(rest, "[") {
		return rest[:strings.Index(rest, "]")+1]
	}
	end := strings.IndexAny(rest, ",}")
	return rest[:end]
}

// memberFirstHash returns the first path hash of a proof's JSON.
func memberFirstHash(doc string) string {
	p := memberValue(doc, "path")
	return p[2 : 2+2*HashSize]
}

func hexByte(c byte) string {
	return string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&15])
}

// errIfNotZero: an escaped "\u0030" is the digit 0, so a hash whose first
// digit is 0 is unchanged (and accepted) when that digit is escaped.
func errIfNotZero(c byte) string {
	if c == '0' {
		return ""
	}
	return "ErrRootMismatch"
}

// TestTreeQueriesRefuseHostileArguments: a server answers proof requests
// with indices and sizes its clients chose; extreme values give typed
// errors, never a panic.
func TestTreeQueriesRefuseHostileArguments(t *testing.T) {
	const max = ^uint64(0)
	tree := NewTree(SHA256, vectorLeaves()[:11])
	empty := NewTree(BLAKE3, nil)
	for _, tc := range []struct {
		name string
		call func() error
		want error
	}{
		{"inclusion of index 2^64-1", func() error { _, err := tree.InclusionProof(max); return err }, ErrIndexOutOfRange},
		{"inclusion at size 2^64-1", func() error { _, err := tree.InclusionProofAt(0, max); return err }, ErrSizeOutOfRange},
		{"inclusion at size 0", func() error { _, err := tree.InclusionProofAt(0, 0); return err }, ErrIndexOutOfRange},
		{"inclusion in the empty tree", func() error { _, err := empty.InclusionProof(0); return err }, ErrIndexOutOfRange},
		{"inclusion path of index 2^64-1", func() error { _, err := tree.AppendInclusionPath(nil, max); return err }, ErrIndexOutOfRange},
		{"consistency to size 2^64-1", func() error { _, err := tree.ConsistencyProof(1, max); return err }, ErrSizeOutOfRange},
		{"consistency from 2^64-1", func() error { _, err := tree.ConsistencyProof(max, 11); return err }, ErrSizeOutOfRange},
		{"consistency from 12 to 11", func() error { _, err := tree.ConsistencyProof(12, 11); return err }, ErrSizeOutOfRange},
		{"consistency in the empty tree", func() error { _, err := empty.ConsistencyProof(0, 1); return err }, ErrSizeOutOfRange},
		{"root at 2^64-1", func() error { _, err := tree.RootAt(max); return err }, ErrSizeOutOfRange},
		{"leaf hash of 2^64-1", func() error { _, err := tree.LeafHash(max); return err }, ErrIndexOutOfRange},
		{"multi-leaf proof of index 2^64-1", func() error { _, err := tree.MultiInclusionProof([]uint64{0, max}); return err }, ErrIndexOutOfRange},
		{"multi-leaf proof at size 2^64-1", func() error { _, err := tree.MultiInclusionProofAt([]uint64{0}, max); return err }, ErrSizeOutOfRange},
		{"multi-leaf proof of no leaves", func() error { _, err := tree.MultiInclusionProof(nil); return err }, ErrBadIndexList},
		{"multi-leaf proof of 1025 leaves", func() error { _, err := tree.MultiInclusionProof(make([]uint64, MaxMultiLeaves+1)); return err }, ErrBadIndexList},
		{"multi-leaf proof, decreasing", func() error { _, err := tree.MultiInclusionProof([]uint64{5, 4}); return err }, ErrBadIndexList},
		{"verify multi-leaf at size 2^64-1, empty path", func() error {
			return VerifyMultiInclusion(SHA256, max, []uint64{max - 1}, []Hash{{}}, nil, Hash{})
		}, ErrProofLength},
		{"verify consistency 2^64-2 to 2^64-1, empty path", func() error {
			return VerifyConsistency(BLAKE3, max-1, max, Hash{}, Hash{}, nil)
		}, ErrProofLength},
		{"verify consistency 2^63 to 2^64-1, 64 zero hashes", func() error {
			return VerifyConsistency(BLAKE3, 1<<63, max, Hash{}, Hash{}, make([]Hash, ConsistencyPathLen(1<<63, max)))
		}, ErrRootMismatch},
		{"verify inclusion of 2^64-2 in 2^64-1, full path", func() error {
			return VerifyInclusion(SHA256, max-1, max, Hash{}, make([]Hash, InclusionPathLen(max-1, max)), Hash{})
		}, ErrRootMismatch},
		{"verify with hasher 0", func() error { return VerifyInclusion(0, 0, 1, Hash{}, nil, Hash{}) }, ErrUnknownHasher},
		{"append to the zero Builder", func() error { var b Builder; _, err := b.Append(nil); return err }, ErrUnknownHasher},
		{"save the zero Builder", func() error { var b Builder; _, err := b.MarshalBinary(); return err }, ErrUnknownHasher},
		{"marshal a proof with hasher 9", func() error { _, err := InclusionProof{Hasher: 9, Size: 1}.MarshalJSON(); return err }, ErrUnknownHasher},
		{"marshal a proof of the wrong length", func() error { _, err := InclusionProof{Hasher: SHA256, Index: 6, Size: 11}.MarshalBinary(); return err }, ErrProofLength},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
