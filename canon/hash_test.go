package canon

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	lukeblake3 "lukechampine.com/blake3"
)

// vectorInput is the input of the official BLAKE3 test vectors: the
// repeating byte sequence 0, 1, …, 250.
func vectorInput(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

// From the BLAKE3 team's test_vectors.json (first 32 bytes of each output).
var blake3Vectors = []struct {
	n              int
	hash, deriveKy string
}{
	{0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", "2cc39783c223154fea8dfb7c1b1660f2ac2dcbd1c1de8277b0b0dd39b7e50d7d"},
	{1, "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213", "b3e2e340a117a499c6cf2398a19ee0d29cca2bb7404c73063382693bf66cb06c"},
	{63, "e9bc37a594daad83be9470df7f7b3798297c3d834ce80ba85d6e207627b7db7b", "b6451e30b953c206e34644c6803724e9d2725e0893039cfc49584f991f451af3"},
	{64, "4eed7141ea4a5cd4b788606bd23f46e212af9cacebacdc7d1f4c6dc7f2511b98", "a5c4a7053fa86b64746d4bb688d06ad1f02a18fce9afd3e818fefaa7126bf73e"},
}

const blake3VectorContext = "BLAKE3 2019-12-27 16:29:52 test vectors context"

func TestBLAKE3PublishedVectors(t *testing.T) {
	for _, v := range blake3Vectors {
		in := vectorInput(v.n)
		if got := Sum(BLAKE3, in).Hex(); got != v.hash {
			t.Errorf("Sum(BLAKE3, %d bytes) = %s, want %s", v.n, got, v.hash)
		}
		d, err := TaggedSum(BLAKE3, blake3VectorContext, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Hex(); got != v.deriveKy {
			t.Errorf("TaggedSum(BLAKE3, %d bytes) = %s, want %s", v.n, got, v.deriveKy)
		}
	}
	if got := Sum(SHA256, nil).Hex(); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("SHA-256 of empty input = %s", got)
	}
}

// TaggedSum cross-checked against an independent BLAKE3 implementation and
// against the BIP-340 construction written out by hand.
func TestTaggedSumIndependent(t *testing.T) {
	tags := []Tag{"iotrust.reading.v1", "iotrust.voucher.v1", "a", "iotrust.merkle.leaf.v1"}
	for _, tag := range tags {
		for _, n := range []int{0, 1, 31, 32, 64, 65, 1024, 1025, 5000} {
			data := vectorInput(n)
			got := MustTaggedSum(BLAKE3, tag, data)
			var want [32]byte
			lukeblake3.DeriveKey(want[:], string(tag), data)
			if got.Sum != want || got.Func != BLAKE3 {
				t.Errorf("BLAKE3 %q/%d: got %x, want %x", tag, n, got.Sum, want)
			}
			for _, h := range []HashFunc{BLAKE3, SHA256} {
				th, err := NewTaggedHasher(h, tag)
				if err != nil {
					t.Fatal(err)
				}
				// Twice: a Sum must leave the hasher as it found it.
				first, second := th.Sum(data), th.Sum(data)
				if want := MustTaggedSum(h, tag, data); first != want || second != want {
					t.Errorf("TaggedHasher(%s, %q) differs from TaggedSum on %d bytes", h, tag, n)
				}
			}
			th := sha256.Sum256([]byte(tag))
			ws := sha256.Sum256(append(append(th[:], th[:]...), data...))
			if gs := MustTaggedSum(SHA256, tag, data); gs.Sum != ws || gs.Func != SHA256 {
				t.Errorf("SHA256 %q/%d mismatch", tag, n)
			}
		}
	}
}

func TestTagsSeparateDomains(t *testing.T) {
	data := []byte(`{"seq":1}`)
	seen := map[[32]byte]Tag{}
	for _, tag := range []Tag{"iotrust.reading.v1", "iotrust.voucher.v1", "iotrust.checkpoint.v1", "iotrust.reading.v2"} {
		for _, h := range []HashFunc{BLAKE3, SHA256} {
			d := MustTaggedSum(h, tag, data)
			if prev, ok := seen[d.Sum]; ok {
				t.Fatalf("%s and %s collide", prev, tag)
			}
			seen[d.Sum] = tag
		}
	}
	plain := Sum(BLAKE3, data)
	if _, ok := seen[plain.Sum]; ok {
		t.Fatal("a tagged digest equals the plain digest")
	}
	m, err := SigningMessage("iotrust.reading.v1", data)
	if err != nil || !bytes.Equal(m, MustTaggedSum(BLAKE3, "iotrust.reading.v1", data).Bytes()) {
		t.Fatalf("SigningMessage is not the BLAKE3 tagged sum: %x, %v", m, err)
	}
}

func TestTagValidation(t *testing.T) {
	for _, bad := range []Tag{"", "tab\there", "nul\x00", "é", Tag(bytes.Repeat([]byte("a"), MaxTagLen+1))} {
		if _, err := TaggedSum(BLAKE3, bad, nil); !errors.Is(err, ErrBadTag) {
			t.Errorf("tag %q: %v, want ErrBadTag", bad, err)
		}
		if _, err := SigningMessage(bad, nil); !errors.Is(err, ErrBadTag) {
			t.Errorf("SigningMessage tag %q: %v", bad, err)
		}
	}
	if _, err := TaggedSum(0, "ok", nil); !errors.Is(err, ErrUnknownHash) {
		t.Errorf("invalid func: %v", err)
	}
	if _, err := NewTaggedHasher(BLAKE3, ""); !errors.Is(err, ErrBadTag) {
		t.Errorf("NewTaggedHasher bad tag: %v", err)
	}
	if _, err := NewTaggedHasher(7, "ok"); !errors.Is(err, ErrUnknownHash) {
		t.Errorf("NewTaggedHasher bad func: %v", err)
	}
	if err := Tag(bytes.Repeat([]byte("a"), MaxTagLen)).Validate(); err != nil {
		t.Errorf("max-length tag rejected: %v", err)
	}
}

func TestDigestForms(t *testing.T) {
	for _, h := range []HashFunc{BLAKE3, SHA256} {
		d := Sum(h, []byte("iotrust"))
		txt, err := d.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Digest
		if err := back.UnmarshalText(txt); err != nil || back != d {
			t.Fatalf("text round trip %s: %v", txt, err)
		}
		if _, err := ParseDigest(h.String() + ":" + hexUpper(d.Sum[:])); !errors.Is(err, ErrBadDigest) {
			t.Errorf("uppercase hex: %v, want ErrBadDigest (one spelling per digest)", err)
		}
		mh, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if mh[0] != byte(h.MultihashCode()) || mh[1] != 32 || len(mh) != 34 {
			t.Errorf("multihash header %x", mh[:2])
		}
		if err := back.UnmarshalBinary(mh); err != nil || back != d {
			t.Fatalf("multihash round trip: %v", err)
		}
		if n, err := ParseHashFunc(h.String()); err != nil || n != h {
			t.Errorf("ParseHashFunc(%s)", h)
		}
	}
	// The multihash of SHA-256("") as the multiformats docs show it.
	d := Sum(SHA256, nil)
	if got := hex.EncodeToString(d.Multihash()); got != "1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("multihash = %s", got)
	}
	if (Digest{}).Valid() || !(Digest{}).IsZero() {
		t.Error("zero digest should be invalid and zero")
	}
	if _, err := (Digest{}).MarshalText(); !errors.Is(err, ErrUnknownHash) {
		t.Errorf("zero digest MarshalText: %v", err)
	}
}

func TestDigestParseRejects(t *testing.T) {
	good := Sum(BLAKE3, nil).String()
	for _, s := range []string{"", "blake3", "md5:" + good[7:], "blake3:" + good[7:70], "blake3:" + good[7:] + "00", "blake3:" + good[7:71] + "g", "sha256:" + good[7:] + ":"} {
		if _, err := ParseDigest(s); err == nil {
			t.Errorf("ParseDigest(%q) accepted", s)
		}
	}
	mh := Sum(SHA256, nil).Multihash()
	bad := [][]byte{
		nil, {0x12}, {0x12, 0x20}, mh[:33], append(append([]byte{}, mh...), 0),
		{0x11, 0x14}, // sha1
		append([]byte{0x92, 0x00, 0x20}, mh[2:]...),                        // non-minimal code varint
		append([]byte{0x12, 0xa0, 0x00}, mh[2:]...),                        // non-minimal length varint
		append([]byte{0x12, 0x10}, mh[2:18]...),                            // truncated digest length
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, // overflow
	}
	for _, b := range bad {
		if _, err := ParseMultihash(b); err == nil {
			t.Errorf("ParseMultihash(%x) accepted", b)
		}
	}
	if _, err := NewDigest(SHA256, make([]byte, 31)); !errors.Is(err, ErrBadDigest) {
		t.Errorf("short digest: %v", err)
	}
}

func hexUpper(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func FuzzParseDigest(f *testing.F) {
	f.Add(Sum(BLAKE3, nil).String())
	f.Add(Sum(SHA256, nil).String())
	f.Add("sha256:zz")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDigest(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDigest accepts %q, another spelling of %s", s, d)
		}
	})
}

func FuzzParseMultihash(f *testing.F) {
	f.Add(Sum(BLAKE3, nil).Multihash())
	f.Add(Sum(SHA256, nil).Multihash())
	f.Add([]byte{0x12, 0x20})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseMultihash(b)
		if err != nil {
			return
		}
		if !bytes.Equal(d.Multihash(), b) {
			t.Fatalf("non-canonical multihash %x accepted", b)
		}
	})
}

func TestTaggedHasherConcurrent(t *testing.T) {
	th, _ := NewTaggedHasher(BLAKE3, "iotrust.concurrent.v1")
	want := MustTaggedSum(BLAKE3, "iotrust.concurrent.v1", []byte("x"))
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			for i := 0; i < 200; i++ {
				ok = ok && th.Sum([]byte("x")) == want
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Fatal("concurrent Sum differs")
		}
	}
}
