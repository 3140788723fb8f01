package zkp

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// ElementSize is the size of a serialized BN254 scalar field element, and so
// of a Commitment, a Salt and a Root.
const ElementSize = fr.Bytes

// Commitment is C = Poseidon2.Compress(value, salt) over BN254's scalar field:
// the value a signed reading carries in place of its private value. It is the
// canonical 32-byte big-endian encoding of a field element.
type Commitment [ElementSize]byte

// Salt is the blinding factor of a Commitment: a field element drawn
// uniformly at random for every reading. It must never be derived from a
// time, a counter or the value: a 16-bit value with a known salt is
// recovered from its commitment by trying all 65536 candidates.
type Salt [ElementSize]byte

// Root is the Poseidon2 Merkle root of a batch of commitments (see
// MerkleRoot).
type Root [ElementSize]byte

// Opening is what a prover keeps secret to later prove things about a
// committed reading: the encoded value and its salt.
type Opening struct {
	Value uint64
	Salt  Salt
}

// NewSalt draws a salt uniformly from the scalar field using r, or
// crypto/rand when r is nil.
func NewSalt(r io.Reader) (Salt, error) {
	if r == nil {
		r = rand.Reader
	}
	n, err := rand.Int(r, fr.Modulus())
	if err != nil {
		return Salt{}, fmt.Errorf("zkp: drawing salt: %w", err)
	}
	var s Salt
	n.FillBytes(s[:])
	return s, nil
}

// Commit commits to an encoded value with a fresh salt from r (crypto/rand
// when nil) and returns the commitment and the opening to keep.
func Commit(value uint64, r io.Reader) (Commitment, Opening, error) {
	salt, err := NewSalt(r)
	if err != nil {
		return Commitment{}, Opening{}, err
	}
	o := Opening{Value: value, Salt: salt}
	c, err := o.Commitment()
	return c, o, err
}

// Commitment recomputes the commitment of the opening. It fails only for a
// salt that is not a canonical field element.
func (o Opening) Commitment() (Commitment, error) {
	var v fr.Element
	v.SetUint64(o.Value)
	vb := v.Bytes()
	out, err := compress(vb[:], o.Salt[:])
	if err != nil {
		return Commitment{}, fmt.Errorf("%w: salt %x", ErrNonCanonical, o.Salt)
	}
	return Commitment(out), nil
}

// compress is the native twin of the circuit's Poseidon2 Compress.
func compress(left, right []byte) ([ElementSize]byte, error) {
	var out [ElementSize]byte
	b, err := poseidon2.NewDefaultPermutation().Compress(left, right)
	if err != nil {
		return out, err
	}
	copy(out[:], b)
	return out, nil
}

// ParseCommitment decodes 32 bytes, rejecting values ≥ r so that every
// commitment has exactly one encoding.
func ParseCommitment(b []byte) (Commitment, error) {
	var c Commitment
	if err := parseElement(c[:], b); err != nil {
		return Commitment{}, err
	}
	return c, nil
}

// ParseSalt decodes 32 bytes into a Salt, rejecting values ≥ r.
func ParseSalt(b []byte) (Salt, error) {
	var s Salt
	if err := parseElement(s[:], b); err != nil {
		return Salt{}, err
	}
	return s, nil
}

func parseElement(dst, b []byte) error {
	if len(b) != ElementSize {
		return fmt.Errorf("%w: %d bytes, want %d", ErrNonCanonical, len(b), ElementSize)
	}
	if _, err := fr.BigEndian.Element((*[ElementSize]byte)(b)); err != nil {
		return fmt.Errorf("%w: %x", ErrNonCanonical, b)
	}
	copy(dst, b)
	return nil
}

// String returns the commitment as lower-case hex.
func (c Commitment) String() string { return hex.EncodeToString(c[:]) }

// MarshalBinary returns the 32 canonical bytes.
func (c Commitment) MarshalBinary() ([]byte, error) { return c[:], nil }

// UnmarshalBinary decodes 32 canonical bytes.
func (c *Commitment) UnmarshalBinary(b []byte) error {
	p, err := ParseCommitment(b)
	if err != nil {
		return err
	}
	*c = p
	return nil
}

// MarshalText returns the commitment as lower-case hex.
func (c Commitment) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes 64 lower-case hex digits (the one spelling
// MarshalText writes) holding a canonical element; anything else is
// ErrNonCanonical and leaves c unchanged.
func (c *Commitment) UnmarshalText(text []byte) error {
	if len(text) != 2*ElementSize {
		return fmt.Errorf("%w: %d hex digits, want %d", ErrNonCanonical, len(text), 2*ElementSize)
	}
	for i, ch := range text {
		if (ch < '0' || ch > '9') && (ch < 'a' || ch > 'f') {
			return fmt.Errorf("%w: byte %d is not a lower-case hex digit", ErrNonCanonical, i)
		}
	}
	var b [ElementSize]byte
	if _, err := hex.Decode(b[:], text); err != nil {
		return fmt.Errorf("%w: %w", ErrNonCanonical, err)
	}
	return c.UnmarshalBinary(b[:])
}

// String returns the root as lower-case hex.
func (r Root) String() string { return hex.EncodeToString(r[:]) }

// bigOf returns a 32-byte field element as an integer.
func bigOf(b [ElementSize]byte) *big.Int { return new(big.Int).SetBytes(b[:]) }
