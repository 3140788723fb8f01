package batch_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
)

// rig is a gateway on real parts: a Tessera log and an encrypted store on
// disk under one temporary directory.
type rig struct {
	dir   string
	log   *tlog.Log
	st    *store.Store
	id    store.Identity
	ver   *tlog.Verifier
	clock *clock
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

var t0 = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

func newRig(t testing.TB, dir string) *rig {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, "batch test log key seed.........")
	s, v, err := tlog.NewEd25519Signer("test.iotrust/batch", ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	l, err := tlog.Open(context.Background(), tlog.Config{Dir: filepath.Join(dir, "log"), Signer: s, Verifier: v,
		CheckpointInterval: tlog.MinCheckpointInterval, BatchMaxAge: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "store"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	idSeed := make([]byte, 64)
	copy(idSeed, "batch test store identity seed")
	id, err := store.GenerateIdentity(newDetRand(idSeed))
	if err != nil {
		t.Fatal(err)
	}
	ver, err := tlog.NewVerifier(v)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{dir: dir, log: l, st: st, id: id, ver: ver, clock: &clock{now: t0}}
	t.Cleanup(func() { l.Close(); st.Close() })
	return r
}

func (r *rig) config() batch.Config {
	return batch.Config{
		Dir: filepath.Join(r.dir, "gw"), Topic: "test/batch", Store: r.st, Identity: r.id,
		Ledgers: []anchor.Anchorer{r.log}, Now: r.clock.Now, Window: time.Hour,
	}
}

func (r *rig) open(t testing.TB, cfg batch.Config) *batch.Gateway {
	t.Helper()
	g, err := batch.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

type device struct {
	key did.PrivateKey
	did string
	seq uint64
}

func newDevice(t testing.TB, s did.Scheme, n int) *device {
	t.Helper()
	seed := make([]byte, s.SeedSize())
	copy(seed, fmt.Sprintf("device %d seed", n))
	k, err := s.DeriveKey(seed)
	if err != nil {
		t.Fatal(err)
	}
	d, err := did.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return &device{key: k, did: d}
}

func (d *device) reading(t testing.TB, at time.Time, value int64) reading.Signed {
	t.Helper()
	d.seq++
	return d.sign(t, d.seq, at, value)
}

func (d *device) sign(t testing.TB, seq uint64, at time.Time, value int64) reading.Signed {
	t.Helper()
	s, err := reading.Sign(d.key, reading.Reading{
		Device: d.did, Topic: "test/batch/temp", Seq: seq, Time: at.Truncate(time.Millisecond),
		Sensor: "temperature", Value: value, Scale: 2, Unit: "Cel",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitAnchored polls the gateway's metrics until n batches are anchored.
func waitAnchored(t testing.TB, g *batch.Gateway, n uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for g.Metrics().Anchored < n {
		select {
		case <-ctx.Done():
			t.Fatalf("only %d of %d batches anchored: %+v", g.Metrics().Anchored, n, g.Metrics())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func TestGatewayAcceptsSealsAnchors(t *testing.T) {
	r := newRig(t, t.TempDir())
	cfg := r.config()
	cfg.MaxBatch = 10
	g := r.open(t, cfg)
	devs := []*device{newDevice(t, did.Ed25519, 1), newDevice(t, did.P256, 2), newDevice(t, did.MLDSA44, 3)}
	var ss []reading.Signed
	for i := range 8 {
		for _, d := range devs {
			ss = append(ss, d.reading(t, t0.Add(time.Duration(i)*time.Second), int64(400+i)))
		}
	}
	for i, err := range g.SubmitBatch(context.Background(), ss) {
		if err != nil {
			t.Fatalf("reading %d: %v", i, err)
		}
	}
	if err := g.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	// 24 readings at 10 per batch: two full batches, one flushed of 4.
	waitAnchored(t, g, 3)
	waitFor(t, func() bool { return g.Metrics().Final == 3 })
	m := g.Metrics()
	if m.Accepted != 24 || m.Sealed != 3 || m.SealedReadings != 24 || m.Open != 0 {
		t.Fatalf("metrics %+v", m)
	}
	bs, err := g.Batches(context.Background(), 10)
	if err != nil || len(bs) != 3 {
		t.Fatalf("Batches: %v, %d", err, len(bs))
	}
	for _, b := range bs {
		if !b.Anchored || !b.Final || len(b.Receipts) != 1 {
			t.Fatalf("batch %d: %+v", b.Number, b)
		}
		if err := r.ver.VerifyReceipt(context.Background(), b.Receipts[0]); err != nil {
			t.Fatalf("batch %d receipt: %v", b.Number, err)
		}
		if !b.Receipts[0].Commitment.Equal(b.Commitment) || b.Commitment.Topic != "test/batch" {
			t.Fatalf("batch %d: receipt for another commitment", b.Number)
		}
		got, err := g.Batch(context.Background(), b.Commitment.Root)
		if err != nil || got.Number != b.Number {
			t.Fatalf("Batch by root: %v %d", err, got.Number)
		}
	}
	if bs[0].Commitment.Count != 4 || bs[1].Commitment.Count != 10 {
		t.Fatalf("counts %d, %d", bs[0].Commitment.Count, bs[1].Commitment.Count)
	}
	// Every acknowledged reading has a bundle that verifies offline from
	// the log's key alone, through its file form.
	trust := evidence.Trust{Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: r.log.Origin(), Verifier: r.ver}}}
	for i, s := range ss {
		id, _ := s.ID()
		b, err := g.Evidence(context.Background(), id)
		if err != nil {
			t.Fatalf("evidence of reading %d: %v", i, err)
		}
		raw, err := b.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := evidence.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if rep := evidence.Verify(context.Background(), back, trust); !rep.OK() {
			t.Fatalf("bundle of reading %d: %v", i, rep)
		}
	}
	unknown := devs[0].reading(t, t0, 1)
	id, _ := unknown.ID()
	if _, err := g.Evidence(context.Background(), id); !errors.Is(err, batch.ErrNotFound) {
		t.Fatalf("evidence of a reading never submitted: %v", err)
	}
	if err := g.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Once closed: another Close returns the first one's result, a
	// reading is refused.
	if err := g.Close(context.Background()); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := g.Submit(context.Background(), unknown); !errors.Is(err, batch.ErrClosed) {
		t.Fatalf("Submit after Close: %v, want ErrClosed", err)
	}
}

// Flush covers every acknowledged reading, also when the open batch is
// empty because the last call filled a batch exactly: that batch was cut
// by count and may still be sealing when Flush is called.
func TestFlushWaitsForBatchesCutBefore(t *testing.T) {
	r := newRig(t, t.TempDir())
	cfg := r.config()
	cfg.MaxBatch = 8
	g := r.open(t, cfg)
	defer g.Close(context.Background())
	d := newDevice(t, did.Ed25519, 1)
	for round := range 10 {
		var ss []reading.Signed
		for i := range 8 {
			ss = append(ss, d.reading(t, t0.Add(time.Duration(round*8+i)*time.Second), int64(400+i)))
		}
		for i, err := range g.SubmitBatch(context.Background(), ss) {
			if err != nil {
				t.Fatalf("round %d, reading %d: %v", round, i, err)
			}
		}
		if err := g.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if m := g.Metrics(); m.SealedReadings != m.Accepted || m.Open != 0 {
			t.Fatalf("round %d: after Flush %d of %d readings sealed, %d open", round, m.SealedReadings, m.Accepted, m.Open)
		}
		for i, s := range ss {
			id, _ := s.ID()
			if _, err := g.Evidence(context.Background(), id); err != nil {
				t.Fatalf("round %d, reading %d after Flush: %v", round, i, err)
			}
		}
	}
	if err := g.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := g.Flush(context.Background()); err != nil {
		t.Fatalf("Flush after Close: %v", err)
	}
}

// TestGatewayRejects is the catalogue of readings a gateway refuses, each
// with the error and the metric reason it must produce; none of them
// disturbs the readings accepted around it.
func TestGatewayRejects(t *testing.T) {
	r := newRig(t, t.TempDir())
	cfg := r.config()
	cfg.ReorderWindow = 4
	cfg.MaxClockDrift = time.Minute
	cfg.Authorizer = topicRule{"test/batch/temp"}
	g := r.open(t, cfg)
	ctx := context.Background()
	d := newDevice(t, did.Ed25519, 1)
	other := newDevice(t, did.Ed25519, 2)
	for seq := uint64(1); seq <= 10; seq++ {
		if seq == 7 {
			continue // arrives late, below
		}
		if err := g.Submit(ctx, d.sign(t, seq, t0, 1)); err != nil {
			t.Fatal(err)
		}
	}
	forged := d.sign(t, 11, t0, 1)
	forged.Value = 2
	wrongKey := other.sign(t, 11, t0, 1)
	wrongKey.Device = d.did
	otherTopic := d.sign(t, 13, t0, 1)
	otherTopic.Topic = "test/batch/humidity"
	otherTopic, _ = reading.Sign(d.key, otherTopic.Reading)

	cases := []struct {
		name   string
		s      reading.Signed
		want   error
		reason batch.Reason
	}{
		{"forged value", forged, reading.ErrBadSignature, batch.ReasonSignature},
		{"signed by another device's key", wrongKey, reading.ErrBadSignature, batch.ReasonSignature},
		{"replayed", d.sign(t, 10, t0, 1), batch.ErrReplay, batch.ReasonReplay},
		{"replayed within the window", d.sign(t, 8, t0, 1), batch.ErrReplay, batch.ReasonReplay},
		{"behind the reorder window", d.sign(t, 5, t0, 1), batch.ErrStale, batch.ReasonStale},
		{"from the future", d.sign(t, 12, t0.Add(2*time.Minute), 1), batch.ErrClockDrift, batch.ReasonClock},
		{"too old", d.sign(t, 12, t0.Add(-8*24*time.Hour), 1), batch.ErrClockDrift, batch.ReasonClock},
		{"topic without publish right", otherTopic, batch.ErrUnauthorized, batch.ReasonUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := g.Submit(ctx, c.s)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if got := batch.ReasonOf(err); got != c.reason {
				t.Fatalf("reason %q, want %q", got, c.reason)
			}
		})
	}
	// Acknowledged, not sealed yet: no evidence for now, and it says so.
	first, _ := d.sign(t, 1, t0, 1).ID()
	if _, err := g.Evidence(ctx, first); !errors.Is(err, batch.ErrNotSealed) {
		t.Fatalf("evidence before sealing: %v", err)
	}
	// The late reading within the window is still welcome, once.
	if err := g.Submit(ctx, d.sign(t, 7, t0, 1)); err != nil {
		t.Fatalf("late reading within the window: %v", err)
	}
	if err := g.Submit(ctx, d.sign(t, 7, t0, 1)); !errors.Is(err, batch.ErrReplay) {
		t.Fatalf("late reading twice: %v", err)
	}
	m := g.Metrics()
	if m.Accepted != 10 {
		t.Fatalf("accepted %d, want 10", m.Accepted)
	}
	want := map[batch.Reason]uint64{batch.ReasonSignature: 2, batch.ReasonReplay: 3, batch.ReasonStale: 1, batch.ReasonClock: 2, batch.ReasonUnauthorized: 1}
	for k, v := range want {
		if m.Rejected[k] != v {
			t.Errorf("rejected[%s] = %d, want %d", k, m.Rejected[k], v)
		}
	}
	if err := g.Close(ctx); err != nil {
		t.Fatal(err)
	}
	waitLogSize(t, r, 1)
}

// waitLogSize waits for the log's checkpoint to hold n anchors (it is
// published at the checkpoint interval) and checks it holds no more.
func waitLogSize(t *testing.T, r *rig, n uint64) {
	t.Helper()
	waitFor(t, func() bool { return r.log.Checkpoint().Size >= n })
	time.Sleep(3 * tlog.MinCheckpointInterval)
	if got := r.log.Checkpoint().Size; got != n {
		t.Fatalf("log holds %d anchors, want %d", got, n)
	}
}

// topicRule admits every device on one topic only.
type topicRule struct{ topic string }

func (a topicRule) Authorize(_ context.Context, _ string, _ vcAction, topic string) error {
	if topic != a.topic {
		return fmt.Errorf("%w: %s", errDenied, topic)
	}
	return nil
}

var errDenied = errors.New("denied")

// TestGatewayRevokedKey: a device whose key is revoked in the registry is
// refused from then on; readings it signed before stay accepted.
func TestGatewayRevokedKey(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx := context.Background()
	org := newDevice(t, did.Ed25519, 100)
	reg, err := did.OpenRegistry(ctx, filepath.Join(r.dir, "registry"), did.RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	d := newDevice(t, did.Ed25519, 1)
	// A did:key is registered only by itself; the device then hands
	// control to the organisation.
	if _, err := reg.Register(ctx, d.key, d.did, d.did, d.key.Public(), t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Transfer(ctx, d.key, d.did, org.did, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	cfg := r.config()
	cfg.Keys = reg
	g := r.open(t, cfg)
	if err := g.Submit(ctx, d.reading(t, t0, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Revoke(ctx, org.key, d.did, d.key.Public(), t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	err = g.Submit(ctx, d.reading(t, t0.Add(2*time.Minute), 2))
	if !errors.Is(err, did.ErrKeyRevoked) || batch.ReasonOf(err) != batch.ReasonUnknownKey {
		t.Fatalf("reading after revocation: %v", err)
	}
	unknown := newDevice(t, did.Ed25519, 2)
	cfg2 := cfg
	_ = cfg2
	if err := g.Submit(ctx, unknown.reading(t, t0, 1)); !errors.Is(err, did.ErrNotRegistered) {
		t.Fatalf("unregistered device: %v", err)
	}
	if err := g.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// failingLedger is a ledger that cannot be reached until released: it
// stands for a network partition in front of the real log.
type failingLedger struct {
	mu   sync.Mutex
	down bool
	l    anchor.Anchorer
}

func (f *failingLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		return anchor.Receipt{}, errors.New("ledger unreachable")
	}
	return f.l.Anchor(ctx, c)
}

func (f *failingLedger) set(down bool) { f.mu.Lock(); f.down = down; f.mu.Unlock() }

// TestGatewayOverloaded: with the ledger unreachable, Submit keeps
// acknowledging until the backlog is full, then fails fast with
// ErrOverloaded; once the ledger is back, the backlog drains and Submit
// accepts again. Nothing acknowledged is lost.
func TestGatewayOverloaded(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx := context.Background()
	fl := &failingLedger{down: true, l: r.log}
	cfg := r.config()
	cfg.Ledgers = []anchor.Anchorer{fl}
	cfg.MaxBatch = 2
	cfg.MaxBacklog = 2
	g := r.open(t, cfg)
	d := newDevice(t, did.Ed25519, 1)
	for range 4 { // two batches: the backlog is full
		if err := g.Submit(ctx, d.reading(t, t0, 1)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { return g.Metrics().AnchorErrors > 0 })
	// Sealed, not anchored: the bundle carries no receipt yet, says so when
	// verified, and survives its file form.
	first, _ := d.sign(t, 1, t0, 1).ID()
	b, err := g.Evidence(ctx, first)
	if err != nil {
		t.Fatalf("evidence of a sealed, unanchored reading: %v", err)
	}
	raw, err := b.Marshal()
	if err != nil {
		t.Fatalf("marshal a bundle without receipts: %v", err)
	}
	if _, err := evidence.Parse(raw); err != nil {
		t.Fatalf("parse a bundle without receipts: %v", err)
	}
	if c, _ := evidence.Verify(ctx, b, evidence.Trust{}).Check("anchored"); c.Outcome != evidence.Fail {
		t.Fatalf("anchored check of a bundle without receipts: %+v", c)
	}
	err = g.Submit(ctx, d.reading(t, t0, 1))
	if !errors.Is(err, batch.ErrOverloaded) || batch.ReasonOf(err) != batch.ReasonOverloaded {
		t.Fatalf("submit with a full backlog: %v", err)
	}
	d.seq-- // that reading was refused: its sequence number is free
	fl.set(false)
	waitAnchored(t, g, 2)
	if err := g.Submit(ctx, d.reading(t, t0, 1)); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	if err := g.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if m := g.Metrics(); m.Accepted != 5 || m.Anchored != 3 {
		t.Fatalf("metrics %+v", m)
	}
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestGatewayRestart: readings acknowledged but not sealed when the gateway
// stops without Close are sealed at the next Open, and the device's
// sequence numbers stay spent.
func TestGatewayRestart(t *testing.T) {
	dir := t.TempDir()
	r := newRig(t, dir)
	ctx := context.Background()
	cfg := r.config()
	cfg.MaxBatch = 3
	g := r.open(t, cfg)
	d := newDevice(t, did.Ed25519, 1)
	for range 5 { // one batch of 3 sealed, 2 acknowledged in the open segment
		if err := g.Submit(ctx, d.reading(t, t0, 1)); err != nil {
			t.Fatal(err)
		}
	}
	waitAnchored(t, g, 1)
	abandon(g) // as if the process died: nothing flushed
	g2 := r.open(t, cfg)
	waitAnchored(t, g2, 1) // the 2 left in the write-ahead log
	if err := g2.Submit(ctx, d.sign(t, 5, t0, 1)); !errors.Is(err, batch.ErrReplay) {
		t.Fatalf("sequence number acknowledged before the restart: %v", err)
	}
	if err := g2.Submit(ctx, d.reading(t, t0, 1)); err != nil {
		t.Fatal(err)
	}
	if err := g2.Close(ctx); err != nil {
		t.Fatal(err)
	}
	waitLogSize(t, r, 3)
}

// The write-ahead segments opened after a batch is cut are preallocated
// for readings of that batch's size, not for the generous guess the first
// ones get.
func TestSegmentSizedByLastBatch(t *testing.T) {
	dir := t.TempDir()
	r := newRig(t, dir)
	cfg := r.config()
	cfg.MaxBatch = 64
	g := r.open(t, cfg)
	defer g.Close(context.Background())
	d := newDevice(t, did.Ed25519, 1)
	var records int64 // the first batch's bytes in its segment
	var sizes []int64 // of the segment opened ahead, after each batch
	for b := range 2 {
		ss := make([]reading.Signed, cfg.MaxBatch)
		for i := range ss {
			ss[i] = d.reading(t, t0, int64(i))
			l, err := ss[i].LeafBytes()
			if err != nil {
				t.Fatal(err)
			}
			if b == 0 {
				records += int64(len(l)) + 12 // and a record's framing
			}
		}
		for i, err := range g.SubmitBatch(context.Background(), ss) {
			if err != nil {
				t.Fatalf("reading %d: %v", i, err)
			}
		}
		n, size, err := batch.SpareSegmentSize(g)
		if err != nil {
			t.Fatal(err)
		}
		if n != uint64(b+3) {
			t.Fatalf("after batch %d the segment opened ahead is %d", b+1, n)
		}
		sizes = append(sizes, size)
	}
	// Each full batch was cut: segment 3 was opened ahead at the first
	// cut, with the guess, and 4 at the second, sized by the first batch.
	guess, sized := sizes[0], sizes[1]
	if sized >= guess || sized < records || sized > records*5/4+64 {
		t.Fatalf("segment sizes: %d opened with the guess, %d after a batch of %d bytes of records", guess, sized, records)
	}
}
