package anchor

import (
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

// Receipt is a ledger's answer to an anchor: where the commitment is, how
// settled it is, and the material to check that offline.
//
// Receipts marshal to JSON with encoding/json.
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
	// time), in UTC.
	Time time.Time `json:"time"`
	// State is how settled the anchor was when the receipt was made.
	State State `json:"state,omitempty"`
	// Proof is backend-specific offline-verification material, empty when
	// the backend has none (yet). anchor/tlog: an inclusion proof and the
	// signed checkpoint it leads to.
	Proof []byte `json:"proof,omitempty"`
}

// ID returns the ID of the anchored commitment.
func (r Receipt) ID() (canon.Digest, error) { return r.Commitment.ID() }

// Root returns the root of the anchored commitment.
func (r Receipt) Root() canon.Digest { return r.Commitment.Root }
