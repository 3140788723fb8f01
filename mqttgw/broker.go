package mqttgw

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/mochi-mqtt/server/v2/system"

	"github.com/iotrust/iotrust/internal/mochiflow"
	"github.com/iotrust/iotrust/vc"
)

// MaxPacketSize is the largest MQTT packet the embedded broker takes: a
// signed reading (reading.MaxSize) with room for the topic and properties,
// or a CONNECT whose password is a presentation of a few credentials.
const MaxPacketSize = 256 << 10

// DefaultReceiveMaximum is how many QoS 1 publishes a device may have
// unacknowledged at once on the embedded broker (MQTT 5 Receive Maximum,
// announced in CONNACK).
const DefaultReceiveMaximum = 64

// BrokerConfig configures an embedded broker.
type BrokerConfig struct {
	// Addr is the TCP address to listen on, e.g. "127.0.0.1:1883" (":0"
	// picks a free port; Addr reports it).
	Addr string
	// Admission admits devices at CONNECT (required).
	Admission *Admission
	// Ingester takes every publish (required).
	Ingester *Ingester
	// ReceiveMaximum is announced to devices (default
	// DefaultReceiveMaximum).
	ReceiveMaximum uint16
	// Logger receives the broker's and the hook's messages (default:
	// discarded).
	Logger *slog.Logger
}

// Broker is the embedded MQTT 5 broker of a gateway (mochi-mqtt): devices
// connect to it directly, are admitted at CONNECT by the presentation in
// their password, and each QoS 1 publish is answered by a PUBACK whose
// reason code says whether the gateway acknowledged the reading (see the
// package doc for the protocol). Publishes are taken by the gateway, not
// forwarded to subscribers.
type Broker struct {
	server    *mqtt.Server
	tcp       *listeners.TCP
	hook      *admissionHook
	closeOnce sync.Once
}

// NewBroker returns a broker for cfg, listening once Serve is called.
func NewBroker(cfg BrokerConfig) (*Broker, error) {
	if cfg.Admission == nil || cfg.Ingester == nil {
		return nil, fmt.Errorf("mqttgw: BrokerConfig needs Admission and Ingester")
	}
	if cfg.ReceiveMaximum == 0 {
		cfg.ReceiveMaximum = DefaultReceiveMaximum
	}
	caps := mqtt.NewDefaultServerCapabilities()
	caps.MaximumQos = 1
	caps.MaximumPacketSize = MaxPacketSize
	caps.ReceiveMaximum = cfg.ReceiveMaximum
	caps.RetainAvailable = 0
	caps.MaximumSessionExpiryInterval = 3600
	log := logger(cfg.Logger)
	s := mqtt.New(&mqtt.Options{Capabilities: caps, Logger: slog.New(brokerLog{log.Handler()})})
	h := &admissionHook{adm: cfg.Admission, in: cfg.Ingester, log: log, acks: &ackWriter{log: log},
		server: s, recvMax: int32(cfg.ReceiveMaximum)}
	cfg.Ingester.onCallDone(h.acks.flush)
	for _, hk := range []mqtt.Hook{h, new(mochiflow.NoSendQuota)} {
		if err := s.AddHook(hk, nil); err != nil {
			return nil, fmt.Errorf("mqttgw: %w", err)
		}
	}
	tcp := listeners.NewTCP(listeners.Config{ID: "devices", Address: cfg.Addr})
	if err := s.AddListener(tcp); err != nil {
		return nil, fmt.Errorf("mqttgw: listen %s: %w", cfg.Addr, err)
	}
	return &Broker{server: s, tcp: tcp, hook: h}, nil
}

// Serve starts accepting connections and returns.
func (b *Broker) Serve() error { return b.server.Serve() }

// Addr returns the address the broker listens on.
func (b *Broker) Addr() string { return b.tcp.Address() }

// Info returns the broker's counters (clients, packets, bytes, inflight),
// the PUBACKs the gateway wrote in groups included.
func (b *Broker) Info() *system.Info {
	info := b.server.Info.Clone()
	info.PacketsSent += int64(b.hook.acks.packets.Load())
	info.BytesSent += int64(b.hook.acks.bytes.Load())
	return info
}

// Connected returns how many admitted devices are connected.
func (b *Broker) Connected() int {
	n := 0
	b.hook.sessions.Range(func(any, any) bool { n++; return true })
	return n
}

// Close disconnects every client and stops listening. Publishes already
// taken are still answered by the Ingester (to clients still connected).
// Calls after the first do nothing.
func (b *Broker) Close() error {
	var err error
	b.closeOnce.Do(func() { err = b.server.Close() })
	return err
}

// admissionHook is the mochi hook that admits devices and routes their
// publishes to the Ingester.
type admissionHook struct {
	mqtt.HookBase
	adm      *Admission
	in       *Ingester
	log      *slog.Logger
	sessions sync.Map // *mqtt.Client → *session
	acks     *ackWriter
	server   *mqtt.Server // for DisconnectClient
	recvMax  int32        // the Receive Maximum announced to devices
}

// session is an admitted connection.
type session struct {
	device string
	acks   ackQueue
	// inflight counts its QoS 1 publishes taken and not yet decided: the
	// Receive Maximum the broker announced bounds it (the hook answers
	// publishes itself, so mochi does not count them).
	inflight atomic.Int32
}

func (h *admissionHook) ID() string { return "iotrust-admission" }

func (h *admissionHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mqtt.OnConnectAuthenticate, mqtt.OnSessionEstablished, mqtt.OnACLCheck, mqtt.OnPublish, mqtt.OnDisconnect}, []byte{b})
}

func (h *admissionHook) OnConnectAuthenticate(cl *mqtt.Client, pk packets.Packet) bool {
	user := string(pk.Connect.Username)
	var err error
	switch {
	case pk.ProtocolVersion < 5:
		// An MQTT 3 PUBACK has no reason code: a refused reading would
		// look stored to the device.
		err = fmt.Errorf("%w: MQTT %d; the gateway speaks MQTT 5 only", ErrAdmission, pk.ProtocolVersion)
	case user == "":
		err = fmt.Errorf("%w: no user name (the device's DID)", ErrAdmission)
	default:
		_, err = h.adm.AdmitAs(context.Background(), user, pk.Connect.Password)
	}
	if err != nil {
		h.log.Info("connection refused", "client", trunc(cl.ID), "remote", cl.Net.Remote, "err", err)
		return false
	}
	return true
}

// OnSessionEstablished records an admitted connection once its CONNACK is
// out: mochi calls OnDisconnect only for those, so a connection lost
// before (a CONNACK that cannot be written) is never recorded to leak.
// The user name is the DID OnConnectAuthenticate admitted.
func (h *admissionHook) OnSessionEstablished(cl *mqtt.Client, pk packets.Packet) {
	h.sessions.Store(cl, &session{device: string(pk.Connect.Username), acks: ackQueue{cl: cl}})
}

func (h *admissionHook) OnACLCheck(cl *mqtt.Client, topic string, write bool) bool {
	if write {
		return true // decided per reading in OnPublish, with a reason code
	}
	ss, ok := h.sessions.Load(cl)
	if !ok {
		return false
	}
	return h.adm.Authorizer().Authorize(context.Background(), ss.(*session).device, vc.ActionRead, topic) == nil
}

func (h *admissionHook) OnDisconnect(cl *mqtt.Client, err error, expire bool) {
	h.sessions.Delete(cl)
}

func (h *admissionHook) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	v, ok := h.sessions.Load(cl)
	if !ok {
		return pk, packets.ErrNotAuthorized
	}
	ss := v.(*session)
	qos, id := pk.FixedHeader.Qos, pk.PacketID
	if qos > 0 && ss.inflight.Add(1) > h.recvMax {
		// MQTT 5.0 §3.3.4: a client beyond the Receive Maximum it was given
		// is disconnected with 0x93.
		ss.inflight.Add(-1)
		h.log.Info("device disconnected: more publishes in flight than its Receive Maximum", "device", trunc(ss.device), "max", h.recvMax)
		_ = h.server.DisconnectClient(cl, packets.ErrReceiveMaximum)
		return pk, packets.ErrRejectPacket
	}
	// A publish refused before it is queued is answered at once; one the
	// Ingester decides in a SubmitBatch call is answered with the others
	// of that call (ackWriter).
	var queued atomic.Bool
	h.in.Submit(context.Background(), ss.device, pk.TopicName, pk.Payload, func(err error) {
		if qos == 0 {
			return
		}
		ss.inflight.Add(-1)
		ack := packets.Packet{
			FixedHeader: packets.FixedHeader{Type: packets.Puback},
			PacketID:    id,
			ReasonCode:  byte(CodeOf(err)),
		}
		if err != nil {
			ack.Properties.ReasonString = reasonString(err)
		}
		if queued.Load() {
			h.acks.add(&ss.acks, ack)
			return
		}
		if werr := cl.WritePacket(ack); werr != nil && !errors.Is(werr, mqtt.ErrConnectionClosed) {
			h.log.Warn("PUBACK not sent", "client", trunc(cl.ID), "err", werr)
		}
	})
	queued.Store(true)
	// The hook answers the publish itself, once the gateway has decided.
	return pk, packets.ErrRejectPacket
}

// reasonString is the MQTT 5 Reason String of a refusal: the error,
// bounded.
func reasonString(err error) string {
	s := err.Error()
	if len(s) > 256 {
		s = s[:256]
	}
	return s
}

// brokerLog is the broker's logger: the caller's, except that the broker
// library's unnamed warning when a device connection ends with an error
// (a device that drops its connection, or one closed at shutdown) becomes
// a debug record named "device connection ended", so a gateway's log stays
// quiet about what happens every time a device goes away.
type brokerLog struct{ h slog.Handler }

func (b brokerLog) Enabled(ctx context.Context, l slog.Level) bool { return b.h.Enabled(ctx, l) }

func (b brokerLog) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "" && r.Level == slog.LevelWarn {
		if !b.h.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		d := slog.NewRecord(r.Time, slog.LevelDebug, "device connection ended", r.PC)
		r.Attrs(func(a slog.Attr) bool { d.AddAttrs(a); return true })
		r = d
	}
	return b.h.Handle(ctx, r)
}

func (b brokerLog) WithAttrs(as []slog.Attr) slog.Handler { return brokerLog{b.h.WithAttrs(as)} }

func (b brokerLog) WithGroup(name string) slog.Handler { return brokerLog{b.h.WithGroup(name)} }
