package tlog_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// TestAnchorDuringClose: Close while goroutines keep anchoring. Every
// Anchor either succeeds (and its entry is in the reopened log) or fails
// with anchor.ErrClosed; nothing panics (Close used to Wait on a
// WaitGroup that Anchor was still adding to) and no call reports the
// closed log as unavailable.
func TestAnchorDuringClose(t *testing.T) {
	for round := range 12 {
		cfg := testConfig(t, t.TempDir())
		l, err := tlog.Open(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			acked []anchor.Receipt
			first = make(chan struct{})
			once  sync.Once
		)
		want := 1 + 3*round // Close at varying points of the stream
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					r, err := l.Anchor(t.Context(), anchortest.Commitment(fmt.Sprint("close race ", round, " ", g, " ", i)))
					if err != nil {
						if !errors.Is(err, anchor.ErrClosed) {
							t.Errorf("Anchor during Close: %v, want ErrClosed", err)
						}
						return
					}
					mu.Lock()
					acked = append(acked, r)
					if len(acked) >= want {
						once.Do(func() { close(first) })
					}
					mu.Unlock()
				}
			}()
		}
		<-first
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		wg.Wait()
		l = openTestLog(t, cfg)
		for _, r := range acked {
			if _, err := l.Upgrade(t.Context(), r); err != nil {
				t.Errorf("acknowledged anchor at %d lost: %v", r.Position, err)
			}
		}
		if t.Failed() {
			return
		}
	}
}

// TestConsistencyProofErrors: ConsistencyProof answers sizes outside the
// verified tree with ErrTreeSize and a closed Log with anchor.ErrClosed,
// as every other method does (it used to give an untyped error, and
// proofs from a closed Log).
func TestConsistencyProofErrors(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	l, err := tlog.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	anchorAll(t, l, seeds("consistency", 3)...)
	size := l.Checkpoint().Size
	if _, err := l.ConsistencyProof(t.Context(), 1, size); err != nil {
		t.Fatalf("proof from 1 to %d: %v", size, err)
	}
	for _, sizes := range [][2]uint64{{1, size + 1}, {2, 1}, {size + 1, size + 2}} {
		if _, err := l.ConsistencyProof(t.Context(), sizes[0], sizes[1]); !errors.Is(err, tlog.ErrTreeSize) {
			t.Errorf("proof from %d to %d in a log of size %d: %v, want ErrTreeSize", sizes[0], sizes[1], size, err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if p, err := l.ConsistencyProof(t.Context(), 1, size); !errors.Is(err, anchor.ErrClosed) {
		t.Errorf("proof from a closed Log: %d hashes, %v, want anchor.ErrClosed", len(p), err)
	}
}

// TestOpenWithAnotherKey: opening an existing log with another key or
// origin than the one it was made with is refused, and the error says
// so (ErrBadKey, with the keys) besides ErrCorrupt: it used to read only
// "log storage corrupt: … note has no verifiable signatures", which
// invites deleting a healthy log.
func TestOpenWithAnotherKey(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	l, err := tlog.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	anchorAll(t, l, "made with the test key")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	for _, origin := range []string{testOrigin, "example.com/another-log"} {
		other := cfg
		other.Signer, other.Verifier, err = tlog.NewEd25519Signer(origin, key)
		if err != nil {
			t.Fatal(err)
		}
		l, err := tlog.Open(t.Context(), other)
		if err == nil {
			l.Close()
		}
		if !errors.Is(err, tlog.ErrBadKey) || !errors.Is(err, tlog.ErrCorrupt) || !strings.Contains(err.Error(), testOrigin) {
			t.Errorf("Open as %q with another key: %v, want ErrBadKey and ErrCorrupt naming %q", origin, err, testOrigin)
		}
	}
	openTestLog(t, cfg) // still the healthy log it was
}

// TestZeroVerifier: a Verifier or Tracker not made by its constructor
// (the zero value, a nil pointer) refuses everything with a typed error;
// it used to panic on a nil note verifier.
func TestZeroVerifier(t *testing.T) {
	l := openTestLog(t, testConfig(t, t.TempDir()))
	r := anchorAll(t, l, "zero verifier")
	for name, v := range map[string]*tlog.Verifier{"zero": {}, "nil": nil} {
		if err := v.VerifyReceipt(t.Context(), r); !errors.Is(err, anchor.ErrBadReceipt) || !errors.Is(err, tlog.ErrBadKey) {
			t.Errorf("%s Verifier: VerifyReceipt: %v, want ErrBadReceipt and ErrBadKey", name, err)
		}
		if _, err := v.ParseCheckpoint(l.Checkpoint().Raw); !errors.Is(err, tlog.ErrBadCheckpoint) || !errors.Is(err, tlog.ErrBadKey) {
			t.Errorf("%s Verifier: ParseCheckpoint: %v, want ErrBadCheckpoint and ErrBadKey", name, err)
		}
		if _, err := tlog.NewTracker(v, l.Checkpoint().Raw); !errors.Is(err, tlog.ErrBadKey) {
			t.Errorf("%s Verifier: NewTracker: %v, want ErrBadKey", name, err)
		}
		if _, err := v.RequireWitnesses(1, testConfig(t, "").Verifier); !errors.Is(err, tlog.ErrBadKey) {
			t.Errorf("%s Verifier: RequireWitnesses: %v, want ErrBadKey", name, err)
		}
	}
	var tr tlog.Tracker
	if _, err := tr.Update(l.Checkpoint().Raw, nil); !errors.Is(err, tlog.ErrBadKey) {
		t.Errorf("zero Tracker: Update: %v, want ErrBadKey", err)
	}
}

// TestOpenHonoursContext: Open with a done context returns its error,
// also where it would rebuild the root index from the log's entries; it
// used to ignore ctx and open the log.
func TestOpenHonoursContext(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	l := openTestLog(t, cfg)
	anchorAll(t, l, seeds("context", 3)...)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, ".iotrust")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, d := range []string{dir, t.TempDir()} {
		c := cfg
		c.Dir = d
		l, err := tlog.Open(ctx, c)
		if err == nil {
			l.Close()
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Open of %s with a cancelled context: %v, want context.Canceled", d, err)
		}
	}
	openTestLog(t, cfg) // the rebuild still works with a live context
}

// TestCloseWithQueuedWrite: an Anchor whose caller gave up leaves its
// entry queued in Tessera; Close must let that entry reach the log
// rather than stop Tessera under it. Close used to shut Tessera down
// while the entry waited for its batch to be flushed, and then wait
// forever for the write that could no longer resolve.
func TestCloseWithQueuedWrite(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.BatchMaxAge = time.Second // the entry stays queued this long
	l, err := tlog.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := anchortest.Commitment("queued at Close")
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if _, err := l.Anchor(ctx, c); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Anchor with a deadline shorter than the batch age: %v, want the deadline", err)
	}
	closed := make(chan error, 1)
	go func() { closed <- l.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Close still waiting after 20 s for a write it had stopped")
	}
	l = openTestLog(t, cfg)
	if _, err := l.Lookup(t.Context(), c.Root); err != nil {
		t.Errorf("the queued entry is not in the reopened log: %v", err)
	}
}
