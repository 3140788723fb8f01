package mqttgw_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

// plainAnchorer hides the log's Ledger methods: a ledger the gateway can
// anchor on but not follow.
type plainAnchorer struct{ anchor.Anchorer }

// TestCollectorBatchMetrics: the Collector exports the gateway's settled
// batches (anchored on a ledger it cannot follow) and the batches its
// Open took up again, as batch.Metrics counts them.
func TestCollectorBatchMetrics(t *testing.T) {
	ctx := context.Background()
	g := bareGateway(t, batch.Config{Topic: "test/collector", MaxBatch: 4},
		func(l *tlog.Log) anchor.Anchorer { return plainAnchorer{l} })
	k, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := did.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	var rs []reading.Signed
	for i := range 8 {
		r, err := reading.Sign(k, reading.Reading{Device: dev, Seq: uint64(i + 1), Topic: "test/collector/temp",
			Time: time.Now().Truncate(time.Millisecond), Sensor: "temperature", Value: 512, Scale: 2, Unit: "Cel"})
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	for i, err := range g.SubmitBatch(ctx, rs) {
		if err != nil {
			t.Fatalf("reading %d: %v", i, err)
		}
	}
	if err := g.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	m := g.Metrics()
	for deadline := time.Now().Add(30 * time.Second); m.Settled < 2 && time.Now().Before(deadline); m = g.Metrics() {
		time.Sleep(10 * time.Millisecond)
	}
	if m.Settled != 2 || m.Final != 0 {
		t.Fatalf("gateway: %d batches settled, %d final; want 2 and 0", m.Settled, m.Final)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(mqttgw.NewCollector(mqttgw.CollectorConfig{Gateway: g}))
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		for _, mm := range f.GetMetric() {
			switch {
			case mm.GetCounter() != nil:
				got[f.GetName()] = mm.GetCounter().GetValue()
			case mm.GetGauge() != nil:
				got[f.GetName()] = mm.GetGauge().GetValue()
			}
		}
	}
	for name, want := range map[string]float64{
		"iotrust_batch_batches_settled_total":   float64(m.Settled),
		"iotrust_batch_batches_recovered":       float64(m.Recovered),
		"iotrust_batch_batches_final_total":     float64(m.Final),
		"iotrust_batch_readings_accepted_total": 8,
	} {
		if v, ok := got[name]; !ok || v != want {
			t.Errorf("%s = %v (exported %v), want %v", name, v, ok, want)
		}
	}
}
