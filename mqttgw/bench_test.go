package mqttgw_test

// Benchmarks of the gateway through MQTT: signed readings published at QoS 1
// by paho devices over loopback into the embedded broker, acknowledged after
// the write-ahead log, sealed and anchored on the Tessera log.
//
//	go test -run '^$' -bench MQTT -benchtime 40000x ./mqttgw
//
// Sub-benchmarks:
//
//	sustained   as fast as 64 devices with 32 publishes in flight each go;
//	            readings/s to anchored batches (the clock stops when the last
//	            batch is anchored), and x-mqtt/ceiling against reading.VerifyBatch
//	            of the same readings on all cores measured in the same run
//	latency     16 devices at a fixed total rate of half the sustained one for
//	            5 s: publish-to-PUBACK p50 and p99
//	overload    twice the sustained rate offered by 128 devices (64 in flight each,
//	            the Receive Maximum; 8192 in all) for 5 s, Config.MaxPending 1024: the share
//	            refused with 0x97, the rates sent (the load generator shares the
//	            two cores) and acknowledged, the process's peak RSS (devices and
//	            pre-signed readings included), and the time a publish right after
//	            the burst takes to be acknowledged

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

func BenchmarkMQTT(b *testing.B) {
	var sustained float64
	b.Run("sustained", func(b *testing.B) {
		s := newStack(b, stackOpts{})
		const devices, inflight = 64, 32 // 2048 in flight: below Config.MaxPending, so nothing is refused
		n := max(b.N, devices)
		type dev struct {
			d  *mqttgw.Device
			rs []reading.Signed
		}
		devs := make([]dev, devices)
		var all []reading.Signed
		for i := range devs {
			d, k, _ := s.newDevice(b, "bench/#")
			_ = k
			devs[i].d = d
			base := time.Now().Truncate(time.Millisecond)
			for j := range n / devices {
				r, err := d.Sign(reading.Reading{Topic: "bench/temp", Time: base.Add(time.Duration(j) * time.Millisecond),
					Sensor: "temperature", Value: int64(400 + j%100), Scale: 2, Unit: "Cel"})
				if err != nil {
					b.Fatal(err)
				}
				devs[i].rs = append(devs[i].rs, r)
			}
			all = append(all, devs[i].rs...)
		}
		// The in-process ceiling in the same run: batch verification of
		// the same readings on all cores, nothing else, with keys resolved
		// through a cache as the gateway resolves them (as the ceiling of
		// BenchmarkGatewayIngest).
		ceilingKeys := did.NewKeyCache(4096, nil, 0)
		t0 := time.Now()
		var wg sync.WaitGroup
		per := (len(all) + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)
		for lo := 0; lo < len(all); lo += per {
			wg.Add(1)
			go func(c []reading.Signed) {
				defer wg.Done()
				for i := 0; i < len(c); i += 256 {
					reading.VerifyBatch(context.Background(), ceilingKeys, c[i:min(i+256, len(c))])
				}
			}(all[lo:min(lo+per, len(all))])
		}
		wg.Wait()
		ceiling := float64(len(all)) / time.Since(t0).Seconds()

		b.ResetTimer()
		var failed sync.Mutex
		bad := map[mqttgw.Code]int{}
		for i := range devs {
			wg.Add(1)
			go func() { // one device: in sequence order, at most inflight unacknowledged
				defer wg.Done()
				sem := make(chan struct{}, inflight)
				var pubs sync.WaitGroup
				for _, r := range devs[i].rs {
					sem <- struct{}{}
					pubs.Add(1)
					go func() {
						defer pubs.Done()
						defer func() { <-sem }()
						code, err := devs[i].d.PublishSigned(context.Background(), r)
						if err != nil {
							code = 0xff
						}
						if code != mqttgw.CodeSuccess {
							failed.Lock()
							bad[code]++
							failed.Unlock()
						}
					}()
				}
				pubs.Wait()
			}()
		}
		wg.Wait()
		if err := s.gw.Flush(context.Background()); err != nil {
			b.Fatal(err)
		}
		for m := s.gw.Metrics(); m.Anchored < m.Sealed || m.Open > 0; m = s.gw.Metrics() {
			time.Sleep(2 * time.Millisecond)
		}
		b.StopTimer()
		if len(bad) > 0 {
			b.Fatalf("publishes not acknowledged: %v", bad)
		}
		rate := float64(len(all)) / b.Elapsed().Seconds()
		if b.N >= 1000 { // not the framework's first run of one
			sustained = rate
		}
		b.ReportMetric(rate, "readings/s")
		b.ReportMetric(ceiling, "ceiling-readings/s")
		b.ReportMetric(rate/ceiling, "x-mqtt/ceiling")
		b.ReportMetric(0, "ns/op")
	})
	if sustained == 0 {
		sustained = 5000
	}
	b.Run("latency", func(b *testing.B) {
		s := newStack(b, stackOpts{})
		b.ResetTimer()
		res := runLoad(b, s, load{devices: 16, rate: sustained / 2, duration: 5 * time.Second, inflight: 64, topic: "lat"})
		b.StopTimer()
		b.ReportMetric(sustained/2, "offered-readings/s")
		b.ReportMetric(float64(len(res.acked))/res.elapsed.Seconds(), "acked-readings/s")
		b.ReportMetric(float64(res.quantile(0.5).Microseconds()), "p50-µs")
		b.ReportMetric(float64(res.quantile(0.99).Microseconds()), "p99-µs")
		b.ReportMetric(float64(res.late), "late-ticks")
		b.ReportMetric(0, "ns/op")
	})
	b.Run("overload", func(b *testing.B) {
		s := newStack(b, stackOpts{maxPending: 1024})
		b.ResetTimer()
		res := runLoad(b, s, load{devices: 128, rate: 2 * sustained, duration: 5 * time.Second, inflight: 64, topic: "over"})
		b.StopTimer()
		refused := res.codes[mqttgw.CodeQuotaExceeded]
		other := res.offered - refused - res.codes[mqttgw.CodeSuccess]
		d, _, _ := s.newDevice(b, "after/#")
		t0 := time.Now()
		_, code, err := d.Publish(context.Background(), temp("after/x/temp", 500))
		if err != nil || code != mqttgw.CodeSuccess || other != 0 {
			b.Fatalf("after the burst: %v %v; codes %v", code, err, res.codes)
		}
		b.ReportMetric(2*sustained, "offered-readings/s")
		b.ReportMetric(float64(res.offered)/res.elapsed.Seconds(), "sent-readings/s")
		b.ReportMetric(float64(len(res.acked))/res.elapsed.Seconds(), "acked-readings/s")
		b.ReportMetric(float64(refused)/float64(max(res.offered, 1)), "refused-0x97-share")
		b.ReportMetric(float64(res.late), "late-ticks")
		b.ReportMetric(float64(time.Since(t0).Microseconds()), "next-publish-µs")
		b.ReportMetric(float64(peakRSSKiB())/1024, "peak-RSS-MiB")
		b.ReportMetric(0, "ns/op")
	})
}
