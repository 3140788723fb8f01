package devnet_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"

	"github.com/iotrust/iotrust/devnet"
)

// A client of the broker receives what another publishes on a topic it
// subscribed to, and the broker counts the publish.
func TestBroker(t *testing.T) {
	b, u := startBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := make(chan string, 1)
	dial := func(id string, onPublish func(paho.PublishReceived) (bool, error)) *autopaho.ConnectionManager {
		cm, err := connect(ctx, u, id, 0, onPublish)
		if err != nil {
			t.Fatal(err)
		}
		return cm
	}
	sub := dial("sub", func(pr paho.PublishReceived) (bool, error) {
		got <- pr.Packet.Topic + " " + string(pr.Packet.Payload)
		return true, nil
	})
	defer sub.Disconnect(ctx)
	if _, err := sub.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "site/#", QoS: 1}}}); err != nil {
		t.Fatal(err)
	}
	pub := dial("pub", nil)
	defer pub.Disconnect(ctx)
	if _, err := pub.Publish(ctx, &paho.Publish{Topic: "site/a", QoS: 1, Payload: []byte("hello")}); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if m != "site/a hello" {
			t.Fatalf("received %q", m)
		}
	case <-ctx.Done():
		t.Fatal("nothing received")
	}
	if n := b.Received(); n != 1 {
		t.Fatalf("broker counted %d publishes, want 1", n)
	}
	if err := b.Close(); err != nil { // and the Close at cleanup does nothing
		t.Fatal(err)
	}
}

// connect connects a client id to the broker at u and waits until it is
// connected; receiveMax, if not zero, is announced as the client's Receive
// Maximum, and onPublish, if not nil, receives its publishes.
func connect(ctx context.Context, u *url.URL, id string, receiveMax uint16, onPublish func(paho.PublishReceived) (bool, error)) (*autopaho.ConnectionManager, error) {
	cfg := autopaho.ClientConfig{ServerUrls: []*url.URL{u}, KeepAlive: 30, CleanStartOnInitialConnection: true, ClientConfig: paho.ClientConfig{ClientID: id}}
	if receiveMax != 0 {
		cfg.ConnectPacketBuilder = func(c *paho.Connect, _ *url.URL) (*paho.Connect, error) {
			c.Properties = &paho.ConnectProperties{ReceiveMaximum: &receiveMax}
			return c, nil
		}
	}
	if onPublish != nil {
		cfg.OnPublishReceived = []func(paho.PublishReceived) (bool, error){onPublish}
	}
	cm, err := autopaho.NewConnection(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := cm.AwaitConnection(ctx); err != nil {
		return nil, err
	}
	return cm, nil
}

// startBroker starts a broker on a free loopback port, closed when the
// test ends, and returns it with its URL.
func startBroker(t *testing.T) (*devnet.Broker, *url.URL) {
	t.Helper()
	b, err := devnet.StartBroker("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	u, err := url.Parse(b.URL())
	if err != nil {
		t.Fatal(err)
	}
	return b, u
}
