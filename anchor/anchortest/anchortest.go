package anchortest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
)

// Timeout bounds every single wait of the suite (an anchor, a WaitFinal,
// the next item of Follow). It is generous because a backend's "final"
// may need blocks or checkpoints; a ledger that needs longer fails.
const Timeout = 60 * time.Second

// Commitment returns a valid commitment determined by seed; different
// seeds give different roots, content IDs and windows.
func Commitment(seed string) anchor.Commitment {
	sum := canon.Sum(canon.BLAKE3, []byte("anchortest root "+seed))
	id, err := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: 0x12, MhLength: -1}.Sum([]byte("anchortest batch " + seed))
	if err != nil {
		panic(err) // sha2-256 is always registered in go-multihash
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(sum.Sum[0]) * time.Hour)
	return anchor.Commitment{
		Root:        sum,
		CID:         id,
		WindowStart: start,
		WindowEnd:   start.Add(time.Duration(sum.Sum[1]) * time.Second),
		Count:       1 + uint64(sum.Sum[2]),
		Topic:       "anchortest/" + topicSafe(seed),
		Metadata:    []byte(seed[:min(len(seed), anchor.MaxMetadataLen)]),
	}
}

// topicSafe maps seed to topic characters, truncated to fit.
func topicSafe(seed string) string {
	b := []byte(seed)
	for i, c := range b {
		if anchor.ValidateTopic(string(c)) != nil {
			b[i] = '-'
		}
	}
	if max := anchor.MaxTopicLen - len("anchortest/"); len(b) > max {
		b = b[:max]
	}
	return string(b)
}

// Run runs the conformance suite. newLedger must return a fresh, empty
// ledger on every call and release it through t.Cleanup.
func Run(t *testing.T, newLedger func(t *testing.T) anchor.Ledger) {
	t.Run("AnchorLookup", func(t *testing.T) { testAnchorLookup(t, newLedger(t)) })
	t.Run("Idempotent", func(t *testing.T) { testIdempotent(t, newLedger(t)) })
	t.Run("RootConflict", func(t *testing.T) { testRootConflict(t, newLedger(t)) })
	t.Run("Ordering", func(t *testing.T) { testOrdering(t, newLedger(t)) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, newLedger(t)) })
	t.Run("BadCommitments", func(t *testing.T) { testBadCommitments(t, newLedger(t)) })
	t.Run("Cancellation", func(t *testing.T) { testCancellation(t, newLedger(t)) })
	t.Run("WaitFinal", func(t *testing.T) { testWaitFinal(t, newLedger(t)) })
	t.Run("Follow", func(t *testing.T) { testFollow(t, newLedger(t)) })
	t.Run("VerifyReceipt", func(t *testing.T) { testVerifyReceipt(t, newLedger(t)) })
	t.Run("Upgrade", func(t *testing.T) { testUpgrade(t, newLedger(t)) })
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), Timeout)
	t.Cleanup(cancel)
	return ctx
}

func mustAnchor(t *testing.T, l anchor.Ledger, c anchor.Commitment) anchor.Receipt {
	t.Helper()
	r, err := l.Anchor(ctxT(t), c)
	if err != nil {
		t.Fatalf("Anchor(%s): %v", c.Topic, err)
	}
	checkReceipt(t, r, c)
	return r
}

// checkReceipt checks what every receipt of c must hold.
func checkReceipt(t *testing.T, r anchor.Receipt, c anchor.Commitment) {
	t.Helper()
	if !r.State.Valid() {
		t.Errorf("receipt of %s has invalid state %v", c.Topic, r.State)
	}
	if !r.Commitment.Equal(c) {
		t.Errorf("receipt carries commitment %+v, want %+v", r.Commitment, c)
	}
	if r.Ledger == "" || r.Chain == "" {
		t.Errorf("receipt of %s does not name its ledger (%q) and chain (%q)", c.Topic, r.Ledger, r.Chain)
	}
	// Every receipt has the one JSON form that strict decoding reads back.
	j, err := json.Marshal(r)
	if err != nil {
		t.Errorf("receipt of %s does not encode: %v", c.Topic, err)
		return
	}
	back, err := anchor.ParseReceipt(j)
	if err != nil {
		t.Errorf("receipt of %s does not decode from its own JSON %s: %v", c.Topic, j, err)
		return
	}
	if again, _ := json.Marshal(back); string(again) != string(j) {
		t.Errorf("receipt JSON does not round-trip:\n got %s\nwant %s", again, j)
	}
}

// sameAnchor checks that two receipts name the same write.
func sameAnchor(t *testing.T, what string, got, want anchor.Receipt) {
	t.Helper()
	if got.Position != want.Position || got.TxID != want.TxID || got.Chain != want.Chain || !got.Commitment.Equal(want.Commitment) {
		t.Errorf("%s: receipt at position %d tx %q chain %q, want position %d tx %q chain %q",
			what, got.Position, got.TxID, got.Chain, want.Position, want.TxID, want.Chain)
	}
}

// follow collects anchors from l.Follow(from) until stop returns true for
// the receipts so far, failing the test after Timeout.
func follow(t *testing.T, l anchor.Ledger, from uint64, stop func([]anchor.Receipt) bool) []anchor.Receipt {
	t.Helper()
	ctx := ctxT(t)
	var got []anchor.Receipt
	for r, err := range l.Follow(ctx, from) {
		if err != nil {
			t.Fatalf("Follow(%d) after %d receipts: %v", from, len(got), err)
		}
		if r.State != anchor.Included && r.State != anchor.Final {
			t.Fatalf("Follow(%d) yielded %s in state %v, want included or final", from, r.Commitment.Topic, r.State)
		}
		got = append(got, r)
		if stop(got) {
			return got
		}
	}
	t.Fatalf("Follow(%d) ended without an error after %d receipts", from, len(got))
	return nil
}

// until returns a stop function for follow that waits for c.
func until(c anchor.Commitment) func([]anchor.Receipt) bool {
	return func(rs []anchor.Receipt) bool {
		return len(rs) > 0 && rs[len(rs)-1].Commitment.Equal(c)
	}
}

func idOf(t *testing.T, c anchor.Commitment) canon.Digest {
	t.Helper()
	id, err := c.ID()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// countIDs counts how often each commitment appears in rs and checks
// positions never decrease.
func countIDs(t *testing.T, rs []anchor.Receipt) map[canon.Digest]int {
	t.Helper()
	n := map[canon.Digest]int{}
	for i, r := range rs {
		n[idOf(t, r.Commitment)]++
		if i > 0 && r.Position < rs[i-1].Position {
			t.Errorf("Follow yielded position %d after %d", r.Position, rs[i-1].Position)
		}
	}
	return n
}

func testAnchorLookup(t *testing.T, l anchor.Ledger) {
	c := Commitment("lookup")
	r := mustAnchor(t, l, c)
	got, err := l.Lookup(ctxT(t), c.Root)
	if err != nil {
		t.Fatalf("Lookup of an anchored root: %v", err)
	}
	checkReceipt(t, got, c)
	sameAnchor(t, "Lookup", got, r)
	if got.State < r.State {
		t.Errorf("Lookup state %v is behind Anchor's %v", got.State, r.State)
	}

	absent := Commitment("never anchored")
	if _, err := l.Lookup(ctxT(t), absent.Root); !errors.Is(err, anchor.ErrNotAnchored) {
		t.Errorf("Lookup of an absent root: %v, want ErrNotAnchored", err)
	}
	// Same 32 bytes under another hash function is another root.
	other := c.Root
	other.Func = canon.SHA256
	if other.Func == c.Root.Func {
		other.Func = canon.BLAKE3
	}
	if _, err := l.Lookup(ctxT(t), other); !errors.Is(err, anchor.ErrNotAnchored) {
		t.Errorf("Lookup of the root's bytes under another hash function: %v, want ErrNotAnchored", err)
	}
	if _, err := l.Lookup(ctxT(t), canon.Digest{}); err == nil {
		t.Error("Lookup of the zero digest succeeded")
	}
}

func testIdempotent(t *testing.T, l anchor.Ledger) {
	c := Commitment("twice")
	first := mustAnchor(t, l, c)
	again := mustAnchor(t, l, c)
	sameAnchor(t, "second Anchor of the same commitment", again, first)

	// Equal commitments spelled differently (another time zone, nil versus
	// empty metadata) are the same anchor.
	c2 := Commitment("concurrent twice")
	c2.Metadata = nil
	spelled := c2
	spelled.WindowStart = c2.WindowStart.In(time.FixedZone("UTC+5", 5*3600))
	spelled.Metadata = []byte{}
	const n = 8
	rs := make([]anchor.Receipt, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := c2
			if i%2 == 1 {
				in = spelled
			}
			rs[i], errs[i] = l.Anchor(ctxT(t), in)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("concurrent Anchor %d of one commitment: %v", i, errs[i])
		}
		checkReceipt(t, rs[i], c2)
		sameAnchor(t, fmt.Sprintf("concurrent Anchor %d", i), rs[i], rs[0])
	}

	last := Commitment("after twice")
	mustAnchor(t, l, last)
	counts := countIDs(t, follow(t, l, 0, until(last)))
	for _, x := range []anchor.Commitment{c, c2, last} {
		if got := counts[idOf(t, x)]; got != 1 {
			t.Errorf("commitment %s written %d times, want once", x.Topic, got)
		}
	}
	if len(counts) != 3 {
		t.Errorf("ledger holds %d commitments, want 3", len(counts))
	}
}

func testRootConflict(t *testing.T, l anchor.Ledger) {
	c := Commitment("conflict")
	r := mustAnchor(t, l, c)
	d := c
	d.Topic = "anchortest/other-topic"
	if _, err := l.Anchor(ctxT(t), d); !errors.Is(err, anchor.ErrRootConflict) {
		t.Fatalf("Anchor of another commitment with an anchored root: %v, want ErrRootConflict", err)
	}
	got, err := l.Lookup(ctxT(t), c.Root)
	if err != nil {
		t.Fatal(err)
	}
	sameAnchor(t, "Lookup after a refused conflict", got, r)
}

func testOrdering(t *testing.T, l anchor.Ledger) {
	var cs []anchor.Commitment
	var rs []anchor.Receipt
	for i := range 6 {
		c := Commitment(fmt.Sprintf("order-%d", i))
		cs = append(cs, c)
		rs = append(rs, mustAnchor(t, l, c))
		if i > 0 && rs[i].Position < rs[i-1].Position {
			t.Errorf("anchor %d landed at position %d, before its predecessor's %d", i, rs[i].Position, rs[i-1].Position)
		}
	}
	got := follow(t, l, 0, func(rs []anchor.Receipt) bool { return len(rs) == len(cs) })
	for i := range cs {
		if !got[i].Commitment.Equal(cs[i]) {
			t.Errorf("Follow(0) item %d is %s, want %s", i, got[i].Commitment.Topic, cs[i].Topic)
			continue
		}
		sameAnchor(t, fmt.Sprintf("Follow(0) item %d", i), got[i], rs[i])
	}

	// From a later position: nothing before it, everything from it.
	from := rs[3].Position
	tail := follow(t, l, from, until(cs[len(cs)-1]))
	seen := countIDs(t, tail)
	for i, c := range cs {
		want := 0
		if rs[i].Position >= from {
			want = 1
		}
		if got := seen[idOf(t, c)]; got != want {
			t.Errorf("Follow(%d) yielded anchor %d (position %d) %d times, want %d", from, i, rs[i].Position, got, want)
		}
	}
}

func testConcurrent(t *testing.T, l anchor.Ledger) {
	const workers, each = 4, 8
	var mu sync.Mutex
	receipts := map[canon.Digest]anchor.Receipt{}
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				c := Commitment(fmt.Sprintf("concurrent-%d-%d", w, i))
				r, err := l.Anchor(ctxT(t), c)
				if err != nil {
					errs <- fmt.Errorf("worker %d anchor %d: %w", w, i, err)
					continue
				}
				if !r.Commitment.Equal(c) {
					errs <- fmt.Errorf("worker %d anchor %d: receipt of another commitment", w, i)
				}
				id, _ := c.ID()
				mu.Lock()
				receipts[id] = r
				mu.Unlock()
				// Readers run alongside writers.
				if _, err := l.Lookup(ctxT(t), c.Root); err != nil {
					errs <- fmt.Errorf("worker %d lookup %d: %w", w, i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	got := follow(t, l, 0, func(rs []anchor.Receipt) bool { return len(rs) == workers*each })
	counts := countIDs(t, got)
	for id, r := range receipts {
		if counts[id] != 1 {
			t.Errorf("%s yielded %d times by Follow, want once", r.Commitment.Topic, counts[id])
		}
	}
	for _, r := range got {
		want, ok := receipts[idOf(t, r.Commitment)]
		if !ok {
			t.Errorf("Follow yielded %s, which was never anchored", r.Commitment.Topic)
			continue
		}
		sameAnchor(t, "Follow after concurrent anchoring", r, want)
	}
}

func testBadCommitments(t *testing.T, l anchor.Ledger) {
	good := Commitment("bad")
	cases := []struct {
		name   string
		edit   func(*anchor.Commitment)
		reason error
	}{
		{"zero root", func(c *anchor.Commitment) { c.Root = canon.Digest{} }, anchor.ErrBadRoot},
		{"all-zero root", func(c *anchor.Commitment) { c.Root.Sum = [canon.Size]byte{} }, anchor.ErrBadRoot},
		{"unknown hash", func(c *anchor.Commitment) { c.Root.Func = 99 }, anchor.ErrBadRoot},
		{"no cid", func(c *anchor.Commitment) { c.CID = cid.Undef }, anchor.ErrBadCID},
		{"end before start", func(c *anchor.Commitment) { c.WindowEnd = c.WindowStart.Add(-time.Nanosecond) }, anchor.ErrBadWindow},
		{"no start", func(c *anchor.Commitment) { c.WindowStart = time.Time{} }, anchor.ErrBadWindow},
		{"zero count", func(c *anchor.Commitment) { c.Count = 0 }, anchor.ErrZeroCount},
		{"empty topic", func(c *anchor.Commitment) { c.Topic = "" }, anchor.ErrBadTopic},
		{"topic wildcard", func(c *anchor.Commitment) { c.Topic = "plant/+/temp" }, anchor.ErrBadTopic},
		{"topic space", func(c *anchor.Commitment) { c.Topic = "plant 1" }, anchor.ErrBadTopic},
		{"topic too long", func(c *anchor.Commitment) { c.Topic = string(make([]byte, anchor.MaxTopicLen+1)) }, anchor.ErrBadTopic},
		{"metadata too large", func(c *anchor.Commitment) { c.Metadata = make([]byte, anchor.MaxMetadataLen+1) }, anchor.ErrMetadataTooLarge},
	}
	for _, tc := range cases {
		c := good
		tc.edit(&c)
		_, err := l.Anchor(ctxT(t), c)
		if !errors.Is(err, anchor.ErrInvalidCommitment) || !errors.Is(err, tc.reason) {
			t.Errorf("%s: Anchor returned %v, want ErrInvalidCommitment and %v", tc.name, err, tc.reason)
		}
	}
	if _, err := l.Lookup(ctxT(t), good.Root); !errors.Is(err, anchor.ErrNotAnchored) {
		t.Errorf("after only bad commitments, Lookup of their root: %v, want ErrNotAnchored", err)
	}
	// The ledger still works, and holds exactly the good commitment.
	mustAnchor(t, l, good)
	counts := countIDs(t, follow(t, l, 0, until(good)))
	if len(counts) != 1 {
		t.Errorf("ledger holds %d commitments after bad ones and one good, want 1", len(counts))
	}
}

func testCancellation(t *testing.T, l anchor.Ledger) {
	c := Commitment("cancelled")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := l.Anchor(ctx, c); !errors.Is(err, context.Canceled) {
		t.Errorf("Anchor with a cancelled context: %v, want context.Canceled", err)
	}
	// Whatever the cancelled call did, a retry anchors exactly once.
	r := mustAnchor(t, l, c)
	counts := countIDs(t, follow(t, l, 0, until(c)))
	if counts[idOf(t, c)] != 1 || len(counts) != 1 {
		t.Errorf("after a cancelled Anchor and its retry the ledger holds %v, want the commitment once", counts)
	}

	// WaitFinal returns promptly on a done context: either the anchor is
	// already final or the context's error.
	expired, cancel2 := context.WithTimeout(t.Context(), time.Millisecond)
	defer cancel2()
	<-expired.Done()
	start := time.Now()
	got, err := l.WaitFinal(expired, r)
	switch {
	case err == nil && got.State != anchor.Final:
		t.Errorf("WaitFinal on an expired context returned state %v without error", got.State)
	case err != nil && !errors.Is(err, context.DeadlineExceeded):
		t.Errorf("WaitFinal on an expired context: %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("WaitFinal took %v to notice an expired context", d)
	}

	// Follow waiting for anchors that never come ends with the context. The
	// cancel comes 100 ms after the one existing anchor was delivered, so
	// backends that deliver only final anchors (confirmations) pass too; a
	// backend that never delivers it is stopped by the guard.
	fctx, fcancel := context.WithCancel(t.Context())
	defer fcancel()
	guard := time.AfterFunc(time.Minute, fcancel)
	defer guard.Stop()
	start = time.Now()
	var last error
	n := 0
	for _, err := range l.Follow(fctx, 0) {
		if err != nil {
			last = err
			continue // the iterator must stop by itself after its error
		}
		n++
		if n == 1 {
			start = time.Now()
			time.AfterFunc(100*time.Millisecond, fcancel)
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("Follow ended with %v after a cancel, want context.Canceled", last)
	}
	if n != 1 {
		t.Errorf("Follow yielded %d anchors before the cancel, want 1", n)
	}
	if d := time.Since(start); d > 5*time.Second+100*time.Millisecond {
		t.Errorf("Follow took %v to notice a cancelled context", d)
	}
}

func testWaitFinal(t *testing.T, l anchor.Ledger) {
	c := Commitment("final")
	r := mustAnchor(t, l, c)
	f, err := l.WaitFinal(ctxT(t), r)
	if err != nil {
		t.Fatalf("WaitFinal: %v", err)
	}
	checkReceipt(t, f, c)
	sameAnchor(t, "WaitFinal", f, r)
	if f.State != anchor.Final {
		t.Errorf("WaitFinal returned state %v", f.State)
	}
	got, err := l.Lookup(ctxT(t), c.Root)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != anchor.Final {
		t.Errorf("Lookup after WaitFinal: state %v, want final", got.State)
	}
	// Final is final: waiting again returns at once.
	if again, err := l.WaitFinal(ctxT(t), f); err != nil || again.State != anchor.Final {
		t.Errorf("WaitFinal of a final receipt: state %v, %v", again.State, err)
	}

	forged := r
	forged.Commitment = Commitment("never anchored for WaitFinal")
	if _, err := l.WaitFinal(ctxT(t), forged); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("WaitFinal of a receipt for a commitment never anchored: %v, want ErrBadReceipt", err)
	}
}

func testFollow(t *testing.T, l anchor.Ledger) {
	first := Commitment("follow-0")
	mustAnchor(t, l, first)

	// Live: an anchor made while Follow waits is delivered.
	ctx := ctxT(t)
	next := Commitment("follow-1")
	got := make(chan anchor.Receipt, 4)
	done := make(chan error, 1)
	go func() {
		for r, err := range l.Follow(ctx, 0) {
			if err != nil {
				done <- err
				return
			}
			got <- r
			if r.Commitment.Equal(next) {
				break // break must end the iteration cleanly
			}
		}
		done <- nil
	}()
	// receive returns the follower's next receipt. The follower sends its
	// last receipt and then ends, so when both are ready the receipt wins
	// and the end is put back for the check after the break.
	receive := func(what string) anchor.Receipt {
		select {
		case r := <-got:
			return r
		case err := <-done:
			select {
			case r := <-got:
				done <- err
				return r
			default:
				t.Fatalf("Follow ended before %s: %v", what, err)
			}
		case <-ctx.Done():
			t.Fatalf("Follow did not deliver %s in time", what)
		}
		return anchor.Receipt{}
	}
	if r := receive("replaying the existing anchor"); !r.Commitment.Equal(first) {
		t.Fatalf("Follow(0) first yielded %s, want %s", r.Commitment.Topic, first.Topic)
	}
	mustAnchor(t, l, next)
	if r := receive("an anchor made while it waited"); !r.Commitment.Equal(next) {
		t.Fatalf("Follow yielded %s, want the new anchor %s", r.Commitment.Topic, next.Topic)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Follow after break: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Follow's loop did not return after break")
	}

	// Two followers see the same sequence.
	a := follow(t, l, 0, until(next))
	b := follow(t, l, 0, until(next))
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("followers saw %d and %d anchors, want 2", len(a), len(b))
	}
	for i := range a {
		sameAnchor(t, "second follower", b[i], a[i])
	}
}

func testVerifyReceipt(t *testing.T, l anchor.Ledger) {
	v, ok := l.(anchor.ReceiptVerifier)
	if !ok {
		t.Skipf("%T does not implement anchor.ReceiptVerifier", l)
	}
	c := Commitment("verify")
	mustAnchor(t, l, c)
	r, err := l.Lookup(ctxT(t), c.Root)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = l.WaitFinal(ctxT(t), r); err != nil {
		t.Fatal(err)
	}
	if err := v.VerifyReceipt(ctxT(t), r); err != nil {
		t.Fatalf("VerifyReceipt of a final receipt: %v", err)
	}
	tamper := []struct {
		name string
		edit func(*anchor.Receipt)
	}{
		{"count", func(r *anchor.Receipt) { r.Commitment.Count++ }},
		{"root", func(r *anchor.Receipt) { r.Commitment.Root.Sum[0] ^= 1 }},
		{"position", func(r *anchor.Receipt) { r.Position++ }},
		{"chain", func(r *anchor.Receipt) { r.Chain += "x" }},
	}
	if len(r.Proof) > 0 {
		tamper = append(tamper, struct {
			name string
			edit func(*anchor.Receipt)
		}{"proof", func(r *anchor.Receipt) {
			r.Proof = append([]byte(nil), r.Proof...)
			r.Proof[len(r.Proof)/2] ^= 1
		}})
	}
	for _, tc := range tamper {
		bad := r
		tc.edit(&bad)
		if err := v.VerifyReceipt(ctxT(t), bad); !errors.Is(err, anchor.ErrBadReceipt) {
			t.Errorf("VerifyReceipt with tampered %s: %v, want ErrBadReceipt", tc.name, err)
		}
	}
}

func testUpgrade(t *testing.T, l anchor.Ledger) {
	c := Commitment("upgrade")
	r := mustAnchor(t, l, c)
	before, err := l.Lookup(ctxT(t), c.Root)
	if err != nil {
		t.Fatal(err)
	}
	up, err := l.Upgrade(ctxT(t), r)
	if err != nil {
		t.Fatalf("Upgrade of Anchor's receipt: %v", err)
	}
	checkReceipt(t, up, c)
	sameAnchor(t, "Upgrade", up, before)
	if up.State < before.State {
		t.Errorf("Upgrade returned state %v, behind Lookup's %v before the call", up.State, before.State)
	}

	// A receipt as a client may hold it, long after: an old state, no
	// proof material, a time that says nothing. Upgrade trusts none of it.
	stale := r
	stale.State, stale.Proof, stale.Time = anchor.Pending, nil, time.Time{}
	before, err = l.Lookup(ctxT(t), c.Root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.Upgrade(ctxT(t), stale)
	if err != nil {
		t.Fatalf("Upgrade of a stale receipt: %v", err)
	}
	checkReceipt(t, got, c)
	sameAnchor(t, "Upgrade of a stale receipt", got, before)
	if got.State < before.State {
		t.Errorf("Upgrade of a stale receipt returned state %v, behind Lookup's %v", got.State, before.State)
	}

	// Once final, Upgrade says so, with proof material that verifies.
	f, err := l.WaitFinal(ctxT(t), r)
	if err != nil {
		t.Fatal(err)
	}
	got, err = l.Upgrade(ctxT(t), stale)
	if err != nil {
		t.Fatalf("Upgrade of a stale receipt of a final anchor: %v", err)
	}
	if got.State != anchor.Final {
		t.Errorf("Upgrade returned state %v, behind WaitFinal's final", got.State)
	}
	sameAnchor(t, "Upgrade after WaitFinal", got, f)
	if v, ok := l.(anchor.ReceiptVerifier); ok {
		if err := v.VerifyReceipt(ctxT(t), got); err != nil {
			t.Errorf("the upgraded receipt does not verify: %v", err)
		}
	}

	never := stale
	never.Commitment = Commitment("never anchored for Upgrade")
	if _, err := l.Upgrade(ctxT(t), never); !errors.Is(err, anchor.ErrNotAnchored) {
		t.Errorf("Upgrade of a receipt of a commitment never anchored: %v, want ErrNotAnchored", err)
	}
	bad := []struct {
		name string
		edit func(*anchor.Receipt)
	}{
		{"ledger", func(r *anchor.Receipt) { r.Ledger += "-other" }},
		{"chain", func(r *anchor.Receipt) { r.Chain += "x" }},
		{"invalid commitment", func(r *anchor.Receipt) { r.Commitment.Count = 0 }},
		{"another commitment under the root", func(r *anchor.Receipt) { r.Commitment.Topic = "anchortest/other-topic" }},
	}
	for _, tc := range bad {
		for _, base := range []struct {
			name string
			r    anchor.Receipt
		}{{"final", f}, {"stale", stale}} {
			x := base.r
			tc.edit(&x)
			if _, err := l.Upgrade(ctxT(t), x); !errors.Is(err, anchor.ErrBadReceipt) {
				t.Errorf("Upgrade of a %s receipt with another %s: %v, want ErrBadReceipt", base.name, tc.name, err)
			}
		}
	}

	// A done context: an answer from what the ledger holds, or the
	// context's error, promptly.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	start := time.Now()
	if got, err := l.Upgrade(ctx, f); err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Upgrade with a cancelled context: %v, want context.Canceled or an answer", err)
	} else if err == nil {
		sameAnchor(t, "Upgrade with a cancelled context", got, f)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Upgrade took %v to notice a cancelled context", d)
	}
}
