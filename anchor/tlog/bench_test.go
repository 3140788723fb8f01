package tlog_test

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// BenchmarkAnchor measures durable anchoring: each op is one Anchor that
// returned, i.e. one commitment sequenced, integrated and fsynced, with
// the given number of concurrent callers. It reports commitments/s.
func BenchmarkAnchor(b *testing.B) {
	for _, callers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) {
			cfg := testConfig(b, b.TempDir())
			cfg.CheckpointInterval = time.Second
			l := openTestLog(b, cfg)
			cs := make([]anchor.Commitment, b.N)
			for i := range cs {
				cs[i] = anchortest.Commitment(fmt.Sprintf("bench-%d", i))
			}
			var next atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(max(1, callers/ncpu()))
			start := time.Now()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1) - 1
					if _, err := l.Anchor(b.Context(), cs[i]); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commitments/s")
		})
	}
}

func ncpu() int { return runtime.GOMAXPROCS(0) }
