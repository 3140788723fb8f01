package aggregate_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// TestInnerLedgerClosed: an aggregator whose inner ledger was closed
// answers Anchor with an error matching anchor.ErrClosed instead of
// retrying the closed ledger until the caller's ctx ends (forever under
// context.Background). What it accepted stays in its record log: an
// aggregator reopened over the reopened inner ledger anchors it.
func TestInnerLedgerClosed(t *testing.T) {
	logDir, dir := t.TempDir(), t.TempDir()
	inner, err := tlog.Open(t.Context(), tlogConfig(t, logDir))
	if err != nil {
		t.Fatal(err)
	}
	a, err := aggregate.Open(t.Context(), testConfig(inner, dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := inner.Close(); err != nil {
		t.Fatal(err)
	}
	c := anchortest.Commitment("inner closed")
	// The deadline only keeps a hang from stalling the suite.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if _, err := a.Anchor(ctx, c); !errors.Is(err, anchor.ErrClosed) {
		t.Errorf("Anchor over a closed inner ledger: %v, want anchor.ErrClosed", err)
	}
	if _, err := a.Anchor(ctx, anchortest.Commitment("after the inner ledger closed")); !errors.Is(err, anchor.ErrClosed) {
		t.Errorf("a later Anchor: %v, want anchor.ErrClosed", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	a = openAggregator(t, testConfig(openLog(t, logDir), dir))
	r, err := a.Anchor(t.Context(), c)
	if err != nil {
		t.Fatalf("Anchor after reopening: %v", err)
	}
	if !r.Commitment.Equal(c) {
		t.Fatalf("receipt of %v, want %v", r.Commitment, c)
	}
}

// gateLedger's Anchor waits until release is closed and then answers
// that the ledger is closed.
type gateLedger struct {
	nothingLedger
	entered chan struct{} // receives once per Anchor call
	release chan struct{}
}

func (g gateLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	g.entered <- struct{}{}
	<-g.release
	return anchor.Receipt{}, anchor.ErrClosed
}

// TestFailureWakesOpenAggregate: a commitment accepted into the open
// aggregate while the previous one is being anchored gets the failure
// that stops the aggregator (here: the inner ledger closed). It used to
// wait for an aggregate that a failed aggregator never seals, until its
// ctx ended.
func TestFailureWakesOpenAggregate(t *testing.T) {
	dir := t.TempDir()
	g := gateLedger{entered: make(chan struct{}, 4), release: make(chan struct{})}
	a := openAggregator(t, testConfig(g, dir))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // against a hang only
	defer cancel()
	errs := make(chan error, 2)
	go func() { _, err := a.Anchor(ctx, anchortest.Commitment("sealed")); errs <- err }()
	<-g.entered // the first aggregate is sealed, recorded and being anchored
	size := func() int64 {
		fi, err := os.Stat(filepath.Join(dir, "aggregate.log"))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	go func() { _, err := a.Anchor(ctx, anchortest.Commitment("open")); errs <- err }()
	for size() == before { // wait until the second commitment is accepted
		if ctx.Err() != nil {
			t.Fatal("the second commitment was never accepted")
		}
		time.Sleep(time.Millisecond)
	}
	close(g.release)
	for range 2 {
		if err := <-errs; !errors.Is(err, anchor.ErrClosed) {
			t.Errorf("Anchor: %v, want anchor.ErrClosed", err)
		}
	}
}

// TestRestartedServerBehindClient: an aggregator whose inner ledger is a
// Client keeps retrying while the server's aggregator is closed, and
// anchors once a restarted one answers at the same URL: a server's
// closed ledger is anchor.ErrUnavailable to its Clients, not the end of
// the Client (the inner-closed rule above would otherwise fail the outer
// aggregator for good).
func TestRestartedServerBehindClient(t *testing.T) {
	log := openLog(t, t.TempDir())
	serverDir := t.TempDir()
	first, err := aggregate.Open(t.Context(), testConfig(log, serverDir))
	if err != nil {
		t.Fatal(err)
	}
	var current atomic.Pointer[http.Handler]
	h := aggregate.Handler(first)
	current.Store(&h)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*current.Load()).ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	client, err := aggregate.NewClient(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Lookup(t.Context(), anchortest.Commitment("x").Root); !errors.Is(err, anchor.ErrUnavailable) || !errors.Is(err, anchor.ErrClosed) {
		t.Errorf("Client of a closed aggregator: %v, want ErrUnavailable and ErrClosed", err)
	}

	refused := make(chan error, 1)
	outer := openAggregator(t, testConfig(refusingLedger{client, refused}, t.TempDir()))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second) // against a hang only
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := outer.Anchor(ctx, anchortest.Commitment("through a restart")); done <- err }()
	<-refused // the outer aggregator tried the closed server
	restarted := openAggregator(t, testConfig(log, serverDir))
	h = aggregate.Handler(restarted)
	current.Store(&h)
	if err := <-done; err != nil {
		t.Errorf("Anchor through a restarted server: %v", err)
	}
}

// refusingLedger reports the first error of its ledger's Anchor.
type refusingLedger struct {
	anchor.Ledger
	refused chan error
}

func (r refusingLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	rc, err := r.Ledger.Anchor(ctx, c)
	if err != nil {
		select {
		case r.refused <- err:
		default:
		}
	}
	return rc, err
}
