package batch

import (
	"context"
	"errors"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

// Errors of a Gateway. Submit's errors wrap one of these or an error of the
// reading, did or vc packages; ReasonOf maps each to a Reason.
var (
	ErrReplay       = errors.New("batch: sequence number already accepted")
	ErrStale        = errors.New("batch: sequence number behind the reorder window")
	ErrClockDrift   = errors.New("batch: reading time beyond the clock-drift bound")
	ErrUnauthorized = errors.New("batch: device may not publish on the topic")
	ErrOverloaded   = errors.New("batch: anchoring backlog full, try later")
	ErrClosed       = errors.New("batch: gateway closed")
	ErrWAL          = errors.New("batch: write-ahead log failed")
	ErrNotFound     = errors.New("batch: no such reading or batch")
	ErrNotSealed    = errors.New("batch: reading acknowledged but its batch is not sealed yet")
	ErrCorrupt      = errors.New("batch: gateway state corrupt")
	ErrConfig       = errors.New("batch: invalid configuration")
	ErrNotOneBatch  = errors.New("batch: readings of different batches")
	// ErrNeverFinal is returned by WaitFinal for a batch that is settled
	// (BatchInfo.Settled) with a receipt that is not Final: its ledger is
	// one the gateway cannot follow, so the gateway will never hold a
	// final receipt for it. The batch's bundles carry the receipt as the
	// ledger gave it; a party that can read the ledger brings them up to
	// date with evidence.Upgrade.
	ErrNeverFinal = errors.New("batch: batch settled with receipts that are not final")
)

// ReasonOf returns the Reason a Submit error counts under.
func ReasonOf(err error) Reason {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrReplay):
		return ReasonReplay
	case errors.Is(err, ErrStale):
		return ReasonStale
	case errors.Is(err, ErrClockDrift):
		return ReasonClock
	case errors.Is(err, ErrUnauthorized), errors.Is(err, vc.ErrDenied):
		return ReasonUnauthorized
	case errors.Is(err, ErrOverloaded):
		return ReasonOverloaded
	case errors.Is(err, ErrClosed), errors.Is(err, ErrWAL):
		return ReasonUnavailable
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return ReasonCanceled
	case errors.Is(err, reading.ErrTooLarge):
		return ReasonTooLarge
	case errors.Is(err, reading.ErrBadSignature):
		return ReasonSignature
	case errors.Is(err, did.ErrNotRegistered), errors.Is(err, did.ErrKeyRevoked), errors.Is(err, did.ErrKeyRotated),
		errors.Is(err, did.ErrDecommissioned), errors.Is(err, did.ErrNoKeyAtTime), errors.Is(err, did.ErrUnsupportedMethod),
		errors.Is(err, did.ErrInvalidKey):
		return ReasonUnknownKey
	default:
		return ReasonMalformed
	}
}
