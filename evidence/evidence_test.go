package evidence

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/reading"
)

var t0 = time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)

type device struct {
	key did.PrivateKey
	did string
}

func newDevice(t testing.TB, s did.Scheme, seed byte) device {
	t.Helper()
	k, err := s.DeriveKey(bytes.Repeat([]byte{seed}, s.SeedSize()))
	if err != nil {
		t.Fatal(err)
	}
	d, err := did.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return device{k, d}
}

// batch is what a gateway holds after sealing and anchoring: the signed
// readings, their tree, the commitment and the receipts.
type batch struct {
	readings []reading.Signed
	tree     *merkle.Tree
	c        anchor.Commitment
	receipts []anchor.Receipt
	logs     []*tlog.Log
}

// openLog opens a real Tessera log in a temporary directory.
func openLog(t testing.TB, origin string, seed byte) *tlog.Log {
	t.Helper()
	s, v, err := tlog.NewEd25519Signer(origin, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	l, err := tlog.Open(context.Background(), tlog.Config{Dir: t.TempDir(), Signer: s, Verifier: v,
		CheckpointInterval: tlog.MinCheckpointInterval, BatchMaxAge: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

// newBatch signs n readings from a few devices (scheme of the first one as
// given), builds the BLAKE3 tree over their leaf bytes, anchors the
// commitment on every log and waits until each receipt is final.
func newBatch(t testing.TB, n int, logs ...*tlog.Log) *batch {
	t.Helper()
	return newBatchWith(t, n, nil, logs...)
}

// newBatchWith is newBatch with mod applied to each reading before it is
// signed.
func newBatchWith(t testing.TB, n int, mod func(i int, r *reading.Reading), logs ...*tlog.Log) *batch {
	t.Helper()
	ctx := context.Background()
	devs := []device{newDevice(t, did.Ed25519, 1), newDevice(t, did.P256, 2), newDevice(t, did.Ed25519, 3)}
	b := &batch{logs: logs}
	leaves := make([][]byte, n)
	for i := range n {
		d := devs[i%len(devs)]
		r := reading.Reading{
			Device: d.did, Topic: "coldchain/truck-7/temp", Seq: uint64(i),
			Time: t0.Add(time.Duration(i) * time.Second), Sensor: "temperature",
			Value: 400 + int64(i%50), Scale: 2, Unit: "Cel",
		}
		if mod != nil {
			mod(i, &r)
		}
		s, err := reading.Sign(d.key, r)
		if err != nil {
			t.Fatal(err)
		}
		b.readings = append(b.readings, s)
		if leaves[i], err = s.LeafBytes(); err != nil {
			t.Fatal(err)
		}
	}
	b.tree = merkle.NewTree(merkle.BLAKE3, leaves)
	id, err := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: 0x1e, MhLength: -1}.Sum(bytes.Join(leaves, nil))
	if err != nil {
		t.Fatal(err)
	}
	b.c = anchor.Commitment{
		Root: b.tree.Digest(), CID: id,
		WindowStart: b.readings[0].Time, WindowEnd: b.readings[n-1].Time,
		Count: uint64(n), Topic: "coldchain/truck-7",
	}
	for _, l := range logs {
		r, err := l.Anchor(ctx, b.c)
		if err != nil {
			t.Fatal(err)
		}
		if r, err = l.WaitFinal(ctx, r); err != nil {
			t.Fatal(err)
		}
		b.receipts = append(b.receipts, r)
	}
	return b
}

func (b *batch) bundle(t testing.TB, i int) *Bundle {
	t.Helper()
	p, err := b.tree.InclusionProof(uint64(i))
	if err != nil {
		t.Fatal(err)
	}
	bd, err := New(b.readings[i], p, b.c, b.receipts)
	if err != nil {
		t.Fatal(err)
	}
	return bd
}

func (b *batch) trust() Trust {
	var tr Trust
	for _, l := range b.logs {
		tr.Ledgers = append(tr.Ledgers, Ledger{Name: tlog.LedgerName, Chain: l.Origin(), Verifier: l.Verifier()})
	}
	return tr
}

// outcomes returns the report as "name=outcome" words, for messages.
func outcomes(r *Report) string {
	var w []string
	for _, c := range r.Checks {
		w = append(w, c.Name+"="+c.Outcome.String())
	}
	return strings.Join(w, " ")
}

func wantOutcome(t *testing.T, r *Report, name string, want Outcome) {
	t.Helper()
	c, ok := r.Check(name)
	if !ok {
		t.Fatalf("no check %q in %s", name, outcomes(r))
	}
	if c.Outcome != want {
		t.Fatalf("check %s: %s (%s), want %s\n%s", name, c.Outcome, c.Reason, want, r)
	}
	if want == Fail && c.Err == nil {
		t.Fatalf("check %s failed without an error", name)
	}
}

// TestEndToEnd: a batch anchored on a real log; the bundle of one reading
// written to a file, read back and verified offline from the log's public
// key alone; then each part tampered with, and the named check fails.
func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	l := openLog(t, "example.com/iotrust/evidence-test", 1)
	b := newBatch(t, 100, l)
	bd := b.bundle(t, 37)

	file, err := bd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(file)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, file)
	}
	again, _ := back.Marshal()
	if !bytes.Equal(again, file) {
		t.Fatalf("file changed on a round trip:\n%s\n%s", file, again)
	}

	// The auditor's trust: the log's public key, nothing else.
	v, err := tlog.NewEd25519Verifier(l.Origin(), ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)).Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	tv, err := tlog.NewVerifier(v)
	if err != nil {
		t.Fatal(err)
	}
	trust := Trust{Ledgers: []Ledger{{Name: tlog.LedgerName, Chain: l.Origin(), Verifier: tv}}}
	rep := Verify(ctx, back, trust)
	if !rep.OK() || rep.Err() != nil {
		t.Fatalf("honest bundle:\n%s", rep)
	}
	for name, want := range map[string]Outcome{
		"bundle": Pass, "reading[0]": Pass, "credential": Skip, "inclusion": Pass,
		"window": Pass, "receipt[0]": Pass, "anchored": Pass, "zkp": Skip,
	} {
		wantOutcome(t, rep, name, want)
	}

	tamper := func(name string, f func(*Bundle)) *Report {
		t.Helper()
		c, err := Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		f(c)
		rep := Verify(ctx, c, trust)
		if rep.OK() || !errors.Is(rep.Err(), ErrNotVerified) {
			t.Fatalf("%s: tampered bundle verifies:\n%s", name, rep)
		}
		return rep
	}

	rep = tamper("value", func(c *Bundle) { c.Readings[0].Value++ })
	wantOutcome(t, rep, "reading[0]", Fail)
	wantOutcome(t, rep, "inclusion", Fail)
	wantOutcome(t, rep, "receipt[0]", Pass)
	if c, _ := rep.Check("reading[0]"); !errors.Is(c.Err, reading.ErrBadSignature) {
		t.Errorf("reading check error %v", c.Err)
	}

	rep = tamper("signature", func(c *Bundle) { c.Readings[0].Signature[3] ^= 1 })
	wantOutcome(t, rep, "reading[0]", Fail)
	wantOutcome(t, rep, "inclusion", Fail) // the leaf covers the signature

	rep = tamper("another reading of the batch", func(c *Bundle) { c.Readings[0] = b.readings[38] })
	wantOutcome(t, rep, "reading[0]", Pass)
	wantOutcome(t, rep, "inclusion", Fail)

	rep = tamper("proof path", func(c *Bundle) { c.Inclusion.Path[2][0] ^= 1 })
	wantOutcome(t, rep, "inclusion", Fail)
	wantOutcome(t, rep, "reading[0]", Pass)
	wantOutcome(t, rep, "receipt[0]", Pass)

	rep = tamper("proof index", func(c *Bundle) { c.Inclusion.Index++ })
	wantOutcome(t, rep, "inclusion", Fail)

	rep = tamper("proof path shortened", func(c *Bundle) { c.Inclusion.Path = c.Inclusion.Path[1:] })
	wantOutcome(t, rep, "inclusion", Fail)

	rep = tamper("commitment root", func(c *Bundle) {
		c.Commitment.Root.Sum[0] ^= 1
		for i := range c.Receipts {
			c.Receipts[i].Commitment = c.Commitment
		}
	})
	wantOutcome(t, rep, "inclusion", Fail)
	wantOutcome(t, rep, "receipt[0]", Fail)
	wantOutcome(t, rep, "anchored", Fail)
	if c, _ := rep.Check("receipt[0]"); !errors.Is(c.Err, anchor.ErrBadReceipt) {
		t.Errorf("receipt check error %v", c.Err)
	}

	rep = tamper("commitment count", func(c *Bundle) {
		c.Commitment.Count++
		for i := range c.Receipts {
			c.Receipts[i].Commitment = c.Commitment
		}
	})
	wantOutcome(t, rep, "inclusion", Fail)
	wantOutcome(t, rep, "receipt[0]", Fail)

	rep = tamper("commitment window", func(c *Bundle) {
		c.Commitment.WindowEnd = c.Commitment.WindowStart.Add(time.Second)
		for i := range c.Receipts {
			c.Receipts[i].Commitment = c.Commitment
		}
	})
	wantOutcome(t, rep, "window", Fail)
	wantOutcome(t, rep, "receipt[0]", Fail)

	rep = tamper("receipt position", func(c *Bundle) { c.Receipts[0].Position++ })
	wantOutcome(t, rep, "receipt[0]", Fail)
	wantOutcome(t, rep, "anchored", Fail)
	wantOutcome(t, rep, "inclusion", Pass)

	rep = tamper("receipt proof", func(c *Bundle) { c.Receipts[0].Proof[len(c.Receipts[0].Proof)/2] ^= 1 })
	wantOutcome(t, rep, "receipt[0]", Fail)

	rep = tamper("receipt chain", func(c *Bundle) { c.Receipts[0].Chain = "example.com/another-log" })
	wantOutcome(t, rep, "receipt[0]", Skip) // not a trusted ledger
	wantOutcome(t, rep, "anchored", Fail)

	rep = tamper("receipt downgraded", func(c *Bundle) { c.Receipts[0].State = anchor.Included })
	wantOutcome(t, rep, "receipt[0]", Skip)
	wantOutcome(t, rep, "anchored", Fail)

	// Tampering in the file itself: the value in the JSON.
	val := fmt.Sprintf(`"value":%d`, b.readings[37].Value)
	if !bytes.Contains(file, []byte(val)) {
		t.Fatalf("file lacks %s", val)
	}
	edited, err := Parse(bytes.Replace(file, []byte(val), []byte(`"value":9999`), 1))
	if err != nil {
		t.Fatal(err)
	}
	rep = Verify(ctx, edited, trust)
	wantOutcome(t, rep, "reading[0]", Fail)
	wantOutcome(t, rep, "inclusion", Fail)

	// No trust at all: the readings verify, nothing is anchored.
	rep = Verify(ctx, back, Trust{})
	wantOutcome(t, rep, "receipt[0]", Skip)
	wantOutcome(t, rep, "anchored", Fail)
	wantOutcome(t, rep, "reading[0]", Pass)

	// The device's key revoked at the reading's time (a registry says so).
	revoked := resolverFunc(func(context.Context, string, time.Time) (did.PublicKey, error) {
		return nil, did.ErrKeyRevoked
	})
	rep = Verify(ctx, back, Trust{Keys: revoked, Ledgers: trust.Ledgers})
	wantOutcome(t, rep, "reading[0]", Fail)
	if c, _ := rep.Check("reading[0]"); !errors.Is(c.Err, reading.ErrNoKey) || !errors.Is(c.Err, did.ErrKeyRevoked) {
		t.Errorf("revoked key: %v", c.Err)
	}

	// A bundle that does not hang together is reported as such, alone.
	broken := *back
	broken.Inclusion = nil
	rep = Verify(ctx, &broken, trust)
	wantOutcome(t, rep, "bundle", Fail)
	if len(rep.Checks) != 1 || !errors.Is(rep.Err(), ErrMalformed) {
		t.Fatalf("malformed bundle: %s", rep)
	}
}

type resolverFunc func(ctx context.Context, d string, at time.Time) (did.PublicKey, error)

func (f resolverFunc) KeyAt(ctx context.Context, d string, at time.Time) (did.PublicKey, error) {
	return f(ctx, d, at)
}

// TestSetOnTwoLedgers: the start and end readings of a session in one
// bundle with a multi-leaf proof, anchored on two logs; the auditor trusts
// one or both.
func TestSetOnTwoLedgers(t *testing.T) {
	ctx := context.Background()
	la := openLog(t, "example.com/log-a", 1)
	lb := openLog(t, "example.org/log-b", 2)
	b := newBatch(t, 50, la, lb)
	idx := []uint64{3, 41}
	p, err := b.tree.MultiInclusionProof(idx)
	if err != nil {
		t.Fatal(err)
	}
	bd, err := NewSet([]reading.Signed{b.readings[3], b.readings[41]}, p, b.c, b.receipts)
	if err != nil {
		t.Fatal(err)
	}
	file, err := bd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	bd, err = Parse(file)
	if err != nil {
		t.Fatal(err)
	}
	both := b.trust()
	both.MinReceipts = 2
	rep := Verify(ctx, bd, both)
	if !rep.OK() {
		t.Fatalf("set on two ledgers:\n%s", rep)
	}
	for _, n := range []string{"reading[0]", "reading[1]", "receipt[0]", "receipt[1]"} {
		wantOutcome(t, rep, n, Pass)
	}
	// Trusting log b only: receipt 0 is skipped, one receipt suffices.
	onlyB := Trust{Ledgers: both.Ledgers[1:]}
	rep = Verify(ctx, bd, onlyB)
	if !rep.OK() {
		t.Fatalf("trusting one log:\n%s", rep)
	}
	wantOutcome(t, rep, "receipt[0]", Skip)
	wantOutcome(t, rep, "receipt[1]", Pass)
	onlyB.MinReceipts = 2
	rep = Verify(ctx, bd, onlyB)
	wantOutcome(t, rep, "anchored", Fail)

	// Readings swapped: the proof is for leaves in index order.
	sw := bd.clone()
	sw.Readings[0], sw.Readings[1] = sw.Readings[1], sw.Readings[0]
	rep = Verify(ctx, sw, both)
	wantOutcome(t, rep, "inclusion", Fail)
	wantOutcome(t, rep, "reading[0]", Pass)
}

// TestUpgrade: a bundle made while its receipt was still Included verifies
// the readings but is not anchored; Upgrade from the real log makes it
// final, and it verifies.
func TestUpgrade(t *testing.T) {
	ctx := context.Background()
	l := openLog(t, "example.com/iotrust/upgrade-test", 3)
	other := openLog(t, "example.com/iotrust/other-log", 4)
	b := newBatch(t, 10, l)
	early := b.receipts[0]
	early.State, early.Proof = anchor.Included, nil // as Anchor answers before a checkpoint
	p, _ := b.tree.InclusionProof(4)
	bd, err := New(b.readings[4], p, b.c, []anchor.Receipt{early})
	if err != nil {
		t.Fatal(err)
	}
	rep := Verify(ctx, bd, b.trust())
	wantOutcome(t, rep, "receipt[0]", Skip)
	wantOutcome(t, rep, "anchored", Fail)

	// An upgrader of another ledger cannot help.
	same, err := Upgrade(ctx, bd, upgraderOf(other))
	if !errors.Is(err, ErrNotFinal) || same.Receipts[0].State != anchor.Included {
		t.Fatalf("upgrade from another log: %v, state %s", err, same.Receipts[0].State)
	}
	if !errors.Is(err, anchor.ErrBadReceipt) && !errors.Is(err, anchor.ErrNotAnchored) {
		t.Errorf("the other log's answer is not wrapped: %v", err)
	}
	// The right one, after a useless one.
	up, err := Upgrade(ctx, bd, upgraderOf(other), upgraderOf(l))
	if err != nil {
		t.Fatal(err)
	}
	if bd.Receipts[0].State != anchor.Included {
		t.Fatal("Upgrade changed its input")
	}
	rep = Verify(ctx, up, b.trust())
	if !rep.OK() {
		t.Fatalf("upgraded bundle:\n%s", rep)
	}
	// Final receipts are left alone: no upgrader is asked.
	again, err := Upgrade(ctx, up, upgraderFunc(func(context.Context, anchor.Receipt) (anchor.Receipt, error) {
		t.Error("upgrader asked about a final receipt")
		return anchor.Receipt{}, errors.New("unexpected")
	}))
	if err != nil || again.Receipts[0].State != anchor.Final {
		t.Fatalf("upgrade of a final bundle: %v", err)
	}
	// An upgrader that answers with another anchor is ignored.
	liar := upgraderFunc(func(_ context.Context, r anchor.Receipt) (anchor.Receipt, error) {
		r.Commitment.Count++
		r.State = anchor.Final
		return r, nil
	})
	if _, err := Upgrade(ctx, bd, liar); !errors.Is(err, ErrNotFinal) {
		t.Fatalf("lying upgrader: %v", err)
	}
	if _, err := Upgrade(ctx, &Bundle{}, upgraderOf(l)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("upgrade of an empty bundle: %v", err)
	}
}

type upgraderFunc func(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error)

func (f upgraderFunc) Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	return f(ctx, r)
}

// upgraderOf returns the log as an Upgrader: its own Upgrade method where
// it has one, else its Lookup behind the same contract (another ledger's
// receipt is refused, the anchor is answered in its current state).
func upgraderOf(l *tlog.Log) Upgrader {
	if u, ok := any(l).(Upgrader); ok {
		return u
	}
	return upgraderFunc(func(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
		if r.Ledger != tlog.LedgerName || r.Chain != l.Origin() {
			return anchor.Receipt{}, fmt.Errorf("%w: receipt of %s %s", anchor.ErrBadReceipt, r.Ledger, r.Chain)
		}
		got, err := l.Lookup(ctx, r.Root())
		if err != nil {
			return anchor.Receipt{}, err
		}
		if !got.Commitment.Equal(r.Commitment) {
			return anchor.Receipt{}, fmt.Errorf("%w: another commitment under the root", anchor.ErrBadReceipt)
		}
		return got, nil
	})
}

// TestNewRefuses: New and NewSet check that the parts fit together.
func TestNewRefuses(t *testing.T) {
	l := openLog(t, "example.com/iotrust/new-test", 5)
	b := newBatch(t, 8, l)
	p, _ := b.tree.InclusionProof(2)
	mp, _ := b.tree.MultiInclusionProof([]uint64{1, 2})
	other := b.c
	other.Count++
	otherReceipt := b.receipts[0]
	otherReceipt.Commitment = other
	for name, f := range map[string]func() (*Bundle, error){
		"receipt of another commitment": func() (*Bundle, error) {
			return New(b.readings[2], p, b.c, []anchor.Receipt{otherReceipt})
		},
		"two receipts of one ledger": func() (*Bundle, error) {
			return New(b.readings[2], p, b.c, []anchor.Receipt{b.receipts[0], b.receipts[0]})
		},
		"unsigned reading": func() (*Bundle, error) {
			r := b.readings[2]
			r.Signature = nil
			return New(r, p, b.c, b.receipts)
		},
		"invalid commitment": func() (*Bundle, error) { return New(b.readings[2], p, anchor.Commitment{}, b.receipts) },
		"proof of another hash function": func() (*Bundle, error) {
			q := p
			q.Hasher = merkle.SHA256
			return New(b.readings[2], q, b.c, b.receipts)
		},
		"set proof for fewer readings": func() (*Bundle, error) {
			return NewSet(b.readings[1:4], mp, b.c, b.receipts)
		},
		"set with no readings": func() (*Bundle, error) { return NewSet(nil, mp, b.c, b.receipts) },
	} {
		if bd, err := f(); !errors.Is(err, ErrMalformed) || bd != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A batch not anchored yet: a bundle without receipts, not anchored.
	unanchored, err := New(b.readings[2], p, b.c, nil)
	if err != nil {
		t.Fatal(err)
	}
	file, err := unanchored.Marshal()
	if err != nil || !bytes.Contains(file, []byte(`"receipts":[]`)) {
		t.Fatalf("Marshal: %v\n%s", err, file)
	}
	if unanchored, err = Parse(file); err != nil {
		t.Fatal(err)
	}
	rep := Verify(context.Background(), unanchored, b.trust())
	wantOutcome(t, rep, "inclusion", Pass)
	wantOutcome(t, rep, "anchored", Fail)
	// The one valid combination of these parts is accepted.
	if _, err := NewSet(b.readings[1:3], mp, b.c, b.receipts); err != nil {
		t.Fatal(err)
	}
}

func TestReportNames(t *testing.T) {
	r := &Report{Checks: []Check{
		{Name: "bundle", Outcome: Pass}, {Name: "reading[0]", Outcome: Fail},
		{Name: "inclusion", Outcome: Pass}, {Name: "zkp", Outcome: Skip},
	}}
	for o, want := range map[Outcome][]string{
		Pass: {"bundle", "inclusion"}, Fail: {"reading[0]"}, Skip: {"zkp"},
	} {
		if got := r.Names(o); !slices.Equal(got, want) {
			t.Errorf("%v: %v, want %v", o, got, want)
		}
	}
	if got := (&Report{}).Names(Fail); len(got) != 0 {
		t.Errorf("empty report: %v", got)
	}
}
