package batch

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/internal/crashtest"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
)

// The crash test runs a gateway in a child process (this test binary, with
// IOTRUST_BATCH_CRASH_DIR set), kills it with SIGKILL at random moments
// while it ingests, restarts it, and finally checks that every reading the
// child acknowledged is in exactly one anchored batch and that no batch was
// anchored twice. IOTRUST_CRASH_KILLS sets the number of kills: 12 in
// go test ./..., 50 in CI's batch step (.ci/steps/67-batch.sh), more by
// hand.

const crashTopic = "crash/test"

type crashParts struct {
	log *tlog.Log
	st  *store.Store
	id  store.Identity
	dev did.PrivateKey
	did string
}

func openCrashParts(t testing.TB, dir string) *crashParts {
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, "batch crash test log key seed...")
	s, v, err := tlog.NewEd25519Signer("test.iotrust/crash", ed25519.NewKeyFromSeed(seed))
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
	idSeed := strings.NewReader(strings.Repeat("crash test store identity seed..", 4))
	id, err := store.GenerateIdentity(idSeed)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := did.Ed25519.DeriveKey(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	d, err := did.New(dev.Public())
	if err != nil {
		t.Fatal(err)
	}
	return &crashParts{log: l, st: st, id: id, dev: dev, did: d}
}

func (p *crashParts) config(dir string) Config {
	return Config{Dir: filepath.Join(dir, "gw"), Topic: crashTopic, Store: p.st, Identity: p.id,
		Ledgers: []anchor.Anchorer{p.log}, MaxBatch: 40, Window: 30 * time.Millisecond}
}

// crashReading is reading seq of the test device: the same bytes in every
// process, so the parent can recompute what the child acknowledged.
func (p *crashParts) reading(t testing.TB, base time.Time, seq uint64) reading.Signed {
	s, err := reading.Sign(p.dev, reading.Reading{Device: p.did, Topic: crashTopic + "/temp", Seq: seq,
		Time: base.Add(time.Duration(seq) * time.Millisecond), Sensor: "temperature", Value: int64(seq % 1000), Scale: 1, Unit: "Cel"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCrashChild is the child's side; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("IOTRUST_BATCH_CRASH_DIR")
	if dir == "" {
		t.Skip("child process of TestCrash")
	}
	base, _ := strconv.ParseInt(os.Getenv("IOTRUST_BATCH_CRASH_BASE"), 10, 64)
	next, _ := strconv.ParseUint(os.Getenv("IOTRUST_BATCH_CRASH_NEXT"), 10, 64)
	p := openCrashParts(t, dir)
	g, err := Open(context.Background(), p.config(dir))
	if err != nil {
		fmt.Printf("open-error %v\n", err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	for seq := next; ; seq += 8 {
		ss := make([]reading.Signed, 8)
		for i := range ss {
			ss[i] = p.reading(t, time.UnixMilli(base), seq+uint64(i))
		}
		for len(ss) > 0 {
			var retry []reading.Signed
			for i, err := range g.SubmitBatch(context.Background(), ss) {
				switch {
				case err == nil:
				case ReasonOf(err) == ReasonReplay:
					// acknowledged before the last kill; the parent did
					// not see the acknowledgement
				case ReasonOf(err) == ReasonOverloaded:
					retry = append(retry, ss[i]) // back off, as a device would
				default:
					fmt.Fprintf(out, "error %d %v\n", ss[i].Seq, err)
					out.Flush()
					os.Exit(4)
				}
			}
			if ss = retry; len(ss) > 0 {
				time.Sleep(20 * time.Millisecond)
			}
		}
		fmt.Fprintf(out, "ack %d\n", seq+7)
		out.Flush()
	}
}

func TestCrash(t *testing.T) {
	kills := crashtest.Kills(t, "IOTRUST_CRASH_KILLS", 12, 0)
	dir := t.TempDir()
	base := time.Now().Add(-time.Hour).UnixMilli()
	rng := rand.New(rand.NewPCG(uint64(base), 7))
	acked := uint64(0) // every reading 1..acked was acknowledged
	for k := 0; k < kills; k++ {
		crashtest.Run(t, crashtest.Round{
			Test: "TestCrashChild",
			Env: []string{"IOTRUST_BATCH_CRASH_DIR=" + dir,
				"IOTRUST_BATCH_CRASH_BASE=" + strconv.FormatInt(base, 10),
				"IOTRUST_BATCH_CRASH_NEXT=" + strconv.FormatUint(acked+1, 10)},
			Delay:     time.Duration(100+rng.IntN(400)) * time.Millisecond,
			FromStart: true,
			Line: func(line string) {
				f := strings.Fields(line)
				switch {
				case len(f) == 2 && f[0] == "ack":
					n, _ := strconv.ParseUint(f[1], 10, 64)
					acked = max(acked, n)
				case len(f) > 0 && (f[0] == "error" || f[0] == "open-error"):
					t.Fatalf("child after %d kills: %s", k, line)
				}
			},
		})
	}
	t.Logf("%d kills, %d readings acknowledged", kills, acked)
	if acked == 0 {
		t.Fatal("the child acknowledged nothing")
	}

	// Recover in this process and drain.
	p := openCrashParts(t, dir)
	defer p.log.Close()
	defer p.st.Close()
	g, err := Open(context.Background(), p.config(dir))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := g.Close(ctx); err != nil {
		t.Fatal(err)
	}
	idx, err := openIndex(filepath.Join(dir, "gw", "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := idx.recent(1 << 30)
	idx.close()
	if err != nil {
		t.Fatal(err)
	}
	// Every batch is anchored once; no reading is in two batches.
	where := map[canon.Digest]uint64{}
	g2 := &Gateway{cfg: p.config(dir), trees: newTreeCache(treeCacheBytes)}
	for _, rec := range recs {
		if rec.State == stateSealed {
			t.Fatalf("batch %d not anchored after the drain", rec.Number)
		}
		if _, err := p.log.Lookup(ctx, rec.Commitment.Root); err != nil {
			t.Fatalf("batch %d: %v", rec.Number, err)
		}
		_, leaves, err := g2.treeOf(ctx, rec)
		if err != nil {
			t.Fatal(err)
		}
		for _, leaf := range leaves {
			_, id, err := parseLeaf(leaf)
			if err != nil {
				t.Fatal(err)
			}
			if b, dup := where[id]; dup {
				t.Fatalf("a reading is in batches %d and %d", b, rec.Number)
			}
			where[id] = rec.Number
		}
	}
	// Every acknowledged reading has an evidence bundle that verifies
	// offline.
	g3, err := Open(context.Background(), p.config(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer g3.Close(context.Background())
	ver := p.log.Verifier()
	trust := evidence.Trust{Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: p.log.Origin(), Verifier: ver}}}
	lost := 0
	for seq := uint64(1); seq <= acked; seq++ {
		id, _ := p.reading(t, time.UnixMilli(base), seq).ID()
		if _, ok := where[id]; !ok {
			lost++
			continue
		}
		b, err := g3.Evidence(ctx, id)
		if err != nil {
			t.Fatalf("reading %d: %v", seq, err)
		}
		if rep := evidence.Verify(ctx, b, trust); !rep.OK() {
			t.Fatalf("reading %d: %v", seq, rep)
		}
	}
	// The log holds exactly one entry per batch.
	waitForCheckpoint(t, p.log, uint64(len(recs)))
	t.Logf("batches %d, readings in batches %d, acknowledged readings lost %d, batches anchored twice %d",
		len(recs), len(where), lost, p.log.Checkpoint().Size-uint64(len(recs)))
	if lost != 0 {
		t.Fatalf("%d acknowledged readings lost", lost)
	}
}

func waitForCheckpoint(t *testing.T, l *tlog.Log, n uint64) {
	deadline := time.Now().Add(10 * time.Second)
	for l.Checkpoint().Size < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(3 * tlog.MinCheckpointInterval)
	if got := l.Checkpoint().Size; got != n {
		t.Fatalf("log holds %d entries for %d batches", got, n)
	}
}
