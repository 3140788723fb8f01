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
	b, err := devnet.StartBroker("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u, err := url.Parse(b.URL())
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	dial := func(id string, onPublish func(paho.PublishReceived) (bool, error)) *autopaho.ConnectionManager {
		cfg := autopaho.ClientConfig{ServerUrls: []*url.URL{u}, KeepAlive: 30, ClientConfig: paho.ClientConfig{ClientID: id}}
		if onPublish != nil {
			cfg.OnPublishReceived = []func(paho.PublishReceived) (bool, error){onPublish}
		}
		cm, err := autopaho.NewConnection(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := cm.AwaitConnection(ctx); err != nil {
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
	if err := b.Close(); err != nil { // and the deferred Close does nothing
		t.Fatal(err)
	}
}
