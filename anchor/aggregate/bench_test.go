package aggregate_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/merkle"
)

// BenchmarkAnchor anchors b.N commitments from 64 goroutines through an
// aggregator over a transparency log on disk (Interval 20ms), and reports
// commitments per second and how many inner anchors 1,000 of them took.
func BenchmarkAnchor(b *testing.B) {
	for _, via := range []string{"direct", "http"} {
		b.Run(via, func(b *testing.B) {
			log := openLog(b, b.TempDir())
			cfg := testConfig(log, b.TempDir())
			cfg.Interval, cfg.MaxLeaves = 20*time.Millisecond, aggregate.DefaultMaxLeaves
			a := openAggregator(b, cfg)
			var l anchor.Anchorer = a
			if via == "http" {
				l = serve(b, a)
			}
			var next atomic.Int64
			var mu sync.Mutex
			inner := map[string]bool{}
			ctx := context.Background()
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range 64 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						r, err := l.Anchor(ctx, anchortest.Commitment(fmt.Sprintf("bench-%s-%d", via, i)))
						if err != nil {
							b.Error(err)
							return
						}
						mu.Lock()
						inner[r.TxID] = true
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commitments/s")
			b.ReportMetric(1000*float64(len(inner))/float64(b.N), "inner-anchors/1k")
		})
	}
}

// BenchmarkVerifyPath measures OpenReceipt, the offline check of a
// member's receipt short of the inner receipt, in an aggregate of 4096.
func BenchmarkVerifyPath(b *testing.B) {
	for _, h := range []merkle.Hasher{merkle.BLAKE3, merkle.SHA256} {
		b.Run(h.String(), func(b *testing.B) {
			r := offlineReceipts(b, h, 4096)[1234]
			b.ReportAllocs()
			for b.Loop() {
				if _, err := aggregate.OpenReceipt(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
