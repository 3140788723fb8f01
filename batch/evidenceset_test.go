package batch_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
)

// TestEvidenceSet: several readings of one batch make one bundle with one
// multi-leaf proof, in batch order, that verifies offline; readings of two
// batches, unknown or unsealed readings are refused with their errors.
func TestEvidenceSet(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx := context.Background()
	cfg := r.config()
	cfg.MaxBatch = 8
	g := r.open(t, cfg)
	defer g.Close(ctx)
	a, b := newDevice(t, did.Ed25519, 1), newDevice(t, did.P256, 2)
	var ss []reading.Signed
	for i := range 6 { // 12 readings: batch 1 holds 8, batch 2 holds 4
		at := t0.Add(time.Duration(i) * time.Second)
		ss = append(ss, a.reading(t, at, int64(i)), b.reading(t, at, int64(100+i)))
	}
	for i, err := range g.SubmitBatch(ctx, ss) {
		if err != nil {
			t.Fatalf("reading %d: %v", i, err)
		}
	}
	late := a.reading(t, t0.Add(time.Minute), 7)
	ids := make([]canon.Digest, len(ss))
	for i, s := range ss {
		ids[i], _ = s.ID()
	}
	if err := g.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return g.Metrics().Final == 2 })

	// Asked out of order and with a repeat: readings 6, 1, 3, 1 of batch 1.
	bundle, err := g.EvidenceSet(ctx, ids[6], ids[1], ids[3], ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(bundle.Readings) != 3 || bundle.MultiInclusion == nil || bundle.Inclusion != nil {
		t.Fatalf("bundle of %d readings, multi %v", len(bundle.Readings), bundle.MultiInclusion != nil)
	}
	for i, want := range []int{1, 3, 6} {
		got, _ := bundle.Readings[i].ID()
		if !got.Equal(ids[want]) || bundle.MultiInclusion.Indices[i] != uint64(want) {
			t.Fatalf("reading %d of the bundle is not reading %d of the batch", i, want)
		}
	}
	raw, err := bundle.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := evidence.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	trust := evidence.Trust{Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: r.log.Origin(), Verifier: r.ver}}}
	if rep := evidence.Verify(ctx, back, trust); !rep.OK() {
		t.Fatalf("set bundle does not verify:\n%v", rep)
	}
	// A tampered reading in the set fails the signature and inclusion checks.
	back.Readings[1].Value++
	if rep := evidence.Verify(ctx, back, trust); rep.OK() {
		t.Fatal("tampered set bundle verifies")
	}
	// One reading alone is a set too.
	if one, err := g.EvidenceSet(ctx, ids[9]); err != nil || len(one.Readings) != 1 || one.Commitment.Count != 4 {
		t.Fatalf("single-reading set: %v", err)
	}

	if err := g.Submit(ctx, late); err != nil {
		t.Fatal(err)
	}
	lateID, _ := late.ID()
	unknown := b.reading(t, t0, 1)
	unknownID, _ := unknown.ID()
	for name, tc := range map[string]struct {
		ids  []canon.Digest
		want error
	}{
		"no IDs":               {nil, batch.ErrNotFound},
		"two batches":          {[]canon.Digest{ids[0], ids[11]}, batch.ErrNotOneBatch},
		"never acknowledged":   {[]canon.Digest{ids[0], unknownID}, batch.ErrNotFound},
		"batch not sealed yet": {[]canon.Digest{lateID}, batch.ErrNotSealed},
	} {
		if _, err := g.EvidenceSet(ctx, tc.ids...); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}

// TestParseBatchGranted: a buyer granted a sealed batch reads it from the
// store with its own identity and gets the gateway's readings back, checked
// against the anchored commitment.
func TestParseBatchGranted(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx := context.Background()
	g := r.open(t, r.config())
	defer g.Close(ctx)
	d := newDevice(t, did.Ed25519, 1)
	var ss []reading.Signed
	for i := range 5 {
		ss = append(ss, d.reading(t, t0.Add(time.Duration(i)*time.Second), int64(i)))
	}
	for _, err := range g.SubmitBatch(ctx, ss) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	infos, err := g.Batches(ctx, 1)
	if err != nil || len(infos) != 1 {
		t.Fatalf("Batches: %v", err)
	}
	c := infos[0].Commitment
	buyer, err := store.GenerateIdentity(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.Get(ctx, c.CID, buyer); !errors.Is(err, store.ErrNotRecipient) {
		t.Fatalf("buyer reads before the grant: %v", err)
	}
	if err := r.st.Grant(ctx, c.CID, r.id, buyer.Recipient()); err != nil {
		t.Fatal(err)
	}
	plain, err := r.st.Get(ctx, c.CID, buyer)
	if err != nil {
		t.Fatal(err)
	}
	got, err := batch.ParseBatch(plain, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ss) {
		t.Fatalf("%d readings, want %d", len(got), len(ss))
	}
	for i := range ss {
		a, _ := got[i].ID()
		b, _ := ss[i].ID()
		if !a.Equal(b) {
			t.Fatalf("reading %d differs", i)
		}
	}
	for i, err := range reading.VerifyBatch(ctx, did.SelfCertifying{}, got) {
		if err != nil {
			t.Fatalf("reading %d: %v", i, err)
		}
	}
	other := c
	other.Count++
	if _, err := batch.ParseBatch(plain, other); !errors.Is(err, batch.ErrBadBatch) {
		t.Fatalf("blob against another commitment: %v", err)
	}
}
