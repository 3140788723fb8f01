package mqttgw

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
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

// maxQoS is the Maximum QoS the embedded broker announces in CONNACK.
const maxQoS = 1

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
	caps.MaximumQos = maxQoS
	caps.MaximumPacketSize = MaxPacketSize
	caps.ReceiveMaximum = cfg.ReceiveMaximum
	caps.RetainAvailable = 0
	caps.MaximumSessionExpiryInterval = 3600
	// A connected device is held (never evicted), so the broker takes no
	// more connections than devices may be admitted: one more is answered
	// 0x89 (server busy) before its presentation is verified.
	caps.MaximumClients = int64(cfg.Admission.cfg.MaxDevices)
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
	if err := s.AddListener(devicesListener{TCP: tcp, ended: h.connectionEnded}); err != nil {
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

// Disconnects returns how many devices the broker disconnected because
// they broke a limit its CONNACK announced, by the DISCONNECT's reason
// code: 0x93 (more QoS 1 publishes in flight than the Receive Maximum),
// 0x9A (a PUBLISH with RETAIN set: Retain Available is 0) and 0x9B (a
// PUBLISH at QoS 2: Maximum QoS is 1). The publish that broke the limit
// was neither taken nor acknowledged. Codes never used are left out.
func (b *Broker) Disconnects() map[Code]uint64 {
	out := map[Code]uint64{}
	for i, c := range limitCodes {
		if n := b.hook.disconnects[i].Load(); n > 0 {
			out[Code(c.Code)] = n
		}
	}
	return out
}

// The limits a device can break, indexes of limitCodes and of
// admissionHook.disconnects.
const (
	limitReceiveMaximum = iota
	limitRetain
	limitQoS
	limits
)

// limitCodes are the DISCONNECT reason codes of Broker.Disconnects, by
// limit.
var limitCodes = [limits]packets.Code{
	limitReceiveMaximum: packets.ErrReceiveMaximum,
	limitRetain:         packets.ErrRetainNotSupported,
	limitQoS:            packets.ErrQosNotSupported,
}

// disconnectReason names a code of Broker.Disconnects as MQTT 5 does.
func disconnectReason(c Code) string {
	for _, l := range limitCodes {
		if byte(c) == l.Code {
			return l.Reason
		}
	}
	return c.String()
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
	// attaching holds the admitted clients the broker library has added to
	// its client map and whose end OnDisconnect has not seen yet, by
	// connection (net.Conn → *mqtt.Client): see connectionEnded.
	attaching sync.Map
	// disconnects counts the devices disconnected for each of limitCodes.
	disconnects [limits]atomic.Uint64
}

// session is an admitted connection.
type session struct {
	device string
	acks   ackQueue
	// inflight counts its QoS 1 publishes taken and not yet decided: the
	// Receive Maximum the broker announced bounds it (the hook answers
	// publishes itself, so mochi does not count them).
	inflight atomic.Int32
	// release ends the connection's hold on its device (Admission.Hold).
	release func()
}

func (h *admissionHook) ID() string { return "iotrust-admission" }

func (h *admissionHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mqtt.OnConnectAuthenticate, mqtt.OnSessionEstablish, mqtt.OnSessionEstablished,
		mqtt.OnACLCheck, mqtt.OnPacketRead, mqtt.OnPublish, mqtt.OnDisconnect}, []byte{b})
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

// OnSessionEstablish runs just before the broker library adds an admitted
// client to its client map and writes the CONNACK: the client is noted
// until OnDisconnect, so that connectionEnded can remove it if the library
// does not.
func (h *admissionHook) OnSessionEstablish(cl *mqtt.Client, pk packets.Packet) {
	h.attaching.Store(cl.Net.Conn, cl)
}

// OnSessionEstablished records an admitted connection once its CONNACK is
// out: mochi calls OnDisconnect only for those, so a connection lost
// before (a CONNACK that cannot be written) is never recorded to leak.
// The user name is the DID OnConnectAuthenticate admitted.
func (h *admissionHook) OnSessionEstablished(cl *mqtt.Client, pk packets.Packet) {
	device := string(pk.Connect.Username)
	h.sessions.Store(cl, &session{device: device, acks: ackQueue{cl: cl}, release: h.adm.Hold(device)})
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
	h.endSession(cl)
	h.attaching.Delete(cl.Net.Conn)
}

// endSession forgets cl's session, releasing its device.
func (h *admissionHook) endSession(cl *mqtt.Client) {
	if v, ok := h.sessions.LoadAndDelete(cl); ok {
		v.(*session).release()
	}
}

// connectionEnded runs once the broker library is done with connection c.
// mochi v2.7.9 (Server.attachClient) adds an admitted client to its client
// map before it writes the CONNACK, and when that write fails (the device
// reset the connection meanwhile) or resending an inherited session's
// messages does, it returns without calling OnDisconnect and without the
// cleanup that follows it: the client stayed in the map, one per such
// connection, for an hour (the MaximumSessionExpiryInterval its expiry
// sweep then applies). connectionEnded does that cleanup as the library
// would have at a disconnect: a session that was to end with its
// connection (Session Expiry Interval 0) is removed, unless another
// connection took it over; one the device asked to keep stays until it
// expires, as after any disconnect.
func (h *admissionHook) connectionEnded(c net.Conn) {
	v, ok := h.attaching.LoadAndDelete(c)
	if !ok {
		return // not admitted, or OnDisconnect ran
	}
	cl := v.(*mqtt.Client)
	h.endSession(cl)
	expire := (cl.Properties.ProtocolVersion == 5 && cl.Properties.Props.SessionExpiryInterval == 0) ||
		(cl.Properties.ProtocolVersion < 5 && cl.Properties.Clean)
	if !expire || cl.IsTakenOver() {
		return
	}
	cl.ClearInflights()
	h.server.UnsubscribeClient(cl)
	// A connection under the same client identifier that found this
	// client in the map has marked it taken over before putting itself
	// there. One that did not find it (both admitted at the same moment)
	// could still put itself there between Get and Delete and lose its
	// entry: the library's own cleanup, a delete by identifier, has the
	// same window, and the map offers no compare-and-delete.
	if cur, ok := h.server.Clients.Get(cl.ID); ok && cur == cl {
		h.server.Clients.Delete(cl.ID)
	}
	h.log.Debug("connection lost before its session was established", "client", trunc(cl.ID), "remote", cl.Net.Remote)
}

// OnPacketRead refuses a PUBLISH that breaks what the CONNACK announced,
// as it arrives: the broker library would lower a QoS 2 publish to QoS 1
// and ignore RETAIN before OnPublish, which would then take and
// acknowledge its reading. MQTT 5.0 §3.3.1.2 and §3.3.1.3: QoS above the
// Maximum QoS is answered with DISCONNECT 0x9B, RETAIN when Retain
// Available is 0 with DISCONNECT 0x9A.
func (h *admissionHook) OnPacketRead(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	if pk.FixedHeader.Type != packets.Publish {
		return pk, nil
	}
	switch {
	case pk.FixedHeader.Qos > maxQoS:
		h.disconnect(cl, limitQoS, "device disconnected: publish at QoS 2, above the Maximum QoS announced")
	case pk.FixedHeader.Retain:
		h.disconnect(cl, limitRetain, "device disconnected: retained publish, retained messages are not available")
	default:
		return pk, nil
	}
	// The library ends the connection on this error, without processing
	// the packet.
	return pk, packets.ErrRejectPacket
}

// disconnect disconnects cl for breaking limit i, counting and logging it.
func (h *admissionHook) disconnect(cl *mqtt.Client, i int, msg string, attrs ...any) {
	h.disconnects[i].Add(1)
	device := ""
	if v, ok := h.sessions.Load(cl); ok {
		device = v.(*session).device
	}
	h.log.Info(msg, append([]any{"device", trunc(device), "client", trunc(cl.ID)}, attrs...)...)
	_ = h.server.DisconnectClient(cl, limitCodes[i])
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
		h.disconnect(cl, limitReceiveMaximum, "device disconnected: more publishes in flight than its Receive Maximum", "max", h.recvMax)
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

// devicesListener is the embedded broker's TCP listener: it calls ended
// with each connection once the broker library is done with it.
type devicesListener struct {
	*listeners.TCP
	ended func(net.Conn)
}

// Serve serves the TCP listener, calling l.ended after each connection.
func (l devicesListener) Serve(establish listeners.EstablishFn) {
	l.TCP.Serve(func(id string, c net.Conn) error {
		defer l.ended(c)
		return establish(id, c)
	})
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
