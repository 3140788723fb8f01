package aggregate_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/merkle"
)

// anchorMany anchors the commitments of n seeds concurrently and returns
// their receipts in seed order.
func anchorMany(t *testing.T, l anchor.Anchorer, prefix string, n int) []anchor.Receipt {
	t.Helper()
	rs := make([]anchor.Receipt, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs[i], errs[i] = l.Anchor(t.Context(), anchortest.Commitment(fmt.Sprintf("%s-%d", prefix, i)))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("anchor %d: %v", i, err)
		}
	}
	return rs
}

// TestSharedByGateways: two gateways share one aggregator over HTTP; their
// commitments land in shared aggregates, far fewer inner anchors than
// commitments, and every receipt verifies offline from the log's key.
func TestSharedByGateways(t *testing.T) {
	log := openLog(t, t.TempDir())
	cfg := testConfig(log, t.TempDir())
	cfg.Interval = 50 * time.Millisecond
	a := openAggregator(t, cfg)
	gw1, gw2 := serve(t, a), serve(t, a)
	var r1, r2 []anchor.Receipt
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); r1 = anchorMany(t, gw1, "gw1", 12) }()
	go func() { defer wg.Done(); r2 = anchorMany(t, gw2, "gw2", 12) }()
	wg.Wait()
	v, err := aggregate.NewVerifier(log.Verifier())
	if err != nil {
		t.Fatal(err)
	}
	inner := map[string]map[string]bool{} // inner TxID → gateways
	for _, r := range append(r1, r2...) {
		f, err := gw1.WaitFinal(t.Context(), r)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.VerifyReceipt(t.Context(), f); err != nil {
			t.Fatalf("%s: %v", r.Commitment.Topic, err)
		}
		if inner[f.TxID] == nil {
			inner[f.TxID] = map[string]bool{}
		}
		inner[f.TxID][f.Commitment.Topic[:len("anchortest/gw1")]] = true
	}
	shared := 0
	for _, gws := range inner {
		if len(gws) == 2 {
			shared++
		}
	}
	t.Logf("24 commitments from 2 gateways in %d inner anchors, %d shared by both", len(inner), shared)
	if len(inner) > 12 || shared == 0 {
		t.Errorf("24 commitments in %d inner anchors, %d shared: the gateways do not share aggregates", len(inner), shared)
	}
}

// TestUpgradeLongAfter: a client holds an Included receipt; the aggregator
// that issued it is gone with its files; an aggregator with an empty
// directory over the same inner ledger upgrades the receipt to Final from
// its proof material alone.
func TestUpgradeLongAfter(t *testing.T) {
	log := openLog(t, t.TempDir())
	first, err := aggregate.Open(t.Context(), testConfig(log, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	held, err := first.Anchor(t.Context(), anchortest.Commitment("held"))
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	forgetful := openAggregator(t, testConfig(log, t.TempDir()))
	if _, err := forgetful.Lookup(t.Context(), held.Commitment.Root); err == nil {
		t.Fatal("the new aggregator knows the commitment; the test proves nothing")
	}
	f, err := forgetful.WaitFinal(t.Context(), held)
	if err != nil {
		t.Fatal(err)
	}
	up, err := forgetful.Upgrade(t.Context(), held)
	if err != nil {
		t.Fatal(err)
	}
	if up.State != anchor.Final || up.TxID != held.TxID || !bytes.Equal(up.Proof, f.Proof) {
		t.Fatalf("upgraded to %v (%s), want final (%s) with WaitFinal's proof", up.State, up.TxID, held.TxID)
	}
	if err := forgetful.VerifyReceipt(t.Context(), up); err != nil {
		t.Fatal(err)
	}
}

// TestSHA256PathsCrossCheck checks aggregate paths made with merkle.SHA256
// with transparency-dev/merkle, an independent RFC 6962 implementation:
// what an EVM contract checking SHA-256 paths would compute.
func TestSHA256PathsCrossCheck(t *testing.T) {
	cfg := testConfig(openLog(t, t.TempDir()), t.TempDir())
	cfg.Hasher = merkle.SHA256
	cfg.Interval = 50 * time.Millisecond
	a := openAggregator(t, cfg)
	for _, r := range anchorMany(t, a, "sha", 11) {
		p, err := aggregate.OpenReceipt(r)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := r.Commitment.ID()
		leaf := rfc6962.DefaultHasher.HashLeaf(id.Sum[:])
		path := make([][]byte, len(p.Path.Path))
		for i := range p.Path.Path {
			path[i] = p.Path.Path[i][:]
		}
		root := p.Inner.Commitment.Root
		if root.Func != merkle.SHA256.Func() {
			t.Fatalf("aggregate root of %v", root.Func)
		}
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, p.Path.Index, p.Path.Size, leaf, path, root.Sum[:]); err != nil {
			t.Errorf("%s: transparency-dev refuses the path: %v", r.Commitment.Topic, err)
		}
	}
}

// TestAggregateCommitment checks the aggregate's fields against their
// definition, computed independently.
func TestAggregateCommitment(t *testing.T) {
	var cs []anchor.Commitment
	var ids []byte
	for i := range 5 {
		c := anchortest.Commitment(fmt.Sprintf("agg-%d", i))
		cs = append(cs, c)
		id, _ := c.ID()
		ids = append(ids, id.Sum[:]...)
	}
	agg, tree, err := aggregate.Aggregate(merkle.SHA256, "plant-1/aggregate", cs)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(ids)
	want, _ := mh.Encode(sum[:], mh.SHA2_256)
	if agg.CID != cid.NewCidV1(cid.Raw, want) {
		t.Errorf("CID %s, want the raw CIDv1 of the concatenated IDs", agg.CID)
	}
	start, end := cs[0].WindowStart, cs[0].WindowEnd
	for _, c := range cs {
		if c.WindowStart.Before(start) {
			start = c.WindowStart
		}
		if c.WindowEnd.After(end) {
			end = c.WindowEnd
		}
	}
	if !agg.WindowStart.Equal(start) || !agg.WindowEnd.Equal(end) || agg.Count != 5 ||
		agg.Topic != "plant-1/aggregate" || string(agg.Metadata) != aggregate.MetadataTag || tree.Size() != 5 {
		t.Errorf("aggregate %+v", agg)
	}
	if agg.Root != merkle.SHA256.Digest(tree.Root()) {
		t.Error("root is not the tree's")
	}
	// A normal commitment: any ledger anchors it as is.
	if _, err := agg.MarshalBinary(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		h    merkle.Hasher
		cs   []anchor.Commitment
	}{
		{"no members", merkle.BLAKE3, nil},
		{"invalid hasher", 9, cs},
		{"invalid member", merkle.BLAKE3, []anchor.Commitment{{}}},
	} {
		if _, _, err := aggregate.Aggregate(tc.h, "t", tc.cs); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

// TestSealByCount: an aggregate with MaxLeaves commitments is sealed
// without waiting for the interval.
func TestSealByCount(t *testing.T) {
	cfg := testConfig(openLog(t, t.TempDir()), t.TempDir())
	cfg.Interval = time.Hour
	cfg.MaxLeaves = 4
	a := openAggregator(t, cfg)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	rs := make([]anchor.Receipt, 4)
	var wg sync.WaitGroup
	for i := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := a.Anchor(ctx, anchortest.Commitment(fmt.Sprintf("count-%d", i)))
			if err != nil {
				t.Error(err)
			}
			rs[i] = r
		}()
	}
	wg.Wait()
	for _, r := range rs {
		if r.TxID != rs[0].TxID {
			t.Fatalf("4 commitments with MaxLeaves 4 in more than one aggregate")
		}
	}
	// A fifth waits for the hour: its context ends first, and it is still
	// accepted, durably.
	short, cancel2 := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel2()
	fifth := anchortest.Commitment("count-4")
	if _, err := a.Anchor(short, fifth); err == nil {
		t.Fatal("the fifth commitment was anchored before its interval")
	}
	if _, err := a.Lookup(t.Context(), fifth.Root); err == nil {
		t.Fatal("Lookup of an accepted, unanchored commitment succeeded")
	}
}

// TestUpgradeThrough: an aggregate receipt is brought up to date from the
// inner ledger alone, with no aggregator, and the answer verifies; what
// is not an aggregate receipt with its proof, and a nil inner ledger, are
// refused.
func TestUpgradeThrough(t *testing.T) {
	log := openLog(t, t.TempDir())
	a := openAggregator(t, testConfig(log, t.TempDir()))
	held, err := a.Anchor(t.Context(), anchortest.Commitment("through"))
	if err != nil {
		t.Fatal(err)
	}
	if held.State == anchor.Final {
		t.Fatal("the receipt is final already; the test proves nothing")
	}
	f, err := a.WaitFinal(t.Context(), held)
	if err != nil {
		t.Fatal(err)
	}
	up, err := aggregate.UpgradeThrough(t.Context(), log, held)
	if err != nil {
		t.Fatal(err)
	}
	if up.State != anchor.Final || up.Ledger != aggregate.LedgerName || !bytes.Equal(up.Proof, f.Proof) || !up.Commitment.Equal(held.Commitment) {
		t.Fatalf("upgraded to %s %v, want the final aggregate receipt WaitFinal gives", up.Ledger, up.State)
	}
	if err := a.VerifyReceipt(t.Context(), up); err != nil {
		t.Fatal(err)
	}
	// The inner receipt, not the aggregate one, is not an aggregate receipt.
	p, err := aggregate.OpenReceipt(held)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := aggregate.UpgradeThrough(t.Context(), log, p.Inner); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Fatalf("an inner receipt: %v, want %v", err, anchor.ErrBadReceipt)
	}
	// The inner ledger refuses an inner receipt of another commitment.
	forged := held
	forged.Commitment = anchortest.Commitment("not anchored")
	if _, err := aggregate.UpgradeThrough(t.Context(), log, forged); err == nil {
		t.Fatal("a receipt whose commitment is not the path's: no error")
	}
	var nilLog *tlog.Log
	if _, err := aggregate.UpgradeThrough(t.Context(), nilLog, held); err == nil || !strings.Contains(err.Error(), "nil inner") {
		t.Fatalf("a nil inner ledger: %v", err)
	}
}
