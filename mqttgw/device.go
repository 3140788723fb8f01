package mqttgw

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/eclipse/paho.golang/paho"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

// ErrDevice reports a device-side failure: the gateway's HTTP API or the
// broker could not be reached, or refused the connection.
var ErrDevice = errors.New("mqttgw: device connection failed")

// DeviceConfig configures a Device.
type DeviceConfig struct {
	// Broker is the MQTT broker's TCP address, "host:port".
	Broker string
	// API is the gateway's HTTP base URL, e.g. "http://127.0.0.1:8080",
	// where the device fetches its challenge (GET /v1/challenge).
	API string
	// Key is the device's key; its DID is the device's identity.
	Key did.PrivateKey
	// Credentials are the device's credentials as issued (JWT or Data
	// Integrity JSON), presented at admission.
	Credentials [][]byte
	// AdmitOverHTTP admits the device by POST /v1/admit instead of in the
	// CONNECT password: for an external broker, which knows nothing of
	// presentations. Username and Password are then the broker's own
	// credentials, if it wants any.
	AdmitOverHTTP bool
	Username      string
	Password      []byte
	// ClientID is the MQTT client identifier (default: "dev-" and 16
	// random hex digits).
	ClientID string
	// JSON publishes readings as JSON (default: deterministic CBOR).
	JSON bool
	// HTTPClient is used for the API (default http.DefaultClient).
	HTTPClient *http.Client
}

// Device is the device side of the protocol in the package doc, for
// simulators, tests and devices that run Go: it fetches a challenge,
// presents its credentials, connects over MQTT 5 and publishes signed
// readings at QoS 1, returning the gateway's PUBACK reason code for each.
// Publish may be called from several goroutines.
type Device struct {
	cfg    DeviceConfig
	did    string
	client *paho.Client
	mu     sync.Mutex
	seq    uint64
}

// FetchChallenge gets a challenge from the gateway's HTTP API at api.
func FetchChallenge(ctx context.Context, hc *http.Client, api string) (did.Challenge, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(api, "/")+"/v1/challenge", nil)
	if err != nil {
		return did.Challenge{}, fmt.Errorf("%w: %w", ErrDevice, err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return did.Challenge{}, fmt.Errorf("%w: %w", ErrDevice, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return did.Challenge{}, fmt.Errorf("%w: %w", ErrDevice, err)
	}
	if resp.StatusCode != http.StatusOK {
		return did.Challenge{}, fmt.Errorf("%w: challenge: HTTP %d", ErrDevice, resp.StatusCode)
	}
	var c did.Challenge
	if err := c.UnmarshalJSON(bytes.TrimSpace(b)); err != nil {
		return did.Challenge{}, fmt.Errorf("%w: %w", ErrDevice, err)
	}
	return c, nil
}

// Present fetches a challenge from the gateway at api and answers it with
// a presentation of creds signed by key at the device's clock.
func Present(ctx context.Context, hc *http.Client, api string, key did.PrivateKey, creds [][]byte) (string, error) {
	h, err := vc.NewHolder(key)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrDevice, err)
	}
	c, err := FetchChallenge(ctx, hc, api)
	if err != nil {
		return "", err
	}
	vp, err := h.PresentJWT(creds, c, time.Now())
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrDevice, err)
	}
	return vp, nil
}

// ConnectDevice admits the device and connects it to the broker.
func ConnectDevice(ctx context.Context, cfg DeviceConfig) (*Device, error) {
	id, err := did.New(cfg.Key.Public())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDevice, err)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	vp, err := Present(ctx, hc, cfg.API, cfg.Key, cfg.Credentials)
	if err != nil {
		return nil, err
	}
	user, pass := id, []byte(vp)
	if cfg.AdmitOverHTTP {
		if err := postAdmit(ctx, hc, cfg.API, vp); err != nil {
			return nil, err
		}
		user, pass = cfg.Username, cfg.Password
	}
	if cfg.ClientID == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		cfg.ClientID = "dev-" + hex.EncodeToString(b[:])
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", cfg.Broker)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDevice, err)
	}
	c, err := connectMQTT(ctx, conn, cfg.ClientID, user, pass)
	if err != nil {
		return nil, err
	}
	return &Device{cfg: cfg, did: id, client: c}, nil
}

// connectMQTT opens an MQTT 5 session on conn (clean start, 30 s keep-alive)
// with the given credentials; on failure it closes conn and says why,
// with the CONNACK's reason when the broker sent one.
func connectMQTT(ctx context.Context, conn net.Conn, clientID, user string, pass []byte) (*paho.Client, error) {
	c := paho.NewClient(paho.ClientConfig{ClientID: clientID, Conn: conn})
	cp := &paho.Connect{ClientID: clientID, KeepAlive: 30, CleanStart: true,
		Username: user, UsernameFlag: user != "", Password: pass, PasswordFlag: len(pass) > 0}
	ca, err := c.Connect(ctx, cp)
	if err != nil {
		conn.Close()
		if ca != nil {
			return nil, fmt.Errorf("%w: CONNACK 0x%02x %s", ErrDevice, ca.ReasonCode, ca.Properties.ReasonString)
		}
		return nil, fmt.Errorf("%w: %w", ErrDevice, err)
	}
	return c, nil
}

func postAdmit(ctx context.Context, hc *http.Client, api, vp string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(api, "/")+"/v1/admit", strings.NewReader(vp))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDevice, err)
	}
	req.Header.Set("Content-Type", "application/jwt")
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDevice, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("%w: admit: HTTP %d %s", ErrDevice, resp.StatusCode, bytes.TrimSpace(b))
	}
	return nil
}

// DID returns the device's DID.
func (d *Device) DID() string { return d.did }

// Sign fills r's Device, and its Seq (the next sequence number) and Time
// (now, whole milliseconds) when zero, and signs it with the device's key.
func (d *Device) Sign(r reading.Reading) (reading.Signed, error) {
	r.Device = d.did
	d.mu.Lock()
	if r.Seq == 0 {
		d.seq++
		r.Seq = d.seq
	} else if r.Seq > d.seq {
		d.seq = r.Seq
	}
	d.mu.Unlock()
	if r.Time.IsZero() {
		r.Time = time.Now().Truncate(time.Millisecond)
	}
	return reading.Sign(d.cfg.Key, r)
}

// Publish signs r (see Sign) and publishes it; see PublishSigned.
func (d *Device) Publish(ctx context.Context, r reading.Reading) (reading.Signed, Code, error) {
	s, err := d.Sign(r)
	if err != nil {
		return s, CodeNoAnswer, err
	}
	code, err := d.PublishSigned(ctx, s)
	return s, code, err
}

// PublishSigned publishes s on its topic at QoS 1 and returns the PUBACK's
// reason code: CodeSuccess once the gateway acknowledged it. The error is
// non-nil only when no PUBACK came (connection lost, ctx done), and the
// code is then CodeNoAnswer; PublishSignedReason also returns a refusal's
// reason string.
func (d *Device) PublishSigned(ctx context.Context, s reading.Signed) (Code, error) {
	code, _, err := d.PublishSignedReason(ctx, s)
	return code, err
}

// PublishSignedReason is PublishSigned that also returns the PUBACK's
// Reason String.
func (d *Device) PublishSignedReason(ctx context.Context, s reading.Signed) (Code, string, error) {
	var payload []byte
	var err error
	if d.cfg.JSON {
		payload, err = s.MarshalJSON()
	} else {
		payload, err = s.MarshalCBOR()
	}
	if err != nil {
		return CodeNoAnswer, "", err
	}
	return d.PublishRaw(ctx, s.Topic, payload)
}

// PublishRaw publishes payload on topic at QoS 1 and returns the PUBACK's
// reason code and reason string, or CodeNoAnswer and an error when no
// PUBACK came.
func (d *Device) PublishRaw(ctx context.Context, topic string, payload []byte) (Code, string, error) {
	pr, err := d.client.Publish(ctx, &paho.Publish{QoS: 1, Topic: topic, Payload: payload})
	if pr != nil {
		reason := ""
		if pr.Properties != nil {
			reason = pr.Properties.ReasonString
		}
		return Code(pr.ReasonCode), reason, nil
	}
	return CodeNoAnswer, "", fmt.Errorf("%w: publish: %w", ErrDevice, err)
}

// Close disconnects the device.
func (d *Device) Close() error {
	return d.client.Disconnect(&paho.Disconnect{ReasonCode: 0})
}
