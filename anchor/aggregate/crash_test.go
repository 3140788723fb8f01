package aggregate_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/internal/crashtest"
)

// Environment of the crash test: AGGREGATE_CRASH_KILLS sets the number of
// kills; the parent sets the others for its child.
const (
	envKills = "AGGREGATE_CRASH_KILLS"
	envDir   = "AGGREGATE_CRASH_DIR"
	envRun   = "AGGREGATE_CRASH_RUN"
)

// TestCrash kills a child process that anchors through an aggregator with
// SIGKILL at random moments. After every kill it reopens the inner log
// and the aggregator and checks that every commitment the child
// acknowledged has a receipt that verifies, that what the child started
// but never acknowledged is anchored once when anchored again, and that
// no commitment appears twice in the aggregator's Follow. The child
// compacts its record log after nearly every archived aggregate
// (crashConfig), so kills also land in compactions.
func TestCrash(t *testing.T) {
	kills := crashtest.Kills(t, envKills, 6, 2)
	dir := t.TempDir()
	acked := map[string]bool{}
	started := map[string]bool{}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	recovered, compactions := 0, 0
	for run := range kills {
		delay := time.Duration(50+rng.IntN(300)) * time.Millisecond
		n := 0
		startedNow := map[string]bool{}
		crashtest.Run(t, crashtest.Round{
			Test:  "TestCrashChild",
			Env:   []string{envDir + "=" + dir, envRun + "=" + strconv.Itoa(run)},
			Ready: "READY",
			Delay: delay,
			Line: func(line string) {
				f := strings.Fields(line)
				if len(f) != 2 {
					return
				}
				switch f[0] {
				case "START":
					started[f[1]] = true
					startedNow[f[1]] = true
				case "ACK":
					acked[f[1]] = true
					n++
				case "COMPACTED":
					compactions++
				}
			},
		})
		r, c := checkAfterCrash(t, dir, run, acked, started, startedNow)
		recovered += r
		compactions += c
		t.Logf("run %d: killed after %v, %d new acknowledgements, %d in total; %d accepted but unacknowledged commitments anchored by recovery; %d compactions in total",
			run, delay, n, len(acked), r, compactions)
	}
	if len(acked) == 0 {
		t.Fatal("no commitment was ever acknowledged: the test exercised nothing")
	}
	if recovered == 0 && kills >= 4 {
		t.Error("no kill left an accepted commitment for recovery to anchor: the test did not exercise recovery")
	}
	if compactions == 0 {
		t.Error("the record log was never compacted: the test did not exercise compaction")
	}
}

// checkAfterCrash checks the reopened aggregator and returns how many
// commitments the child started but never acknowledged were anchored by
// the aggregator's recovery, before anything anchored them again, and how
// many times the reopened aggregator compacted its record log.
func checkAfterCrash(t *testing.T, dir string, run int, acked, started, startedNow map[string]bool) (int, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cfg := tlogConfig(t, filepath.Join(dir, "log"))
	l, err := tlog.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	a, err := aggregate.Open(ctx, crashConfig(l, filepath.Join(dir, "agg")))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	v, err := aggregate.NewVerifier(l.Verifier())
	if err != nil {
		t.Fatal(err)
	}
	for seed := range acked {
		c := anchortest.Commitment(seed)
		r, err := a.Lookup(ctx, c.Root)
		if err != nil {
			t.Fatalf("acknowledged %s: %v", seed, err)
		}
		if r, err = a.WaitFinal(ctx, r); err != nil {
			t.Fatalf("acknowledged %s: %v", seed, err)
		}
		if err := v.VerifyReceipt(ctx, r); err != nil {
			t.Fatalf("acknowledged %s: %v", seed, err)
		}
	}
	recovered := 0
	deadline := time.Now().Add(time.Second)
	for seed := range startedNow {
		if acked[seed] {
			continue
		}
		root := anchortest.Commitment(seed).Root
		for {
			_, err := a.Lookup(ctx, root)
			if err == nil {
				recovered++
			}
			if err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// Whatever was started is anchored once when anchored again.
	for seed := range started {
		if _, err := a.Anchor(ctx, anchortest.Commitment(seed)); err != nil {
			t.Fatalf("re-anchoring %s: %v", seed, err)
		}
	}
	last := anchortest.Commitment(fmt.Sprintf("check-%d", run))
	if _, err := a.Anchor(ctx, last); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for r, err := range a.Follow(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		seen[r.Commitment.Topic]++
		if r.Commitment.Equal(last) {
			break
		}
	}
	for topic, n := range seen {
		if n != 1 {
			t.Errorf("%s followed %d times", topic, n)
		}
	}
	for seed := range started {
		if seen[anchortest.Commitment(seed).Topic] != 1 {
			t.Errorf("started %s is not followed once", seed)
		}
	}
	return recovered, int(aggregate.Compactions(a))
}

// TestCrashChild anchors commitments from four goroutines until killed,
// printing START before and ACK after each Anchor, and COMPACTED after
// each compaction of the record log.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(envDir)
	if dir == "" {
		t.Skip("run by TestCrash")
	}
	run := os.Getenv(envRun)
	ctx := context.Background()
	l, err := tlog.Open(ctx, tlogConfig(t, filepath.Join(dir, "log")))
	if err != nil {
		t.Fatal(err)
	}
	a, err := aggregate.Open(ctx, crashConfig(l, filepath.Join(dir, "agg")))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	say := func(s string) {
		mu.Lock()
		fmt.Println(s)
		mu.Unlock()
	}
	say("READY")
	go func() {
		for said := int64(0); ; time.Sleep(time.Millisecond) {
			for ; said < aggregate.Compactions(a); said++ {
				say("COMPACTED " + strconv.FormatInt(said+1, 10))
			}
		}
	}()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				seed := fmt.Sprintf("crash-%s-%d-%d", run, w, i)
				say("START " + seed)
				r, err := a.Anchor(ctx, anchortest.Commitment(seed))
				if err != nil {
					say(fmt.Sprintf("FAIL %s: %v", seed, err))
					return
				}
				if r.State < anchor.Included {
					say(fmt.Sprintf("FAIL %s: state %v", seed, r.State))
					return
				}
				say("ACK " + seed)
			}
		}()
	}
	wg.Wait()
}

// crashConfig is the aggregator's configuration in the crash test: few
// commitments in memory, so that kills also land while aggregates move to
// the archive and reopening reads archived ones back, and compaction
// whenever half of the record log is dead, so that they land in
// compactions too.
func crashConfig(inner anchor.Ledger, dir string) aggregate.Config {
	cfg := testConfig(inner, dir)
	cfg.MemoryCommitments = 8
	cfg.CompactBytes = 1
	return cfg
}
