package store

import (
	"bytes"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/ipfs/go-cid"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/iotrust/iotrust/canon"
)

// Format version 1. Everything here is documented byte by byte in doc.go;
// keep the two in step.

const (
	dataKeySize = 32
	nonceSize   = chacha20poly1305.NonceSizeX
	tagSize     = chacha20poly1305.Overhead

	blobVersion     = 1
	blobAEADXChaCha = 1 // XChaCha20-Poly1305, key and commitment by BLAKE3 derive-key
	// blobHeaderSize: magic 4, version 1, AEAD 1, key commitment 32, nonce 24.
	blobHeaderSize = 4 + 1 + 1 + 32 + nonceSize
	// blobOverhead is what a stored blob adds to its plaintext.
	blobOverhead = blobHeaderSize + tagSize

	envVersion = 1
	// envFixed: magic 4, version 1, suite 6, CID length 1 (CID follows),
	// recipient count 2.
	envFixed = 4 + 1 + 6 + 1 + 2
	// entrySize: recipient ID, encapsulated key, wrapped data key.
	entrySize = 32 + encSize + wrappedSize
	// maxCIDLen bounds the CID inside an envelope (a v1 raw CID with a
	// 32-byte digest has 36 bytes).
	maxCIDLen = 64
)

var (
	blobMagic = [4]byte{'I', 'O', 'T', 'B'}
	envMagic  = [4]byte{'I', 'O', 'T', 'E'}
)

// Domains of the keys derived from a blob's data key and of the HPKE info
// string of its wrappings.
const (
	encKeyTag    canon.Tag = "iotrust.store.blob-key.v1"
	commitKeyTag canon.Tag = "iotrust.store.key-commitment.v1"
	wrapTag                = "iotrust.store.wrap.v1"
)

// blobKeys derives the AEAD key and the key commitment from a data key.
// The commitment, stored in the blob and covered by its CID, binds the CID
// to one data key and therefore to one plaintext: a wrapping of any other
// key is refused before decryption.
func blobKeys(dataKey []byte) (enc, commit [32]byte) {
	return canon.MustTaggedSum(canon.BLAKE3, encKeyTag, dataKey).Sum,
		canon.MustTaggedSum(canon.BLAKE3, commitKeyTag, dataKey).Sum
}

// sealBlob returns the stored form of plaintext under dataKey and nonce.
func sealBlob(dataKey, nonce, plaintext []byte) []byte {
	return appendSealed(nil, dataKey, nonce, plaintext)
}

// appendSealed is sealBlob writing into dst's memory: it returns
// dst[:0] grown to hold the stored form, reallocated only if dst is too
// small. dst must not overlap plaintext.
func appendSealed(dst, dataKey, nonce, plaintext []byte) []byte {
	encKey, commit := blobKeys(dataKey)
	out := slices.Grow(dst[:0], blobHeaderSize+len(plaintext)+tagSize)[:blobHeaderSize]
	copy(out[0:4], blobMagic[:])
	out[4] = blobVersion
	out[5] = blobAEADXChaCha
	copy(out[6:38], commit[:])
	copy(out[38:blobHeaderSize], nonce)
	var aad [blobHeaderSize]byte
	copy(aad[:], out)
	aead, err := chacha20poly1305.NewX(encKey[:])
	if err != nil {
		panic("store: " + err.Error()) // the key is always 32 bytes
	}
	return aead.Seal(out, out[38:blobHeaderSize], plaintext, aad[:])
}

// blobHeader is the parsed clear part of a stored blob.
type blobHeader struct {
	commit [32]byte
	nonce  []byte
	aad    []byte
	body   []byte // ciphertext ‖ tag
}

// parseBlob checks the stored blob's clear header. Errors match ErrCorrupt.
func parseBlob(b []byte) (blobHeader, error) {
	if len(b) < blobOverhead {
		return blobHeader{}, corrupt("blob of %d bytes, shorter than its %d-byte overhead", len(b), blobOverhead)
	}
	if !bytes.Equal(b[0:4], blobMagic[:]) {
		return blobHeader{}, corrupt("blob magic %x", b[0:4])
	}
	if b[4] != blobVersion {
		return blobHeader{}, corrupt("blob format version %d", b[4])
	}
	if b[5] != blobAEADXChaCha {
		return blobHeader{}, corrupt("blob AEAD %d", b[5])
	}
	var h blobHeader
	copy(h.commit[:], b[6:38])
	h.nonce = b[38:blobHeaderSize]
	h.aad = b[:blobHeaderSize]
	h.body = b[blobHeaderSize:]
	return h, nil
}

// openBlob checks dataKey against the blob's commitment and decrypts.
func openBlob(h blobHeader, dataKey []byte) ([]byte, error) {
	encKey, commit := blobKeys(dataKey)
	if subtle.ConstantTimeCompare(commit[:], h.commit[:]) != 1 {
		return nil, corrupt("the wrapped data key is not the one the blob commits to")
	}
	aead, err := chacha20poly1305.NewX(encKey[:])
	if err != nil {
		panic("store: " + err.Error())
	}
	pt, err := aead.Open(nil, h.nonce, h.body, h.aad)
	if err != nil {
		return nil, corrupt("blob does not authenticate")
	}
	return pt, nil
}

// entry is one recipient's wrapping of the data key.
type entry struct {
	id      RecipientID
	enc     [encSize]byte
	wrapped [wrappedSize]byte
}

// envelope is the mutable record beside a blob: who can read it.
type envelope struct {
	cid     cid.Cid
	entries []entry // sorted by id, strictly ascending
}

// wrapInfo is the HPKE info string of every wrapping of c's data key, so a
// wrapping copied into another blob's envelope does not open.
func wrapInfo(c cid.Cid) []byte {
	return append([]byte(wrapTag), c.Bytes()...)
}

func (e *envelope) find(id RecipientID) (int, bool) {
	return slices.BinarySearchFunc(e.entries, id, func(x entry, id RecipientID) int {
		return bytes.Compare(x.id[:], id[:])
	})
}

// encode returns the envelope's one binary form.
func (e *envelope) encode() []byte {
	cb := e.cid.Bytes()
	out := make([]byte, 0, envFixed+len(cb)+len(e.entries)*entrySize)
	out = append(out, envMagic[:]...)
	out = append(out, envVersion)
	out = append(out, suiteIDs[:]...)
	out = append(out, byte(len(cb)))
	out = append(out, cb...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(e.entries)))
	for i := range e.entries {
		out = append(out, e.entries[i].id[:]...)
		out = append(out, e.entries[i].enc[:]...)
		out = append(out, e.entries[i].wrapped[:]...)
	}
	return out
}

// maxEnvelopeSize is the largest envelope parseEnvelope accepts.
const maxEnvelopeSize = envFixed + maxCIDLen + MaxRecipientsLimit*entrySize

// parseEnvelope reads exactly one envelope encoding: known magic, version
// and suite, a CID of this package's form in its one binary spelling, 1 to
// MaxRecipientsLimit entries in strictly ascending ID order, nothing after
// them. Errors match ErrCorrupt.
func parseEnvelope(b []byte) (*envelope, error) {
	if len(b) > maxEnvelopeSize {
		return nil, corrupt("envelope of %d bytes, above %d", len(b), maxEnvelopeSize)
	}
	if len(b) < envFixed {
		return nil, corrupt("envelope of %d bytes is truncated", len(b))
	}
	if !bytes.Equal(b[0:4], envMagic[:]) {
		return nil, corrupt("envelope magic %x", b[0:4])
	}
	if b[4] != envVersion {
		return nil, corrupt("envelope format version %d", b[4])
	}
	if !bytes.Equal(b[5:11], suiteIDs[:]) {
		return nil, corrupt("envelope HPKE suite %x", b[5:11])
	}
	cl := int(b[11])
	if cl == 0 || cl > maxCIDLen || len(b) < envFixed+cl {
		return nil, corrupt("envelope CID length %d", cl)
	}
	cb := b[12 : 12+cl]
	c, err := cid.Cast(cb)
	if err != nil {
		return nil, corrupt("envelope CID: %v", err)
	}
	if !bytes.Equal(c.Bytes(), cb) {
		return nil, corrupt("envelope CID is not in its canonical form")
	}
	if _, err := cidDigest(c); err != nil {
		return nil, corrupt("envelope CID: %v", err)
	}
	rest := b[12+cl:]
	n := int(binary.BigEndian.Uint16(rest))
	rest = rest[2:]
	if n == 0 || n > MaxRecipientsLimit {
		return nil, corrupt("envelope with %d recipients", n)
	}
	if len(rest) != n*entrySize {
		return nil, corrupt("envelope holds %d bytes for %d recipients, want %d", len(rest), n, n*entrySize)
	}
	e := &envelope{cid: c, entries: make([]entry, n)}
	for i := range e.entries {
		x := &e.entries[i]
		p := rest[i*entrySize:]
		copy(x.id[:], p[0:32])
		copy(x.enc[:], p[32:32+encSize])
		copy(x.wrapped[:], p[32+encSize:entrySize])
		if i > 0 && bytes.Compare(e.entries[i-1].id[:], x.id[:]) >= 0 {
			return nil, corrupt("envelope recipients out of order at %d", i)
		}
	}
	return e, nil
}

// cidOf returns the CIDv1 (raw codec) of data under h.
func cidOf(h canon.HashFunc, data []byte) cid.Cid {
	return cid.NewCidV1(cid.Raw, canon.Sum(h, data).Multihash())
}

// cidDigest checks that c is of the form this package makes — CIDv1, raw
// codec, a 32-byte BLAKE3 or SHA-256 multihash — and returns its digest.
// Errors match ErrBadCID.
func cidDigest(c cid.Cid) (canon.Digest, error) {
	if !c.Defined() {
		return canon.Digest{}, fmt.Errorf("%w: undefined", ErrBadCID)
	}
	if c.Version() != 1 || c.Type() != cid.Raw {
		return canon.Digest{}, fmt.Errorf("%w: version %d codec 0x%x, want 1 and raw (0x55)", ErrBadCID, c.Version(), c.Type())
	}
	d, err := canon.ParseMultihash(c.Hash())
	if err != nil {
		return canon.Digest{}, fmt.Errorf("%w: %v", ErrBadCID, err)
	}
	return d, nil
}

// checkCID verifies that data hashes to c. A mismatch is ErrCIDMismatch.
func checkCID(c cid.Cid, want canon.Digest, data []byte) error {
	got := canon.Sum(want.Func, data)
	if got != want {
		return fmt.Errorf("%w: %s holds bytes with %s", ErrCIDMismatch, c, got)
	}
	return nil
}

// objectNames returns the backend names of c's blob and envelope. Both sit
// under a shard named by the digest's first byte, so no directory or prefix
// grows past 1/256 of the objects.
func objectNames(c cid.Cid, d canon.Digest) (blob, env string) {
	shard := hex.EncodeToString(d.Sum[:1])
	s := c.String()
	return "blob/" + shard + "/" + s, "env/" + shard + "/" + s
}
