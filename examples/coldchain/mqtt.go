package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

// broker is the readings' path over MQTT (-mqtt URL): each sensor
// publishes its signed readings to the broker at URL; the gateway's bridge
// subscribes to the shipment's topics there and hands every reading to the
// pipeline through an ingester. The sensors were admitted by the gateway
// itself (challenge and credential), so the broker only carries bytes:
// every reading is still verified and checked against the admitted
// credentials by the pipeline.
type broker struct {
	url    string
	in     *mqttgw.Ingester
	bridge *mqttgw.Bridge
	pubs   map[string]*mqttgw.Publisher // by device DID

	mu    sync.Mutex
	taken map[canon.Digest]bool // acknowledged by the gateway
}

// dialBroker connects the gateway's bridge and one publisher per device
// to the broker at url.
func dialBroker(ctx context.Context, url string, pipeline *batch.Gateway, devices ...string) (_ *broker, err error) {
	b := &broker{url: url, pubs: map[string]*mqttgw.Publisher{}, taken: map[canon.Digest]bool{}}
	defer func() {
		if err != nil {
			b.close()
		}
	}()
	if b.in, err = mqttgw.NewIngester(mqttgw.Config{Gateway: pipeline, OnAccept: b.accepted}); err != nil {
		return nil, err
	}
	var run [6]byte
	_, _ = rand.Read(run[:])
	if b.bridge, err = mqttgw.DialBridge(ctx, mqttgw.BridgeConfig{
		URL: url, Topics: []string{topic + "/#"}, Ingester: b.in,
		ClientID: "iotrust-coldchain-" + hex.EncodeToString(run[:]), SessionExpiry: time.Minute,
	}); err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := b.bridge.AwaitConnection(actx); err != nil {
		return nil, fmt.Errorf("gateway bridge to %s: %w", url, err)
	}
	for _, d := range devices {
		if b.pubs[d], err = mqttgw.DialPublisher(ctx, mqttgw.PublisherConfig{URL: url}); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *broker) accepted(s reading.Signed) {
	id, err := s.ID()
	if err != nil {
		return
	}
	b.mu.Lock()
	b.taken[id] = true
	b.mu.Unlock()
}

// send publishes each reading from its device and waits until the gateway
// has acknowledged every one. Through an external broker a device learns
// only that the broker has a reading, so a reading the gateway has not
// taken within a second (the bridge's subscription may not be in place
// yet, a broker may drop it) is published again: the gateway acknowledges
// a reading it already holds once more and stores it once.
func (b *broker) send(ctx context.Context, signed []reading.Signed) error {
	ids := make([]canon.Digest, len(signed))
	for i, s := range signed {
		var err error
		if ids[i], err = s.ID(); err != nil {
			return err
		}
	}
	for attempt := 1; ; attempt++ {
		missing := 0
		for i, s := range signed {
			b.mu.Lock()
			done := b.taken[ids[i]]
			b.mu.Unlock()
			if done {
				continue
			}
			missing++
			if err := b.pubs[s.Device].Publish(ctx, s); err != nil {
				return err
			}
		}
		if missing == 0 {
			return nil
		}
		if attempt == 10 {
			return fmt.Errorf("the gateway took %d of %d readings through %s (answers %v)", len(signed)-missing, len(signed), b.url, b.in.Answered())
		}
		for wait := time.Now().Add(time.Second); time.Now().Before(wait) && !b.all(ids); {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}

func (b *broker) all(ids []canon.Digest) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, id := range ids {
		if !b.taken[id] {
			return false
		}
	}
	return true
}

// close disconnects the publishers and the bridge, then lets the ingester
// answer what it holds.
func (b *broker) close() {
	for _, p := range b.pubs {
		_ = p.Close()
	}
	if b.bridge != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = b.bridge.Close(ctx)
		cancel()
	}
	if b.in != nil {
		b.in.Close()
	}
}
