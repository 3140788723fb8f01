package batch

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/merkle"
)

// Batch blob: the plaintext a Gateway seals into the store for each batch,
// the leaves of its Merkle tree in order. Byte layout:
//
//	offset  size      meaning
//	0       4         magic "IOTB"
//	4       1         format version, 1
//	5       1         merkle.Hasher of the tree (1 BLAKE3, 2 SHA-256)
//	6       varint    number of leaves n, 1 ≤ n ≤ MaxBatchSize
//	…       n ×       leaf: varint length l (1 ≤ l ≤ MaxLeafSize), then l bytes
//
// Varints are unsigned LEB128 (encoding/binary's Uvarint) in their shortest
// form; anything after the last leaf is refused. Each leaf is a signed
// reading's canonical JSON (reading.Signed's leaf bytes), so the tree's
// leaf hashes are merkle's leaf hashes of those bytes.
const blobMagic = "IOTB"

const blobVersion = 1

// MaxBatchSize is the largest number of readings in one batch.
const MaxBatchSize = 1 << 20

// MaxLeafSize bounds one leaf of a batch blob.
const MaxLeafSize = 64 << 10

// blobHeaderRoom is more than a blob needs beyond its leaves and their
// length varints (magic, version, hash, count).
const blobHeaderRoom = 256

// errBlob is wrapped by every blob decoding error.
var errBlob = errors.New("malformed batch blob")

// encodeBlob returns the blob of leaves hashed with h.
func encodeBlob(h merkle.Hasher, leaves [][]byte) []byte { return appendBlob(nil, h, leaves) }

// appendBlob appends the blob of leaves hashed with h to dst[:0], growing
// it only when it is too small.
func appendBlob(dst []byte, h merkle.Hasher, leaves [][]byte) []byte {
	n := 6 + binary.MaxVarintLen64
	for _, l := range leaves {
		n += binary.MaxVarintLen64 + len(l)
	}
	b := dst[:0]
	if cap(b) < n {
		b = make([]byte, 0, n)
	}
	b = append(b, blobMagic...)
	b = append(b, blobVersion, byte(h))
	b = binary.AppendUvarint(b, uint64(len(leaves)))
	for _, l := range leaves {
		b = binary.AppendUvarint(b, uint64(len(l)))
		b = append(b, l...)
	}
	return b
}

// decodeBlob parses a blob, refusing every encoding but the one encodeBlob
// writes. The returned leaves alias b.
func decodeBlob(b []byte) (merkle.Hasher, [][]byte, error) {
	if len(b) < 6 || string(b[:4]) != blobMagic {
		return 0, nil, fmt.Errorf("%w: bad magic", errBlob)
	}
	if b[4] != blobVersion {
		return 0, nil, fmt.Errorf("%w: version %d", errBlob, b[4])
	}
	h := merkle.Hasher(b[5])
	if h != merkle.BLAKE3 && h != merkle.SHA256 {
		return 0, nil, fmt.Errorf("%w: hasher %d", errBlob, b[5])
	}
	rest := b[6:]
	n, rest, err := uvarint(rest)
	if err != nil {
		return 0, nil, err
	}
	if n == 0 || n > MaxBatchSize {
		return 0, nil, fmt.Errorf("%w: %d leaves", errBlob, n)
	}
	if n > uint64(len(rest))/2 { // every leaf takes at least two bytes
		return 0, nil, fmt.Errorf("%w: %d leaves in %d bytes", errBlob, n, len(rest))
	}
	leaves := make([][]byte, 0, n)
	for i := uint64(0); i < n; i++ {
		var l uint64
		if l, rest, err = uvarint(rest); err != nil {
			return 0, nil, err
		}
		if l == 0 || l > MaxLeafSize || l > uint64(len(rest)) {
			return 0, nil, fmt.Errorf("%w: leaf %d of %d bytes", errBlob, i, l)
		}
		leaves = append(leaves, rest[:l:l])
		rest = rest[l:]
	}
	if len(rest) != 0 {
		return 0, nil, fmt.Errorf("%w: %d bytes after the last leaf", errBlob, len(rest))
	}
	return h, leaves, nil
}

// uvarint reads one shortest-form unsigned varint.
func uvarint(b []byte) (uint64, []byte, error) {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, nil, fmt.Errorf("%w: bad varint", errBlob)
	}
	if n != len(binary.AppendUvarint(nil, v)) {
		return 0, nil, fmt.Errorf("%w: varint not in shortest form", errBlob)
	}
	return v, b[n:], nil
}
