package mqttgw_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

// Readings sent through a BrokerPath cross a plain broker and are all
// taken by the gateway, sent again or not; a reading the gateway refuses
// is never taken, and Send says so with ErrNotTaken.
func TestBrokerPath(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newStack(t, stackOpts{})
	path, err := mqttgw.OpenBrokerPath(ctx, mqttgw.PathConfig{URL: plainBroker(t), Gateway: s.gw, Topics: []string{"site/#"},
		Resend: 200 * time.Millisecond, Attempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer path.Close()

	k, id := s.admitOutOfBand(t, "site/#")
	sign := func(k did.PrivateKey, dev string, seq uint64) reading.Signed {
		r, err := reading.Sign(k, reading.Reading{Device: dev, Topic: "site/pump/vibration", Seq: seq,
			Time: time.Now().Truncate(time.Millisecond), Sensor: "vibration", Value: 310, Scale: 2, Unit: "mm/s"})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	var rs []reading.Signed
	for seq := uint64(1); seq <= 6; seq++ {
		rs = append(rs, sign(k, id, seq))
	}
	if err := path.Send(ctx, rs[:4]); err != nil {
		t.Fatal(err)
	}
	if err := path.Send(ctx, rs[2:]); err != nil { // two of them again
		t.Fatal(err)
	}
	if got := s.gw.Metrics().Accepted; got != 6 {
		t.Fatalf("gateway accepted %d readings, want 6", got)
	}
	stranger, _ := did.Ed25519.GenerateKey(nil)
	strangerID, _ := did.New(stranger.Public())
	if err := path.Send(ctx, []reading.Signed{sign(stranger, strangerID, 1)}); !errors.Is(err, mqttgw.ErrNotTaken) {
		t.Fatalf("a reading nobody may publish: %v, want ErrNotTaken", err)
	}
	// Send gives up once its last attempt's wait is over; that attempt's
	// refusal may still be on its way through the broker.
	deadline := time.Now().Add(5 * time.Second)
	n := path.Ingester().Answered()[mqttgw.CodeNotAuthorized]
	for n < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n = path.Ingester().Answered()[mqttgw.CodeNotAuthorized]
	}
	if n != 3 {
		t.Fatalf("the stranger's reading was refused %d times, want once per attempt (3)", n)
	}
}
