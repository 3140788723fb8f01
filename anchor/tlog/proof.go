package tlog

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/merkle"
)

// LedgerName is the Receipt.Ledger of this backend.
const LedgerName = "tlog"

// maxProofHashes bounds an inclusion proof: a tree of 2^64 leaves needs 64.
const maxProofHashes = 64

// proofVersion is the first byte of an encoded InclusionProof.
const proofVersion = 1

// ErrBadProof is returned for receipt proof bytes that do not decode.
var ErrBadProof = errors.New("tlog: malformed inclusion proof")

// InclusionProof is what a tlog Receipt carries in its Proof field: the
// RFC 6962 inclusion proof of the entry at Index in the tree of the signed
// Checkpoint. It is everything an offline verifier needs besides the log's
// public key.
type InclusionProof struct {
	Index      uint64
	TreeSize   uint64
	Hashes     [][32]byte
	Checkpoint []byte // signed note
}

// MarshalBinary encodes p as
//
//	version     1 byte, 0x01
//	index       8 bytes big-endian
//	tree size   8 bytes big-endian
//	hashes      1-byte count (at most 64), 32 bytes each
//	checkpoint  2-byte big-endian length (at most MaxCheckpointLen), bytes
func (p InclusionProof) MarshalBinary() ([]byte, error) {
	if len(p.Hashes) > maxProofHashes {
		return nil, fmt.Errorf("%w: %d hashes", ErrBadProof, len(p.Hashes))
	}
	if len(p.Checkpoint) > MaxCheckpointLen {
		return nil, fmt.Errorf("%w: checkpoint of %d bytes", ErrBadProof, len(p.Checkpoint))
	}
	b := make([]byte, 0, 1+16+1+32*len(p.Hashes)+2+len(p.Checkpoint))
	b = append(b, proofVersion)
	b = binary.BigEndian.AppendUint64(b, p.Index)
	b = binary.BigEndian.AppendUint64(b, p.TreeSize)
	b = append(b, byte(len(p.Hashes)))
	for _, h := range p.Hashes {
		b = append(b, h[:]...)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(p.Checkpoint)))
	return append(b, p.Checkpoint...), nil
}

// UnmarshalBinary decodes the form written by MarshalBinary, rejecting
// anything else: trailing bytes, an index outside the tree, and a number
// of hashes other than the inclusion path of Index in a tree of TreeSize
// needs. One proof has one encoding.
func (p *InclusionProof) UnmarshalBinary(b []byte) error {
	bad := func(why string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadProof, fmt.Sprintf(why, args...))
	}
	if len(b) < 1+16+1 {
		return bad("%d bytes is too short", len(b))
	}
	if b[0] != proofVersion {
		return bad("version %d", b[0])
	}
	q := InclusionProof{Index: binary.BigEndian.Uint64(b[1:]), TreeSize: binary.BigEndian.Uint64(b[9:])}
	n := int(b[17])
	if n > maxProofHashes {
		return bad("%d hashes", n)
	}
	b = b[18:]
	if len(b) < 32*n+2 {
		return bad("truncated hashes")
	}
	q.Hashes = make([][32]byte, n)
	for i := range q.Hashes {
		copy(q.Hashes[i][:], b[32*i:])
	}
	b = b[32*n:]
	cl := int(binary.BigEndian.Uint16(b))
	b = b[2:]
	if cl > MaxCheckpointLen {
		return bad("checkpoint of %d bytes", cl)
	}
	if len(b) < cl {
		return bad("checkpoint of %d bytes truncated to %d", cl, len(b))
	}
	if len(b) > cl {
		return bad("checkpoint of %d bytes followed by %d", cl, len(b)-cl)
	}
	q.Checkpoint = append([]byte(nil), b...)
	if q.Index >= q.TreeSize {
		return bad("index %d outside tree of size %d", q.Index, q.TreeSize)
	}
	if want := merkle.InclusionPathLen(q.Index, q.TreeSize); n != want {
		return bad("%d hashes, the path of index %d in a tree of size %d has %d", n, q.Index, q.TreeSize, want)
	}
	*p = q
	return nil
}

// leafHash returns the RFC 6962 leaf hash of an entry.
func leafHash(entry []byte) [32]byte {
	var h [32]byte
	copy(h[:], rfc6962.DefaultHasher.HashLeaf(entry))
	return h
}

// VerifyReceipt checks a tlog receipt offline: its proof decodes, the
// checkpoint is signed by the log (and the required witnesses), names the
// receipt's chain, commits to a tree of the proof's size, the
// commitment's canonical encoding is the leaf at the receipt's position of
// that tree, TxID is that leaf's hash, and State is Final (what a proof
// shows). A receipt that is not yet Final carries no proof and does not
// verify. Every failure matches anchor.ErrBadReceipt.
//
// It does not check r.Time: a checkpoint says what the log holds, not
// since when, so a receipt's Time is the serving node's advisory record of
// when it saw the entry integrated. What a receipt proves about time comes
// from witnesses: see Verify and Checkpoint.WitnessedBy.
func (v *Verifier) VerifyReceipt(_ context.Context, r anchor.Receipt) error {
	_, err := v.Verify(r)
	return err
}

// Verify checks r as VerifyReceipt does and returns what r proves: the
// signed checkpoint of the tree that holds r's commitment at r.Position.
// Its Origin, Size and Root are the log's signed statement; its
// WitnessedBy, when the Verifier requires witnesses, is the time by which
// a quorum of them had seen that tree, hence an authenticated latest time
// of the anchor. r.Time is not among what it proves.
func (v *Verifier) Verify(r anchor.Receipt) (Checkpoint, error) {
	bad := func(err error) (Checkpoint, error) {
		return Checkpoint{}, wrap(anchor.ErrBadReceipt, err)
	}
	if !v.usable() {
		return bad(errZeroVerifier)
	}
	if r.Ledger != LedgerName || r.Chain != v.Origin() {
		return bad(fmt.Errorf("receipt of ledger %q chain %q, verifier of %s %q", r.Ledger, r.Chain, LedgerName, v.Origin()))
	}
	if len(r.Proof) == 0 {
		return bad(fmt.Errorf("receipt in state %v carries no proof", r.State))
	}
	if r.State != anchor.Final {
		return bad(fmt.Errorf("receipt in state %v carries a proof, which makes it final", r.State))
	}
	var p InclusionProof
	if err := p.UnmarshalBinary(r.Proof); err != nil {
		return bad(err)
	}
	if p.Index != r.Position {
		return bad(fmt.Errorf("proof for index %d, receipt at position %d", p.Index, r.Position))
	}
	cp, err := v.ParseCheckpoint(p.Checkpoint)
	if err != nil {
		return bad(err)
	}
	if cp.Size != p.TreeSize {
		return bad(fmt.Errorf("proof for tree size %d, checkpoint of size %d", p.TreeSize, cp.Size))
	}
	entry, err := r.Commitment.MarshalBinary()
	if err != nil {
		return bad(err)
	}
	leaf := leafHash(entry)
	if r.TxID != hex.EncodeToString(leaf[:]) {
		return bad(fmt.Errorf("transaction ID %q is not the entry's leaf hash %x", r.TxID, leaf))
	}
	hashes := make([][]byte, len(p.Hashes))
	for i := range p.Hashes {
		hashes[i] = p.Hashes[i][:]
	}
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, p.Index, p.TreeSize, leaf[:], hashes, cp.Root[:]); err != nil {
		return bad(fmt.Errorf("inclusion of entry %d in tree of size %d: %w", p.Index, p.TreeSize, err))
	}
	return cp, nil
}
