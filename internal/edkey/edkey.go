// Package edkey checks Ed25519 public keys before they are trusted: the one
// place iotrust decides which 32-byte strings are acceptable keys.
//
// ZIP-215 verification (the rule iotrust uses everywhere) accepts, for a
// public key of small order, a signature anyone can write down (R of small
// order, s = 0) on every message; and a non-canonical encoding of a point
// is decoded differently, or not at all, by other verifiers. Check refuses
// both, and bytes that are not a point. Mixed-order points (a full-order
// point plus a torsion part) are accepted: they are honest keys under the
// cofactored rule and nobody can sign for them without the private key.
package edkey

import (
	"bytes"
	"errors"
	"fmt"

	"filippo.io/edwards25519"
)

// Errors of Check.
var (
	ErrSize         = errors.New("Ed25519 public key is not 32 bytes")
	ErrNotPoint     = errors.New("Ed25519 public key is not a curve point")
	ErrNonCanonical = errors.New("non-canonical encoding of an Ed25519 point")
	ErrSmallOrder   = errors.New("Ed25519 point of small order")
)

// Check returns nil if b is the canonical encoding of an Ed25519 point
// whose order is not small, and one of the package's errors otherwise.
func Check(b []byte) error {
	if len(b) != 32 {
		return fmt.Errorf("%w: %d bytes", ErrSize, len(b))
	}
	p, err := new(edwards25519.Point).SetBytes(b)
	if err != nil {
		return ErrNotPoint
	}
	// SetBytes accepts non-canonical encodings (y ≥ p, or x = 0 with the
	// sign bit set); the canonical one is what Bytes writes back.
	if !bytes.Equal(p.Bytes(), b) {
		return ErrNonCanonical
	}
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		return ErrSmallOrder
	}
	return nil
}
