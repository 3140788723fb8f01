package batch

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/reading"
)

// signedLeaves returns the leaves of n signed readings of one device.
func signedLeaves(t testing.TB, n int) [][]byte {
	t.Helper()
	k, err := did.Ed25519.DeriveKey(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := did.New(k.Public())
	leaves := make([][]byte, n)
	for i := range leaves {
		s, err := reading.Sign(k, reading.Reading{
			Device: dev, Topic: "test/batch/vib", Seq: uint64(i + 1),
			Time:   time.Date(2026, 11, 26, 8, 0, i, 0, time.UTC),
			Sensor: "vibration", Value: int64(250 + i), Scale: 2, Unit: "mm/s",
		})
		if err != nil {
			t.Fatal(err)
		}
		if leaves[i], err = s.LeafBytes(); err != nil {
			t.Fatal(err)
		}
	}
	return leaves
}

func commitmentOf(h merkle.Hasher, leaves [][]byte) anchor.Commitment {
	return anchor.Commitment{Root: h.Digest(h.Root(leaves)), Count: uint64(len(leaves))}
}

// TestParseBatchHostile is the catalogue of blobs ParseBatch refuses, each
// against the commitment it is offered with, and the errors each must give.
func TestParseBatchHostile(t *testing.T) {
	leaves := signedLeaves(t, 4)
	blob := encodeBlob(merkle.BLAKE3, leaves)
	good := commitmentOf(merkle.BLAKE3, leaves)
	if rs, err := ParseBatch(blob, good); err != nil || len(rs) != 4 || rs[2].Value != 252 {
		t.Fatalf("good blob: %v", err)
	}
	swapped := [][]byte{leaves[1], leaves[0], leaves[2], leaves[3]}
	extra := bytes.Replace(leaves[0], []byte("{"), []byte(`{"extra":1,`), 1)
	for _, tc := range []struct {
		name string
		blob []byte
		c    anchor.Commitment
		also error
	}{
		{"empty", nil, good, nil},
		{"truncated", blob[:len(blob)-1], good, nil},
		{"trailing byte", append(bytes.Clone(blob), 0), good, nil},
		{"another batch's commitment", blob, commitmentOf(merkle.BLAKE3, leaves[:3]), nil},
		{"count above the leaves", blob, anchor.Commitment{Root: good.Root, Count: 5}, nil},
		{"root of another hash function", blob, commitmentOf(merkle.SHA256, leaves), nil},
		{"SHA-256 blob, BLAKE3 root", encodeBlob(merkle.SHA256, leaves), good, nil},
		{"leaves reordered", encodeBlob(merkle.BLAKE3, swapped), good, nil},
		{"zero commitment", blob, anchor.Commitment{}, nil},
		{"leaf is no reading", encodeBlob(merkle.BLAKE3, [][]byte{[]byte("x")}),
			commitmentOf(merkle.BLAKE3, [][]byte{[]byte("x")}), reading.ErrMalformed},
		{"leaf with an unknown member", encodeBlob(merkle.BLAKE3, [][]byte{extra}),
			commitmentOf(merkle.BLAKE3, [][]byte{extra}), reading.ErrMalformed},
	} {
		_, err := ParseBatch(tc.blob, tc.c)
		if !errors.Is(err, ErrBadBatch) || (tc.also != nil && !errors.Is(err, tc.also)) {
			t.Errorf("%s: got %v", tc.name, err)
		}
	}
}

// FuzzParseBatch: ParseBatch never panics, fails only with ErrBadBatch, and
// accepts exactly the one encoding of the committed batch.
func FuzzParseBatch(f *testing.F) {
	leaves := signedLeaves(f, 3)
	c := commitmentOf(merkle.BLAKE3, leaves)
	blob := encodeBlob(merkle.BLAKE3, leaves)
	f.Add(blob)
	f.Add(blob[:len(blob)/2])
	f.Add(encodeBlob(merkle.BLAKE3, leaves[:2]))
	f.Add([]byte(fmt.Sprintf("IOTB\x01\x01\x01%c{}", 2)))
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, err := ParseBatch(b, c)
		if err != nil {
			if !errors.Is(err, ErrBadBatch) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !bytes.Equal(b, blob) || len(rs) != 3 {
			t.Fatalf("accepted another encoding of the batch: %x", b)
		}
	})
}
