package fsync

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkHashWhileSyncing: how much CPU work goes on while one
// goroutine appends and syncs a file in a loop, with a plain
// fdatasync(2) and with this package:
//
//	go test -run '^$' -bench HashWhileSyncing -benchtime 2000x ./internal/fsync
//
// Each op is one append and sync; 2 × GOMAXPROCS goroutines hash 4 KiB
// blocks meanwhile and hashes/sync reports their progress per sync.
func BenchmarkHashWhileSyncing(b *testing.B) {
	for _, c := range []struct {
		name string
		sync func(*os.File) error
	}{{"plain", func(f *os.File) error { return plain(f, true) }}, {"fsync.Data", Data}} {
		b.Run(c.name, func(b *testing.B) {
			f, err := os.Create(filepath.Join(b.TempDir(), "f"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			var stop atomic.Bool
			var hashes atomic.Int64
			var wg sync.WaitGroup
			block := make([]byte, 4096)
			for range 2 * runtime.GOMAXPROCS(0) {
				wg.Go(func() {
					for !stop.Load() {
						sha256.Sum256(block)
						hashes.Add(1)
					}
				})
			}
			rec := make([]byte, 512)
			b.ResetTimer()
			h0 := hashes.Load()
			for range b.N {
				if _, err := f.Write(rec); err != nil {
					b.Fatal(err)
				}
				if err := c.sync(f); err != nil {
					b.Fatal(err)
				}
			}
			h := hashes.Load() - h0
			b.StopTimer()
			stop.Store(true)
			wg.Wait()
			b.ReportMetric(float64(h)/float64(b.N), "hashes/sync")
			b.ReportMetric(float64(h)/b.Elapsed().Seconds(), "hashes/s")
		})
	}
}
