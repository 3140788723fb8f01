package anchor_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// downLedger is a ledger that cannot be reached.
type downLedger struct{ name string }

func (d downLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	return anchor.Receipt{}, fmt.Errorf("%w: %s refused the connection", anchor.ErrUnavailable, d.name)
}

// blockedLedger answers only when ctx is done.
type blockedLedger struct{}

func (blockedLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	<-ctx.Done()
	return anchor.Receipt{}, ctx.Err()
}

func TestMultiPolicies(t *testing.T) {
	c := anchortest.Commitment("multi")
	up1, up2 := newMemLedger(), newMemLedger()
	down := downLedger{"rpc.example"}
	for _, tc := range []struct {
		name    string
		policy  anchor.Policy
		ledgers []anchor.Anchorer
		ok      bool
	}{
		{"all up", anchor.All(), []anchor.Anchorer{up1, up2}, true},
		{"all, one down", anchor.All(), []anchor.Anchorer{up1, down, up2}, false},
		{"any, one up", anchor.Any(), []anchor.Anchorer{down, up1, down}, true},
		{"any, none up", anchor.Any(), []anchor.Anchorer{down, down}, false},
		{"2 of 3", anchor.KofN(2), []anchor.Anchorer{up1, down, up2}, true},
		{"3 of 3, one down", anchor.KofN(3), []anchor.Anchorer{up1, down, up2}, false},
		{"zero policy is all", anchor.Policy{}, []anchor.Anchorer{up1, down}, false},
	} {
		m, err := anchor.NewMulti(tc.policy, tc.ledgers...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		res, err := m.Anchor(t.Context(), c)
		if len(res.Receipts) != len(tc.ledgers) {
			t.Fatalf("%s: %d receipts for %d ledgers", tc.name, len(res.Receipts), len(tc.ledgers))
		}
		downs := 0
		for i, l := range tc.ledgers {
			r := res.Receipts[i]
			if _, isDown := l.(downLedger); isDown {
				downs++
				if r.State.Valid() {
					t.Errorf("%s: a receipt from down ledger %d", tc.name, i)
				}
			} else if !r.Commitment.Equal(c) {
				t.Errorf("%s: ledger %d gave no receipt", tc.name, i)
			}
		}
		if _, err := json.Marshal(res); err != nil {
			t.Errorf("%s: MultiReceipt does not marshal: %v", tc.name, err)
		}
		if len(res.Failures) != downs {
			t.Errorf("%s: %d failures reported, %d ledgers down", tc.name, len(res.Failures), downs)
		}
		if tc.ok {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var me *anchor.MultiError
		if !errors.As(err, &me) || !errors.Is(err, anchor.ErrPolicyUnmet) || !errors.Is(err, anchor.ErrUnavailable) {
			t.Errorf("%s: error %v, want a *MultiError matching ErrPolicyUnmet and ErrUnavailable", tc.name, err)
			continue
		}
		if !strings.Contains(err.Error(), "rpc.example refused") || !strings.Contains(err.Error(), "ledger 1") {
			t.Errorf("%s: error %q does not say which ledger failed and why", tc.name, err)
		}
	}
	// The redundant anchors were written once per ledger despite the repeats.
	for i, l := range []*memLedger{up1, up2} {
		if n := len(l.log); n != 1 {
			t.Errorf("ledger %d holds %d anchors, want 1", i, n)
		}
	}
}

func TestMultiBounds(t *testing.T) {
	up := newMemLedger()
	for _, tc := range []struct {
		p anchor.Policy
		n int
	}{{anchor.KofN(3), 2}, {anchor.KofN(-1), 1}, {anchor.All(), 0}} {
		ls := make([]anchor.Anchorer, tc.n)
		for i := range ls {
			ls[i] = up
		}
		if _, err := anchor.NewMulti(tc.p, ls...); !errors.Is(err, anchor.ErrBadPolicy) {
			t.Errorf("policy %v over %d ledgers: %v, want ErrBadPolicy", tc.p, tc.n, err)
		}
	}
	if _, err := anchor.NewMulti(anchor.Any(), up, nil); !errors.Is(err, anchor.ErrBadPolicy) {
		t.Errorf("nil ledger: %v", err)
	}

	// An invalid commitment reaches no ledger.
	m, _ := anchor.NewMulti(anchor.Any(), up)
	bad := anchortest.Commitment("bad")
	bad.Count = 0
	if _, err := m.Anchor(t.Context(), bad); !errors.Is(err, anchor.ErrZeroCount) {
		t.Errorf("invalid commitment: %v", err)
	}
	if len(up.log) != 0 {
		t.Error("an invalid commitment was written")
	}

	// A ledger that hangs is bounded by ctx, and the others still count.
	m, _ = anchor.NewMulti(anchor.Any(), blockedLedger{}, up)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := m.Anchor(ctx, anchortest.Commitment("hang"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("all ledgers cancelled: %v, want context.Canceled", err)
	}
}

// TestMultiRefusesNoLedgers: a Multi that holds no ledger (the zero
// Multi) or a nil one behind an interface (a typed nil pointer) never
// reports an anchor: the zero Multi used to succeed with no receipt at
// all, and a typed nil passed NewMulti and panicked in Anchor.
func TestMultiRefusesNoLedgers(t *testing.T) {
	c := anchortest.Commitment("nobody")
	var zero anchor.Multi
	if res, err := zero.Anchor(t.Context(), c); !errors.Is(err, anchor.ErrBadPolicy) {
		t.Errorf("zero Multi: %+v, %v, want ErrBadPolicy", res, err)
	}
	var nilLedger *memLedger
	if _, err := anchor.NewMulti(anchor.Any(), newMemLedger(), nilLedger); !errors.Is(err, anchor.ErrBadPolicy) {
		t.Errorf("NewMulti with a typed nil ledger: %v, want ErrBadPolicy", err)
	}
}

// otherLedger answers every Anchor with the receipt of another commitment.
type otherLedger struct{ *memLedger }

func (o otherLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	return o.memLedger.Anchor(ctx, anchortest.Commitment("something else"))
}

// TestMultiRefusesReceiptOfAnotherCommitment: a ledger whose receipt is
// not of the commitment Multi sent does not count toward the policy; it
// used to, so Any() was met with no ledger holding the commitment.
func TestMultiRefusesReceiptOfAnotherCommitment(t *testing.T) {
	m, err := anchor.NewMulti(anchor.Any(), otherLedger{newMemLedger()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Anchor(t.Context(), anchortest.Commitment("multi"))
	if !errors.Is(err, anchor.ErrPolicyUnmet) || !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("Anchor with a ledger answering for another commitment: %+v, %v, want ErrPolicyUnmet and ErrBadReceipt", res, err)
	}
}
