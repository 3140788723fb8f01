package evidence

import (
	"errors"
	"fmt"
)

// Errors. ErrMalformed matches every bundle that does not decode or does
// not hang together (Parse, Validate, New); ErrTooLarge and
// ErrUnsupportedVersion match it too. A bundle that decodes but does not
// verify is reported check by check (Report), and Report.Err matches
// ErrNotVerified. Causes from reading, merkle, anchor, vc and zkp are
// wrapped, so errors.Is finds them as well.
var (
	// ErrMalformed reports a bundle that is not well formed: a member
	// missing, unknown, duplicated or spelled otherwise than Marshal
	// writes it; a part that is invalid on its own (a reading, a proof, the
	// commitment, a receipt); parts that do not fit together (a proof for
	// another number of readings, a receipt of another commitment, two
	// receipts of one ledger).
	ErrMalformed = errors.New("evidence: malformed bundle")
	// ErrTooLarge reports input or a part beyond one of the Max bounds. It
	// matches ErrMalformed.
	ErrTooLarge error = &subError{msg: "evidence: size limit exceeded", parent: ErrMalformed}
	// ErrUnsupportedVersion reports a bundle of a format version other
	// than Version. It matches ErrMalformed.
	ErrUnsupportedVersion error = &subError{msg: "evidence: unsupported bundle version", parent: ErrMalformed}
	// ErrNotVerified is matched by Report.Err when a check failed.
	ErrNotVerified = errors.New("evidence: bundle does not verify")
	// ErrNoCredential is the error of a failed credential check when
	// Trust.RequireCredential is set and the bundle has no credential (or
	// the trust has no credential verifier). Report.Err matches it.
	ErrNoCredential = errors.New("evidence: device credential required")
	// ErrNotFinal is returned by Upgrade for receipts no upgrader could
	// bring to the Final state.
	ErrNotFinal = errors.New("evidence: receipt not final")
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
