package zkp

import "errors"

var (
	// ErrEncoding reports a reading that is not a well-formed decimal or an
	// Encoding with unsupported parameters.
	ErrEncoding = errors.New("zkp: malformed reading or encoding")
	// ErrOutOfRange reports a value outside what the encoding or circuit can
	// represent, or a value that does not satisfy the claim being proven.
	ErrOutOfRange = errors.New("zkp: value out of range")
	// ErrNonCanonical reports 32 bytes that are not the canonical big-endian
	// encoding of a BN254 scalar field element (value ≥ r) or of the wrong
	// length.
	ErrNonCanonical = errors.New("zkp: not a canonical field element")
	// ErrOpening reports an opening (value, salt) that does not match the
	// commitment it is supposed to open.
	ErrOpening = errors.New("zkp: opening does not match commitment")
	// ErrShape reports an unsupported circuit shape, a claim, key or proof
	// made for a different shape or backend than the one at hand, or a nil
	// or zero key, proof or claim.
	ErrShape = errors.New("zkp: circuit shape mismatch")
	// ErrMalformed reports serialized keys or proofs that cannot be decoded
	// safely: wrong header, wrong size, an unexpected length prefix, a point
	// off the curve or outside the prime-order subgroup.
	ErrMalformed = errors.New("zkp: malformed key or proof encoding")
	// ErrVerify reports a proof that does not verify for the claim.
	ErrVerify = errors.New("zkp: proof does not verify")
	// ErrKeyMismatch reports a proving key and a verifying key of the same
	// shape and backend that come from different setups: proofs of the
	// one would never verify under the other.
	ErrKeyMismatch = errors.New("zkp: proving and verifying keys are of different setups")
)
