package recordlog

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/internal/crashtest"
)

const crashChildEnv = "IOTRUST_RECORDLOG_CRASH_CHILD" // "path round preallocate"

const crashWriters = 8

// crashRecord is record seq of writer g in round r: its identity, then a
// body whose length (0 to maxBody bytes: 60,000 so that records span pages
// and writes take a while) and bytes follow from the identity.
func crashRecord(r, g, seq uint32, maxBody int) []byte {
	rng := rand.New(rand.NewPCG(uint64(r)<<32|uint64(g), uint64(seq)))
	p := binary.BigEndian.AppendUint32(nil, r)
	p = binary.BigEndian.AppendUint32(p, g)
	p = binary.BigEndian.AppendUint32(p, seq)
	n := rng.IntN(maxBody)
	x := rng.Uint64()
	for range n / 8 {
		x = x*6364136223846793005 + 1442695040888963407
		p = binary.LittleEndian.AppendUint64(p, x)
	}
	return p
}

// crashChild appends from crashWriters goroutines until it is killed. Each
// Append carries one to three consecutive records of its writer, and
// "ack r g seq" is printed once the Append that ends with seq returned.
func crashChild(path string, round uint32, prealloc int64) {
	opts := testOptions()
	opts.Preallocate = prealloc
	l, err := Open(path, opts)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	var out sync.Mutex
	for g := range uint32(crashWriters) {
		go func() {
			for seq := uint32(0); ; {
				k := 1 + seq%3
				recs := make([][]byte, k)
				for i := range recs {
					recs[i] = crashRecord(round, g, seq+uint32(i), crashBody(prealloc))
				}
				if err := l.Append(context.Background(), recs...); err != nil {
					fmt.Println("append:", err)
					os.Exit(3)
				}
				seq += k
				out.Lock()
				fmt.Printf("ack %d %d %d\n", round, g, seq-1)
				out.Unlock()
			}
		}()
	}
	select {}
}

// TestSurvivesSIGKILL re-runs this test binary as a child that appends
// from several goroutines as fast as it can, kills it with SIGKILL at a
// random moment, and reopens the log: every acknowledged record is there,
// every record is one the child wrote (no garbage), each writer's records
// are in order and without gaps, and what earlier rounds found is intact.
// 20 kills (40 without -short) on one file.
func TestSurvivesSIGKILL(t *testing.T) { survivesSIGKILL(t, "TestSurvivesSIGKILL", 0, 40) }

// TestSurvivesSIGKILLPreallocated is TestSurvivesSIGKILL on a file
// preallocated with 64 MiB of zeros (Options.Preallocate), with smaller
// records, so that most kills hit appends into the preallocation. 20 kills
// (10 with -short).
func TestSurvivesSIGKILLPreallocated(t *testing.T) {
	survivesSIGKILL(t, "TestSurvivesSIGKILLPreallocated", 64<<20, 20)
}

// crashBody is the records' largest body: smaller on a preallocated file.
func crashBody(prealloc int64) int {
	if prealloc > 0 {
		return 4_000
	}
	return 60_000
}

func survivesSIGKILL(t *testing.T, name string, prealloc int64, kills int) {
	if v := os.Getenv(crashChildEnv); v != "" {
		f := strings.Fields(v)
		round, _ := strconv.ParseUint(f[1], 10, 32)
		pre, _ := strconv.ParseInt(f[2], 10, 64)
		crashChild(f[0], uint32(round), pre)
		return
	}
	rounds := crashtest.Kills(t, "", kills, kills/2)
	path := filepath.Join(t.TempDir(), "crash.log")
	var logs bytes.Buffer
	opts := testOptions()
	opts.Preallocate = prealloc
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	// found[r][g]: how many records of writer g of round r the log holds.
	var found [][crashWriters]uint32
	total := 0
	for round := range uint32(rounds) {
		var acked [crashWriters]int64
		for i := range acked {
			acked[i] = -1
		}
		started := false
		crashtest.Run(t, crashtest.Round{
			Test:  name,
			Env:   []string{fmt.Sprintf("%s=%s %d %d", crashChildEnv, path, round, prealloc)},
			Delay: time.Duration(rand.IntN(60)) * time.Millisecond,
			Line: func(l string) {
				var r, g, seq uint32
				if _, err := fmt.Sscanf(l, "ack %d %d %d", &r, &g, &seq); err != nil || r != round || g >= crashWriters {
					t.Fatalf("round %d: child says %q", round, l)
				}
				if int64(seq) <= acked[g] {
					t.Fatalf("round %d: writer %d acknowledged %d after %d", round, g, seq, acked[g])
				}
				acked[g] = int64(seq)
				if !started {
					started = true
					// While the child holds the log, nobody else opens it.
					if _, err := Open(path, opts); !errors.Is(err, ErrLocked) {
						t.Fatalf("round %d: open beside the child: %v, want ErrLocked", round, err)
					}
				}
			},
		})

		l, err := Open(path, opts)
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		var now [][crashWriters]uint32
		for p, err := range l.Records(context.Background()) {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if len(p) < 12 {
				t.Fatalf("round %d: garbage record of %d bytes", round, len(p))
			}
			r, g, seq := binary.BigEndian.Uint32(p), binary.BigEndian.Uint32(p[4:]), binary.BigEndian.Uint32(p[8:])
			if r > round || g >= crashWriters || !bytes.Equal(p, crashRecord(r, g, seq, crashBody(prealloc))) {
				t.Fatalf("round %d: garbage record (%d, %d, %d, %d bytes)", round, r, g, seq, len(p))
			}
			if int(r) < len(now)-1 {
				t.Fatalf("round %d: record of round %d after one of round %d", round, r, len(now)-1)
			}
			for len(now) <= int(r) {
				now = append(now, [crashWriters]uint32{})
			}
			if seq != now[r][g] {
				t.Fatalf("round %d: writer %d of round %d: record %d after %d records", round, g, r, seq, now[r][g])
			}
			now[r][g]++
		}
		l.Close()
		for r := range found {
			if r >= len(now) || now[r] != found[r] {
				t.Fatalf("round %d: records of round %d changed, were %v", round, r, found[r])
			}
		}
		if len(now) != int(round)+1 {
			t.Fatalf("round %d: the log holds nothing of this round", round)
		}
		for g, a := range acked {
			if int64(now[round][g]) < a+1 {
				t.Fatalf("round %d: writer %d: %d records survive, %d were acknowledged", round, g, now[round][g], a+1)
			}
		}
		found = now
		for _, n := range now[round] {
			total += int(n)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() < prealloc {
		t.Errorf("file of %d bytes after the rounds, preallocated %d", fi.Size(), prealloc)
	}
	t.Logf("%d kills, %d records, %d torn tails cut off, file of %d bytes", rounds, total, strings.Count(logs.String(), "torn"), fi.Size())
}
