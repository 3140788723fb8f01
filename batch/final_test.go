package batch_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
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

// plainAnchorer is an anchor.Anchorer and nothing more: it hides every
// other method of the ledger it wraps (Upgrade, WaitFinal, Lookup), as a
// client of a ledger that can only write would. It counts its calls.
type plainAnchorer struct {
	a     anchor.Anchorer
	calls atomic.Int64
}

func (p *plainAnchorer) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	p.calls.Add(1)
	return p.a.Anchor(ctx, c)
}

// TestPlainAnchorerSettles: batches anchored on a plain Anchorer, which
// the gateway cannot follow, are settled once their receipts are
// Included: a later Open does not take them up again (it used to follow
// every one of them at every start) and anchors nothing again; their
// receipts stay as the ledger gave them, not labelled Final; WaitFinal
// says at once that they will never be final; and their evidence bundles
// verify once upgraded from the ledger itself.
func TestPlainAnchorerSettles(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx := context.Background()
	plain := &plainAnchorer{a: r.log}
	cfg := r.config()
	cfg.Ledgers = []anchor.Anchorer{plain}
	g := r.open(t, cfg)
	dev := newDevice(t, did.Ed25519, 1)
	const n = 4
	var ids []canon.Digest
	for i := range n {
		s := dev.reading(t, t0.Add(time.Duration(i)*time.Minute), int64(400+i))
		if err := g.Submit(ctx, s); err != nil {
			t.Fatal(err)
		}
		id, _ := s.ID()
		ids = append(ids, id)
		if err := g.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := g.Close(cctx); err != nil { // waits for the anchors and their receipts
		t.Fatal(err)
	}
	if m := g.Metrics(); m.Anchored != n {
		t.Fatalf("%d of %d batches anchored: %+v", m.Anchored, n, m)
	}
	anchors := plain.calls.Load()

	g = r.open(t, cfg)
	if got := g.Metrics().Recovered; got != 0 {
		t.Fatalf("Open took up %d batches again, settled in the last run", got)
	}
	bs, err := g.Batches(ctx, n+1)
	if err != nil || len(bs) != n {
		t.Fatalf("Batches: %d, %v", len(bs), err)
	}
	notFinal := 0
	for _, b := range bs {
		if len(b.Receipts) != 1 {
			t.Fatalf("batch %d: %d receipts", b.Number, len(b.Receipts))
		}
		st := b.Receipts[0].State
		if !b.Anchored || !b.Settled || b.Final != (st == anchor.Final) || st < anchor.Included {
			t.Fatalf("batch %d: anchored %v, settled %v, final %v with a receipt %s", b.Number, b.Anchored, b.Settled, b.Final, st)
		}
		if !b.Final {
			notFinal++
		}
	}
	if notFinal == 0 { // a log entry is Included until a checkpoint covers it
		t.Fatal("test premise: every receipt was final when anchored")
	}
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	if _, err := g.WaitFinal(wctx, n); !errors.Is(err, batch.ErrNeverFinal) {
		t.Fatalf("WaitFinal of batches settled short of final: %v", err)
	}

	trust := evidence.Trust{Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: r.log.Origin(), Verifier: r.ver}}}
	for i, id := range ids {
		b, err := g.Evidence(ctx, id)
		if err != nil {
			t.Fatalf("evidence of reading %d: %v", i, err)
		}
		// The bundle carries the receipt as the gateway holds it; the
		// log, which the gateway could not ask, upgrades it.
		var up *evidence.Bundle
		waitFor(t, func() bool {
			up, err = evidence.Upgrade(ctx, b, r.log)
			return err == nil
		})
		if rep := evidence.Verify(ctx, up, trust); !rep.OK() {
			t.Fatalf("reading %d: %v", i, rep)
		}
	}
	if err := g.Close(cctx); err != nil {
		t.Fatal(err)
	}
	if got := plain.calls.Load(); got != anchors {
		t.Fatalf("%d anchors after the restart, %d before: batches anchored again", got, anchors)
	}
}

// pendingFirst is a plain Anchorer in memory whose first anchor of a
// commitment is Pending; anchoring the commitment again returns the same
// anchor, Included.
type pendingFirst struct {
	mu    sync.Mutex
	at    map[canon.Digest]uint64
	calls int
}

func (p *pendingFirst) Anchor(_ context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	if p.at == nil {
		p.at = map[canon.Digest]uint64{}
	}
	st := anchor.Included
	pos, ok := p.at[c.Root]
	if !ok {
		pos, st = uint64(len(p.at)+1), anchor.Pending
		p.at[c.Root] = pos
	}
	return anchor.Receipt{Ledger: "mem", Chain: "mem.example", Commitment: c, Position: pos,
		TxID: fmt.Sprintf("%064x", pos), Time: t0, State: st}, nil
}

// TestPlainAnchorerPendingAnchoredAgain: next to a ledger the gateway
// follows to Final, a plain Anchorer's Pending receipt (which the ledger
// may still lose) is anchored again until it is Included; the batch is
// then settled, not final, with the one receipt Final and the other
// Included. (It used to stay Pending, followed at every start.)
func TestPlainAnchorerPendingAnchoredAgain(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx := context.Background()
	pf := &pendingFirst{}
	cfg := r.config()
	cfg.Ledgers = []anchor.Anchorer{r.log, pf}
	g := r.open(t, cfg)
	dev := newDevice(t, did.Ed25519, 1)
	if err := g.Submit(ctx, dev.reading(t, t0, 400)); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := g.Close(cctx); err != nil {
		t.Fatal(err)
	}
	m := g.Metrics()
	g = r.open(t, cfg)
	defer g.Close(ctx)
	bs, err := g.Batches(ctx, 2)
	if err != nil || len(bs) != 1 {
		t.Fatalf("Batches: %d, %v", len(bs), err)
	}
	b := bs[0]
	if len(b.Receipts) != 2 || b.Receipts[0].State != anchor.Final || b.Receipts[1].State != anchor.Included ||
		!b.Settled || b.Final || m.Settled != 1 || m.Final != 0 {
		var states []anchor.State
		for _, r := range b.Receipts {
			states = append(states, r.State)
		}
		t.Fatalf("batch settled %v, final %v, receipts %v; metrics settled %d, final %d", b.Settled, b.Final, states, m.Settled, m.Final)
	}
	if got := g.Metrics().Recovered; got != 0 {
		t.Fatalf("Open took up %d settled batches", got)
	}
	pf.mu.Lock()
	calls := pf.calls
	pf.mu.Unlock()
	if calls != 2 {
		t.Fatalf("plain ledger called %d times, want 2 (the anchor, once again while Pending)", calls)
	}
}

// TestAnchoredBatchesOfEarlierVersionsSettle: an index in which batches
// anchored on a plain Anchorer are recorded as anchored, as every version
// before the settled state wrote them, opens; the next Open takes them up
// once and settles them, and the Open after it takes up none.
func TestAnchoredBatchesOfEarlierVersionsSettle(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx := context.Background()
	cfg := r.config()
	// The first run leaves its batches anchored: its ledger is followed
	// (an anchor.Ledger) and never final.
	mem := &unfinalLedger{}
	cfg.Ledgers = []anchor.Anchorer{mem}
	g := r.open(t, cfg)
	dev := newDevice(t, did.Ed25519, 1)
	const n = 3
	for i := range n {
		if err := g.Submit(ctx, dev.reading(t, t0.Add(time.Duration(i)*time.Minute), 400)); err != nil {
			t.Fatal(err)
		}
		if err := g.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	waitAnchored(t, g, n)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := g.Close(short); err != nil {
		t.Fatal(err)
	}
	// The same ledger as a plain Anchorer.
	cfg.Ledgers = []anchor.Anchorer{&plainAnchorer{a: &mem.mem}}
	for run, want := range []int{n, 0} {
		g = r.open(t, cfg)
		if got := g.Metrics().Recovered; got != want {
			t.Fatalf("run %d: Open took up %d batches, want %d", run+2, got, want)
		}
		if err := g.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if m := g.Metrics(); m.Settled != uint64(want) {
			t.Fatalf("run %d: %d batches settled, want %d", run+2, m.Settled, want)
		}
	}
}
