package devnet

import (
	"fmt"
	"log/slog"
	"sync"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/iotrust/iotrust/internal/mochiflow"
)

// Broker is an MQTT broker in this process (mochi-mqtt, MQTT 3.1.1 and 5)
// that lets every client connect, publish and subscribe: the stand-in for
// a site's broker (Mosquitto, EMQX, ...) during development and in tests.
// It knows nothing of iotrust; devices reach a gateway through it as
// through any external broker (package mqttgw's Bridge and BrokerPath).
// It does not hold deliveries back for a subscriber's Receive Maximum
// (internal/mochiflow says why); a slow subscriber pushes back through
// TCP instead.
type Broker struct {
	closeOnce sync.Once
	srv       *mqtt.Server
	tcp       *listeners.TCP
}

// StartBroker starts a broker listening on addr, e.g. "127.0.0.1:0" for a
// free loopback port. The caller closes it.
func StartBroker(addr string) (*Broker, error) {
	srv := mqtt.New(&mqtt.Options{Logger: slog.New(slog.DiscardHandler)})
	for _, h := range []mqtt.Hook{new(allowAll), new(mochiflow.NoSendQuota)} {
		if err := srv.AddHook(h, nil); err != nil {
			return nil, fmt.Errorf("devnet: broker: %w", err)
		}
	}
	tcp := listeners.NewTCP(listeners.Config{ID: "devnet", Address: addr})
	if err := srv.AddListener(tcp); err != nil {
		return nil, fmt.Errorf("devnet: broker: %w", err)
	}
	if err := srv.Serve(); err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("devnet: broker: %w", err)
	}
	return &Broker{srv: srv, tcp: tcp}, nil
}

// URL is the broker's URL, mqtt://HOST:PORT.
func (b *Broker) URL() string { return "mqtt://" + b.tcp.Address() }

// Received returns how many PUBLISH messages the broker has received.
func (b *Broker) Received() int64 { return b.srv.Info.Clone().MessagesReceived }

// Close disconnects every client and stops listening; calls after the
// first do nothing.
func (b *Broker) Close() error {
	var err error
	b.closeOnce.Do(func() { err = b.srv.Close() })
	return err
}

// allowAll is the broker's hook: every client may connect, publish and
// subscribe.
type allowAll struct{ mqtt.HookBase }

func (allowAll) ID() string { return "devnet-allow-all" }

func (allowAll) Provides(b byte) bool {
	return b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}

func (allowAll) OnConnectAuthenticate(*mqtt.Client, packets.Packet) bool { return true }

func (allowAll) OnACLCheck(*mqtt.Client, string, bool) bool { return true }
