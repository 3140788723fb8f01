package ceiling

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
)

// Run is one measurement of the ceiling.
type Run struct {
	Rate float64 // readings verified per second of wall-clock time
	CPU  float64 // the process's CPU time (user and system) per reading, in µs
}

// Measure verifies ss in calls of call readings on 2 × GOMAXPROCS
// goroutines and returns the rate. It fails if a reading does not verify:
// a ceiling of refused readings would measure something else.
func Measure(keys did.KeyResolver, ss []reading.Signed, call int) (Run, error) {
	if len(ss) == 0 || call <= 0 {
		return Run{}, fmt.Errorf("ceiling: %d readings in calls of %d", len(ss), call)
	}
	runtime.GC()
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("phase", "ceiling")))
	defer pprof.SetGoroutineLabels(context.Background())
	var mu sync.Mutex
	var first error
	t0, cpu0 := time.Now(), ProcessCPU()
	RunCalls(Calls(ss, call), func(c []reading.Signed) {
		for i, err := range reading.VerifyBatch(context.Background(), keys, c) {
			if err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("ceiling: reading %s/%d: %w", c[i].Device, c[i].Seq, err)
				}
				mu.Unlock()
			}
		}
	})
	if first != nil {
		return Run{}, first
	}
	return Run{
		Rate: float64(len(ss)) / time.Since(t0).Seconds(),
		CPU:  (ProcessCPU() - cpu0).Seconds() * 1e6 / float64(len(ss)),
	}, nil
}

// Calls cuts ss into calls of n readings (the last one shorter), in order.
func Calls(ss []reading.Signed, n int) [][]reading.Signed {
	var out [][]reading.Signed
	for len(ss) > 0 {
		k := min(n, len(ss))
		out = append(out, ss[:k])
		ss = ss[k:]
	}
	return out
}

// RunCalls runs f on each call, on 2 × GOMAXPROCS goroutines that take
// the calls in order, so that verification on one overlaps what another
// waits for (a gateway's write-ahead log fsync), and returns when all are
// done.
func RunCalls(calls [][]reading.Signed, f func([]reading.Signed)) {
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				next.Lock()
				if i >= len(calls) {
					next.Unlock()
					return
				}
				c := calls[i]
				i++
				next.Unlock()
				f(c)
			}
		})
	}
	wg.Wait()
}

// ProcessCPU returns the CPU time (user and system) the process has used
// so far, or 0 where the system does not say.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
