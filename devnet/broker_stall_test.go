package devnet_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"
)

// Many publishers and one QoS 1 subscriber with a small Receive Maximum,
// all at once: every publish is acknowledged and delivered, and the broker
// never stalls (the broker library's outbound flow control takes a read
// lock twice, which deadlocks against a concurrent publisher; the broker
// turns that flow control off).
func TestBrokerConcurrentQoS1(t *testing.T) {
	_, u := startBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const pubs, each = 8, 1500
	var got sync.Map
	var n atomic.Int64
	all := make(chan struct{})
	sub, err := connect(ctx, u, "sub", 16, func(pr paho.PublishReceived) (bool, error) {
		if _, dup := got.LoadOrStore(string(pr.Packet.Payload), true); !dup && n.Add(1) == pubs*each {
			close(all)
		}
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Disconnect(context.Background())
	if _, err := sub.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "site/#", QoS: 1}}}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, pubs)
	for p := range pubs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cm, err := connect(ctx, u, fmt.Sprintf("pub%d", p), 0, nil)
			if err != nil {
				errs <- err
				return
			}
			defer cm.Disconnect(context.Background())
			for i := range each {
				if _, err := cm.Publish(ctx, &paho.Publish{Topic: "site/a", QoS: 1, Payload: fmt.Appendf(nil, "%d/%d", p, i)}); err != nil {
					errs <- fmt.Errorf("publisher %d, publish %d: %w", p, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("%v (the subscriber has %d of %d)", err, n.Load(), pubs*each)
	}
	select {
	case <-all:
	case <-ctx.Done():
		t.Fatalf("the subscriber received %d of %d publishes", n.Load(), pubs*each)
	}
}
