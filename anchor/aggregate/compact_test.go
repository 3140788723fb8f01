package aggregate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// answers is everything a tells about cs, for comparing an aggregator
// before and after compaction: per commitment its Final receipt (Lookup,
// then WaitFinal: path and inner receipt, in JSON), checked with
// VerifyReceipt, and the receipt a repeated Anchor returns (no new
// aggregate); then the receipts Follow yields up to the last of cs.
func answers(t *testing.T, a *aggregate.Aggregator, cs []anchor.Commitment) []string {
	t.Helper()
	var out []string
	for i, c := range cs {
		r, err := a.Lookup(t.Context(), c.Root)
		if err != nil {
			t.Fatalf("Lookup %d: %v", i, err)
		}
		if r, err = a.WaitFinal(t.Context(), r); err != nil {
			t.Fatalf("WaitFinal %d: %v", i, err)
		}
		if err := a.VerifyReceipt(t.Context(), r); err != nil {
			t.Fatalf("receipt %d: %v", i, err)
		}
		again, err := a.Anchor(t.Context(), c)
		if err != nil {
			t.Fatalf("Anchor %d again: %v", i, err)
		}
		p, err := aggregate.OpenReceipt(again)
		if err != nil {
			t.Fatal(err)
		}
		// The inner receipt's own proof is against the inner log's latest
		// checkpoint, which moves: the rest of the receipt must not.
		fp, err := aggregate.OpenReceipt(r)
		if err != nil {
			t.Fatal(err)
		}
		path, _ := fp.Path.MarshalBinary()
		r.Proof, fp.Inner.Proof = nil, nil
		j, _ := json.Marshal(r)
		ij, _ := json.Marshal(fp.Inner)
		out = append(out, fmt.Sprintf("%s path %x inner %s", j, path, ij),
			fmt.Sprintf("again %s %d %d/%d", again.TxID, again.Position, p.Path.Index, p.Path.Size))
	}
	last := cs[len(cs)-1]
	for r, err := range a.Follow(t.Context(), 0) {
		if err != nil {
			t.Fatal(err)
		}
		p, err := aggregate.OpenReceipt(r)
		if err != nil {
			t.Fatal(err)
		}
		pj, _ := p.Path.MarshalBinary()
		out = append(out, fmt.Sprintf("follow %s %s %x", r.Commitment.Root, r.TxID, pj))
		if r.Commitment.Equal(last) {
			break
		}
	}
	return out
}

func sameAnswers(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d answers, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: answer %d differs:\n%s\nwant\n%s", what, i, got[i], want[i])
		}
	}
}

func readRecordLog(t *testing.T, dir string) ([][]byte, int64) {
	t.Helper()
	recs, size, err := aggregate.ReadRecordLog(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return recs, size
}

// anchorSeeds anchors the commitments of prefix-0 to prefix-(n-1) one
// after the other: each is an aggregate of its own.
func anchorSeeds(t *testing.T, a *aggregate.Aggregator, prefix string, n int) []anchor.Commitment {
	t.Helper()
	cs := make([]anchor.Commitment, n)
	for i := range cs {
		cs[i] = anchortest.Commitment(fmt.Sprintf("%s-%d", prefix, i))
		if _, err := a.Anchor(t.Context(), cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return cs
}

// TestCompactAtOpen: a record log whose records are mostly of archived
// aggregates is compacted by Open to the records of the aggregates in
// memory (and one archived record); every commitment is answered as
// before, after this restart and the next; compacting again changes
// nothing; aggregates anchored after it continue the sequence; and the
// compacted log needs its archive.
func TestCompactAtOpen(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(openLog(t, t.TempDir()), dir)
	cfg.MemoryCommitments = 4
	cfg.CompactBytes = 1 << 40 // not while it runs
	a := openAggregator(t, cfg)
	const n = 40
	cs := anchorSeeds(t, a, "compact", n)
	before := answers(t, a, cs)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	recs, size := readRecordLog(t, dir)
	if len(recs) != 3*n || aggregate.Compactions(a) != 0 {
		t.Fatalf("%d records, %d compactions before compaction is due; want %d (add, seal, anchored each), none", len(recs), aggregate.Compactions(a), 3*n)
	}

	cfg.CompactBytes = 1
	a = openAggregator(t, cfg)
	if got := aggregate.Compactions(a); got != 1 {
		t.Fatalf("Open compacted %d times, want once", got)
	}
	compacted, csize := readRecordLog(t, dir)
	// The add, seal and anchored record of each aggregate in memory, and
	// the archived record before them.
	if want := 3*cfg.MemoryCommitments + 1; len(compacted) != want || csize >= size {
		t.Fatalf("compacted to %d records, %d bytes; want %d records, fewer than %d bytes", len(compacted), csize, want, size)
	}
	sameAnswers(t, "after compaction", answers(t, a, cs), before)
	if err := aggregate.Compact(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	if again, _ := readRecordLog(t, dir); !slices.EqualFunc(again, compacted, bytes.Equal) {
		t.Fatal("compacting the compacted log changed it")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(filepath.Join(dir, aggregate.RecordLogFile))
	if err != nil {
		t.Fatal(err)
	}

	a = openAggregator(t, cfg)
	if got := aggregate.Compactions(a); got != 0 {
		t.Fatalf("nothing dead, yet Open compacted %d times", got)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, aggregate.RecordLogFile)); !bytes.Equal(now, file) {
		t.Fatal("reopening the compacted log changed it")
	}
	sameAnswers(t, "after a restart", answers(t, a, cs), before)
	more := anchorSeeds(t, a, "after", 12)
	all := append(slices.Clone(cs), more...)
	before = answers(t, a, all)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = openAggregator(t, cfg)
	sameAnswers(t, "after more aggregates and a restart", answers(t, a, all), before)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	if err := os.Remove(filepath.Join(dir, "archive.db")); err != nil {
		t.Fatal(err)
	}
	if _, err := aggregate.Open(t.Context(), cfg); !errors.Is(err, aggregate.ErrCorrupt) {
		t.Fatalf("compacted log without its archive: %v, want ErrCorrupt", err)
	}

	bad := cfg
	bad.Dir, bad.CompactBytes = t.TempDir(), -1
	if _, err := aggregate.Open(t.Context(), bad); err == nil {
		t.Fatal("negative CompactBytes accepted")
	}
}

// TestCompactWhileRunning: with commitments arriving from several
// goroutines, the aggregator compacts its record log as it archives, loses
// no commitment doing so, and every commitment keeps its receipt across a
// restart.
func TestCompactWhileRunning(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(openLog(t, t.TempDir()), dir)
	cfg.MaxLeaves, cfg.MemoryCommitments, cfg.CompactBytes = 4, 8, 1
	a := openAggregator(t, cfg)
	const workers, each = 8, 30
	cs := make([]anchor.Commitment, workers*each)
	rs := make([]anchor.Receipt, len(cs))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * each; i < (w+1)*each; i++ {
				cs[i] = anchortest.Commitment(fmt.Sprintf("running-%d", i))
				r, err := a.Anchor(t.Context(), cs[i])
				if err != nil {
					t.Error(err)
					return
				}
				rs[i] = r
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if aggregate.Compactions(a) == 0 {
		t.Fatal("never compacted while running")
	}
	// Uncompacted, the log would hold an add per commitment and more.
	if recs, _ := readRecordLog(t, dir); len(recs) >= len(cs) {
		t.Fatalf("%d records for %d commitments", len(recs), len(cs))
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = openAggregator(t, cfg)
	for i, c := range cs {
		r, err := a.Lookup(t.Context(), c.Root)
		if err != nil {
			t.Fatalf("Lookup %d: %v", i, err)
		}
		p, err := aggregate.OpenReceipt(r)
		if err != nil {
			t.Fatal(err)
		}
		p0, err := aggregate.OpenReceipt(rs[i])
		if err != nil {
			t.Fatal(err)
		}
		if r, err = a.WaitFinal(t.Context(), r); err != nil {
			t.Fatal(err)
		}
		if r.TxID != rs[i].TxID || p.Path.Index != p0.Path.Index || p.Path.Size != p0.Path.Size || !p.Inner.Commitment.Equal(p0.Inner.Commitment) {
			t.Fatalf("commitment %d: another receipt after the restart", i)
		}
		if err := a.VerifyReceipt(t.Context(), r); err != nil {
			t.Fatalf("receipt %d: %v", i, err)
		}
	}
	followed := map[string]int{}
	for r, err := range a.Follow(t.Context(), 0) {
		if err != nil {
			t.Fatal(err)
		}
		followed[r.Commitment.Topic]++
		if len(followed) == len(cs) {
			break
		}
	}
	for i, c := range cs {
		if followed[c.Topic] != 1 {
			t.Fatalf("commitment %d followed %d times", i, followed[c.Topic])
		}
	}
}

// TestCompactLeftovers: a compaction that fails before its rename (here:
// a directory where Rewrite builds the new file) leaves the log as it
// was and the aggregator working; the file a compaction interrupted by a
// crash leaves beside the log is removed by the next Open, which
// compacts.
func TestCompactLeftovers(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(openLog(t, t.TempDir()), dir)
	cfg.MemoryCommitments = 2
	cfg.CompactBytes = 1 << 40
	a := openAggregator(t, cfg)
	cs := anchorSeeds(t, a, "leftover", 20)
	before := answers(t, a, cs)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(dir, aggregate.RecordLogFile)
	file, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	leftover := logFile + ".rewrite"
	// Not empty, so that Open, which removes what a crash left there,
	// leaves it.
	if err := os.MkdirAll(filepath.Join(leftover, "in the way"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg.CompactBytes = 1
	a = openAggregator(t, cfg)
	if got := aggregate.Compactions(a); got != 0 {
		t.Fatalf("%d compactions through a directory", got)
	}
	if now, _ := os.ReadFile(logFile); !bytes.Equal(now, file) {
		t.Fatal("the failed compaction changed the log")
	}
	sameAnswers(t, "after a failed compaction", answers(t, a, cs), before)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	// What a crash while writing the new file leaves: a prefix of it.
	if err := os.RemoveAll(leftover); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(leftover, file[:len(file)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	a = openAggregator(t, cfg)
	if got := aggregate.Compactions(a); got != 1 {
		t.Fatalf("Open compacted %d times beside a leftover, want once", got)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the leftover is still there: %v", err)
	}
	sameAnswers(t, "after compacting over a leftover", answers(t, a, cs), before)
}

// TestCompactKeepsConcurrentAdds: a commitment accepted while a
// compaction reads the record log, or while it rewrites it, is not lost
// by the rewrite: the restarted aggregator, which reads it from the
// record log (it is not archived), answers it.
func TestCompactKeepsConcurrentAdds(t *testing.T) {
	for _, stage := range []string{"read", "rewrite"} {
		t.Run(stage, func(t *testing.T) {
			dir := t.TempDir()
			cfg := testConfig(openLog(t, t.TempDir()), dir)
			cfg.MemoryCommitments, cfg.CompactBytes = 4, 1
			late := anchortest.Commitment("accepted during a compaction")
			var agg atomic.Pointer[aggregate.Aggregator]
			var once sync.Once
			var fired atomic.Bool
			lateDone := make(chan error, 1)
			aggregate.SetCompactHook(func(at string) {
				if at != stage {
					return
				}
				once.Do(func() {
					fired.Store(true)
					go func() {
						_, err := agg.Load().Anchor(t.Context(), late)
						lateDone <- err
					}()
					// Long enough for its add to reach the file, were it let.
					time.Sleep(100 * time.Millisecond)
				})
			})
			defer aggregate.SetCompactHook(nil)
			a := openAggregator(t, cfg)
			agg.Store(a)
			// Until the first compaction, which happens with 9 aggregates
			// of one commitment: 15 of 27 records dead. Then the newest 4
			// commitments, the late one among them, are not archived.
			for i := 0; !fired.Load(); i++ {
				if i == 50 {
					t.Fatal("no compaction")
				}
				if _, err := a.Anchor(t.Context(), anchortest.Commitment(fmt.Sprintf("before-late-%d", i))); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case err := <-lateDone:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the commitment accepted during the compaction never anchored")
			}
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
			aggregate.SetCompactHook(nil)
			a = openAggregator(t, cfg)
			r, err := a.Lookup(t.Context(), late.Root)
			if err != nil {
				t.Fatal(err)
			}
			if r, err = a.WaitFinal(t.Context(), r); err != nil {
				t.Fatal(err)
			}
			if err := a.VerifyReceipt(t.Context(), r); err != nil {
				t.Fatal(err)
			}
		})
	}
}
