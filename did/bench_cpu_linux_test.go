//go:build linux

package did

import (
	"runtime"
	"syscall"
	"testing"
)

// threadCPU measures the CPU time of the benchmark's own thread, so the
// figures mean something on a machine shared with other work (wall-clock
// ns/op there counts time spent waiting for a core).
type threadCPU struct{ start int64 }

func startThreadCPU(b *testing.B) *threadCPU {
	runtime.LockOSThread()
	b.Cleanup(runtime.UnlockOSThread)
	return &threadCPU{start: threadCPUNanos()}
}

// report adds the "cpu-ns/op" and "cpu-ops/s" metrics for n operations.
func (c *threadCPU) report(b *testing.B, n int) {
	d := threadCPUNanos() - c.start
	if n > 0 && d > 0 {
		b.ReportMetric(float64(d)/float64(n), "cpu-ns/op")
		b.ReportMetric(1e9*float64(n)/float64(d), "cpu-ops/s")
	}
}

func threadCPUNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
