package mqttgw_test

// Benchmarks of the gateway through MQTT: signed readings published at QoS 1
// by devices over loopback into the embedded broker, acknowledged after the
// write-ahead log, sealed and anchored on the Tessera log. The devices are
// wireDevices, admitted as the protocol says and then writing pre-encoded
// PUBLISH packets on their TCP connections: the two cores are charged with
// the broker's and the gateway's work, not with an MQTT client library's,
// which on a deployment runs on the devices.
//
//	go test -run '^$' -bench MQTT -benchtime 40000x ./mqttgw
//
// Sub-benchmarks:
//
//	sustained   as fast as 64 devices with 32 publishes in flight each go;
//	            readings/s to anchored batches (the clock stops when the last
//	            batch is anchored), and x-mqtt/ceiling against reading.VerifyBatch
//	            of the same readings on all cores, measured right before and
//	            right after the run (the mean of the two)
//	sustained-paho  the same with paho clients (mqttgw.Device) in the process:
//	            what the gateway sustains while sharing the cores with 64
//	            client libraries
//	latency     16 devices at a fixed total rate of half the sustained one for
//	            5 s: publish-to-PUBACK p50 and p99, and the publishes not
//	            offered because a device's window was full
//	overload    twice the sustained rate offered by 128 devices (64 in flight each,
//	            the Receive Maximum; 8192 in all) for 5 s, Config.MaxPending 1024: the share
//	            refused with 0x97, the rates sent (the load generator shares the
//	            two cores) and acknowledged, the process's peak RSS (the devices'
//	            pre-signed readings of every sub-benchmark included), and the time
//	            a publish right after the burst takes to be acknowledged

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/internal/ceiling"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

func BenchmarkMQTT(b *testing.B) {
	var sustained float64
	b.Run("sustained", func(b *testing.B) {
		if r := benchSustained(b, true); b.N >= 1000 { // not the framework's first run of one
			sustained = r
		}
	})
	b.Run("sustained-paho", func(b *testing.B) { benchSustained(b, false) })
	if sustained == 0 {
		sustained = 5000
	}
	b.Run("latency", func(b *testing.B) {
		s := newStack(b, stackOpts{})
		b.ResetTimer()
		res := runWireLoad(b, s, load{devices: 16, rate: sustained / 2, duration: 5 * time.Second, inflight: 64, topic: "lat"})
		b.StopTimer()
		b.ReportMetric(sustained/2, "offered-readings/s")
		b.ReportMetric(float64(len(res.acked))/res.elapsed.Seconds(), "acked-readings/s")
		b.ReportMetric(float64(res.quantile(0.5).Microseconds()), "p50-µs")
		b.ReportMetric(float64(res.quantile(0.99).Microseconds()), "p99-µs")
		b.ReportMetric(float64(res.late), "not-offered")
		b.ReportMetric(0, "ns/op")
	})
	b.Run("overload", func(b *testing.B) {
		s := newStack(b, stackOpts{maxPending: 1024})
		b.ResetTimer()
		res := runWireLoad(b, s, load{devices: 128, rate: 2 * sustained, duration: 5 * time.Second, inflight: 64, topic: "over"})
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
		b.ReportMetric(float64(res.late), "not-offered")
		b.ReportMetric(float64(time.Since(t0).Microseconds()), "next-publish-µs")
		b.ReportMetric(float64(peakRSSKiB())/1024, "peak-RSS-MiB")
		b.ReportMetric(0, "ns/op")
	})
}

// benchSustained publishes b.N readings from 64 devices with 32 publishes
// in flight each, as fast as they are acknowledged, and reports the rate
// to anchored batches against the in-process ceiling measured in the same
// run. The devices are wireDevices, or paho clients (mqttgw.Device) when
// wire is false. It returns the rate.
func benchSustained(b *testing.B, wire bool) float64 {
	s := newStack(b, stackOpts{})
	const devices, inflight = 64, 32 // 2048 in flight: below Config.MaxPending, so nothing is refused
	n := max(b.N, devices)
	var all []reading.Signed
	send := make([]func() (map[mqttgw.Code]int, error), devices)
	base := time.Now().Truncate(time.Millisecond)
	for i := range devices {
		var rs []reading.Signed
		sign := func(k did.PrivateKey, id string) {
			for j := range n / devices {
				r, err := reading.Sign(k, reading.Reading{Device: id, Seq: uint64(j + 1), Topic: "bench/temp",
					Time: base.Add(time.Duration(j) * time.Millisecond), Sensor: "temperature",
					Value: int64(400 + j%100), Scale: 2, Unit: "Cel"})
				if err != nil {
					b.Fatal(err)
				}
				rs = append(rs, r)
			}
		}
		if wire {
			w := s.newWireDevice(b, "bench/#")
			sign(w.key, w.did)
			pkts := w.encode(b, rs)
			send[i] = func() (map[mqttgw.Code]int, error) { return w.send(pkts, inflight) }
		} else {
			d, k, _ := s.newDevice(b, "bench/#")
			sign(k, d.DID())
			send[i] = func() (map[mqttgw.Code]int, error) { return pahoSend(d, rs, inflight), nil }
		}
		all = append(all, rs...)
	}
	// The in-process ceiling in the same run, right before and right after
	// the MQTT run (the mean of the two, as BenchmarkGatewayIngest's):
	// batch verification of the same readings on all cores, nothing else,
	// with keys resolved through a cache as the gateway resolves them.
	ceilingKeys := did.NewKeyCache(4096, nil, 0)
	before := ceilingRate(b, ceilingKeys, all)
	total := len(all)
	// The run after keeps 10,000 of the readings; the wire devices hold
	// their packets only, so the collector scans no more than a gateway's.
	again := slices.Clone(all[:min(len(all), 10000)])
	all = nil
	var wg sync.WaitGroup

	b.ResetTimer()
	var mu sync.Mutex
	bad := map[mqttgw.Code]int{}
	for _, f := range send {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes, err := f()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				bad[0xff]++
			}
			for c, k := range codes {
				if c != mqttgw.CodeSuccess {
					bad[c] += k
				}
			}
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
	if m := s.gw.Metrics(); m.Accepted != uint64(total) {
		b.Fatalf("gateway accepted %d of %d readings", m.Accepted, total)
	}
	rate := float64(total) / b.Elapsed().Seconds()
	ceilingR := (before + ceilingRate(b, ceilingKeys, again)) / 2
	b.ReportMetric(rate, "readings/s")
	b.ReportMetric(ceilingR, "ceiling-readings/s")
	b.ReportMetric(rate/ceilingR, "x-mqtt/ceiling")
	b.ReportMetric(0, "ns/op")
	return rate
}

// ceilingRate is the ceiling (package internal/ceiling) of ss, in calls
// of mqttgw.DefaultMaxCall readings, as the Ingester makes them.
func ceilingRate(b *testing.B, keys did.KeyResolver, ss []reading.Signed) float64 {
	b.Helper()
	c, err := ceiling.Measure(keys, ss, mqttgw.DefaultMaxCall)
	if err != nil {
		b.Fatal(err)
	}
	return c.Rate
}

// pahoSend publishes rs from d, each from a goroutine of its own (so not
// necessarily in order), with at most inflight unacknowledged, and
// returns how many PUBACKs carried each reason code (0xff for a publish
// that got none).
func pahoSend(d *mqttgw.Device, rs []reading.Signed, inflight int) map[mqttgw.Code]int {
	var mu sync.Mutex
	codes := map[mqttgw.Code]int{}
	sem := make(chan struct{}, inflight)
	var pubs sync.WaitGroup
	for _, r := range rs {
		sem <- struct{}{}
		pubs.Add(1)
		go func() {
			defer pubs.Done()
			defer func() { <-sem }()
			code, err := d.PublishSigned(context.Background(), r)
			if err != nil {
				code = 0xff
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	pubs.Wait()
	return codes
}
