package mqttgw_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

// load is a bounded load: devices publish pre-signed readings at QoS 1 at
// a fixed total rate for a fixed time, each with at most inflight
// publishes outstanding.
type load struct {
	devices  int
	rate     float64 // readings per second, all devices together
	duration time.Duration
	inflight int
	topic    string // readings go to topic/<device index>/temp
	overHTTP bool   // admit over HTTP and connect to broker (external broker)
	broker   string // host:port of the broker devices connect to
}

type loadResult struct {
	acked     []reading.Signed
	codes     map[mqttgw.Code]int
	latencies []time.Duration // publish to PUBACK, acknowledged readings
	offered   int
	elapsed   time.Duration
	late      int // publishes not offered because the device's window was full
}

func (r *loadResult) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	l := slices.Clone(r.latencies)
	slices.Sort(l)
	return l[min(len(l)-1, int(q*float64(len(l))))]
}

func runLoad(t testing.TB, s *stack, l load) *loadResult {
	t.Helper()
	ctx := context.Background()
	if l.inflight == 0 {
		l.inflight = 64
	}
	if l.broker == "" {
		l.broker = s.brokerAddr()
	}
	n := int(l.rate*l.duration.Seconds()) + l.devices
	per := n/l.devices + 1
	type dev struct {
		d  *mqttgw.Device
		rs []reading.Signed
	}
	devs := make([]dev, l.devices)
	base := time.Now().Truncate(time.Millisecond)
	var wg sync.WaitGroup
	errs := make(chan error, l.devices)
	for i := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := did.Ed25519.GenerateKey(nil)
			if err != nil {
				errs <- err
				return
			}
			topic := fmt.Sprintf("%s/%d/temp", l.topic, i)
			cred, _ := s.issuer.credential(t, k, l.topic+"/"+strconv.Itoa(i)+"/#")
			d, err := mqttgw.ConnectDevice(ctx, mqttgw.DeviceConfig{Broker: l.broker, API: s.api.URL, Key: k,
				Credentials: [][]byte{cred}, AdmitOverHTTP: l.overHTTP})
			if err != nil {
				errs <- err
				return
			}
			devs[i].d = d
			for j := range per {
				r, err := d.Sign(reading.Reading{Topic: topic, Time: base.Add(time.Duration(j) * time.Millisecond),
					Sensor: "temperature", Value: int64(300 + (i*7+j)%400), Scale: 2, Unit: "Cel"})
				if err != nil {
					errs <- err
					return
				}
				devs[i].rs = append(devs[i].rs, r)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	defer func() {
		for _, d := range devs {
			_ = d.d.Close()
		}
	}()

	res := &loadResult{codes: map[mqttgw.Code]int{}}
	var mu sync.Mutex
	start := time.Now()
	var offered, late atomic.Int64
	var pubs sync.WaitGroup
	for i := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem := make(chan struct{}, l.inflight)
			pace(l, start, len(devs[i].rs), sem, &late, func(lo, hi int) bool {
				for _, r := range devs[i].rs[lo:hi] {
					offered.Add(1)
					pubs.Add(1)
					go func() {
						defer pubs.Done()
						defer func() { <-sem }()
						t0 := time.Now()
						code, err := devs[i].d.PublishSigned(ctx, r)
						lat := time.Since(t0)
						mu.Lock()
						defer mu.Unlock()
						if err != nil {
							res.codes[0xff]++
							return
						}
						res.codes[code]++
						if code == mqttgw.CodeSuccess {
							res.acked = append(res.acked, r)
							res.latencies = append(res.latencies, lat)
						}
					}()
				}
				return true
			})
		}()
	}
	wg.Wait()
	pubs.Wait()
	res.elapsed = time.Since(start)
	res.offered = int(offered.Load())
	res.late = int(late.Load())
	return res
}

// pace offers the publishes 0 … n-1 of one device of l, from start until
// l.duration has passed or all are offered: at each tick, every publish
// due by then at the device's share of l.rate, so the offered rate holds
// even where the timer cannot tick once per publish. A publish takes a slot
// in room first (its PUBACK frees it); the publishes due while room is full
// are not offered, and counted in late (the device falls behind). send
// gets the publishes of one tick, lo to hi, each with its slot taken, and
// returns false to stop.
func pace(l load, start time.Time, n int, room chan struct{}, late *atomic.Int64, send func(lo, hi int) bool) {
	interval := time.Duration(float64(time.Second) * float64(l.devices) / l.rate)
	tick := time.NewTicker(max(interval, 2*time.Millisecond))
	defer tick.Stop()
	next, skipped := 0, 0
	for next < n {
		<-tick.C
		el := time.Since(start)
		if el >= l.duration {
			return
		}
		due := min(int(el.Seconds()*l.rate/float64(l.devices))+1-skipped, n)
		lo := next
	fill:
		for next < due {
			select {
			case room <- struct{}{}:
				next++
			default:
				late.Add(int64(due - next))
				skipped += due - next
				break fill
			}
		}
		if next > lo && !send(lo, next) {
			return
		}
	}
}

// verifyAll checks that every acknowledged reading has an evidence bundle
// that verifies: fetched from the gateway and checked by evidence.Verify,
// the function `iotrust verify` runs.
func verifyAll(t testing.TB, s *stack, acked []reading.Signed) {
	t.Helper()
	ctx := context.Background()
	if err := s.gw.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		m := s.gw.Metrics()
		if m.Open == 0 && m.Final == m.Sealed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("batches not final: %+v", m)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for i, r := range acked {
		id, _ := r.ID()
		b, err := s.web.Bundle(ctx, id)
		if err != nil {
			t.Fatalf("reading %d: %v", i, err)
		}
		raw, err := b.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		rep, _ := s.web.Verify(ctx, raw)
		if !rep.OK() {
			t.Fatalf("reading %d: bundle does not verify:\n%s", i, rep)
		}
		for _, name := range []string{"reading[0]", "credential", "inclusion", "receipt[0]", "anchored"} {
			if c, ok := rep.Check(name); !ok || c.Outcome != evidence.Pass {
				t.Fatalf("reading %d: check %s: %v %s", i, name, c.Outcome, c.Reason)
			}
		}
	}
}

// A bounded load through the embedded broker: paho devices publish signed
// readings at a fixed rate over loopback; every reading acknowledged with
// PUBACK 0x00 has a bundle that verifies.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	s := newStack(t, stackOpts{window: 300 * time.Millisecond})
	res := runLoad(t, s, load{devices: 8, rate: 1500, duration: 2 * time.Second, topic: "load"})
	t.Logf("offered %d readings in %v, codes %v, p50 %v p99 %v", res.offered, res.elapsed.Round(time.Millisecond),
		res.codes, res.quantile(0.5), res.quantile(0.99))
	if len(res.acked) != res.offered || res.codes[mqttgw.CodeSuccess] != res.offered {
		t.Fatalf("acknowledged %d of %d: %v", len(res.acked), res.offered, res.codes)
	}
	if res.offered < 750 { // a quarter of the target: the machine is shared
		t.Fatalf("only %d readings offered", res.offered)
	}
	verifyAll(t, s, res.acked)
}

// The same through an external broker: IOTRUST_MQTT_BROKER names it
// (mqtt://127.0.0.1:1883; .ci/steps/80-gateway.sh starts Mosquitto). The
// devices' PUBACKs come from the broker; the gateway takes the readings
// through its persistent subscription and acknowledges them to the broker
// after its write-ahead log. Every reading the broker acknowledged must
// reach the gateway and have a bundle that verifies.
func TestLoadExternalBroker(t *testing.T) {
	u := os.Getenv("IOTRUST_MQTT_BROKER")
	if u == "" {
		t.Skip("IOTRUST_MQTT_BROKER not set")
	}
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	topic := "ext" + strconv.FormatInt(time.Now().UnixNano(), 36)
	s := newStack(t, stackOpts{window: 300 * time.Millisecond, brokerURL: u, topics: []string{topic + "/#"}})
	res := runLoad(t, s, load{devices: 8, rate: 1000, duration: 2 * time.Second, topic: topic, overHTTP: true, broker: pu.Host})
	t.Logf("offered %d readings in %v through %s, broker codes %v", res.offered, res.elapsed.Round(time.Millisecond), u, res.codes)
	if len(res.acked) != res.offered {
		t.Fatalf("broker acknowledged %d of %d: %v", len(res.acked), res.offered, res.codes)
	}
	deadline := time.Now().Add(30 * time.Second)
	for s.gw.Metrics().Accepted < uint64(len(res.acked)) {
		if time.Now().After(deadline) {
			t.Fatalf("gateway accepted %d of %d; answered %v", s.gw.Metrics().Accepted, len(res.acked), s.in.Answered())
		}
		time.Sleep(50 * time.Millisecond)
	}
	verifyAll(t, s, res.acked)
}

// Offered more than it can take at once, the gateway refuses with
// CodeQuotaExceeded (0x97) instead of queueing without bound, every other
// publish is acknowledged and verifies, and once the burst is over it
// acknowledges again.
func TestOverload(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	s := newStack(t, stackOpts{window: 300 * time.Millisecond, maxPending: 32})
	res := runLoad(t, s, load{devices: 16, rate: 20000, duration: time.Second, inflight: 32, topic: "burst"})
	t.Logf("offered %d, codes %v, peak RSS %s", res.offered, res.codes, peakRSS())
	if res.codes[mqttgw.CodeQuotaExceeded] == 0 {
		t.Fatalf("no publish refused with 0x97 under overload: %v", res.codes)
	}
	if res.codes[mqttgw.CodeSuccess]+res.codes[mqttgw.CodeQuotaExceeded] != res.offered {
		t.Fatalf("codes other than 0x00 and 0x97: %v", res.codes)
	}
	// Recovery: a device publishing alone is acknowledged.
	d, _, _ := s.newDevice(t, "after/#")
	if _, code, err := d.Publish(context.Background(), temp("after/x/temp", 500)); err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("after the burst: %v %v", code, err)
	}
	verifyAll(t, s, res.acked)
}

// peakRSS reads the process's peak resident set size (Linux).
func peakRSS() string { return strconv.Itoa(peakRSSKiB()) + " KiB" }

func peakRSSKiB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}
