package web_test

import (
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw/web"
	"github.com/iotrust/iotrust/reading"
)

// TestHistory: points come out oldest first with their readings' IDs, the
// ring keeps the last perDevice of a device, and the least recently active
// device gives way to a new one.
func TestHistory(t *testing.T) {
	h := web.NewHistory(2, 3)
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	var dids []string
	want := map[uint64]reading.Signed{}
	for d := range 3 {
		k, err := did.Ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := did.New(k.Public())
		dids = append(dids, id)
		for j := range 5 {
			s, err := reading.Sign(k, reading.Reading{Device: id, Seq: uint64(j + 1), Topic: "h/t",
				Time: base.Add(time.Duration(d*10+j) * time.Second), Sensor: "temperature", Value: int64(j), Scale: 1, Unit: "Cel"})
			if err != nil {
				t.Fatal(err)
			}
			if d == 2 {
				want[s.Seq] = s
			}
			h.Record(s)
		}
	}
	if got := h.Points(dids[0]); len(got) != 0 {
		t.Errorf("evicted device still has %d points", len(got))
	}
	pts := h.Points(dids[2])
	if len(pts) != 3 {
		t.Fatalf("%d points, want the last 3", len(pts))
	}
	for i, p := range pts {
		if p.Seq != uint64(i+3) {
			t.Errorf("point %d: seq %d, want %d", i, p.Seq, i+3)
		}
		id, _ := want[p.Seq].ID()
		if p.ID != id {
			t.Errorf("point seq %d: ID %v, want %v", p.Seq, p.ID, id)
		}
	}
	devs := h.Devices()
	if len(devs) != 2 || devs[0].Device != dids[2] || devs[0].Readings != 3 {
		t.Fatalf("devices: %+v", devs)
	}
	if id, _ := want[5].ID(); devs[0].Last.ID != id || devs[0].Last.Seq != 5 {
		t.Errorf("last point: seq %d ID %v, want seq 5 ID %v", devs[0].Last.Seq, devs[0].Last.ID, id)
	}
}
