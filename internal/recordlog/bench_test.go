package recordlog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkAppend: durable appends of 256-byte records from 1 and from 64
// concurrent appenders, one record per Append. With group commit the 64
// appenders share fsyncs: the fsyncs/record metric shows how many.
func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1, 64} {
		b.Run(fmt.Sprintf("appenders=%d", n), func(b *testing.B) {
			l := openT(b, filepath.Join(b.TempDir(), "bench.log"))
			defer l.Close()
			rec := payload(0, 256)
			b.SetBytes(int64(len(rec)))
			b.ReportAllocs()
			syncs := l.syncs.Load()
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						if err := l.Append(ctx, rec); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
			b.ReportMetric(float64(l.syncs.Load()-syncs)/float64(b.N), "fsyncs/record")
		})
	}
}

// BenchmarkReplay: Open (which checks every record) and one pass of
// Records over a log of 100,000 records of 256 bytes.
func BenchmarkReplay(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.log")
	const n = 100_000
	rec := payload(0, 256)
	data := encodeHeader(testKind)
	for range n {
		data = appendRecord(data, rec)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		l := openT(b, path)
		got := 0
		for _, err := range l.Records(ctx) {
			if err != nil {
				b.Fatal(err)
			}
			got++
		}
		l.Close()
		if got != n {
			b.Fatalf("%d records", got)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
