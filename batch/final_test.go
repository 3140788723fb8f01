package batch_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/did"
)

// switchedLedger is a ledger that can be switched off: Anchor then fails.
type switchedLedger struct {
	anchor.Ledger
	mu   sync.Mutex
	down bool
}

func (s *switchedLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		return anchor.Receipt{}, errors.New("ledger unreachable")
	}
	return s.Ledger.Anchor(ctx, c)
}

func (s *switchedLedger) set(down bool) { s.mu.Lock(); s.down = down; s.mu.Unlock() }

// TestWaitFinal: WaitFinal returns the newest batches, oldest first, once
// their receipts are final; it waits while a ledger is down and gives up
// with ctx's error, and refuses n < 1.
func TestWaitFinal(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx := context.Background()
	fl := &switchedLedger{Ledger: r.log}
	cfg := r.config()
	cfg.Ledgers = []anchor.Anchorer{fl}
	g := r.open(t, cfg)
	defer g.Close(ctx)
	dev := newDevice(t, did.Ed25519, 1)
	for i := range 2 {
		if err := g.Submit(ctx, dev.reading(t, t0.Add(time.Duration(i)*time.Minute), 400)); err != nil {
			t.Fatal(err)
		}
		if err := g.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	bs, err := g.WaitFinal(wctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].Number != 1 || bs[1].Number != 2 || !bs[0].Final || !bs[1].Final {
		t.Fatalf("got %+v, want batches 1 and 2, final", bs)
	}

	fl.set(true) // the next batch cannot be anchored
	if err := g.Submit(ctx, dev.reading(t, t0.Add(5*time.Minute), 400)); err != nil {
		t.Fatal(err)
	}
	if err := g.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	short, cancel2 := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel2()
	if _, err := g.WaitFinal(short, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ledger down: %v, want the deadline", err)
	}
	if _, err := g.WaitFinal(short, 4); err == nil {
		t.Fatal("four batches of three final")
	}
	fl.set(false)
	if bs, err = g.WaitFinal(wctx, 1); err != nil || bs[0].Number != 3 {
		t.Fatalf("after the ledger is back: %+v, %v", bs, err)
	}
	if _, err := g.WaitFinal(ctx, 0); err == nil {
		t.Fatal("n = 0 accepted")
	}
}
