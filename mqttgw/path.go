package mqttgw

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/reading"
)

// ErrNotTaken: the gateway did not acknowledge every reading sent through
// a BrokerPath within its attempts.
var ErrNotTaken = errors.New("mqttgw: readings not taken by the gateway")

// PathConfig configures a BrokerPath.
type PathConfig struct {
	// URL is the external broker's URL (see PublisherConfig.URL and
	// BridgeConfig.URL; both sides use it).
	URL string
	// Gateway receives the readings (required; see Config.Gateway).
	Gateway *batch.Gateway
	// Topics are the topic filters the gateway subscribes to, e.g.
	// "coldchain/#" (required).
	Topics []string
	// Resend is how long Send waits for the gateway to take a reading
	// before publishing it again (default 1 s), and Attempts how often it
	// publishes a reading at most (default 10).
	Resend   time.Duration
	Attempts int
	// Logger receives the bridge's and ingester's messages (default:
	// discarded).
	Logger *slog.Logger
}

// BrokerPath carries signed readings from devices to a gateway in the same
// process through an external MQTT broker, as they would travel in the
// field: the devices publish (a Publisher each), the gateway takes them
// through its subscription (Bridge and Ingester). It is for simulators,
// demos and tests that run devices and gateway together but want the
// broker in between. The devices must be admitted to the gateway's
// Authorizer out of band; the broker only carries bytes, and the gateway
// verifies every reading as always. It remembers the ID of every reading
// the gateway took, so it is for runs of bounded size.
type BrokerPath struct {
	cfg    PathConfig
	in     *Ingester
	bridge *Bridge

	mu    sync.Mutex
	pubs  map[string]*Publisher // by device DID
	taken map[canon.Digest]bool // acknowledged by the gateway
}

// OpenBrokerPath connects the gateway's bridge to the broker (with a
// session of its own, kept one minute) and waits until it is connected.
// The caller closes the path before the gateway.
func OpenBrokerPath(ctx context.Context, cfg PathConfig) (_ *BrokerPath, err error) {
	if cfg.Gateway == nil || len(cfg.Topics) == 0 {
		return nil, errors.New("mqttgw: PathConfig needs Gateway and Topics")
	}
	if cfg.Resend <= 0 {
		cfg.Resend = time.Second
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 10
	}
	p := &BrokerPath{cfg: cfg, pubs: map[string]*Publisher{}, taken: map[canon.Digest]bool{}}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	if p.in, err = NewIngester(Config{Gateway: cfg.Gateway, OnAccept: p.accepted, Logger: cfg.Logger}); err != nil {
		return nil, err
	}
	var run [6]byte
	_, _ = rand.Read(run[:])
	if p.bridge, err = DialBridge(ctx, BridgeConfig{
		URL: cfg.URL, Topics: cfg.Topics, Ingester: p.in, Logger: cfg.Logger,
		ClientID: "iotrust-path-" + hex.EncodeToString(run[:]), SessionExpiry: time.Minute,
	}); err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := p.bridge.AwaitConnection(actx); err != nil {
		return nil, fmt.Errorf("%w: gateway bridge to %s: %w", ErrDevice, cfg.URL, err)
	}
	return p, nil
}

// Ingester returns the gateway side's Ingester (for its counters).
func (p *BrokerPath) Ingester() *Ingester { return p.in }

func (p *BrokerPath) accepted(s reading.Signed) {
	if id, err := s.ID(); err == nil {
		p.mu.Lock()
		p.taken[id] = true
		p.mu.Unlock()
	}
}

// publisher returns device's publisher, connecting it on first use.
func (p *BrokerPath) publisher(ctx context.Context, device string) (*Publisher, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pub := p.pubs[device]; pub != nil {
		return pub, nil
	}
	pub, err := DialPublisher(ctx, PublisherConfig{URL: p.cfg.URL})
	if err != nil {
		return nil, err
	}
	p.pubs[device] = pub
	return pub, nil
}

// Send publishes each reading from its device's connection and returns
// once the gateway has acknowledged every one. Through an external broker
// a device learns only that the broker has a reading, so a reading the
// gateway has not taken within Resend (its subscription may not be in
// place yet; a broker may drop messages) is published again: the gateway
// acknowledges a reading it already holds once more and stores it once.
// After Attempts rounds the error wraps ErrNotTaken (a reading the gateway
// refuses, for a bad signature or a missing right, is never taken).
func (p *BrokerPath) Send(ctx context.Context, readings []reading.Signed) error {
	ids := make([]canon.Digest, len(readings))
	for i, s := range readings {
		var err error
		if ids[i], err = s.ID(); err != nil {
			return err
		}
	}
	for attempt := 1; ; attempt++ {
		missing := 0
		for i, s := range readings {
			if p.has(ids[i]) {
				continue
			}
			missing++
			pub, err := p.publisher(ctx, s.Device)
			if err != nil {
				return err
			}
			if err := pub.Publish(ctx, s); err != nil {
				return err
			}
		}
		if missing == 0 {
			return nil
		}
		// Each attempt, the last one too, gets Resend to be taken.
		for wait := time.Now().Add(p.cfg.Resend); time.Now().Before(wait); {
			if p.hasAll(ids) {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
		if p.hasAll(ids) {
			return nil
		}
		if attempt == p.cfg.Attempts {
			return fmt.Errorf("%w: %d of %d through %s (answers %v)", ErrNotTaken, missing, len(readings), p.cfg.URL, p.in.Answered())
		}
	}
}

func (p *BrokerPath) has(id canon.Digest) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.taken[id]
}

func (p *BrokerPath) hasAll(ids []canon.Digest) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range ids {
		if !p.taken[id] {
			return false
		}
	}
	return true
}

// Close disconnects the publishers and the bridge and lets the ingester
// answer what it holds. It does not close the gateway.
func (p *BrokerPath) Close() {
	p.mu.Lock()
	for _, pub := range p.pubs {
		_ = pub.Close()
	}
	p.pubs = map[string]*Publisher{}
	p.mu.Unlock()
	if p.bridge != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = p.bridge.Close(ctx)
		cancel()
	}
	if p.in != nil {
		p.in.Close()
	}
}
