package payment

import (
	"crypto/sha256"
	"fmt"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
)

// Pay-per-verified-reading: a voucher whose Condition is ReadingCondition
// of an anchored root and one reading's leaf hash is worth its amount only
// once someone shows that reading and its inclusion proof under that root.
// The condition's Digest states the tree's hash function; with canon.SHA256
// (RFC 6962 trees) the channel contract checks the proof itself
// (PaymentChannels.fulfil), with BLAKE3 the check is off chain only.

// ReadingCondition returns the condition H(root ‖ leaf) under root's hash
// function, for the reading whose Merkle leaf hash (merkle.Hasher.HashLeaf)
// is leaf in the tree with root.
func ReadingCondition(root canon.Digest, leaf merkle.Hash) (canon.Digest, error) {
	if !root.Valid() {
		return canon.Digest{}, fmt.Errorf("%w: root hash function %s", canon.ErrUnknownHash, root.Func)
	}
	var buf [64]byte
	copy(buf[:], root.Sum[:])
	copy(buf[32:], leaf[:])
	if root.Func == canon.SHA256 {
		// Plain SHA-256, the form the contract computes with its precompile.
		return canon.Digest{Func: canon.SHA256, Sum: sha256.Sum256(buf[:])}, nil
	}
	return canon.Sum(root.Func, buf[:]), nil
}

// ReadingConditionFor returns the ReadingCondition of reading (its raw
// bytes, as they were hashed into the tree) under root.
func ReadingConditionFor(root canon.Digest, reading []byte) (canon.Digest, error) {
	h, err := merkle.HasherFor(root.Func)
	if err != nil {
		return canon.Digest{}, err
	}
	return ReadingCondition(root, h.HashLeaf(reading))
}

// Redemption is what fulfils a reading condition: the anchored root, the
// reading and its inclusion proof.
type Redemption struct {
	Root    canon.Digest
	Reading []byte
	Proof   merkle.InclusionProof
}

// Fulfils checks that r fulfils cond: the proof's hash function is the
// condition's and the root's, the reading is included under the root, and
// cond = ReadingCondition(root, leaf hash of the reading). It returns
// ErrConditionUnmet wrapping the reason otherwise.
func (r *Redemption) Fulfils(cond canon.Digest) error {
	if cond.IsZero() {
		return nil
	}
	if r == nil {
		return fmt.Errorf("%w: no redemption", ErrConditionUnmet)
	}
	if !cond.Valid() || !r.Proof.Hasher.Valid() {
		return fmt.Errorf("%w: %w: condition %d, proof %d", ErrConditionUnmet, merkle.ErrUnknownHasher, cond.Func, r.Proof.Hasher)
	}
	if r.Root.Func != cond.Func || r.Proof.Hasher.Func() != cond.Func {
		return fmt.Errorf("%w: condition is %s, root %s, proof %s", ErrConditionUnmet, cond.Func, r.Root.Func, r.Proof.Hasher)
	}
	root, err := r.Proof.Hasher.FromDigest(r.Root)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConditionUnmet, err)
	}
	leaf := r.Proof.Hasher.HashLeaf(r.Reading)
	if err := r.Proof.Verify(leaf, root); err != nil {
		return fmt.Errorf("%w: %w", ErrConditionUnmet, err)
	}
	want, err := ReadingCondition(r.Root, leaf)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConditionUnmet, err)
	}
	if want != cond {
		return fmt.Errorf("%w: reading and root give %s, voucher wants %s", ErrConditionUnmet, want, cond)
	}
	return nil
}

// Redeemable checks that v can be redeemed: unconditional, or r fulfils
// its condition.
func Redeemable(v *Voucher, r *Redemption) error {
	if v == nil {
		return fmt.Errorf("%w: nil voucher", ErrMalformed)
	}
	if v.Condition.IsZero() {
		return nil
	}
	if r == nil {
		return fmt.Errorf("%w: voucher lane %d nonce %d needs a redemption", ErrConditionUnmet, v.Lane, v.Nonce)
	}
	return r.Fulfils(v.Condition)
}
