package tlog_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/storage/posix"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// BenchmarkAnchor measures durable anchoring: each op is one Anchor that
// returned, i.e. one commitment sequenced, integrated and fsynced, with
// the given number of concurrent callers. It reports commitments/s.
func BenchmarkAnchor(b *testing.B) {
	benchAnchor(b, func(b *testing.B) tlog.Config { return testConfig(b, b.TempDir()) })
}

// BenchmarkMySQLAnchor is BenchmarkAnchor on Tessera's MySQL driver, a
// fresh database on the server of IOTRUST_MYSQL_DSN for each run.
func BenchmarkMySQLAnchor(b *testing.B) {
	benchAnchor(b, func(b *testing.B) tlog.Config { return mysqlConfig(b, newMySQLDatabase(b), b.TempDir()) })
}

func benchAnchor(b *testing.B, newConfig func(b *testing.B) tlog.Config) {
	for _, callers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) {
			cfg := newConfig(b)
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

// BenchmarkTesseraAdd is the baseline of BenchmarkAnchor: the same
// entries appended to a bare Tessera POSIX log with the same knobs, so
// that the cost this package adds (validation, idempotence, the index) is
// the difference between the two.
func BenchmarkTesseraAdd(b *testing.B) {
	for _, callers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) {
			cfg := testConfig(b, b.TempDir())
			d, err := posix.New(b.Context(), posix.Config{Path: cfg.Dir})
			if err != nil {
				b.Fatal(err)
			}
			opts := tessera.NewAppendOptions().WithCheckpointSigner(cfg.Signer).
				WithBatching(tlog.DefaultBatchMaxSize, cfg.BatchMaxAge).WithCheckpointInterval(time.Second)
			a, shutdown, _, err := tessera.NewAppender(b.Context(), d, opts)
			if err != nil {
				b.Fatal(err)
			}
			defer shutdown(context.Background())
			es := make([][]byte, b.N)
			for i := range es {
				es[i], _ = anchortest.Commitment(fmt.Sprintf("bench-%d", i)).MarshalBinary()
			}
			var next atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(max(1, callers/ncpu()))
			start := time.Now()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1) - 1
					if _, err := a.Add(b.Context(), tessera.NewEntry(es[i]))(); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "entries/s")
		})
	}
}
