package anchor

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/canon"
)

// State is how settled an anchor is on its ledger. The zero State is
// invalid, so a Receipt that was never filled in is never taken for one.
type State uint8

// States in the order an anchor passes through them. What makes an anchor
// Included or Final is the backend's policy and documented by each backend
// (anchor/tlog: Final once a signed checkpoint covers the entry; anchor/evm:
// Final after the configured number of confirmations).
const (
	// Pending: submitted, not yet on the ledger (an EVM transaction in the
	// mempool). A Pending anchor can still be lost.
	Pending State = 1
	// Included: on the ledger at Position, but the ledger could still drop
	// or move it (a block without enough confirmations, a log entry that no
	// signed checkpoint commits to yet).
	Included State = 2
	// Final: the ledger has committed to the anchor by its own rules; the
	// receipt carries what an offline verifier needs where the backend can
	// give it.
	Final State = 3
)

// ErrBadState is returned for a State name or value outside the three.
var ErrBadState = errors.New("anchor: unknown receipt state")

// String returns "pending", "included" or "final".
func (s State) String() string {
	switch s {
	case Pending:
		return "pending"
	case Included:
		return "included"
	case Final:
		return "final"
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// Valid reports whether s is one of the three states.
func (s State) Valid() bool { return s >= Pending && s <= Final }

// MarshalText implements encoding.TextMarshaler.
func (s State) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("%w: %d", ErrBadState, uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *State) UnmarshalText(b []byte) error {
	for _, v := range []State{Pending, Included, Final} {
		if string(b) == v.String() {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("%w: %q", ErrBadState, b)
}

// ErrMalformedReceipt is returned for the JSON form of a receipt that does
// not decode: not the one form MarshalJSON writes, unknown, duplicate or
// case-variant members, empty or trailing input, or over MaxReceiptJSONLen.
// It wraps the *canon.DecodeError or the commitment's error that says why.
var ErrMalformedReceipt = errors.New("anchor: malformed receipt")

// MaxReceiptJSONLen bounds the JSON form of a receipt that ParseReceipt
// and UnmarshalJSON read, proof material included.
const MaxReceiptJSONLen = 64 << 10

// Receipt is a ledger's answer to an anchor: where the commitment is, how
// settled it is, and the material to check that offline.
//
// What a ReceiptVerifier checks: Ledger, Chain, Commitment, Position and
// TxID always; State and Time only where its backend documents it
// (anchor/tlog checks State, not Time; anchor/evm checks Time against the
// block). Where a field is not checked it is the presenter's word, and a
// verifier must not rely on it.
//
// Receipts have one JSON form (MarshalJSON); UnmarshalJSON and
// ParseReceipt accept that form only.
type Receipt struct {
	// Ledger names the backend kind, e.g. "tlog" or "evm".
	Ledger string `json:"ledger"`
	// Chain names the ledger instance: the checkpoint origin of a log,
	// "eip155:<chain id>" (CAIP-2) for an EVM chain.
	Chain string `json:"chain"`
	// Commitment is what was anchored.
	Commitment Commitment `json:"commitment"`
	// Position orders anchors on the ledger: a log's entry index, a chain's
	// block number. Positions never decrease in the order anchors land;
	// several anchors may share one (a block) on some ledgers.
	Position uint64 `json:"position"`
	// TxID identifies the write on the ledger: a transaction hash, a log's
	// leaf hash; lowercase hex, with "0x" on EVM chains.
	TxID string `json:"txId"`
	// Time is when the ledger took the anchor (block time, log integration
	// time), in UTC. Unless the backend's verifier checks it (see above),
	// it is advisory.
	Time time.Time `json:"time"`
	// State is how settled the anchor was when the receipt was made.
	// Upgrader.Upgrade brings it up to date.
	State State `json:"state,omitempty"`
	// Proof is backend-specific offline-verification material, empty when
	// the backend has none (yet). anchor/tlog: an inclusion proof and the
	// signed checkpoint it leads to.
	Proof []byte `json:"proof,omitempty"`
}

// receiptFields is Receipt without its methods, for encoding/json.
type receiptFields Receipt

// MarshalJSON encodes r as an object of the members named in its field
// tags, with Time in UTC and Proof in standard base64; the zero Commitment
// (a failed ledger of a MultiReceipt) is null.
func (r Receipt) MarshalJSON() ([]byte, error) {
	f := receiptFields(r)
	f.Time = r.Time.UTC()
	return json.Marshal(f)
}

// UnmarshalJSON decodes the form MarshalJSON writes, members in any order
// and with any insignificant whitespace, and nothing else; null leaves r
// unchanged. Errors match ErrMalformedReceipt.
func (r *Receipt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	return r.decode(b)
}

// ParseReceipt decodes the JSON form of one receipt of an anchor: as
// UnmarshalJSON, and the receipt must name a valid State and a valid
// commitment. Every error matches ErrMalformedReceipt.
func ParseReceipt(raw []byte) (Receipt, error) {
	var r Receipt
	if err := r.decode(raw); err != nil {
		return Receipt{}, err
	}
	if !r.State.Valid() {
		return Receipt{}, wrap(ErrMalformedReceipt, fmt.Errorf("%w: state %d", ErrBadState, uint8(r.State)))
	}
	if err := r.Commitment.Validate(); err != nil {
		return Receipt{}, wrap(ErrMalformedReceipt, err)
	}
	return r, nil
}

func (r *Receipt) decode(b []byte) error {
	var f receiptFields
	if err := (canon.Limits{MaxBytes: MaxReceiptJSONLen, MaxDepth: 2}).Decode(b, &f); err != nil {
		return wrap(ErrMalformedReceipt, ownCause(err))
	}
	out, err := Receipt(f).MarshalJSON()
	if err != nil {
		return wrap(ErrMalformedReceipt, err)
	}
	if !sameJSON(b, out) {
		return fmt.Errorf("%w: not in canonical form (times in UTC, standard base64, no empty proof)", ErrMalformedReceipt)
	}
	*r = Receipt(f)
	return nil
}

// ownCause returns the error of a member's own decoder (the commitment's,
// the state's) where canon.Decode only wrapped it as a type mismatch, so
// that the message names the cause once.
func ownCause(err error) error {
	var de *canon.DecodeError
	if !errors.As(err, &de) || de.Path != "" {
		return err
	}
	if u, ok := de.Err.(interface{ Unwrap() []error }); ok {
		for _, e := range u.Unwrap() {
			if errors.Is(e, ErrInvalidCommitment) || errors.Is(e, ErrBadState) {
				return e
			}
		}
	}
	return err
}

// ID returns the ID of the anchored commitment.
func (r Receipt) ID() (canon.Digest, error) { return r.Commitment.ID() }

// Root returns the root of the anchored commitment.
func (r Receipt) Root() canon.Digest { return r.Commitment.Root }
