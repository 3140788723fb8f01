package mqttgw_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/packets"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

// wireDevice is a device for load generation that costs the machine as
// little as a device can: it is admitted as the protocol says (challenge,
// presentation in the CONNECT password), then writes PUBLISH packets
// encoded ahead of time straight onto its connection, as many as its
// window of unacknowledged publishes allows in one write, and reads the
// PUBACKs with paho's packet decoder. The broker sees ordinary MQTT 5
// QoS 1 traffic; only the client library's per-publish work is gone, which
// on a real deployment runs on the devices, not on the gateway's cores.
type wireDevice struct {
	did  string
	key  did.PrivateKey
	conn net.Conn
	br   *bufio.Reader
}

func (s *stack) newWireDevice(t testing.TB, filters ...string) *wireDevice {
	t.Helper()
	k, id, _, vp := s.present(t, filters...)
	conn, err := net.Dial("tcp", s.brokerAddr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.Write(connectPacket(t, "wire-"+id[len(id)-12:], id, vp)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReaderSize(conn, 16<<10)
	ack, err := packets.ReadPacket(br)
	if err != nil {
		t.Fatal(err)
	}
	if ca, ok := ack.Content.(*packets.Connack); !ok || ca.ReasonCode != 0 {
		t.Fatalf("CONNACK: %+v", ack.Content)
	}
	return &wireDevice{did: id, key: k, conn: conn, br: br}
}

// present makes a device key with a credential for filters and the
// presentation it logs in with: what a device holds when it connects.
func (s *stack) present(t testing.TB, filters ...string) (k did.PrivateKey, id string, cred []byte, vp string) {
	t.Helper()
	k, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if id, err = did.New(k.Public()); err != nil {
		t.Fatal(err)
	}
	cred, _ = s.issuer.credential(t, k, filters...)
	if vp, err = mqttgw.Present(context.Background(), nil, s.api.URL, k, [][]byte{cred}); err != nil {
		t.Fatal(err)
	}
	return k, id, cred, vp
}

// connectPacket returns an MQTT 5 CONNECT (clean start, 30 s keep-alive)
// logging in as device id with presentation vp.
func connectPacket(t testing.TB, clientID, id, vp string) []byte {
	t.Helper()
	cp := packets.NewControlPacket(packets.CONNECT)
	c := cp.Content.(*packets.Connect)
	c.ProtocolName, c.ProtocolVersion = "MQTT", 5
	c.ClientID, c.CleanStart, c.KeepAlive = clientID, true, 30
	c.UsernameFlag, c.Username = true, id
	c.PasswordFlag, c.Password = true, []byte(vp)
	var buf bytes.Buffer
	if _, err := cp.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encode returns the QoS 1 PUBLISH packets of rs, in deterministic CBOR as
// a Device sends them, with packet identifiers 1, 2, …
func (w *wireDevice) encode(t testing.TB, rs []reading.Signed) [][]byte {
	t.Helper()
	out := make([][]byte, len(rs))
	for i, r := range rs {
		payload, err := r.MarshalCBOR()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		p := &packets.Publish{QoS: 1, Topic: r.Topic, PacketID: uint16(i%65535 + 1), Payload: payload, Properties: &packets.Properties{}}
		if _, err := p.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		out[i] = buf.Bytes()
	}
	return out
}

// send publishes the encoded packets in order with at most inflight
// unacknowledged, and returns how many PUBACKs carried each reason code.
// Packet identifiers are reused only after their PUBACK, so inflight must
// stay far below 65535.
func (w *wireDevice) send(pkts [][]byte, inflight int) (map[mqttgw.Code]int, error) {
	codes := map[mqttgw.Code]int{}
	room := make(chan struct{}, inflight)
	var readErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range pkts {
			cp, err := packets.ReadPacket(w.br)
			if err != nil {
				readErr = err
				return
			}
			pa, ok := cp.Content.(*packets.Puback)
			if !ok {
				readErr = fmt.Errorf("got %T, want PUBACK", cp.Content)
				return
			}
			codes[mqttgw.Code(pa.ReasonCode)]++
			<-room
		}
	}()
	bufs := make(net.Buffers, 0, inflight)
	for i := 0; i < len(pkts); {
		room <- struct{}{} // wait for room for at least one
		batch := append(bufs[:0], pkts[i])
		i++
		for i < len(pkts) {
			select {
			case room <- struct{}{}:
				batch = append(batch, pkts[i])
				i++
				continue
			default:
			}
			break
		}
		if _, err := batch.WriteTo(w.conn); err != nil {
			w.conn.Close()
			wg.Wait()
			return codes, err
		}
	}
	wg.Wait()
	return codes, readErr
}

// TestPubacksInGroups: PUBACKs decided together are written together, and
// each still carries its own packet identifier, reason code and reason
// string; a publish refused before it is queued is answered too, and the
// broker's counters include every PUBACK.
func TestPubacksInGroups(t *testing.T) {
	s := newStack(t, stackOpts{})
	w := s.newWireDevice(t, "group/#")
	before := s.broker.Info().PacketsSent
	base := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	var rs []reading.Signed
	for j := range 60 { // within the Receive Maximum
		r, err := reading.Sign(w.key, reading.Reading{Device: w.did, Seq: uint64(j + 1), Topic: "group/temp",
			Time: base.Add(time.Duration(j) * time.Millisecond), Sensor: "temperature", Value: int64(j), Scale: 2, Unit: "Cel"})
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	// Another reading under a sequence number already taken: a replay the
	// gateway refuses inside a SubmitBatch call.
	replay, err := reading.Sign(w.key, reading.Reading{Device: w.did, Seq: 50, Topic: "group/temp",
		Time: base, Sensor: "temperature", Value: 9999, Scale: 2, Unit: "Cel"})
	if err != nil {
		t.Fatal(err)
	}
	pkts := w.encode(t, append(rs, replay))
	// And a publish whose MQTT topic is not the reading's: refused before
	// it is queued.
	payload, _ := rs[0].MarshalCBOR()
	var buf bytes.Buffer
	if _, err := (&packets.Publish{QoS: 1, Topic: "group/other", PacketID: 1000, Payload: payload, Properties: &packets.Properties{}}).WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	pkts = append(pkts, buf.Bytes())
	// The replay must arrive after the reading it replays was decided.
	if _, err := w.conn.Write(bytes.Join(pkts[:60], nil)); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		code   mqttgw.Code
		reason string
	}
	got := map[uint16]answer{}
	read := func(n int) {
		for range n {
			cp, err := packets.ReadPacket(w.br)
			if err != nil {
				t.Fatal(err)
			}
			pa, ok := cp.Content.(*packets.Puback)
			if !ok {
				t.Fatalf("got %T, want PUBACK", cp.Content)
			}
			if _, dup := got[pa.PacketID]; dup {
				t.Fatalf("two PUBACKs for packet %d", pa.PacketID)
			}
			a := answer{code: mqttgw.Code(pa.ReasonCode)}
			if pa.Properties != nil {
				a.reason = pa.Properties.ReasonString
			}
			got[pa.PacketID] = a
		}
	}
	read(60)
	if _, err := w.conn.Write(bytes.Join(pkts[60:], nil)); err != nil {
		t.Fatal(err)
	}
	read(2)
	for i := range 60 {
		if a := got[uint16(i+1)]; a.code != mqttgw.CodeSuccess {
			t.Errorf("packet %d: %v %q, want success", i+1, a.code, a.reason)
		}
	}
	if a := got[61]; a.code != mqttgw.CodeImplementationSpecific || !strings.Contains(a.reason, "already accepted") {
		t.Errorf("replay: %v %q, want 0x83 saying the sequence number was already accepted", a.code, a.reason)
	}
	if a := got[1000]; a.code != mqttgw.CodeTopicNameInvalid || a.reason == "" {
		t.Errorf("topic mismatch: %v %q, want 0x90 with a reason", a.code, a.reason)
	}
	// The counters move once a write has returned, just after the device
	// read what it wrote.
	sent := s.broker.Info().PacketsSent - before
	for deadline := time.Now().Add(5 * time.Second); sent < 62 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
		sent = s.broker.Info().PacketsSent - before
	}
	if sent < 62 {
		t.Errorf("broker counted %d packets sent, want at least the 62 PUBACKs", sent)
	}
}

// runWireLoad is runLoad with wireDevices: devices publish pre-encoded
// readings at a fixed total rate for a fixed time, each with at most
// l.inflight unacknowledged, and every publish due at a tick goes out in
// one write. The load generator's own cost stays small, so the latencies
// are the gateway's, not a client library's. l.overHTTP and l.broker are
// not supported.
func runWireLoad(t testing.TB, s *stack, l load) *loadResult {
	t.Helper()
	if l.inflight == 0 {
		l.inflight = 64
	}
	per := int(l.rate*l.duration.Seconds())/l.devices + 2
	type dev struct {
		w    *wireDevice
		rs   []reading.Signed
		pkts [][]byte
	}
	devs := make([]dev, l.devices)
	base := time.Now().Truncate(time.Millisecond)
	for i := range devs {
		w := s.newWireDevice(t, fmt.Sprintf("%s/%d/#", l.topic, i))
		rs := make([]reading.Signed, per)
		for j := range rs {
			r, err := reading.Sign(w.key, reading.Reading{Device: w.did, Seq: uint64(j + 1), Topic: fmt.Sprintf("%s/%d/temp", l.topic, i),
				Time: base.Add(time.Duration(j) * time.Millisecond), Sensor: "temperature", Value: int64(300 + (i*7+j)%400), Scale: 2, Unit: "Cel"})
			if err != nil {
				t.Fatal(err)
			}
			rs[j] = r
		}
		devs[i] = dev{w: w, rs: rs, pkts: w.encode(t, rs)}
	}

	res := &loadResult{codes: map[mqttgw.Code]int{}}
	var mu sync.Mutex
	var offered, late atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for i := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := devs[i]
			sent := make([]atomic.Int64, len(d.pkts)) // when each packet went out, in ns since start
			room := make(chan struct{}, l.inflight)
			read := make(chan struct{})
			go func() { // the PUBACKs, until the connection is closed
				defer close(read)
				for {
					cp, err := packets.ReadPacket(d.w.br)
					if err != nil {
						return
					}
					pa, ok := cp.Content.(*packets.Puback)
					if !ok || pa.PacketID == 0 || int(pa.PacketID) > len(d.pkts) {
						return
					}
					k := int(pa.PacketID) - 1
					lat := time.Since(start) - time.Duration(sent[k].Load())
					code := mqttgw.Code(pa.ReasonCode)
					mu.Lock()
					res.codes[code]++
					if code == mqttgw.CodeSuccess {
						res.acked = append(res.acked, d.rs[k])
						res.latencies = append(res.latencies, lat)
					}
					mu.Unlock()
					<-room
				}
			}()
			bufs := make(net.Buffers, 0, l.inflight)
			failed := false
			pace(l, start, len(d.pkts), room, &late, func(lo, hi int) bool {
				batch := bufs[:0]
				for k := lo; k < hi; k++ {
					sent[k].Store(int64(time.Since(start)))
					batch = append(batch, d.pkts[k])
				}
				offered.Add(int64(hi - lo))
				if _, err := batch.WriteTo(d.w.conn); err != nil {
					t.Errorf("device %d: %v", i, err)
					failed = true
					return false
				}
				return true
			})
			for k := 0; k < l.inflight && !failed; k++ { // every PUBACK is in
				select {
				case room <- struct{}{}:
				case <-read: // the connection ended first
					t.Errorf("device %d: connection ended with publishes unanswered", i)
					failed = true
				}
			}
			d.w.conn.Close()
			<-read
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.offered = int(offered.Load())
	res.late = int(late.Load())
	return res
}

// TestCloseTwice: the broker, the ingester, a device and a publisher can
// each be closed twice; the second close neither panics nor hangs.
func TestCloseTwice(t *testing.T) {
	s := newStack(t, stackOpts{})
	d, _, _ := s.newDevice(t, "twice/#")
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	_ = d.Close() // an error is fine: the session is gone
	if err := s.broker.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.broker.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	s.in.Close()
	s.in.Close()
}
