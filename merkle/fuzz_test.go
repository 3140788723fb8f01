package merkle

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/canon"
)

// fuzzTree is a small tree whose proofs seed the fuzzers.
func fuzzTree(h Hasher) *Tree { return NewTree(h, vectorLeaves()[:11]) }

func seedProofs(f *testing.F, kind byte) {
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := fuzzTree(h)
		for _, c := range [][2]uint64{{0, 1}, {6, 11}, {10, 11}, {3, 4}} {
			if kind == kindInclusion {
				p, _ := tree.InclusionProofAt(c[0], c[1])
				b, _ := p.MarshalBinary()
				j, _ := p.MarshalJSON()
				f.Add(b)
				f.Add(j)
			} else {
				p, _ := tree.ConsistencyProof(c[0]+1, c[1])
				b, _ := p.MarshalBinary()
				j, _ := p.MarshalJSON()
				f.Add(b)
				f.Add(j)
			}
		}
	}
	f.Add([]byte{})
	f.Add([]byte{1, kind, 1, 0x80})
	f.Add([]byte(`{"type":"inclusion","hasher":"sha256","index":0,"size":1,"path":[]}`))
}

// knownError reports whether err is one of the package's typed errors.
func knownError(err error) bool {
	for _, e := range errorNames {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// proofCodec is one proof type's encodings, for the decode fuzzers.
type proofCodec interface {
	MarshalBinary() ([]byte, error)
	MarshalJSON() ([]byte, error)
}

// checkBinaryOneEncoding: an accepted binary input re-encodes to exactly
// the same bytes (the package documentation promises one encoding).
func checkBinaryOneEncoding(t *testing.T, data []byte, p proofCodec) {
	again, err := p.MarshalBinary()
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("binary round trip: %x → %x, %v", data, again, err)
	}
}

// checkJSONOneEncoding: an accepted JSON input re-encodes to the same
// document modulo canonical form (member order, whitespace, string
// escapes). Both are compared as parsed values with numbers kept as their
// digits, which also covers integers beyond 2^53 that canon.Canonicalize
// refuses; where Canonicalize accepts the input, its bytes must match too.
func checkJSONOneEncoding(t *testing.T, data []byte, p proofCodec) {
	out, err := p.MarshalJSON()
	if err != nil {
		t.Fatalf("re-encoding an accepted proof: %v", err)
	}
	if a, b := parseLoose(t, data), parseLoose(t, out); !reflect.DeepEqual(a, b) {
		t.Fatalf("JSON %s re-encodes to a different document %s", data, out)
	}
	if ci, err := canon.Canonicalize(data); err == nil {
		co, err := canon.Canonicalize(out)
		if err != nil || !bytes.Equal(ci, co) {
			t.Fatalf("canonical forms differ: %s vs %s (%v)", ci, co, err)
		}
	}
}

func parseLoose(t *testing.T, b []byte) any {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("accepted input is not JSON: %v", err)
	}
	return v
}

// checkDecodeError: a refused input gets one of the package's typed errors,
// naming the package once.
func checkDecodeError(t *testing.T, err error) {
	if !knownError(err) {
		t.Fatalf("untyped error %v", err)
	}
	if strings.Count(err.Error(), "merkle:") != 1 {
		t.Fatalf("message names the package more than once: %v", err)
	}
}

// seedHostile adds the inputs of testdata/hostile.json for the given ops.
func seedHostile(f *testing.F, ops ...string) {
	raw, err := os.ReadFile("testdata/hostile.json")
	if err != nil {
		f.Fatal(err)
	}
	var cases []hostileCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		if !slices.Contains(ops, c.Op) {
			continue
		}
		if c.Binary != nil {
			f.Add([]byte(c.Binary))
		} else if c.Pad == 0 {
			f.Add(c.jsonInput())
		}
	}
}

func FuzzInclusionProofDecode(f *testing.F) {
	seedProofs(f, kindInclusion)
	seedHostile(f, "decode-inclusion", "json-inclusion", "parse-json-inclusion")
	f.Fuzz(func(t *testing.T, data []byte) {
		var p InclusionProof
		if err := p.UnmarshalBinary(data); err == nil {
			checkBinaryOneEncoding(t, data, p)
			if err := p.Verify(Hash{}, Hash{}); err != nil && !knownError(err) {
				t.Fatalf("untyped error %v", err)
			}
		} else {
			checkDecodeError(t, err)
		}
		var q InclusionProof
		if err := q.UnmarshalJSON(data); err == nil {
			checkJSONOneEncoding(t, data, q)
		} else {
			checkDecodeError(t, err)
		}
	})
}

func FuzzConsistencyProofDecode(f *testing.F) {
	seedProofs(f, kindConsistency)
	seedHostile(f, "decode-consistency", "json-consistency")
	f.Fuzz(func(t *testing.T, data []byte) {
		var p ConsistencyProof
		if err := p.UnmarshalBinary(data); err == nil {
			checkBinaryOneEncoding(t, data, p)
			if err := p.Verify(Hash{}, Hash{}); err != nil && !knownError(err) {
				t.Fatalf("untyped error %v", err)
			}
		} else {
			checkDecodeError(t, err)
		}
		var q ConsistencyProof
		if err := q.UnmarshalJSON(data); err == nil {
			checkJSONOneEncoding(t, data, q)
		} else {
			checkDecodeError(t, err)
		}
	})
}

// pathFrom cuts fuzz bytes into hashes; a ragged tail is dropped.
func pathFrom(b []byte) []Hash {
	p := make([]Hash, len(b)/HashSize)
	for i := range p {
		copy(p[i][:], b[i*HashSize:])
	}
	return p
}

// FuzzVerifyInclusion feeds arbitrary arguments to VerifyInclusion, and
// checks that a genuine proof of a small tree chosen by the fuzzer
// verifies while the same proof with the fuzzer's changes is only
// accepted if nothing was changed (or the change keeps the path shape).
func FuzzVerifyInclusion(f *testing.F) {
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := fuzzTree(h)
		p, _ := tree.InclusionProof(6)
		var path []byte
		for _, x := range p.Path {
			path = append(path, x[:]...)
		}
		lh, _ := tree.LeafHash(6)
		root := tree.Root()
		f.Add(uint8(h), uint64(6), uint64(11), lh[:], root[:], path)
		f.Add(uint8(h), uint64(11), uint64(11), lh[:], root[:], path)
		f.Add(uint8(h), uint64(0), uint64(0), lh[:], root[:], []byte{})
	}
	f.Fuzz(func(t *testing.T, hc uint8, index, size uint64, leaf, root, path []byte) {
		h := Hasher(hc)
		var lh, r Hash
		copy(lh[:], leaf)
		copy(r[:], root)
		err := VerifyInclusion(h, index, size, lh, pathFrom(path), r)
		if err != nil && !knownError(err) {
			t.Fatalf("untyped error %v", err)
		}
		if err == nil && !h.Valid() {
			t.Fatal("accepted an invalid hasher")
		}
		// Genuine proofs in a small tree derived from the inputs verify,
		// and a changed leaf does not.
		if !h.Valid() {
			return
		}
		n := size%40 + 1
		i := index % n
		leaves := make([][]byte, n)
		for j := range leaves {
			leaves[j] = binary.BigEndian.AppendUint64(bytes.Clone(leaf), uint64(j))
		}
		tree := NewTree(h, leaves)
		p, err := tree.InclusionProof(i)
		if err != nil {
			t.Fatal(err)
		}
		good := h.HashLeaf(leaves[i])
		if err := p.Verify(good, tree.Root()); err != nil {
			t.Fatalf("genuine proof %d/%d: %v", i, n, err)
		}
		if lh != good {
			if err := p.Verify(lh, tree.Root()); !errors.Is(err, ErrRootMismatch) {
				t.Fatalf("changed leaf accepted or wrong error: %v", err)
			}
		}
	})
}

// FuzzVerifyConsistency does the same for consistency proofs.
func FuzzVerifyConsistency(f *testing.F) {
	for _, h := range []Hasher{SHA256, BLAKE3} {
		tree := fuzzTree(h)
		p, _ := tree.ConsistencyProof(5, 11)
		var path []byte
		for _, x := range p.Path {
			path = append(path, x[:]...)
		}
		r5, _ := tree.RootAt(5)
		root := tree.Root()
		f.Add(uint8(h), uint64(5), uint64(11), r5[:], root[:], path)
		f.Add(uint8(h), uint64(0), uint64(11), r5[:], root[:], []byte{})
		f.Add(uint8(h), uint64(12), uint64(11), r5[:], root[:], path)
	}
	f.Fuzz(func(t *testing.T, hc uint8, oldSize, newSize uint64, oldRoot, newRoot, path []byte) {
		h := Hasher(hc)
		var o, r Hash
		copy(o[:], oldRoot)
		copy(r[:], newRoot)
		err := VerifyConsistency(h, oldSize, newSize, o, r, pathFrom(path))
		if err != nil && !knownError(err) {
			t.Fatalf("untyped error %v", err)
		}
		if !h.Valid() {
			if err == nil {
				t.Fatal("accepted an invalid hasher")
			}
			return
		}
		n := newSize%40 + 1
		m := oldSize % (n + 1)
		leaves := make([][]byte, n)
		for j := range leaves {
			leaves[j] = binary.BigEndian.AppendUint64(bytes.Clone(oldRoot), uint64(j))
		}
		tree := NewTree(h, leaves)
		p, err := tree.ConsistencyProof(m, n)
		if err != nil {
			t.Fatal(err)
		}
		oldR, _ := tree.RootAt(m)
		if err := p.Verify(oldR, tree.Root()); err != nil {
			t.Fatalf("genuine proof %d→%d: %v", m, n, err)
		}
		if m > 0 && o != oldR {
			if err := p.Verify(o, tree.Root()); !errors.Is(err, ErrRootMismatch) {
				t.Fatalf("changed old root accepted or wrong error: %v", err)
			}
		}
	})
}

// FuzzBuilderState decodes saved builder states: no panic, typed errors,
// an accepted state re-encodes to the same bytes, and appending to it
// either grows it by one or, at 2^64−1 leaves, fails and changes nothing.
func FuzzBuilderState(f *testing.F) {
	for _, h := range []Hasher{SHA256, BLAKE3} {
		b := NewBuilder(h)
		for i := 0; i < 11; i++ {
			if _, err := b.Append([]byte{byte(i)}); err != nil {
				f.Fatal(err)
			}
			s, _ := b.MarshalBinary()
			f.Add(s)
		}
	}
	f.Add([]byte{1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	seedHostile(f, "builder-restore", "builder-append", "builder-append-leaves")
	f.Fuzz(func(t *testing.T, data []byte) {
		b := NewBuilder(BLAKE3)
		if err := b.UnmarshalBinary(data); err != nil {
			checkDecodeError(t, err)
			return
		}
		again, _ := b.MarshalBinary()
		if !bytes.Equal(again, data) {
			t.Fatalf("round trip %x → %x", data, again)
		}
		root := b.Root()
		size := b.Size()
		_, err := b.Append([]byte("x"))
		switch {
		case size == 1<<64-1:
			if !errors.Is(err, ErrSizeOutOfRange) || b.Size() != size || b.Root() != root {
				t.Fatalf("append to a full builder: %v, size %d", err, b.Size())
			}
		case err != nil || b.Size() != size+1:
			t.Fatalf("append to size %d: %v, size %d", size, err, b.Size())
		}
	})
}
