package mqttgw_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

// TestIngesterKeepsDeviceOrder: readings a device publishes in order are
// decided in order, however many workers the Ingester runs, so a gateway
// with a reorder window far below the readings in flight refuses none of
// them as stale. (Before each device had one worker, parallel calls let a
// device's readings overtake each other by up to Workers × MaxCall.)
func TestIngesterKeepsDeviceOrder(t *testing.T) {
	ctx := context.Background()
	const window = 2
	gw := bareGateway(t, batch.Config{Topic: "order", ReorderWindow: window}, nil)
	const workers, maxCall = 8, 3
	in, err := mqttgw.NewIngester(mqttgw.Config{Gateway: gw, Workers: workers, MaxCall: maxCall, MaxPending: 1 << 14})
	if err != nil {
		t.Fatal(err)
	}

	const devices, each = 4, 400
	base := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	payloads := make([][]byte, 0, devices*each)
	keys := make([]did.PrivateKey, devices)
	dids := make([]string, devices)
	for d := range keys {
		if keys[d], err = did.Ed25519.GenerateKey(nil); err != nil {
			t.Fatal(err)
		}
		if dids[d], err = did.New(keys[d].Public()); err != nil {
			t.Fatal(err)
		}
	}
	for seq := 1; seq <= each; seq++ { // the devices' readings interleaved, each device's in order
		for d := range keys {
			s, err := reading.Sign(keys[d], reading.Reading{
				Device: dids[d], Topic: "order/temp", Seq: uint64(seq), Time: base.Add(time.Duration(seq) * time.Millisecond),
				Sensor: "temperature", Value: int64(seq), Scale: 1, Unit: "Cel",
			})
			if err != nil {
				t.Fatal(err)
			}
			p, err := s.MarshalCBOR()
			if err != nil {
				t.Fatal(err)
			}
			payloads = append(payloads, p)
		}
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	var refused []error
	wg.Add(len(payloads))
	for _, p := range payloads {
		in.Submit(ctx, "", "order/temp", p, func(err error) {
			if err != nil {
				mu.Lock()
				refused = append(refused, err)
				mu.Unlock()
			}
			wg.Done()
		})
	}
	wg.Wait()
	in.Close()
	if len(refused) > 0 {
		t.Fatalf("%d of %d readings refused with a reorder window of %d, %d workers of %d readings; first: %v",
			len(refused), len(payloads), window, workers, maxCall, refused[0])
	}
	if m := gw.Metrics(); m.Accepted != uint64(len(payloads)) {
		t.Fatalf("gateway accepted %d of %d", m.Accepted, len(payloads))
	}
}
