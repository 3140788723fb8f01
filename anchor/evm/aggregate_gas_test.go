package evm

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
)

// BenchmarkAggregatedAnchorGas anchors commitments of 10,000 events each
// through an aggregate.Aggregator on the anchor contract, roots
// commitments per aggregate (sealed by count), and reports the gas of the
// one EVM anchor per aggregate and what it means per 1,000 events, with
// the latency of one Anchor call (gathering, sealing, inclusion on the
// simulated chain). In production an aggregate waits up to
// aggregate.Config.Interval for its commitments; that is the latency
// aggregation adds.
func BenchmarkAggregatedAnchorGas(b *testing.B) {
	const events = 10_000
	for _, roots := range []int{1, 16, 64, 256} {
		b.Run(fmt.Sprintf("roots=%d", roots), func(b *testing.B) {
			c := newTestChain(b)
			l := c.ledger(b, c.config(1))
			a, err := aggregate.Open(context.Background(), aggregate.Config{
				Inner: l, Dir: b.TempDir(), Interval: time.Minute, MaxLeaves: roots,
			})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { a.Close() })
			ctx := context.Background()
			var gas uint64
			var latencies []time.Duration
			b.ResetTimer()
			for n := range b.N {
				rs := make([]anchor.Receipt, roots)
				errs := make([]error, roots)
				lat := make([]time.Duration, roots)
				var wg sync.WaitGroup
				for i := range roots {
					wg.Add(1)
					go func() {
						defer wg.Done()
						start := time.Now()
						rs[i], errs[i] = a.Anchor(ctx, batchCommitment(uint64(n*roots+i), events))
						lat[i] = time.Since(start)
					}()
				}
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						b.Fatal(err)
					}
					if rs[i].TxID != rs[0].TxID {
						b.Fatalf("%d commitments in more than one aggregate", roots)
					}
				}
				gas += gasUsed(b, c, rs[0])
				latencies = append(latencies, lat...)
			}
			b.StopTimer()
			per := float64(gas) / float64(b.N)
			slices.Sort(latencies)
			b.ReportMetric(per, "gas/anchor")
			b.ReportMetric(per/(float64(roots)*events/1000), "gas/1k-events")
			b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "ms-latency-p50")
		})
	}
}
