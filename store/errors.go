package store

import (
	"errors"
	"fmt"
)

// Errors of the package. Functions wrap them with %w and the offending
// detail; test with errors.Is. Errors of the Backend (I/O) are passed
// through wrapped, never reported as corruption.
var (
	// ErrNotFound: no blob or envelope is stored under the CID.
	ErrNotFound = errors.New("store: not found")
	// ErrCorrupt: stored bytes are malformed, do not authenticate, or do
	// not match their CID (ErrCIDMismatch matches ErrCorrupt too).
	ErrCorrupt = errors.New("store: stored data is corrupt")
	// ErrBadCID: a CID that this package never makes (not CIDv1, not the
	// raw codec, not a 32-byte BLAKE3 or SHA-256 multihash, undefined).
	ErrBadCID = errors.New("store: unsupported CID")
	// ErrNotRecipient: the identity (Get, Grant) or ID (Revoke) holds no
	// wrapping of the blob's data key.
	ErrNotRecipient = errors.New("store: not a recipient of this blob")
	// ErrLastRecipient: Revoke of the only remaining recipient, which would
	// leave a blob nobody can read; Delete erases a blob.
	ErrLastRecipient = errors.New("store: cannot revoke the last recipient")
	// ErrNoRecipients: Put without a recipient.
	ErrNoRecipients = errors.New("store: no recipients")
	// ErrTooManyRecipients: Put or Grant past Options.MaxRecipients.
	ErrTooManyRecipients = errors.New("store: too many recipients")
	// ErrTooLarge: a plaintext above Options.MaxBlobSize, or a stored
	// object larger than a blob of that size can be.
	ErrTooLarge = errors.New("store: too large")
	// ErrBadKey: a malformed, non-canonical or small-order key, or a zero
	// Identity or Recipient.
	ErrBadKey = errors.New("store: bad key")
	// ErrInvalidOptions: Options that New or Open cannot use.
	ErrInvalidOptions = errors.New("store: invalid options")
	// ErrLocked: the directory is in use by another Store (Open).
	ErrLocked = errors.New("store: directory is locked by another store")
	// ErrClosed: the Store was closed.
	ErrClosed = errors.New("store: closed")
)

// ErrCIDMismatch: a blob's bytes do not hash to the CID they are stored
// under (a flipped bit, a truncated or swapped file), or an envelope names
// another CID. It matches ErrCorrupt as well.
var ErrCIDMismatch error = &corruptKind{"store: stored bytes do not match their CID"}

// corruptKind is a sentinel that also matches ErrCorrupt, so a message
// does not repeat "store:" twice.
type corruptKind struct{ msg string }

func (e *corruptKind) Error() string        { return e.msg }
func (e *corruptKind) Is(target error) bool { return target == ErrCorrupt }

// corrupt returns an error matching ErrCorrupt with the given detail.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// errOpen is HPKE's refusal of a wrapping; callers turn it into ErrCorrupt.
var errOpen = errors.New("store: key wrapping does not open")
