package mqttgw_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

// plainBroker starts an external broker that knows nothing of iotrust
// (devnet's, which lets every client in) and returns its URL.
func plainBroker(t *testing.T) string {
	t.Helper()
	b, err := devnet.StartBroker("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b.URL()
}

// admitOutOfBand makes a device allowed to publish on filters and admits
// it through the gateway's Admission directly, as a gateway that admits
// devices itself (not at CONNECT) does; it returns its key and DID.
func (s *stack) admitOutOfBand(t *testing.T, filters ...string) (did.PrivateKey, string) {
	t.Helper()
	k, _ := did.Ed25519.GenerateKey(nil)
	id, _ := did.New(k.Public())
	cred, _ := s.issuer.credential(t, k, filters...)
	ch, err := s.adm.Challenge()
	if err != nil {
		t.Fatal(err)
	}
	h, _ := vc.NewHolder(k)
	vp, err := h.PresentJWT([][]byte{cred}, ch, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.adm.Admit(context.Background(), []byte(vp)); err != nil {
		t.Fatal(err)
	}
	return k, id
}

// A device admitted in the gateway's process publishes its signed
// readings through an external broker; the gateway's bridge takes every
// one. A device nobody admitted gets the broker's PUBACK but not the
// gateway's acknowledgement.
func TestPublisherThroughExternalBroker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u := plainBroker(t)
	s := newStack(t, stackOpts{brokerURL: u, topics: []string{"fleet/#"}})

	k, id := s.admitOutOfBand(t, "fleet/#")
	stranger, _ := did.Ed25519.GenerateKey(nil)
	strangerID, _ := did.New(stranger.Public())

	p, err := mqttgw.DialPublisher(ctx, mqttgw.PublisherConfig{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	sign := func(k did.PrivateKey, dev string, seq uint64) reading.Signed {
		r, err := reading.Sign(k, reading.Reading{Device: dev, Topic: "fleet/van-1/temp", Seq: seq,
			Time: time.Now().Truncate(time.Millisecond), Sensor: "temperature", Value: 450, Scale: 2, Unit: "Cel"})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// The bridge subscribes once connected; publish until the first
	// reading is taken (a redelivery of the same reading is harmless).
	first := sign(k, id, 1)
	for s.gw.Metrics().Accepted == 0 {
		if err := p.Publish(ctx, first); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the gateway took nothing: %v", s.in.Answered())
		case <-time.After(100 * time.Millisecond):
		}
	}
	for seq := uint64(2); seq <= 5; seq++ {
		if err := p.Publish(ctx, sign(k, id, seq)); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Publish(ctx, sign(stranger, strangerID, 1)); err != nil {
		t.Fatalf("the broker refused a stranger's publish: %v", err)
	}
	for s.gw.Metrics().Accepted < 5 || s.in.Answered()[mqttgw.CodeNotAuthorized] < 1 {
		select {
		case <-ctx.Done():
			t.Fatalf("accepted %d, answered %v", s.gw.Metrics().Accepted, s.in.Answered())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if got := s.gw.Metrics().Accepted; got != 5 {
		t.Fatalf("accepted %d readings, want 5", got)
	}
}

// Bad URLs and unreachable brokers are refused with ErrDevice.
func TestDialPublisherRefuses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, u := range []string{"http://127.0.0.1:1883", "mqtt://", "mqtt://127.0.0.1:1", "::"} {
		if _, err := mqttgw.DialPublisher(ctx, mqttgw.PublisherConfig{URL: u}); !errors.Is(err, mqttgw.ErrDevice) {
			t.Errorf("%q: %v, want ErrDevice", u, err)
		}
	}
}
