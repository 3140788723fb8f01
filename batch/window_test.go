package batch

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/iotrust/iotrust/merkle"
)

// TestSeqWindow checks the anti-replay window against a plain model: a set
// of every accepted number and the highest one.
func TestSeqWindow(t *testing.T) {
	for _, w := range []uint64{1, 4, 64, 65, 1000, maxReorder} {
		var s seqWindow
		seen := map[uint64]bool{}
		var high uint64
		rng := rand.New(rand.NewPCG(1, w))
		for range 20000 {
			var seq uint64
			switch rng.IntN(4) {
			case 0:
				seq = high + 1 + rng.Uint64N(3*w)
			default:
				seq = high - min(high, rng.Uint64N(w+w/2+2))
			}
			err := s.check(seq, w)
			var want error
			switch {
			case len(seen) == 0 || seq > high:
			case high-seq >= w:
				want = ErrStale
			case seen[seq]:
				want = ErrReplay
			}
			if !errors.Is(err, want) || (want == nil) != (err == nil) {
				t.Fatalf("w=%d high=%d seq=%d: got %v, want %v", w, high, seq, err, want)
			}
			if err == nil {
				s.accept(seq)
				seen[seq] = true
				high = max(high, seq)
			}
			var back seqWindow
			if err := back.unmarshal(s.marshal()); err != nil || back != s {
				t.Fatalf("window does not round-trip: %v", err)
			}
		}
	}
}

func TestBlobRoundTrip(t *testing.T) {
	leaves := [][]byte{[]byte("a"), bytes.Repeat([]byte("b"), 300), []byte("{}")}
	b := encodeBlob(merkle.SHA256, leaves)
	h, got, err := decodeBlob(b)
	if err != nil || h != merkle.SHA256 || len(got) != 3 || !bytes.Equal(got[1], leaves[1]) {
		t.Fatalf("decode: %v %v %d", err, h, len(got))
	}
	bad := map[string][]byte{
		"empty":             nil,
		"bad magic":         append([]byte("IOTX"), b[4:]...),
		"version 2":         append(append([]byte("IOTB"), 2), b[5:]...),
		"unknown hasher":    append(append([]byte("IOTB"), 1, 9), b[6:]...),
		"trailing byte":     append(append([]byte(nil), b...), 0),
		"truncated":         b[:len(b)-1],
		"zero leaves":       {'I', 'O', 'T', 'B', 1, 1, 0},
		"long varint count": {'I', 'O', 'T', 'B', 1, 1, 0x81, 0x00, 1, 'x'},
		"empty leaf":        {'I', 'O', 'T', 'B', 1, 1, 1, 0},
		"count beyond data": {'I', 'O', 'T', 'B', 1, 1, 0xff, 0xff, 0x03, 1, 'x'},
	}
	for name, in := range bad {
		if _, _, err := decodeBlob(in); !errors.Is(err, errBlob) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

// FuzzDecodeBlob: decoding never panics, and whatever decodes re-encodes
// to the same bytes (exactly one encoding).
func FuzzDecodeBlob(f *testing.F) {
	f.Add(encodeBlob(merkle.BLAKE3, [][]byte{[]byte("x")}))
	f.Add(encodeBlob(merkle.SHA256, [][]byte{[]byte("x"), []byte("yy")}))
	f.Add([]byte{'I', 'O', 'T', 'B', 1, 1, 0x81, 0x00, 1, 'x'})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, leaves, err := decodeBlob(b)
		if err != nil {
			if !errors.Is(err, errBlob) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !bytes.Equal(encodeBlob(h, leaves), b) {
			t.Fatalf("%x decodes but re-encodes differently", b)
		}
	})
}
