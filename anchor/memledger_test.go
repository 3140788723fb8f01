package anchor_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/canon"
)

// memLedger is the smallest correct anchor.Ledger: it exists so that the
// conformance suite can be seen passing a straightforward ledger and
// failing broken ones, independently of any real backend.
type memLedger struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every append
	log     []anchor.Receipt
	byRoot  map[canon.Digest]int

	// Deliberate defects, for testing the suite itself.
	writeTwice    bool // no idempotence
	ignoreContext bool
	upgradeStale  bool // Upgrade hands back what it was given
}

func newMemLedger() *memLedger {
	return &memLedger{changed: make(chan struct{}), byRoot: map[canon.Digest]int{}}
}

func (m *memLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	if err := c.Validate(); err != nil {
		return anchor.Receipt{}, err
	}
	if err := ctx.Err(); err != nil && !m.ignoreContext {
		return anchor.Receipt{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if i, ok := m.byRoot[c.Root]; ok && !m.writeTwice {
		if !m.log[i].Commitment.Equal(c) {
			return anchor.Receipt{}, fmt.Errorf("%w: %s", anchor.ErrRootConflict, c.Root)
		}
		return m.log[i], nil
	}
	id, _ := c.ID()
	r := anchor.Receipt{
		Ledger: "memory", Chain: "test", Commitment: c, Position: uint64(len(m.log)),
		TxID: hex.EncodeToString(id.Sum[:]), Time: time.Now().UTC(), State: anchor.Final,
	}
	m.byRoot[c.Root] = len(m.log)
	m.log = append(m.log, r)
	close(m.changed)
	m.changed = make(chan struct{})
	return r, nil
}

func (m *memLedger) Lookup(ctx context.Context, root canon.Digest) (anchor.Receipt, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.byRoot[root]
	if !ok {
		return anchor.Receipt{}, fmt.Errorf("%w: %s", anchor.ErrNotAnchored, root)
	}
	return m.log[i], nil
}

func (m *memLedger) WaitFinal(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	got, err := m.Lookup(ctx, r.Root())
	if err != nil || !got.Commitment.Equal(r.Commitment) {
		return anchor.Receipt{}, fmt.Errorf("%w: %v", anchor.ErrBadReceipt, err)
	}
	return got, nil
}

func (m *memLedger) Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return anchor.Receipt{}, err
	}
	if r.Ledger != "memory" || r.Chain != "test" {
		return anchor.Receipt{}, fmt.Errorf("%w: receipt of %s %s", anchor.ErrBadReceipt, r.Ledger, r.Chain)
	}
	if m.upgradeStale {
		return r, nil
	}
	if err := r.Commitment.Validate(); err != nil {
		return anchor.Receipt{}, fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
	}
	got, err := m.Lookup(ctx, r.Root())
	if err != nil {
		return anchor.Receipt{}, err
	}
	if !got.Commitment.Equal(r.Commitment) {
		return anchor.Receipt{}, fmt.Errorf("%w: root %s holds another commitment", anchor.ErrBadReceipt, r.Root())
	}
	return got, nil
}

func (m *memLedger) Follow(ctx context.Context, from uint64) iter.Seq2[anchor.Receipt, error] {
	return func(yield func(anchor.Receipt, error) bool) {
		next := from
		for {
			m.mu.Lock()
			var r anchor.Receipt
			have := next < uint64(len(m.log))
			if have {
				r = m.log[next]
			}
			changed := m.changed
			m.mu.Unlock()
			if have {
				if !yield(r, nil) {
					return
				}
				next++
				continue
			}
			select {
			case <-changed:
			case <-ctx.Done():
				yield(anchor.Receipt{}, ctx.Err())
				return
			}
		}
	}
}

func TestMemLedgerConformance(t *testing.T) {
	anchortest.Run(t, func(t *testing.T) anchor.Ledger { return newMemLedger() })
}

// TestSuiteCatchesDefects runs the suite against deliberately broken
// ledgers, each in a child test process, and checks it fails them and says
// why: a suite that cannot fail proves nothing.
func TestSuiteCatchesDefects(t *testing.T) {
	for _, tc := range []struct {
		defect, want string
	}{
		{"writeTwice", "written 2 times"},
		{"ignoreContext", "want context.Canceled"},
		{"upgradeStale", "behind"},
	} {
		t.Run(tc.defect, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestBrokenLedger$", "-test.v")
			cmd.Env = append(os.Environ(), "ANCHORTEST_DEFECT="+tc.defect)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a ledger with defect %s:\n%s", tc.defect, out)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("the suite failed defect %s without saying %q:\n%s", tc.defect, tc.want, out)
			}
		})
	}
}

// TestBrokenLedger is run by TestSuiteCatchesDefects in a child process.
func TestBrokenLedger(t *testing.T) {
	defect := os.Getenv("ANCHORTEST_DEFECT")
	if defect == "" {
		t.Skip("run by TestSuiteCatchesDefects")
	}
	anchortest.Run(t, func(t *testing.T) anchor.Ledger {
		m := newMemLedger()
		switch defect {
		case "writeTwice":
			m.writeTwice = true
		case "ignoreContext":
			m.ignoreContext = true
		case "upgradeStale":
			m.upgradeStale = true
		default:
			t.Fatalf("unknown defect %q", defect)
		}
		return m
	})
}
