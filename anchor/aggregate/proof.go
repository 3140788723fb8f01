package aggregate

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/internal/errchain"
	"github.com/iotrust/iotrust/internal/nilable"
	"github.com/iotrust/iotrust/merkle"
)

// LedgerName is the Receipt.Ledger of every aggregate receipt.
const LedgerName = "aggregate"

// MetadataTag is the Metadata of every aggregate commitment: it tells an
// aggregate from the commitments it aggregates on the inner ledger.
const MetadataTag = "iotrust.aggregate.v1"

// Limits of aggregates and of their proofs.
const (
	// MaxLeaves is the most commitments one aggregate holds.
	MaxLeaves = 1 << 16
	// MaxInnerReceiptLen bounds the inner receipt's JSON inside a Proof, so
	// that an aggregate receipt stays within anchor.MaxReceiptJSONLen.
	MaxInnerReceiptLen = 32 << 10
	// maxPathLen bounds the binary Merkle path of a Proof.
	maxPathLen = merkle.MaxBinaryProofSize
)

// proofVersion is the first byte of an encoded Proof.
const proofVersion = 1

// ErrBadProof is returned for Proof bytes that do not decode. As a
// receipt's proof material it also matches anchor.ErrBadReceipt.
var ErrBadProof = errors.New("aggregate: malformed aggregate proof")

// Proof is what an aggregate receipt carries in its Proof field: the
// Merkle path of the member commitment's ID into the aggregate, and the
// inner ledger's receipt of the aggregate commitment.
type Proof struct {
	// Path proves the member's leaf (its commitment ID's 32 bytes) at
	// Path.Index of the aggregate's tree of Path.Size leaves, whose root is
	// Inner.Commitment.Root, built with Path.Hasher.
	Path merkle.InclusionProof
	// Inner is the inner ledger's receipt of the aggregate commitment.
	Inner anchor.Receipt
}

// MarshalBinary encodes p as
//
//	version  1 byte, 0x01
//	path     2-byte big-endian length, the path's merkle binary encoding
//	inner    the rest: the inner receipt's JSON, as MarshalJSON writes it
//
// The inner receipt's JSON is at most MaxInnerReceiptLen bytes.
func (p Proof) MarshalBinary() ([]byte, error) {
	path, err := p.Path.MarshalBinary()
	if err != nil {
		return nil, errchain.Wrap(ErrBadProof, err)
	}
	inner, err := json.Marshal(p.Inner)
	if err != nil {
		return nil, fmt.Errorf("%w: inner receipt: %w", ErrBadProof, err)
	}
	if len(inner) > MaxInnerReceiptLen {
		return nil, fmt.Errorf("%w: inner receipt of %d bytes exceeds %d", ErrBadProof, len(inner), MaxInnerReceiptLen)
	}
	b := make([]byte, 0, 3+len(path)+len(inner))
	b = append(b, proofVersion)
	b = binary.BigEndian.AppendUint16(b, uint16(len(path)))
	b = append(b, path...)
	return append(b, inner...), nil
}

// UnmarshalBinary decodes what MarshalBinary writes and nothing else: the
// path in its one binary encoding, the inner receipt strictly
// (anchor.ParseReceipt) and byte for byte as MarshalJSON writes it.
// Errors match ErrBadProof.
func (p *Proof) UnmarshalBinary(b []byte) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadProof, fmt.Sprintf(format, args...))
	}
	if len(b) < 3 {
		return bad("%d bytes is too short", len(b))
	}
	if b[0] != proofVersion {
		return bad("version %d", b[0])
	}
	n := int(binary.BigEndian.Uint16(b[1:]))
	if n > maxPathLen || 3+n > len(b) {
		return bad("path of %d bytes in %d", n, len(b))
	}
	var q Proof
	if err := q.Path.UnmarshalBinary(b[3 : 3+n]); err != nil {
		return errchain.Wrap(ErrBadProof, err)
	}
	inner := b[3+n:]
	if len(inner) > MaxInnerReceiptLen {
		return bad("inner receipt of %d bytes exceeds %d", len(inner), MaxInnerReceiptLen)
	}
	r, err := anchor.ParseReceipt(inner)
	if err != nil {
		return fmt.Errorf("%w: inner receipt: %w", ErrBadProof, err)
	}
	if again, err := json.Marshal(r); err != nil || string(again) != string(inner) {
		return bad("inner receipt not in the form MarshalJSON writes")
	}
	q.Inner = r
	*p = q
	return nil
}

// Aggregate returns the aggregate commitment of members, in their order,
// and its tree. Leaf i is the 32 bytes of members[i]'s ID, hashed by h
// (merkle.BLAKE3 or merkle.SHA256, whose paths an EVM contract can check
// with its SHA-256 precompile). The aggregate is a normal commitment:
//
//	Root         the tree's root, stating h's hash function
//	CID          CIDv1 (raw, sha2-256) of the leaves' 32-byte IDs, concatenated
//	WindowStart  the earliest member's WindowStart
//	WindowEnd    the latest member's WindowEnd
//	Count        the number of members, which is the tree's size
//	Topic        topic
//	Metadata     MetadataTag
//
// It fails for no members, more than MaxLeaves, an invalid member or an
// invalid hasher or topic.
func Aggregate(h merkle.Hasher, topic string, members []anchor.Commitment) (anchor.Commitment, *merkle.Tree, error) {
	if len(members) == 0 || len(members) > MaxLeaves {
		return anchor.Commitment{}, nil, fmt.Errorf("aggregate: %d members, want 1 to %d", len(members), MaxLeaves)
	}
	if !h.Valid() {
		return anchor.Commitment{}, nil, fmt.Errorf("aggregate: %w: %d", merkle.ErrUnknownHasher, uint8(h))
	}
	leaves := make([][]byte, len(members))
	ids := make([]byte, 0, 32*len(members))
	agg := anchor.Commitment{
		WindowStart: members[0].WindowStart, WindowEnd: members[0].WindowEnd,
		Count: uint64(len(members)), Topic: topic, Metadata: []byte(MetadataTag),
	}
	for i, c := range members {
		id, err := c.ID()
		if err != nil {
			return anchor.Commitment{}, nil, fmt.Errorf("aggregate: member %d: %w", i, err)
		}
		leaves[i] = id.Sum[:]
		ids = append(ids, id.Sum[:]...)
		if c.WindowStart.Before(agg.WindowStart) {
			agg.WindowStart = c.WindowStart
		}
		if c.WindowEnd.After(agg.WindowEnd) {
			agg.WindowEnd = c.WindowEnd
		}
	}
	tree := merkle.NewTree(h, leaves)
	agg.Root = tree.Digest()
	sum, err := mh.Sum(ids, mh.SHA2_256, -1)
	if err != nil {
		return anchor.Commitment{}, nil, fmt.Errorf("aggregate: content ID: %w", err)
	}
	agg.CID = cid.NewCidV1(cid.Raw, sum)
	agg.WindowStart, agg.WindowEnd = agg.WindowStart.UTC(), agg.WindowEnd.UTC()
	if err := agg.Validate(); err != nil {
		return anchor.Commitment{}, nil, err
	}
	return agg, tree, nil
}

// badReceipt wraps why with anchor.ErrBadReceipt.
func badReceipt(format string, args ...any) error {
	return fmt.Errorf("%w: aggregate: %s", anchor.ErrBadReceipt, fmt.Sprintf(format, args...))
}

// OpenReceipt checks everything about an aggregate receipt that needs no ledger
// and returns its Proof: r names this backend, its commitment is valid,
// its proof decodes, the inner commitment is an aggregate (MetadataTag,
// Count equal to the path's tree size, Root of the path's hasher) whose
// window contains the member's, the member's ID is at the path's index
// under the inner commitment's root, and r's Chain, Position, TxID, Time
// and State are the inner receipt's. Errors match anchor.ErrBadReceipt.
// What remains is to verify Proof.Inner on its ledger.
func OpenReceipt(r anchor.Receipt) (Proof, error) {
	if r.Ledger != LedgerName {
		return Proof{}, badReceipt("receipt of ledger %q", r.Ledger)
	}
	if err := r.Commitment.Validate(); err != nil {
		return Proof{}, errchain.Wrap(anchor.ErrBadReceipt, err)
	}
	if len(r.Proof) == 0 {
		return Proof{}, badReceipt("receipt in state %v carries no proof", r.State)
	}
	var p Proof
	if err := p.UnmarshalBinary(r.Proof); err != nil {
		return Proof{}, errchain.Wrap(anchor.ErrBadReceipt, err)
	}
	in := p.Inner
	switch {
	case r.Chain != in.Chain:
		return Proof{}, badReceipt("chain %q, the inner receipt's is %q", r.Chain, in.Chain)
	case r.Position != in.Position:
		return Proof{}, badReceipt("position %d, the inner receipt's is %d", r.Position, in.Position)
	case r.TxID != in.TxID:
		return Proof{}, badReceipt("transaction %q, the inner receipt's is %q", r.TxID, in.TxID)
	case !r.Time.Equal(in.Time):
		return Proof{}, badReceipt("time %v, the inner receipt's is %v", r.Time, in.Time)
	case r.State != in.State:
		return Proof{}, badReceipt("state %v, the inner receipt's is %v", r.State, in.State)
	}
	agg := in.Commitment
	if string(agg.Metadata) != MetadataTag {
		return Proof{}, badReceipt("the inner commitment is not an aggregate (metadata %q)", agg.Metadata)
	}
	if agg.Count != p.Path.Size {
		return Proof{}, badReceipt("path into a tree of %d leaves, the aggregate has %d", p.Path.Size, agg.Count)
	}
	if r.Commitment.WindowStart.Before(agg.WindowStart) || r.Commitment.WindowEnd.After(agg.WindowEnd) {
		return Proof{}, badReceipt("the member's window is outside the aggregate's")
	}
	root, err := p.Path.Hasher.FromDigest(agg.Root)
	if err != nil {
		return Proof{}, errchain.Wrap(anchor.ErrBadReceipt, err)
	}
	id, err := r.Commitment.ID()
	if err != nil {
		return Proof{}, errchain.Wrap(anchor.ErrBadReceipt, err)
	}
	if err := p.Path.Verify(p.Path.Hasher.HashLeaf(id.Sum[:]), root); err != nil {
		return Proof{}, fmt.Errorf("%w: the member is not in the aggregate: %w", anchor.ErrBadReceipt, err)
	}
	return p, nil
}

// receiptOf returns the aggregate receipt of member c at path, anchored
// by the inner receipt.
func receiptOf(c anchor.Commitment, path merkle.InclusionProof, inner anchor.Receipt) (anchor.Receipt, error) {
	pb, err := Proof{Path: path, Inner: inner}.MarshalBinary()
	if err != nil {
		return anchor.Receipt{}, err
	}
	return anchor.Receipt{
		Ledger: LedgerName, Chain: inner.Chain, Commitment: c, Position: inner.Position,
		TxID: inner.TxID, Time: inner.Time, State: inner.State, Proof: pb,
	}, nil
}

// UpgradeThrough returns the aggregate receipt r brought up to date from
// the ledger its aggregate is anchored on: inner (that ledger, or any
// anchor.Upgrader of its receipts) upgrades r's inner receipt, and the
// member's path, which never changes, is kept. It needs nothing an
// Aggregator remembers, so anyone holding r and access to the inner ledger
// can upgrade it. r must carry its proof material (OpenReceipt's errors
// otherwise); the answer is not verified here (Verifier does that). Errors
// of inner about the inner receipt keep their sentinels, prefixed "inner
// receipt".
func UpgradeThrough(ctx context.Context, inner anchor.Upgrader, r anchor.Receipt) (anchor.Receipt, error) {
	if nilable.Is(inner) {
		return anchor.Receipt{}, errors.New("aggregate: nil inner upgrader")
	}
	p, err := OpenReceipt(r)
	if err != nil {
		return anchor.Receipt{}, err
	}
	in, err := inner.Upgrade(ctx, p.Inner)
	if err != nil {
		return anchor.Receipt{}, innerErr(err)
	}
	return receiptOf(r.Commitment, p.Path, in)
}

// innerErr marks an inner ledger's refusal of the inner receipt as a
// refusal of the aggregate receipt.
func innerErr(err error) error {
	if errors.Is(err, anchor.ErrBadReceipt) {
		return fmt.Errorf("inner receipt: %w", err)
	}
	return err
}

// Verifier checks aggregate receipts offline as far as the inner ledger's
// verifier does: the member's path into the aggregate (Open) and the
// inner receipt (the inner verifier). A Verifier is safe for concurrent
// use if the inner verifier is.
type Verifier struct {
	inner anchor.ReceiptVerifier
}

// NewVerifier returns a Verifier of aggregate receipts whose aggregates
// are anchored on the ledger inner verifies, e.g. a tlog.Verifier built
// from the log's public key.
func NewVerifier(inner anchor.ReceiptVerifier) (*Verifier, error) {
	if nilable.Is(inner) {
		return nil, errors.New("aggregate: nil inner verifier")
	}
	return &Verifier{inner: inner}, nil
}

// VerifyReceipt checks r: OpenReceipt, then the inner receipt with the inner
// verifier. It authenticates what the inner verifier authenticates of the
// inner receipt (see anchor.Receipt), and the member's commitment through
// the path. Errors match anchor.ErrBadReceipt.
func (v *Verifier) VerifyReceipt(ctx context.Context, r anchor.Receipt) error {
	if v == nil || v.inner == nil {
		return fmt.Errorf("%w: aggregate: a Verifier not made by NewVerifier", anchor.ErrBadReceipt)
	}
	p, err := OpenReceipt(r)
	if err != nil {
		return err
	}
	if err := v.inner.VerifyReceipt(ctx, p.Inner); err != nil {
		if errors.Is(err, anchor.ErrBadReceipt) {
			return fmt.Errorf("inner receipt: %w", err)
		}
		return err
	}
	return nil
}
