package anchor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/iotrust/iotrust/internal/nilable"
)

// ErrPolicyUnmet is returned by Multi.Anchor when fewer ledgers than the
// policy needs took the commitment. The error is a *MultiError listing
// every failure.
var ErrPolicyUnmet = errors.New("anchor: too few ledgers anchored the commitment")

// ErrBadPolicy is returned by NewMulti for a policy that no set of its
// ledgers can meet or a nil ledger, and by Multi.Anchor on a Multi that
// holds no ledger (one not made by NewMulti).
var ErrBadPolicy = errors.New("anchor: invalid multi-ledger policy")

// Policy says how many of a Multi's ledgers must anchor a commitment for
// the anchor to count. The zero Policy is All.
type Policy struct {
	k    int  // ledgers needed, when kOfN
	kOfN bool // false: all ledgers
}

// All needs every ledger.
func All() Policy { return Policy{} }

// Any needs one ledger.
func Any() Policy { return KofN(1) }

// KofN needs k ledgers. NewMulti refuses it unless 1 <= k <= the number of
// ledgers: KofN(0) would count an anchor that no ledger took.
func KofN(k int) Policy { return Policy{k: k, kOfN: true} }

// need returns how many of n ledgers the policy needs.
func (p Policy) need(n int) int {
	if !p.kOfN {
		return n
	}
	return p.k
}

// String returns "all", "any" or "<k>-of-n".
func (p Policy) String() string {
	switch {
	case !p.kOfN:
		return "all"
	case p.k == 1:
		return "any"
	}
	return fmt.Sprintf("%d-of-n", p.k)
}

// Multi anchors one commitment to several ledgers at once, for
// redundancy: a commitment on a public chain and on a transparency log
// survives the loss of either.
type Multi struct {
	policy  Policy
	ledgers []Anchorer
}

// NewMulti returns a Multi over ledgers with policy. Ledgers are addressed
// by their index in results and errors. It refuses, with ErrBadPolicy, no
// ledgers, a nil ledger (also a nil pointer in the interface), and a
// policy that needs fewer than one or more than len(ledgers) ledgers.
func NewMulti(policy Policy, ledgers ...Anchorer) (*Multi, error) {
	if len(ledgers) == 0 {
		return nil, fmt.Errorf("%w: no ledgers", ErrBadPolicy)
	}
	for i, l := range ledgers {
		if nilable.Is(l) {
			return nil, fmt.Errorf("%w: ledger %d is nil", ErrBadPolicy, i)
		}
	}
	if k := policy.need(len(ledgers)); k < 1 || k > len(ledgers) {
		return nil, fmt.Errorf("%w: %v needs %d of %d ledgers", ErrBadPolicy, policy, k, len(ledgers))
	}
	return &Multi{policy: policy, ledgers: append([]Anchorer(nil), ledgers...)}, nil
}

// LedgerError is the failure of one ledger of a Multi.
type LedgerError struct {
	// Index is the ledger's position in NewMulti's arguments.
	Index int
	// Err is what the ledger returned.
	Err error
}

// Error returns "ledger <index>: <err>".
func (e LedgerError) Error() string { return fmt.Sprintf("ledger %d: %v", e.Index, e.Err) }

// Unwrap returns the ledger's error.
func (e LedgerError) Unwrap() error { return e.Err }

// MultiError is the error of a Multi.Anchor whose policy was not met.
// errors.Is matches ErrPolicyUnmet and every ledger's error.
type MultiError struct {
	Policy    Policy
	Need      int
	Succeeded int
	Failures  []LedgerError
}

// Error lists how many ledgers anchored, how many were needed and why each
// failed ledger failed.
func (e *MultiError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %d of %d anchored, policy %v needs %d", ErrPolicyUnmet,
		e.Succeeded, e.Succeeded+len(e.Failures), e.Policy, e.Need)
	for _, f := range e.Failures {
		b.WriteString("; ")
		b.WriteString(f.Error())
	}
	return b.String()
}

// Unwrap returns ErrPolicyUnmet followed by each ledger's error.
func (e *MultiError) Unwrap() []error {
	errs := []error{ErrPolicyUnmet}
	for _, f := range e.Failures {
		errs = append(errs, f)
	}
	return errs
}

// MultiReceipt is the outcome of Multi.Anchor.
type MultiReceipt struct {
	// Receipts holds one receipt per ledger, in NewMulti's order; the zero
	// Receipt (State 0) where that ledger failed.
	Receipts []Receipt
	// Failures lists the ledgers that failed, also when the policy was met.
	Failures []LedgerError
}

// Anchor anchors c to every ledger concurrently and waits for all of them
// (bound the slow ones with ctx). A ledger that answers with a receipt in
// no valid State or of another commitment counts as failed
// (ErrBadReceipt). It returns an error only when c is
// invalid (ErrInvalidCommitment, nothing written) or when fewer ledgers
// than the policy needs succeeded (a *MultiError matching ErrPolicyUnmet);
// failures under a met policy are reported in MultiReceipt.Failures. A
// retry is safe: each ledger's Anchor is idempotent. A Multi not made by
// NewMulti (the zero Multi) holds no ledger and fails with ErrBadPolicy.
func (m *Multi) Anchor(ctx context.Context, c Commitment) (MultiReceipt, error) {
	if len(m.ledgers) == 0 {
		return MultiReceipt{}, fmt.Errorf("%w: no ledgers (a Multi is made by NewMulti)", ErrBadPolicy)
	}
	if err := c.Validate(); err != nil {
		return MultiReceipt{}, err
	}
	out := MultiReceipt{Receipts: make([]Receipt, len(m.ledgers))}
	errs := make([]error, len(m.ledgers))
	var wg sync.WaitGroup
	for i, l := range m.ledgers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := l.Anchor(ctx, c)
			switch {
			case err != nil:
			case !r.State.Valid():
				err = fmt.Errorf("%w: ledger returned a receipt in state %d", ErrBadReceipt, uint8(r.State))
			case !r.Commitment.Equal(c):
				err = fmt.Errorf("%w: ledger returned the receipt of another commitment (root %s)", ErrBadReceipt, r.Commitment.Root)
			}
			if err != nil {
				errs[i] = err
				return
			}
			out.Receipts[i] = r
		}()
	}
	wg.Wait()
	succeeded := 0
	for i, err := range errs {
		if err != nil {
			out.Failures = append(out.Failures, LedgerError{Index: i, Err: err})
		} else {
			succeeded++
		}
	}
	if need := m.policy.need(len(m.ledgers)); succeeded < need {
		return out, &MultiError{Policy: m.policy, Need: need, Succeeded: succeeded, Failures: out.Failures}
	}
	return out, nil
}
