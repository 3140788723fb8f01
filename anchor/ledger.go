package anchor

import (
	"context"
	"errors"
	"iter"

	"github.com/iotrust/iotrust/canon"
)

// Errors that backends return, wrapped with %w and the offending value.
var (
	// ErrNotAnchored is returned by Lookup for a root the ledger does not
	// hold.
	ErrNotAnchored = errors.New("anchor: root not anchored")
	// ErrRootConflict is returned by Anchor when the ledger already holds a
	// different commitment with the same root: a root is anchored once.
	ErrRootConflict = errors.New("anchor: root already anchored by a different commitment")
	// ErrUnavailable is returned when the ledger cannot be reached or does
	// not answer in time; the call may be retried, and Anchor's idempotence
	// makes a retry safe.
	ErrUnavailable = errors.New("anchor: ledger unavailable")
	// ErrBadReceipt is returned for a receipt that is not from this ledger
	// or whose proof does not verify.
	ErrBadReceipt = errors.New("anchor: receipt does not verify")
	// ErrClosed is returned by a ledger used after Close.
	ErrClosed = errors.New("anchor: ledger closed")
)

// Anchorer writes commitments to a ledger.
//
// An implementation must guarantee:
//   - Anchor validates c first and returns an error matching
//     ErrInvalidCommitment, writing nothing, if it is invalid.
//   - Nothing is acknowledged before it is durable: a nil error means the
//     ledger holds c at least in the receipt's State, and a crash or
//     restart of the caller or the backend does not lose it.
//   - Anchoring is idempotent: anchoring a commitment the ledger already
//     holds (also concurrently, also after a restart) returns the receipt of
//     the first anchor, possibly in a later State, and writes nothing.
//   - A commitment whose Root the ledger already holds under a different
//     commitment is refused with ErrRootConflict.
//   - Anchor honours ctx: once ctx is done it returns promptly with an
//     error matching ctx.Err(). A failed Anchor may or may not have written;
//     retrying it is always safe.
//   - It is safe for concurrent use.
type Anchorer interface {
	Anchor(ctx context.Context, c Commitment) (Receipt, error)
}

// Ledger is an Anchorer that can also be read: looked up by root, waited
// on and followed. Backends (anchor/tlog, anchor/evm) implement it and pass
// the suite in anchor/anchortest.
//
// Beyond Anchorer's guarantees, an implementation guarantees:
//   - Lookup returns the receipt of the commitment anchored under root in
//     its current State, or an error matching ErrNotAnchored.
//   - WaitFinal blocks until r's anchor is Final and returns the updated
//     receipt; it returns promptly with ctx's error when ctx is done first,
//     and ErrBadReceipt when r is not an anchor of this ledger.
//   - Follow yields, in ledger order (non-decreasing Position, each anchor
//     once), every anchor at a position >= from, first those already on the
//     ledger, then new ones as they arrive; it never ends by itself. See
//     Follow's contract below.
//   - All methods are safe for concurrent use.
type Ledger interface {
	Anchorer
	Lookup(ctx context.Context, root canon.Digest) (Receipt, error)
	WaitFinal(ctx context.Context, r Receipt) (Receipt, error)
	// Follow returns an iterator over the anchors at positions >= from.
	//
	// Backpressure: the iterator is pull-driven; the backend reads the
	// ledger only as fast as the loop body consumes, and buffers nothing
	// unbounded. Close: breaking out of the loop stops it and releases
	// everything it holds before the loop statement returns. When ctx is
	// done, or the ledger fails, it yields one final (Receipt{}, err) and
	// stops; err matches ctx.Err() for a done ctx. Each backend documents
	// which State followed receipts have (at least Included).
	//
	// To resume after a restart, pass the Position of the last receipt
	// processed and skip the IDs already seen at that position: on ledgers
	// where several anchors share a position, from+1 would miss some.
	Follow(ctx context.Context, from uint64) iter.Seq2[Receipt, error]
}

// ReceiptVerifier is implemented by ledgers whose receipts can be checked
// without trusting the party that presents them. VerifyReceipt returns nil
// only if r's commitment is anchored on the ledger r names at r's position,
// and an error matching ErrBadReceipt otherwise. Backends document what is
// checked offline (anchor/tlog: everything, from the log's public key) and
// what asks the ledger.
type ReceiptVerifier interface {
	VerifyReceipt(ctx context.Context, r Receipt) error
}
