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
	// hold, and by Upgrade for a receipt whose commitment the ledger does
	// not hold (never anchored, or a pending anchor that was lost:
	// anchoring it again is the remedy).
	ErrNotAnchored = errors.New("anchor: root not anchored")
	// ErrRootConflict is returned by Anchor when the ledger already holds a
	// different commitment with the same root: a root is anchored once.
	ErrRootConflict = errors.New("anchor: root already anchored by a different commitment")
	// ErrUnavailable is returned when the ledger cannot be reached or does
	// not answer in time; the call may be retried, and Anchor's idempotence
	// makes a retry safe.
	ErrUnavailable = errors.New("anchor: ledger unavailable")
	// ErrBadReceipt is returned for a receipt that is not from this ledger,
	// whose proof does not verify, or that contradicts what the ledger
	// holds.
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

// Upgrader brings a receipt up to date: a client that holds a receipt (in
// an evidence bundle, say) asks the ledger for the same anchor in its
// latest State with fresh proof material, long after the party that
// anchored it has forgotten it.
//
// An implementation must guarantee:
//   - Upgrade returns the receipt of r's anchor as the ledger holds it
//     now: the same commitment, Ledger and Chain, the current State
//     (never behind what Lookup reported before the call) and the proof
//     material of that State. It does not trust r's State, Time or
//     Proof; it uses them at most as hints of where to look.
//   - It never blocks waiting for the anchor to settle (WaitFinal does):
//     it answers from what the ledger holds at the time of the call.
//   - It returns an error matching ErrBadReceipt when r is not a receipt
//     of this ledger (another Ledger or Chain, an invalid commitment) or
//     contradicts it (another commitment under r's root, proof material
//     for another anchor), and ErrNotAnchored when the ledger does not
//     hold r's commitment.
//   - It honours ctx and is safe for concurrent use.
type Upgrader interface {
	Upgrade(ctx context.Context, r Receipt) (Receipt, error)
}

// Ledger is an Anchorer that can also be read: looked up by root, waited
// on, followed, and asked to upgrade receipts. Backends (anchor/tlog,
// anchor/evm, anchor/aggregate) implement it and pass the suite in
// anchor/anchortest.
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
	Upgrader
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
// only if r's commitment is anchored on the ledger r names at r's position
// in the write r.TxID names, and an error matching ErrBadReceipt
// otherwise. It checks the fields Receipt's documentation lists; backends
// document which of State and Time they check too, what is checked
// offline (anchor/tlog: everything it checks, from the log's public key)
// and what asks the ledger.
type ReceiptVerifier interface {
	VerifyReceipt(ctx context.Context, r Receipt) error
}
