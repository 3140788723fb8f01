package store

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
	lblake3 "lukechampine.com/blake3"

	"github.com/iotrust/iotrust/canon"
)

// TestCIDKnownValue: the SHA-256 raw CIDv1 of "hello world", as published
// in IPFS documentation and produced by every IPFS implementation.
func TestCIDKnownValue(t *testing.T) {
	const want = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"
	if got := cidOf(canon.SHA256, []byte("hello world")).String(); got != want {
		t.Fatalf("CID = %s, want %s", got, want)
	}
	c, err := cid.Decode(want)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cidDigest(c); err != nil {
		t.Fatalf("published CID refused: %v", err)
	}
}

// handCID spells a CIDv1 raw string from the multiformats specifications
// alone: 'b' (multibase base32 lower, no padding), then version 1, codec
// raw 0x55, multihash code, length 32, digest — with independent hashers.
func handCID(code byte, data []byte) string {
	var sum [32]byte
	switch code {
	case 0x12:
		sum = sha256.Sum256(data)
	case 0x1e:
		sum = lblake3.Sum256(data)
	}
	raw := append([]byte{0x01, 0x55, code, 0x20}, sum[:]...)
	return "b" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
}

// TestCIDIndependent: CIDs of stored blobs equal the hand-built spelling
// over the bytes on disk, for both hash functions.
func TestCIDIndependent(t *testing.T) {
	gw := testIdentity(t, 1)
	for _, h := range []canon.HashFunc{canon.BLAKE3, canon.SHA256} {
		s, dir := openStore(t, Options{Hash: h})
		r := seeded(3)
		for _, n := range []int{0, 1, 100, 5000} {
			plain := make([]byte, n)
			r.Read(plain)
			c, err := s.Put(bg, plain, gw.Recipient())
			if err != nil {
				t.Fatal(err)
			}
			blob, _ := paths(t, dir, c)
			if want := handCID(byte(h.MultihashCode()), readFile(t, blob)); c.String() != want {
				t.Fatalf("%s: CID %s, by hand %s", h, c, want)
			}
		}
	}
}

func TestCheckCID(t *testing.T) {
	data := []byte("stored bytes")
	for _, h := range []canon.HashFunc{canon.BLAKE3, canon.SHA256} {
		c := cidOf(h, data)
		d, err := cidDigest(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkCID(c, d, data); err != nil {
			t.Fatal(err)
		}
		err = checkCID(c, d, []byte("stored bytez"))
		if !errors.Is(err, ErrCIDMismatch) || !errors.Is(err, ErrCorrupt) {
			t.Fatalf("mismatch: %v", err)
		}
		if strings.Count(err.Error(), "store:") != 1 {
			t.Fatalf("stutter: %v", err)
		}
	}
}
