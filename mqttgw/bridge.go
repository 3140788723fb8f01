package mqttgw

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
)

// BridgeConfig configures a Bridge to an external broker.
type BridgeConfig struct {
	// URL is the broker's URL: mqtt://host:port, tls://host:port, ws://...
	URL string
	// Topics are the topic filters the gateway subscribes to at QoS 1,
	// e.g. "coldchain/#".
	Topics []string
	// ClientID is the gateway's client identifier at the broker; its
	// session (kept SessionExpiry) holds the readings not yet
	// acknowledged across a restart of the gateway (default
	// "iotrust-gateway").
	ClientID string
	// Username and Password are the gateway's own credentials at the
	// broker, if it wants any.
	Username string
	Password []byte
	// SessionExpiry is how long the broker keeps the gateway's session
	// while it is disconnected (default 1 hour).
	SessionExpiry time.Duration
	// ReceiveMaximum bounds the readings the broker sends before the
	// gateway acknowledges them (default 1024), at a broker that honours
	// it (devnet's broker does not: see internal/mochiflow).
	ReceiveMaximum uint16
	// Ingester takes every publish (required).
	Ingester *Ingester
	// Logger receives operational messages (default: discarded).
	Logger *slog.Logger
}

// Bridge connects a gateway to an external MQTT 5 broker as a client
// (paho): it subscribes to the device topics with a persistent session,
// hands every publish to the Ingester, waiting for room rather than
// refusing (the broker holds the backlog), and acknowledges each publish to
// the broker only once the gateway has decided on it, so a reading the
// gateway has not made durable is delivered again after a crash. A reading
// refused for a full anchoring backlog is offered again a second later; one
// refused because the gateway is closing stays unacknowledged in the
// broker's session.
//
// Through an external broker, a device's PUBACK comes from the broker and
// says only that the broker has the reading; the gateway's verdict is
// logged and counted (Ingester.Answered), not sent to the device. Devices
// are admitted over HTTP (POST /v1/admit) and every reading is checked
// against its signed device's credentials.
type Bridge struct {
	cm  *autopaho.ConnectionManager
	log *slog.Logger
}

// DialBridge connects to the broker and subscribes; the connection is
// kept up (reconnecting) until ctx is done or Close is called.
func DialBridge(ctx context.Context, cfg BridgeConfig) (*Bridge, error) {
	if cfg.Ingester == nil || len(cfg.Topics) == 0 {
		return nil, fmt.Errorf("mqttgw: BridgeConfig needs Ingester and Topics")
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("mqttgw: broker URL: %w", err)
	}
	if cfg.ClientID == "" {
		cfg.ClientID = "iotrust-gateway"
	}
	if cfg.SessionExpiry <= 0 {
		cfg.SessionExpiry = time.Hour
	}
	if cfg.ReceiveMaximum == 0 {
		cfg.ReceiveMaximum = 1024
	}
	log := logger(cfg.Logger)
	b := &Bridge{log: log}
	subs := make([]paho.SubscribeOptions, len(cfg.Topics))
	for i, t := range cfg.Topics {
		subs[i] = paho.SubscribeOptions{Topic: t, QoS: 1}
	}
	var submit func(p *paho.Publish, client *paho.Client)
	submit = func(p *paho.Publish, client *paho.Client) {
		cfg.Ingester.SubmitWait(ctx, "", p.Topic, p.Payload, func(err error) {
			switch code := CodeOf(err); {
			case code == CodeQuotaExceeded && ctx.Err() == nil:
				// The anchoring backlog is full: the reading is not
				// stored. Offer it again shortly; acknowledgements to the
				// broker wait in order behind it.
				time.AfterFunc(time.Second, func() { submit(p, client) })
				return
			case code == CodeQuotaExceeded || code == CodeUnspecified:
				// Shutting down or the write-ahead log failed: leave the
				// reading unacknowledged in the broker's session, which
				// delivers it again.
				log.Warn("reading left to the broker", "topic", trunc(p.Topic), "err", err)
				return
			case err != nil:
				log.Info("reading refused", "topic", trunc(p.Topic), "code", code.String(), "err", err)
			}
			if aerr := client.Ack(p); aerr != nil {
				log.Warn("broker ack failed", "err", aerr)
			}
		})
	}
	onPublish := func(pr paho.PublishReceived) (bool, error) {
		submit(pr.Packet, pr.Client)
		return true, nil
	}
	rm := cfg.ReceiveMaximum
	cc := autopaho.ClientConfig{
		ServerUrls:                    []*url.URL{u},
		KeepAlive:                     30,
		CleanStartOnInitialConnection: false,
		SessionExpiryInterval:         uint32(cfg.SessionExpiry / time.Second),
		ConnectUsername:               cfg.Username,
		ConnectPassword:               cfg.Password,
		ReconnectBackoff:              autopaho.NewConstantBackoff(time.Second),
		OnConnectionUp: func(cm *autopaho.ConnectionManager, _ *paho.Connack) {
			go func() {
				if _, err := cm.Subscribe(ctx, &paho.Subscribe{Subscriptions: subs}); err != nil {
					log.Error("subscribe failed", "err", err)
				}
			}()
			log.Info("connected to broker", "url", cfg.URL)
		},
		OnConnectError: func(err error) { log.Warn("broker connection failed", "url", cfg.URL, "err", err) },
		ClientConfig: paho.ClientConfig{
			ClientID:                   cfg.ClientID,
			EnableManualAcknowledgment: true,
			OnPublishReceived:          []func(paho.PublishReceived) (bool, error){onPublish},
		},
		ConnectPacketBuilder: func(c *paho.Connect, _ *url.URL) (*paho.Connect, error) {
			if c.Properties == nil {
				c.Properties = &paho.ConnectProperties{}
			}
			c.Properties.ReceiveMaximum = &rm
			return c, nil
		},
	}
	if b.cm, err = autopaho.NewConnection(ctx, cc); err != nil {
		return nil, fmt.Errorf("mqttgw: %w", err)
	}
	return b, nil
}

// AwaitConnection waits until the bridge is connected or ctx is done.
func (b *Bridge) AwaitConnection(ctx context.Context) error { return b.cm.AwaitConnection(ctx) }

// Close disconnects from the broker; its session keeps what the gateway
// has not acknowledged.
func (b *Bridge) Close(ctx context.Context) error {
	err := b.cm.Disconnect(ctx)
	<-b.cm.Done()
	return err
}
