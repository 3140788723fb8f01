package mqttgw

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"

	"github.com/eclipse/paho.golang/paho"

	"github.com/iotrust/iotrust/reading"
)

// PublisherConfig configures a Publisher.
type PublisherConfig struct {
	// URL is the broker's URL: mqtt://host:port (or tcp://), or
	// mqtts://host:port (or tls://, ssl://) for MQTT over TLS. A user name
	// and password in the URL are the broker's credentials unless Username
	// is set.
	URL string
	// Username and Password are the publisher's credentials at the broker,
	// if it wants any.
	Username string
	Password []byte
	// ClientID is the MQTT client identifier (default: "pub-" and 16
	// random hex digits).
	ClientID string
	// TLS configures mqtts:// connections (default: the system roots, the
	// URL's host name).
	TLS *tls.Config
	// JSON publishes readings as JSON (default: deterministic CBOR).
	JSON bool
}

// Publisher publishes readings signed elsewhere to an external MQTT 5
// broker, at QoS 1 on each reading's signed topic, where a gateway's Bridge
// takes them. It is the device side of the external-broker path for
// devices (or a relay of several) admitted to the gateway out of band —
// with POST /v1/admit, or by a gateway admitting them in its own process —
// since such a broker knows nothing of presentations. The broker's PUBACK
// says only that the broker has the reading; the gateway's verdict reaches
// the gateway's log and counters, not the publisher. Publish may be called
// from several goroutines.
type Publisher struct {
	client *paho.Client
	json   bool
}

// DialPublisher connects to the broker at cfg.URL with a clean session.
// Errors wrap ErrDevice.
func DialPublisher(ctx context.Context, cfg PublisherConfig) (*Publisher, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("%w: broker URL: %w", ErrDevice, err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%w: broker URL %q names no host", ErrDevice, cfg.URL)
	}
	if cfg.Username == "" && u.User != nil {
		cfg.Username = u.User.Username()
		if p, ok := u.User.Password(); ok {
			cfg.Password = []byte(p)
		}
	}
	if cfg.ClientID == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		cfg.ClientID = "pub-" + hex.EncodeToString(b[:])
	}
	var conn net.Conn
	switch u.Scheme {
	case "mqtt", "tcp":
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", u.Host)
	case "mqtts", "tls", "ssl":
		tc := cfg.TLS
		if tc == nil {
			tc = &tls.Config{ServerName: u.Hostname()}
		}
		d := tls.Dialer{Config: tc}
		conn, err = d.DialContext(ctx, "tcp", u.Host)
	default:
		return nil, fmt.Errorf("%w: broker URL scheme %q (want mqtt, tcp, mqtts, tls or ssl)", ErrDevice, u.Scheme)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDevice, err)
	}
	c, err := connectMQTT(ctx, conn, cfg.ClientID, cfg.Username, cfg.Password)
	if err != nil {
		return nil, err
	}
	return &Publisher{client: c, json: cfg.JSON}, nil
}

// Publish publishes s on its signed topic at QoS 1 and returns once the
// broker acknowledged it. The error wraps ErrDevice when no PUBACK came
// (connection lost, ctx done) or the broker refused the publish (a reason
// code of 0x80 or more, e.g. not authorized on the topic).
func (p *Publisher) Publish(ctx context.Context, s reading.Signed) error {
	var payload []byte
	var err error
	if p.json {
		payload, err = s.MarshalJSON()
	} else {
		payload, err = s.MarshalCBOR()
	}
	if err != nil {
		return err
	}
	pr, err := p.client.Publish(ctx, &paho.Publish{QoS: 1, Topic: s.Topic, Payload: payload})
	if pr == nil {
		return fmt.Errorf("%w: publish: %w", ErrDevice, err)
	}
	if pr.ReasonCode >= 0x80 {
		reason := ""
		if pr.Properties != nil {
			reason = pr.Properties.ReasonString
		}
		return fmt.Errorf("%w: broker refused the publish: %v %s", ErrDevice, Code(pr.ReasonCode), reason)
	}
	return nil
}

// Close disconnects from the broker.
func (p *Publisher) Close() error {
	return p.client.Disconnect(&paho.Disconnect{ReasonCode: 0})
}
