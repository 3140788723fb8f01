package iotrust_test

// BenchmarkGatewayIngest: the gateway pipeline end to end, as a ratio to
// the ceiling measured in the same run.
//
//	go test -run '^$' -bench GatewayIngest -benchtime 100000x .
//
// Sub-benchmarks:
//
//	ceiling          batch verification of the readings on all cores, nothing else
//	wal=disk         batch.Gateway: verify in batches, write-ahead log on disk with
//	                 group commit, Merkle trees, sealing, encrypted store, anchoring
//	                 on the embedded Tessera log
//	wal=disk,procs=+1  the same with GOMAXPROCS one above the cores (the
//	                 ceiling is measured with GOMAXPROCS = cores): whether a
//	                 spare P pays for the syncs that still hold one (bbolt's,
//	                 Tessera's; the write-ahead log's and the store's go
//	                 through internal/fsync and do not)
//	wal=tmpfs        the same as wal=disk with the gateway's directory on /dev/shm:
//	                 the write-ahead log without the cost of the disk's fsync
//
// Each reports readings/s and the process's CPU time per reading; the
// gateway runs also report x-ingest/ceiling against the ceiling measured
// in the same run, right before and right after the gateway run (the mean
// of the two, on 50,000 of the same readings, reported as
// ceiling-readings/s), and x-cpu/ceiling, the same ratio in CPU time,
// which a machine shared with other work does not skew.
//
// The gateway runs and the ceilings carry the profiler label phase
// (gateway, ceiling), so that a CPU profile (-cpuprofile) splits them:
// go tool pprof -tagfocus phase=gateway.

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/internal/ceiling"
	"github.com/iotrust/iotrust/quiet"
	rd "github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
)

// ingestReadings returns n readings pre-signed by 64 Ed25519 devices.
func ingestReadings(b *testing.B, n int) []rd.Signed {
	b.Helper()
	const devices = 64
	keys := make([]did.PrivateKey, devices)
	dids := make([]string, devices)
	for i := range keys {
		seed := make([]byte, 32)
		seed[0], seed[1], seed[2] = byte(i), byte(i>>8), 0x5a
		k, err := did.Ed25519.DeriveKey(seed)
		if err != nil {
			b.Fatal(err)
		}
		keys[i] = k
		if dids[i], err = did.New(k.Public()); err != nil {
			b.Fatal(err)
		}
	}
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	out := make([]rd.Signed, n)
	var wg sync.WaitGroup
	per := (n + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				d := i % devices
				s, err := rd.Sign(keys[d], rd.Reading{
					Device: dids[d], Topic: "bench/ingest/temp", Seq: uint64(i/devices + 1),
					Time: base.Add(time.Duration(i) * time.Microsecond).Truncate(time.Millisecond), Sensor: "temperature",
					Value: int64(400 + i%100), Scale: 2, Unit: "Cel",
				})
				if err != nil {
					panic(err)
				}
				out[i] = s
			}
		}(lo, min(lo+per, n))
	}
	wg.Wait()
	return out
}

const ingestCall = 256 // readings per SubmitBatch, as an MQTT gateway batches them

func BenchmarkGatewayIngest(b *testing.B) {
	quiet.Libraries() // Tessera's klog lines would break up the results
	n := max(b.N, 1)
	ss := ingestReadings(b, 100000)
	for len(ss) < n { // fresh sequence numbers are needed; cycle devices beyond
		b.Skip("use -benchtime ≤ 100000x")
	}
	var ceilingRate float64
	ceilingKeys := did.NewKeyCache(4096, nil, 0) // as the gateway resolves keys
	b.Run("ceiling", func(b *testing.B) {
		work := ss[:min(b.N, len(ss))]
		b.ResetTimer()
		c := measureCeiling(b, ceilingKeys, work)
		b.StopTimer()
		ceilingRate = c.Rate
		b.ReportMetric(c.Rate, "readings/s")
		b.ReportMetric(c.CPU, "cpu-µs/reading")
	})
	for _, run := range []struct {
		name, where string
		extraP      int
	}{{"wal=disk", "disk", 0}, {"wal=disk,procs=+1", "disk", 1}, {"wal=tmpfs", "tmpfs", 0}} {
		where := run.where
		b.Run(run.name, func(b *testing.B) {
			dir := b.TempDir()
			gwDir := filepath.Join(dir, "gw")
			if where == "tmpfs" {
				shm, err := os.MkdirTemp("/dev/shm", "iotrust-bench")
				if err != nil {
					b.Skip("no /dev/shm")
				}
				defer os.RemoveAll(shm)
				gwDir = shm
			}
			work := ss[:min(b.N, len(ss))]
			// The ceiling right before and right after this run, on the
			// same readings: a machine whose speed drifts between the
			// sub-benchmarks skews the ratio less.
			before := measureCeiling(b, ceilingKeys, work[:min(len(work), ceilingSlice)])
			procs := runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + run.extraP)
			defer runtime.GOMAXPROCS(procs)
			pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("phase", "gateway")))
			g, cleanup := benchGateway(b, dir, gwDir)
			defer cleanup()
			calls := ceiling.Calls(work, ingestCall)
			b.ResetTimer()
			cpu0 := ceiling.ProcessCPU()
			ceiling.RunCalls(calls, func(c []rd.Signed) {
				for _, err := range g.SubmitBatch(context.Background(), c) {
					if err != nil {
						panic(err)
					}
				}
			})
			// Sealed, stored and anchored (Included on the log) too; waiting
			// for Final would measure the log's checkpoint interval.
			if err := g.Flush(context.Background()); err != nil {
				b.Fatal(err)
			}
			for m := g.Metrics(); m.Anchored < m.Sealed; m = g.Metrics() {
				time.Sleep(time.Millisecond)
			}
			b.StopTimer()
			cpu := (ceiling.ProcessCPU() - cpu0).Seconds() * 1e6 / float64(len(work))
			pprof.SetGoroutineLabels(context.Background())
			if err := g.Close(context.Background()); err != nil {
				b.Fatal(err)
			}
			cleanup()
			runtime.GOMAXPROCS(procs)
			after := measureCeiling(b, ceilingKeys, work[:min(len(work), ceilingSlice)])
			rate := float64(len(work)) / b.Elapsed().Seconds()
			b.ReportMetric(rate, "readings/s")
			b.ReportMetric(cpu, "cpu-µs/reading")
			c := (before.Rate + after.Rate) / 2
			b.ReportMetric(c, "ceiling-readings/s")
			b.ReportMetric(rate/c, "x-ingest/ceiling")
			// The same ratio in CPU time: what the wall-clock ratio is on
			// an otherwise idle machine with the cores kept busy.
			b.ReportMetric((before.CPU+after.CPU)/2/cpu, "x-cpu/ceiling")
			m := g.Metrics()
			if m.Accepted != uint64(len(work)) || m.Anchored != m.Sealed {
				b.Fatalf("accepted %d of %d, anchored %d of %d batches", m.Accepted, len(work), m.Anchored, m.Sealed)
			}
		})
	}
	// Submit latency at about half the sustained rate: calls paced from one
	// goroutine per core.
	b.Run("latency", func(b *testing.B) {
		dir := b.TempDir()
		g, cleanup := benchGateway(b, dir, filepath.Join(dir, "gw"))
		defer cleanup()
		work := ss[:min(b.N, len(ss))]
		calls := ceiling.Calls(work, 64)
		rate := ceilingRate / 2
		if rate == 0 {
			rate = 20000
		}
		interval := time.Duration(float64(time.Second) * 64 / rate)
		var lat []time.Duration
		var mu sync.Mutex
		b.ResetTimer()
		tick := time.NewTicker(interval)
		var wg sync.WaitGroup
		for _, c := range calls {
			<-tick.C
			wg.Add(1)
			go func() {
				defer wg.Done()
				t := time.Now()
				for _, err := range g.SubmitBatch(context.Background(), c) {
					if err != nil {
						panic(err)
					}
				}
				d := time.Since(t)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}()
		}
		wg.Wait()
		tick.Stop()
		b.StopTimer()
		g.Close(context.Background())
		slices.Sort(lat)
		b.ReportMetric(rate, "offered-readings/s")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	})
}

func benchGateway(b *testing.B, dir, gwDir string) (*batch.Gateway, func()) {
	b.Helper()
	s, v, err := tlog.NewEd25519Signer("bench.iotrust/ingest", ed25519.NewKeyFromSeed(make([]byte, 32)))
	if err != nil {
		b.Fatal(err)
	}
	l, err := tlog.Open(context.Background(), tlog.Config{Dir: filepath.Join(dir, "log"), Signer: s, Verifier: v})
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "store"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	id, err := store.GenerateIdentity(nil)
	if err != nil {
		b.Fatal(err)
	}
	g, err := batch.Open(context.Background(), batch.Config{
		Dir: gwDir, Topic: "bench/ingest", Store: st, Identity: id, Ledgers: []anchor.Anchorer{l},
		ReorderWindow: 1024, // calls run concurrently and may overtake each other
	})
	if err != nil {
		b.Fatal(err)
	}
	var once sync.Once
	return g, func() { once.Do(func() { l.Close(); st.Close() }) }
}

// ceilingSlice is how many readings the ceiling beside a gateway run
// verifies, before and after it.
const ceilingSlice = 50000

// measureCeiling is the ceiling (package internal/ceiling) of ss in
// calls of ingestCall readings.
func measureCeiling(b *testing.B, keys did.KeyResolver, ss []rd.Signed) ceiling.Run {
	b.Helper()
	c, err := ceiling.Measure(keys, ss, ingestCall)
	if err != nil {
		b.Fatal(err)
	}
	return c
}
