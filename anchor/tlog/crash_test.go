package tlog_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/client"
	"github.com/transparency-dev/tessera/fsck"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/internal/crashtest"
)

// Environment of the crash test: TLOG_CRASH_KILLS sets the number of
// kills (CI runs 50); TLOG_CRASH_DIR and TLOG_CRASH_RUN are set by the
// parent for its child.
const (
	envKills = "TLOG_CRASH_KILLS"
	envDir   = "TLOG_CRASH_DIR"
	envRun   = "TLOG_CRASH_RUN"
	envDSN   = "TLOG_CRASH_DSN" // the child's MySQL database, if any
)

// TestCrash kills a child process that anchors in a loop with SIGKILL at
// random moments, and after every kill checks that every commitment the
// child acknowledged is in the reopened log at the index it was
// acknowledged with, that re-anchoring it writes nothing, and that the
// whole log verifies with Tessera's fsck against its signed checkpoint.
func TestCrash(t *testing.T) { testCrash(t, "") }

// TestMySQLCrash is TestCrash on Tessera's MySQL driver: the child
// anchors into a MariaDB/MySQL database and is killed; acknowledged
// anchors are committed transactions and must all be found.
func TestMySQLCrash(t *testing.T) { testCrash(t, newMySQLDatabase(t)) }

// testCrash runs the crash test on POSIX storage (dsn empty) or on the
// MySQL database dsn.
func testCrash(t *testing.T, dsn string) {
	kills := crashtest.Kills(t, envKills, 10, 3)
	dir := t.TempDir()
	acked := map[string]uint64{} // seed → index, over all runs
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	killedBeforeReady := 0
	for run := range kills {
		// Kills land at random moments after the log opened, or counted
		// from process start, which includes Open's recovery.
		r := crashtest.Round{
			Test:  "TestCrashChild",
			Env:   []string{envDir + "=" + dir, envRun + "=" + strconv.Itoa(run), envDSN + "=" + dsn},
			Ready: "READY",
			Delay: time.Duration(rng.IntN(300)) * time.Millisecond,
		}
		switch run % 4 {
		case 1: // likely during start-up, Open and recovery
			r.Delay, r.FromStart = time.Duration(rng.IntN(80))*time.Millisecond, true
		case 3:
			r.Delay, r.FromStart = time.Duration(rng.IntN(400))*time.Millisecond, true
		}
		n := 0
		r.Line = func(line string) {
			seed, idx, ok := parseAck(line)
			if !ok {
				return
			}
			if prev, dup := acked[seed]; dup && prev != idx {
				t.Fatalf("run %d: %s acknowledged at %d and at %d", run, seed, prev, idx)
			}
			acked[seed] = idx
			n++
		}
		if !crashtest.Run(t, r).Ready {
			killedBeforeReady++
		}
		t.Logf("run %d: killed after %v, %d new acknowledgements, %d in total", run, r.Delay, n, len(acked))
		checkAfterCrash(t, dir, dsn, acked)
	}
	if len(acked) == 0 {
		t.Fatal("no commitment was ever acknowledged: the test exercised nothing")
	}
	t.Logf("%d kills (%d before the log opened), %d acknowledged commitments survived", kills, killedBeforeReady, len(acked))
}

func parseAck(line string) (string, uint64, bool) {
	f := strings.Fields(line)
	if len(f) != 3 || f[0] != "ACK" {
		return "", 0, false
	}
	idx, err := strconv.ParseUint(f[2], 10, 64)
	return f[1], idx, err == nil
}

// checkAfterCrash reopens the log and checks every acknowledged commitment
// and the whole log.
func checkAfterCrash(t *testing.T, dir, dsn string, acked map[string]uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cfg := crashConfig(t, dir, dsn)
	l, err := tlog.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("reopening after a kill: %v", err)
	}
	defer func() {
		if err := l.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}()
	var last anchor.Receipt
	for seed, idx := range acked {
		c := anchortest.Commitment(seed)
		r, err := l.Lookup(ctx, c.Root)
		if err != nil {
			t.Fatalf("acknowledged %s (index %d) lost: %v", seed, idx, err)
		}
		if r.Position != idx || !r.Commitment.Equal(c) {
			t.Fatalf("acknowledged %s at %d, found at %d", seed, idx, r.Position)
		}
		if r.Position >= last.Position {
			last = r
		}
	}
	// A few acknowledged commitments anchored again: same index, no write.
	n := 0
	for seed, idx := range acked {
		if n++; n > 3 {
			break
		}
		r, err := l.Anchor(ctx, anchortest.Commitment(seed))
		if err != nil || r.Position != idx {
			t.Fatalf("re-anchoring %s after restart: position %d, %v; want %d", seed, r.Position, err, idx)
		}
	}
	if len(acked) > 0 {
		f, err := l.WaitFinal(ctx, last)
		if err != nil {
			t.Fatalf("WaitFinal after restart: %v", err)
		}
		if err := l.Verifier().VerifyReceipt(ctx, f); err != nil {
			t.Fatalf("receipt after restart: %v", err)
		}
	}
	// Tessera's fsck: re-derives every tile from the entry bundles and
	// checks the root against the signed checkpoint; on MySQL through
	// the log's Handler, as an outsider would.
	if dsn == "" {
		if err := tlog.Check(ctx, dir, l.Verifier()); err != nil {
			t.Fatalf("fsck after a kill: %v", err)
		}
		return
	}
	srv := httptest.NewServer(l.Handler())
	defer srv.Close()
	u, _ := url.Parse(srv.URL + "/")
	hf, err := client.NewHTTPFetcher(u, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	if err := fsck.New(testOrigin, cfg.Verifier, hf, bundleLeafHashes, fsck.Opts{N: 2}).Check(ctx); err != nil {
		t.Fatalf("fsck over HTTP after a kill: %v", err)
	}
}

// crashConfig is the configuration of the crash test's log: POSIX
// storage in dir, or MySQL database dsn with the root index in dir.
func crashConfig(t testing.TB, dir, dsn string) tlog.Config {
	if dsn == "" {
		return testConfig(t, dir)
	}
	return mysqlConfig(t, dsn, filepath.Join(dir, "node"))
}

// bundleLeafHashes returns the RFC 6962 leaf hashes of an entry bundle's
// entries, for fsck.
func bundleLeafHashes(bundle []byte) ([][]byte, error) {
	var b api.EntryBundle
	if err := b.UnmarshalText(bundle); err != nil {
		return nil, err
	}
	hs := make([][]byte, len(b.Entries))
	for i, e := range b.Entries {
		hs[i] = rfc6962.DefaultHasher.HashLeaf(e)
	}
	return hs, nil
}

// TestCrashChild is the child of TestCrash: it anchors from sixteen
// goroutines until it is killed, printing "ACK <seed> <index>" only after
// Anchor returned.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(envDir)
	if dir == "" {
		t.Skip("run by TestCrash")
	}
	run := os.Getenv(envRun)
	l, err := tlog.Open(context.Background(), crashConfig(t, dir, os.Getenv(envDSN)))
	if err != nil {
		fmt.Println("FAIL open:", err)
		t.Fatal(err)
	}
	var mu sync.Mutex
	say := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		os.Stdout.WriteString(s + "\n") // one write: a kill cannot split a line
	}
	say("READY")
	deadline := time.Now().Add(20 * time.Second) // bounded if nobody kills us
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				seed := fmt.Sprintf("crash-%s-%d-%d", run, g, i)
				r, err := l.Anchor(context.Background(), anchortest.Commitment(seed))
				if err != nil {
					say("FAIL anchor " + seed + ": " + err.Error())
					return
				}
				say(fmt.Sprintf("ACK %s %d", seed, r.Position))
			}
		}()
	}
	wg.Wait()
	l.Close()
}
