package reading

import (
	"errors"
	"fmt"
)

// Errors. Every error of decoding and validation matches ErrMalformed;
// those about a size bound match ErrTooLarge, which matches ErrMalformed
// in turn. Verification fails with ErrNoKey or ErrBadSignature. Causes from
// canon, did or the CBOR decoder are wrapped as well, so errors.Is finds
// them too.
var (
	// ErrMalformed reports a reading that is not well formed: a missing,
	// unknown, duplicate or case-variant member, a value of the wrong
	// type or out of range, a bad DID, both a value and a commitment,
	// a non-canonical CBOR encoding.
	ErrMalformed = errors.New("reading: malformed reading")
	// ErrTooLarge reports input or a field beyond one of the Max bounds.
	// It matches ErrMalformed.
	ErrTooLarge error = &subError{msg: "reading: size limit exceeded", parent: ErrMalformed}
	// ErrNoKey reports that the key resolver gave no key for the device at
	// the reading's time (unknown, revoked or rotated-out key); the
	// resolver's own error is wrapped with it.
	ErrNoKey = errors.New("reading: no key for the device at the reading's time")
	// ErrBadSignature reports a signature that does not verify with the
	// device's key over the reading's signing message.
	ErrBadSignature = errors.New("reading: signature does not verify")
	// ErrKeyMismatch is returned by Sign when the reading's device is a
	// self-certifying DID (did:key, did:jwk) of another key than the
	// signing key: a reading nobody could verify.
	ErrKeyMismatch = errors.New("reading: signing key is not the device's key")
)

// subError is a sentinel that also matches a broader one.
type subError struct {
	msg    string
	parent error
}

func (e *subError) Error() string { return e.msg }
func (e *subError) Unwrap() error { return e.parent }

func malformed(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, a...)...)
}

func tooLarge(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrTooLarge}, a...)...)
}
