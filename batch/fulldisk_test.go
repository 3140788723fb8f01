//go:build linux

package batch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/reading"
)

// TestFullDiskChild runs a gateway whose write-ahead log cannot grow past a
// small size (RLIMIT_FSIZE: writes beyond it fail with EFBIG, as on a full
// disk). It does nothing in a normal run.
func TestFullDiskChild(t *testing.T) {
	dir := os.Getenv("IOTRUST_BATCH_FULLDISK_DIR")
	if dir == "" {
		t.Skip("child process of TestFullDisk")
	}
	base, _ := strconv.ParseInt(os.Getenv("IOTRUST_BATCH_FULLDISK_BASE"), 10, 64)
	p := openCrashParts(t, dir)
	cfg := p.config(dir)
	cfg.MaxBatch, cfg.Window = 100000, time.Hour
	g, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	signal.Ignore(syscall.SIGXFSZ)
	lim := syscall.Rlimit{Cur: 64 << 10, Max: 64 << 10}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	for seq := uint64(1); ; seq += 8 {
		ss := make([]reading.Signed, 8)
		for i := range ss {
			ss[i] = p.reading(t, time.UnixMilli(base), seq+uint64(i))
		}
		errs := g.SubmitBatch(context.Background(), ss)
		if errs[0] != nil {
			if !errors.Is(errs[0], ErrWAL) || ReasonOf(errs[0]) != ReasonUnavailable {
				fmt.Printf("wrong-error %v\n", errs[0])
				os.Exit(5)
			}
			// The gateway stays refusing, with the same typed error.
			again := g.Submit(context.Background(), p.reading(t, time.UnixMilli(base), seq+100))
			m := g.Metrics()
			// Flush reports what stopped the gateway.
			ferr := g.Flush(context.Background())
			fmt.Printf("full %v %d %d %v\n", errors.Is(again, ErrWAL), m.Rejected[ReasonUnavailable], seq-1, errors.Is(ferr, ErrWAL))
			os.Exit(0)
		}
		fmt.Printf("ack %d\n", seq+7)
	}
}

// TestFullDisk: when the disk is full, Submit fails with ErrWAL (counted
// as ReasonUnavailable) and keeps failing; every reading acknowledged
// before is sealed, anchored and has verifying evidence after a restart
// with space again.
func TestFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("child process test")
	}
	dir := t.TempDir()
	base := time.Now().Add(-time.Hour).UnixMilli()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFullDiskChild$")
	cmd.Env = append(os.Environ(), "IOTRUST_BATCH_FULLDISK_DIR="+dir, "IOTRUST_BATCH_FULLDISK_BASE="+strconv.FormatInt(base, 10))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var acked uint64
	var full string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "ack":
			acked, _ = strconv.ParseUint(f[1], 10, 64)
		case len(f) == 5 && f[0] == "full":
			full = sc.Text()
			// The 8 of the failed call and the one after; Flush's error.
			if f[1] != "true" || f[2] != "9" || f[4] != "true" {
				t.Fatalf("after the disk filled: %s", full)
			}
		}
	}
	if full == "" || acked == 0 {
		t.Fatalf("the child did not fill its disk: %s", out)
	}
	p := openCrashParts(t, dir)
	defer p.log.Close()
	defer p.st.Close()
	g, err := Open(context.Background(), p.config(dir))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := g.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor := func() {
		for g.Metrics().Final < g.Metrics().Sealed && ctx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor()
	trust := evidence.Trust{Ledgers: []evidence.Ledger{{Name: "tlog", Chain: p.log.Origin(), Verifier: p.log.Verifier()}}}
	for seq := uint64(1); seq <= acked; seq++ {
		id, _ := p.reading(t, time.UnixMilli(base), seq).ID()
		b, err := g.Evidence(ctx, id)
		if err != nil {
			t.Fatalf("reading %d acknowledged before the disk filled: %v", seq, err)
		}
		if rep := evidence.Verify(ctx, b, trust); !rep.OK() {
			t.Fatalf("reading %d: %v", seq, rep)
		}
	}
	t.Logf("%d readings acknowledged before the disk filled; all sealed and verifiable after restart", acked)
	if err := g.Close(ctx); err != nil {
		t.Fatal(err)
	}
}
