package batch_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
)

// cancellingKeys resolves keys through a KeyCache and cancels a context at
// its first call: the caller gives up while its readings are verified.
type cancellingKeys struct {
	did.KeyResolver
	once   sync.Once
	cancel context.CancelFunc
}

func (c *cancellingKeys) KeyAt(ctx context.Context, d string, at time.Time) (did.PublicKey, error) {
	c.once.Do(c.cancel)
	return c.KeyResolver.KeyAt(context.WithoutCancel(ctx), d, at)
}

// TestCallerContextEndsOnlyItsCall: a caller whose context ends while its
// readings are verified gets the context's error for each of them, counted
// as ReasonCanceled; the gateway keeps accepting, and the readings did not
// spend their sequence numbers (they are accepted when sent again).
func TestCallerContextEndsOnlyItsCall(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cfg := r.config()
	cfg.Keys = &cancellingKeys{KeyResolver: did.NewKeyCache(64, nil, 0), cancel: cancel}
	g := r.open(t, cfg)
	defer g.Close(context.Background())
	d := newDevice(t, did.Ed25519, 1)
	var ss []reading.Signed
	for i := range 10 {
		ss = append(ss, d.reading(t, t0.Add(time.Duration(i)*time.Second), int64(400+i)))
	}
	for i, err := range g.SubmitBatch(ctx, ss) {
		if !errors.Is(err, context.Canceled) || batch.ReasonOf(err) != batch.ReasonCanceled {
			t.Fatalf("reading %d of the cancelled call: %v (reason %q)", i, err, batch.ReasonOf(err))
		}
	}
	for i, err := range g.SubmitBatch(context.Background(), ss) {
		if err != nil {
			t.Fatalf("reading %d sent again: %v", i, err)
		}
	}
	if err := g.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := g.Metrics(); m.Rejected[batch.ReasonCanceled] != 10 || m.SealedReadings != 10 {
		t.Fatalf("metrics: %+v", m)
	}
}

// TestCloseSealsEveryAcknowledgedReading: readings submitted while Close
// runs are either refused with ErrClosed or sealed by it; none is
// acknowledged and left in the write-ahead log.
func TestCloseSealsEveryAcknowledgedReading(t *testing.T) {
	for round := range 5 {
		r := newRig(t, t.TempDir())
		g := r.open(t, r.config())
		var wg sync.WaitGroup
		start := make(chan struct{})
		for n := range 8 {
			d := newDevice(t, did.Ed25519, n)
			var ss []reading.Signed
			for i := range 200 {
				ss = append(ss, d.reading(t, t0.Add(time.Duration(i)*time.Millisecond), int64(i)))
			}
			wg.Go(func() {
				<-start
				for _, s := range ss {
					if err := g.Submit(context.Background(), s); errors.Is(err, batch.ErrClosed) {
						return
					} else if err != nil {
						t.Errorf("device %d: %v", n, err)
						return
					}
				}
			})
		}
		close(start)
		for g.Metrics().Accepted < 50 {
			time.Sleep(100 * time.Microsecond)
		}
		if err := g.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if m := g.Metrics(); m.SealedReadings != m.Accepted {
			t.Fatalf("round %d: %d readings acknowledged, %d sealed by Close", round, m.Accepted, m.SealedReadings)
		}
	}
}

// memLedger anchors in memory and never makes a receipt final; it is a
// plain anchor.Anchorer (no anchor.Ledger), whose Included receipts the
// gateway settles.
type memLedger struct {
	mu sync.Mutex
	n  uint64
}

func (m *memLedger) Anchor(_ context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n++
	return anchor.Receipt{Ledger: "mem", Chain: "mem.example", Commitment: c, Position: m.n,
		TxID: fmt.Sprintf("%064x", m.n), Time: t0, State: anchor.Included}, nil
}

// unfinalLedger is an anchor.Ledger (the gateway follows its receipts)
// whose receipts never become final: WaitFinal waits until its context
// ends. Only Anchor and WaitFinal may be called.
type unfinalLedger struct {
	anchor.Ledger // nil
	mem           memLedger
}

func (u *unfinalLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	return u.mem.Anchor(ctx, c)
}

func (u *unfinalLedger) WaitFinal(ctx context.Context, _ anchor.Receipt) (anchor.Receipt, error) {
	<-ctx.Done()
	return anchor.Receipt{}, ctx.Err()
}

// TestOpenWithManyBatchesNotFinal: Open of a gateway that holds more
// batches not yet final than its anchoring queue has room for returns (it
// used to wait forever for the anchorer, which starts after it: with the
// queue's old room, MaxBacklog + 1024, after 1,100 such batches).
func TestOpenWithManyBatchesNotFinal(t *testing.T) {
	r := newRig(t, t.TempDir())
	cfg := r.config()
	// A ledger the gateway follows, whose receipts never become final: a
	// plain Anchorer's Included receipts would be settled, and Open would
	// not take their batches up again.
	cfg.Ledgers = []anchor.Anchorer{&unfinalLedger{}}
	cfg.MaxBatch, cfg.MaxBacklog = 1, 1 // the queue holds MaxBacklog + 16 batches
	g := r.open(t, cfg)
	d := newDevice(t, did.Ed25519, 1)
	const n = 40
	var ss []reading.Signed
	for i := range n {
		ss = append(ss, d.reading(t, t0.Add(time.Duration(i)*time.Millisecond), int64(i)))
	}
	for _, s := range ss {
		err := g.Submit(context.Background(), s)
		for errors.Is(err, batch.ErrOverloaded) {
			time.Sleep(time.Millisecond)
			err = g.Submit(context.Background(), s)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	sealed := g.Metrics().Sealed
	waitAnchored(t, g, sealed)
	// Close waits for final receipts until its context ends.
	closeSoon := func(g *batch.Gateway) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if err := g.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	closeSoon(g)
	if sealed <= 1+16 {
		t.Fatalf("only %d batches sealed: the test needs more than the queue holds", sealed)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	g, err := batch.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open with %d batches not final: %v", sealed, err)
	}
	if got := g.Metrics().Recovered; uint64(got) != sealed {
		t.Errorf("Open took up %d batches, want the %d not final", got, sealed)
	}
	closeSoon(g)
}

// submitConcurrently sends calls of size readings from each of devices
// devices at once, and fails the test on any refusal.
func submitConcurrently(t *testing.T, g *batch.Gateway, devices, calls, size int) {
	t.Helper()
	var wg sync.WaitGroup
	for n := range devices {
		d := newDevice(t, did.Ed25519, n)
		var all [][]reading.Signed
		for c := range calls {
			var ss []reading.Signed
			for i := range size {
				ss = append(ss, d.reading(t, t0.Add(time.Duration(c*size+i)*time.Millisecond), int64(i)))
			}
			all = append(all, ss)
		}
		wg.Go(func() {
			for _, ss := range all {
				for _, err := range g.SubmitBatch(context.Background(), ss) {
					if err != nil {
						t.Errorf("device %d: %v", n, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if err := g.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestBatchSizeBounds: however many calls run at once, a batch holds
// fewer than 2 × MaxBatch readings (the doc's bound), and its blob stays
// within the store's MaxBlobSize, so every acknowledged reading is sealed.
func TestBatchSizeBounds(t *testing.T) {
	t.Run("count", func(t *testing.T) {
		r := newRig(t, t.TempDir())
		cfg := r.config()
		cfg.MaxBatch = 8
		cfg.ReorderWindow = 1024
		g := r.open(t, cfg)
		defer g.Close(context.Background())
		submitConcurrently(t, g, 16, 4, 8)
		m := g.Metrics()
		if m.SealedReadings != m.Accepted || m.Accepted != 16*4*8 {
			t.Fatalf("%d of %d readings sealed", m.SealedReadings, m.Accepted)
		}
		bs, err := g.Batches(context.Background(), int(m.Sealed))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			if b.Commitment.Count >= 2*8 {
				t.Errorf("batch %d holds %d readings, MaxBatch 8", b.Number, b.Commitment.Count)
			}
		}
	})
	t.Run("bytes", func(t *testing.T) {
		dir := t.TempDir()
		r := newRig(t, dir)
		st, err := store.Open(filepath.Join(dir, "small-store"), store.Options{MaxBlobSize: 32 << 10})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		cfg := r.config()
		cfg.Store = st
		cfg.ReorderWindow = 1024
		g := r.open(t, cfg)
		defer g.Close(context.Background())
		submitConcurrently(t, g, 4, 4, 64) // ~400 bytes a leaf: ~400 KB in all
		m := g.Metrics()
		if m.SealedReadings != m.Accepted || m.Accepted != 4*4*64 {
			t.Fatalf("%d of %d readings sealed", m.SealedReadings, m.Accepted)
		}
		if m.Sealed < 10 {
			t.Fatalf("%d batches for ~400 KB of readings under a 32 KiB blob bound", m.Sealed)
		}
	})
}

// TestQueriesAfterClose: the gateway's queries after Close say ErrClosed.
func TestQueriesAfterClose(t *testing.T) {
	r := newRig(t, t.TempDir())
	g := r.open(t, r.config())
	d := newDevice(t, did.Ed25519, 1)
	s := d.reading(t, t0, 1)
	if err := g.Submit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	id, _ := s.ID()
	if _, err := g.Evidence(context.Background(), id); !errors.Is(err, batch.ErrClosed) {
		t.Errorf("Evidence after Close: %v", err)
	}
	if _, err := g.Batches(context.Background(), 1); !errors.Is(err, batch.ErrClosed) {
		t.Errorf("Batches after Close: %v", err)
	}
	if _, err := g.WaitFinal(context.Background(), 1); !errors.Is(err, batch.ErrClosed) {
		t.Errorf("WaitFinal after Close: %v", err)
	}
}
