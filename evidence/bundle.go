package evidence

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// Bounds on a bundle. Parse refuses input beyond them with an error
// matching ErrTooLarge before doing work proportional to it, and Validate
// holds a Bundle built in memory to the same bounds.
const (
	// MaxSize is the largest encoded bundle: room for MaxReadings readings
	// of post-quantum devices with their proofs and receipts.
	MaxSize = 16 << 20
	// MaxReadings is the most readings one bundle holds, the most leaves a
	// merkle.MultiInclusionProof proves.
	MaxReadings = merkle.MaxMultiLeaves
	// MaxReceipts is the most receipts one bundle holds, one per ledger.
	MaxReceipts = 16
	// MaxReceiptProofSize bounds one receipt's proof material.
	MaxReceiptProofSize = 64 << 10
	// MaxReceiptFieldLen bounds a receipt's ledger name, chain and
	// transaction ID.
	MaxReceiptFieldLen = 256
	// MaxCredentialSize bounds the device credential.
	MaxCredentialSize = 64 << 10
)

// Bundle is the evidence for one signed reading, or for a set of readings
// of one batch (a charging session's start and end meter values, say):
// everything needed to check offline that the devices signed them, that
// they are in a batch whose commitment is anchored, and where.
//
// A Bundle is a plain value: New and NewSet build one from what a gateway
// holds, Parse reads one from its file form, Marshal writes it, Verify
// checks it against the caller's trust anchors and Upgrade brings its
// receipts up to date.
type Bundle struct {
	// Readings are the signed readings the bundle is evidence for: one,
	// with Inclusion, or several of one batch, with MultiInclusion, in the
	// order of its Indices.
	Readings []reading.Signed
	// Inclusion proves the one reading's Merkle leaf (its LeafBytes) is in
	// the batch whose root the commitment names. Set exactly when
	// MultiInclusion is not.
	Inclusion *merkle.InclusionProof
	// MultiInclusion proves several readings' leaves are in the batch, in
	// one proof. Set exactly when Inclusion is not.
	MultiInclusion *merkle.MultiInclusionProof
	// Commitment is the batch's anchored commitment; its Root is the Merkle
	// root and its Count the number of leaves of the batch.
	Commitment anchor.Commitment
	// Receipts are the ledgers' receipts for Commitment, at most one per
	// ledger (Ledger and Chain), each with that same Commitment. A bundle
	// of a batch not anchored yet has none: it shows the readings and
	// their inclusion, and Verify's "anchored" check fails.
	Receipts []anchor.Receipt
	// Credential, optional, is the device's credential as package vc
	// issues it: a compact JWT, or the JSON of a Data Integrity
	// credential.
	Credential []byte
	// ZKP, optional, is a zero-knowledge proof about the values the
	// readings commit to.
	ZKP *ZKProof
}

// ZKProof is a zero-knowledge proof about the values the bundle's readings
// commit to instead of carrying them.
type ZKProof struct {
	// Claim is what the proof states, about the commitments of the
	// bundle's readings, in their order.
	Claim Claim
	// Proof is the proof (zkp.Prove).
	Proof *zkp.Proof
}

// Claim is the public statement of a ZKProof without its commitments:
// those are the Commitments of the bundle's readings, in order, so a proof
// in a bundle can only be about the readings it comes with.
type Claim struct {
	// Kind is the statement: zkp.KindReading (the bundle holds one
	// reading), KindBatch, KindBox or KindThreshold.
	Kind zkp.Kind
	// Intervals holds one interval, or for KindBox one per reading.
	Intervals []zkp.Interval
	// MaxOutside is, for KindThreshold, how many values may lie outside
	// Intervals[0]; zero for the other kinds.
	MaxOutside uint64
}

// New returns the bundle of one signed reading: its inclusion proof in the
// batch, the batch's commitment and the receipts of the ledgers that
// anchored it. It checks that the parts fit together (Validate), not that
// they verify (Verify).
func New(r reading.Signed, proof merkle.InclusionProof, c anchor.Commitment, receipts []anchor.Receipt) (*Bundle, error) {
	b := &Bundle{
		Readings:   []reading.Signed{r},
		Inclusion:  &proof,
		Commitment: c,
		Receipts:   slices.Clone(receipts),
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	return b, nil
}

// NewSet returns the bundle of several signed readings of one batch, given
// in the order of proof.Indices, with one multi-leaf inclusion proof. It
// checks that the parts fit together (Validate), not that they verify.
func NewSet(rs []reading.Signed, proof merkle.MultiInclusionProof, c anchor.Commitment, receipts []anchor.Receipt) (*Bundle, error) {
	b := &Bundle{
		Readings:       slices.Clone(rs),
		MultiInclusion: &proof,
		Commitment:     c,
		Receipts:       slices.Clone(receipts),
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	return b, nil
}

// Validate checks that b is well formed and its parts fit together: 1 to
// MaxReadings valid signed readings; exactly one inclusion proof, for as
// many leaves as readings, of a tree of Commitment.Count leaves; a valid
// commitment; up to MaxReceipts receipts, each of that commitment, in a
// valid state, of a different ledger; a credential and a ZK proof within
// their bounds, the proof's claim fitting the readings. It checks no
// signature, proof or receipt: Verify does. Errors match ErrMalformed.
func (b *Bundle) Validate() error {
	if b == nil {
		return malformed("nil bundle")
	}
	n := len(b.Readings)
	if n == 0 {
		return malformed("no readings")
	}
	if n > MaxReadings {
		return tooLarge("%d readings, limit %d", n, MaxReadings)
	}
	for i := range b.Readings {
		if err := b.Readings[i].Validate(); err != nil {
			return fmt.Errorf("%w: reading %d: %w", ErrMalformed, i, err)
		}
	}
	if err := b.Commitment.Validate(); err != nil {
		return fmt.Errorf("%w: commitment: %w", ErrMalformed, err)
	}
	if err := b.validateInclusion(); err != nil {
		return err
	}
	if err := b.validateReceipts(); err != nil {
		return err
	}
	if len(b.Credential) > MaxCredentialSize {
		return tooLarge("credential of %d bytes, limit %d", len(b.Credential), MaxCredentialSize)
	}
	if len(b.Credential) > 0 && b.Credential[0] == '{' {
		if _, err := canonicalCredential(b.Credential); err != nil {
			return err
		}
	} else if bytes.ContainsAny(b.Credential, "\x00\t\n\r \"") {
		return malformed("credential is neither a compact JWT nor a JSON object")
	}
	if b.ZKP != nil {
		if _, err := b.zkpClaim(); err != nil {
			return err
		}
		if b.ZKP.Proof == nil {
			return malformed("ZK proof: no proof")
		}
	}
	return nil
}

func (b *Bundle) validateInclusion() error {
	var (
		h    merkle.Hasher
		size uint64
	)
	switch {
	case b.Inclusion != nil && b.MultiInclusion != nil:
		return malformed("both a single and a multi-leaf inclusion proof")
	case b.Inclusion != nil:
		p := b.Inclusion
		if len(b.Readings) != 1 {
			return malformed("a single-leaf inclusion proof for %d readings", len(b.Readings))
		}
		if p.Index >= p.Size {
			return malformed("inclusion: index %d of a tree of %d leaves", p.Index, p.Size)
		}
		if len(p.Path) > merkle.MaxPathLen {
			return tooLarge("inclusion path of %d hashes, limit %d", len(p.Path), merkle.MaxPathLen)
		}
		h, size = p.Hasher, p.Size
	case b.MultiInclusion != nil:
		p := b.MultiInclusion
		if len(p.Indices) != len(b.Readings) {
			return malformed("multi-leaf inclusion proof of %d leaves for %d readings", len(p.Indices), len(b.Readings))
		}
		for i, x := range p.Indices {
			if x >= p.Size || i > 0 && x <= p.Indices[i-1] {
				return malformed("multi-leaf inclusion: indices not strictly increasing below %d", p.Size)
			}
		}
		if len(p.Path) > len(p.Indices)*merkle.MaxPathLen {
			return tooLarge("multi-leaf inclusion path of %d hashes", len(p.Path))
		}
		h, size = p.Hasher, p.Size
	default:
		return malformed("no inclusion proof")
	}
	if !h.Valid() {
		return fmt.Errorf("%w: inclusion: %w: %d", ErrMalformed, merkle.ErrUnknownHasher, uint8(h))
	}
	if h.Func() != b.Commitment.Root.Func {
		return malformed("inclusion proof hashes with %s, the commitment's root is %s", h, b.Commitment.Root.Func)
	}
	if size > canon.MaxSafeInteger {
		return malformed("inclusion: tree of %d leaves beyond 2^53-1", size)
	}
	return nil
}

func (b *Bundle) validateReceipts() error {
	if len(b.Receipts) > MaxReceipts {
		return tooLarge("%d receipts, limit %d", len(b.Receipts), MaxReceipts)
	}
	for i, r := range b.Receipts {
		if r.Ledger == "" || r.Chain == "" {
			return malformed("receipt %d: no ledger or chain", i)
		}
		for _, f := range []string{r.Ledger, r.Chain, r.TxID} {
			if len(f) > MaxReceiptFieldLen {
				return tooLarge("receipt %d: field of %d bytes, limit %d", i, len(f), MaxReceiptFieldLen)
			}
		}
		if !r.State.Valid() {
			return fmt.Errorf("%w: receipt %d: %w: %d", ErrMalformed, i, anchor.ErrBadState, uint8(r.State))
		}
		if r.Position > canon.MaxSafeInteger {
			return malformed("receipt %d: position %d beyond 2^53-1", i, r.Position)
		}
		if len(r.Proof) > MaxReceiptProofSize {
			return tooLarge("receipt %d: proof of %d bytes, limit %d", i, len(r.Proof), MaxReceiptProofSize)
		}
		if !r.Commitment.Equal(b.Commitment) {
			return malformed("receipt %d (%s %s) is for another commitment", i, r.Ledger, r.Chain)
		}
		for j := range i {
			if b.Receipts[j].Ledger == r.Ledger && b.Receipts[j].Chain == r.Chain {
				return malformed("receipts %d and %d are of one ledger (%s %s)", j, i, r.Ledger, r.Chain)
			}
		}
	}
	return nil
}

// zkpClaim returns the zkp.Claim of b.ZKP about the readings' commitments.
func (b *Bundle) zkpClaim() (zkp.Claim, error) {
	c := b.ZKP.Claim
	cs := make([]zkp.Commitment, len(b.Readings))
	for i, r := range b.Readings {
		if r.Commitment == nil {
			return nil, malformed("ZK proof: reading %d carries a value, not a commitment", i)
		}
		v, err := zkp.ParseCommitment(r.Commitment)
		if err != nil {
			return nil, fmt.Errorf("%w: ZK proof: reading %d: %w", ErrMalformed, i, err)
		}
		cs[i] = v
	}
	want := 1
	if c.Kind == zkp.KindBox {
		want = len(cs)
	}
	if len(c.Intervals) != want {
		return nil, malformed("ZK proof: %s claim with %d intervals, want %d", c.Kind, len(c.Intervals), want)
	}
	for _, iv := range c.Intervals {
		if iv.Lo > canon.MaxSafeInteger || iv.Hi > canon.MaxSafeInteger {
			return nil, malformed("ZK proof: interval bound beyond 2^53-1")
		}
	}
	if c.MaxOutside != 0 && c.Kind != zkp.KindThreshold || c.MaxOutside > canon.MaxSafeInteger {
		return nil, malformed("ZK proof: maxOutside %d for a %s claim", c.MaxOutside, c.Kind)
	}
	switch c.Kind {
	case zkp.KindReading:
		if len(cs) != 1 {
			return nil, malformed("ZK proof: reading claim for %d readings", len(cs))
		}
		return zkp.ReadingClaim{Interval: c.Intervals[0], Commitment: cs[0]}, nil
	case zkp.KindBatch:
		return zkp.BatchClaim{Interval: c.Intervals[0], Commitments: cs}, nil
	case zkp.KindBox:
		return zkp.BoxClaim{Intervals: slices.Clone(c.Intervals), Commitments: cs}, nil
	case zkp.KindThreshold:
		return zkp.ThresholdClaim{Interval: c.Intervals[0], MaxOutside: c.MaxOutside, Commitments: cs}, nil
	}
	return nil, malformed("ZK proof: unknown claim kind %d", uint8(c.Kind))
}

// canonicalCredential returns the RFC 8785 form of a JSON credential.
func canonicalCredential(raw []byte) ([]byte, error) {
	c, err := (canon.Limits{MaxBytes: MaxCredentialSize, MaxDepth: maxDepth}).Canonicalize(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: credential: %w", ErrMalformed, err)
	}
	if c[0] != '{' {
		return nil, malformed("credential is not a JSON object")
	}
	return c, nil
}

// clone returns a copy of b whose slices the caller may change.
func (b *Bundle) clone() *Bundle {
	c := *b
	c.Readings = slices.Clone(b.Readings)
	c.Receipts = slices.Clone(b.Receipts)
	c.Credential = bytes.Clone(b.Credential)
	return &c
}
