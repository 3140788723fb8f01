package mqttgw_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"net"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/packets"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

// connect311 sends an MQTT 3.1.1 CONNECT with user and pass on a new
// connection to addr and returns the CONNACK's return code. (paho's packet
// encoder writes MQTT 5 only, so this one is by hand.)
func connect311(t *testing.T, addr, user string, pass []byte) byte {
	t.Helper()
	str := func(b []byte) []byte { return append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...) }
	var body []byte
	body = append(body, str([]byte("MQTT"))...)
	body = append(body, 4, 0xC2, 0, 30) // level 4 (3.1.1); user, password, clean session; keep-alive 30 s
	body = append(body, str([]byte("v311-client"))...)
	body = append(body, str([]byte(user))...)
	body = append(body, str(pass)...)
	pkt := binary.AppendUvarint([]byte{0x10}, uint64(len(body))) // MQTT's variable byte integer has the same layout
	pkt = append(pkt, body...)
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(pkt); err != nil {
		t.Fatal(err)
	}
	ack := make([]byte, 4)
	if _, err := io.ReadFull(c, ack); err != nil {
		t.Fatalf("no CONNACK: %v", err)
	}
	if !bytes.Equal(ack[:3], []byte{0x20, 2, 0}) {
		t.Fatalf("not a 3.1.1 CONNACK: % x", ack)
	}
	return ack[3]
}

// TestMQTT311Refused: a device with a valid presentation is refused when
// it speaks MQTT 3.1.1, whose PUBACK cannot carry a refusal's reason code
// (a refused reading would look stored to it).
func TestMQTT311Refused(t *testing.T) {
	s := newStack(t, stackOpts{})
	k, id, cred, vp := s.present(t, "coldchain/truck-1/#")
	if rc := connect311(t, s.brokerAddr(), id, []byte(vp)); rc == 0 {
		t.Fatal("MQTT 3.1.1 connection with a valid presentation accepted")
	}
	// The same device over MQTT 5 is admitted.
	d, err := mqttgw.ConnectDevice(context.Background(), mqttgw.DeviceConfig{
		Broker: s.brokerAddr(), API: s.api.URL, Key: k, Credentials: [][]byte{cred},
	})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
}

// TestPublishWithoutAnswerIsNotSuccess: a publish that got no PUBACK (the
// reading could not be signed, the connection is gone) returns an error
// and CodeNoAnswer, never CodeSuccess.
func TestPublishWithoutAnswerIsNotSuccess(t *testing.T) {
	s := newStack(t, stackOpts{})
	d, _, _ := s.newDevice(t, "coldchain/truck-1/#")
	ctx := context.Background()
	if _, code, err := d.Publish(ctx, temp("bad topic!", 1)); err == nil || code != mqttgw.CodeNoAnswer {
		t.Fatalf("reading that cannot be signed: code %v, err %v", code, err)
	}
	d.Close()
	if _, code, err := d.Publish(ctx, temp("coldchain/truck-1/temp", 1)); err == nil || code != mqttgw.CodeNoAnswer {
		t.Fatalf("publish on a closed connection: code %v, err %v", code, err)
	}
}

// TestConnectionLostBeforeConnack: admitted connections that are gone
// before their CONNACK could be written are not counted as connected, and
// neither the gateway nor the broker library keeps them.
func TestConnectionLostBeforeConnack(t *testing.T) {
	s := newStack(t, stackOpts{})
	const lost = 40
	for i := range lost {
		_, id, _, vp := s.present(t, "coldchain/truck-1/#")
		c, err := net.DialTimeout("tcp", s.brokerAddr(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		// Each under a client identifier of its own, as devices have:
		// one identifier would only ever leave its last session behind.
		if _, err := c.Write(connectPacket(t, fmt.Sprintf("reset-client-%d", i), id, vp)); err != nil {
			t.Fatal(err)
		}
		c.(*net.TCPConn).SetLinger(0) // close with a reset, before the CONNACK
		c.Close()
	}
	// A live device beside them, and time for the broker to decide the
	// lost ones.
	d, _, _ := s.newDevice(t, "coldchain/truck-2/#")
	if _, code, err := d.Publish(context.Background(), temp("coldchain/truck-2/temp", 1)); err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("publish: %v %v", code, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for (s.broker.Connected() != 1 || mqttgw.BrokerClients(s.broker) != 1) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.broker.Connected(); n != 1 {
		t.Fatalf("Connected() = %d after %d connections lost before their CONNACK and 1 live", n, lost)
	}
	if n := mqttgw.BrokerClients(s.broker); n != 1 {
		t.Fatalf("the broker library keeps %d clients after %d connections lost before their CONNACK and 1 live", n, lost)
	}
}

// TestReceiveMaximumEnforced: a device that sends more QoS 1 publishes
// than the Receive Maximum it was given, without waiting for PUBACKs, is
// disconnected with 0x93 instead of filling the gateway's queue.
func TestReceiveMaximumEnforced(t *testing.T) {
	s := newStack(t, stackOpts{})
	w := s.newWireDevice(t, "coldchain/truck-1/#")
	const n = 16 * mqttgw.DefaultReceiveMaximum
	now := time.Now().Truncate(time.Millisecond)
	rs := make([]reading.Signed, n)
	for i := range rs {
		var err error
		rs[i], err = reading.Sign(w.key, reading.Reading{Device: w.did, Topic: "coldchain/truck-1/temp", Seq: uint64(i + 1), Time: now,
			Sensor: "temperature", Value: 450, Scale: 2, Unit: "Cel"})
		if err != nil {
			t.Fatal(err)
		}
	}
	w.conn.SetDeadline(time.Now().Add(20 * time.Second))
	burst := net.Buffers(w.encode(t, rs))
	if _, err := burst.WriteTo(w.conn); err != nil {
		t.Fatal(err)
	}
	pubacks := 0
	for {
		cp, err := packets.ReadPacket(w.br)
		if err != nil {
			t.Fatalf("no DISCONNECT 0x93 after %d PUBACKs for %d publishes: %v", pubacks, n, err)
		}
		switch p := cp.Content.(type) {
		case *packets.Puback:
			pubacks++
		case *packets.Disconnect:
			if p.ReasonCode != 0x93 {
				t.Fatalf("DISCONNECT with reason 0x%02x, want 0x93", p.ReasonCode)
			}
			if pubacks >= n {
				t.Fatalf("disconnected only after all %d publishes were answered", n)
			}
			if got := s.broker.Disconnects()[0x93]; got != 1 {
				t.Fatalf("broker counted %d disconnects with 0x93, want 1", got)
			}
			return
		}
	}
}

// TestQoS2AndRetainRefused: the CONNACK announces Maximum QoS 1 and no
// retained messages, so a device that publishes at QoS 2 is disconnected
// with 0x9B (QoS not supported) and one that sets RETAIN with 0x9A (Retain
// not supported), MQTT 5.0 §3.3.1.2 and §3.3.1.3: its reading is neither
// taken nor acknowledged, and the broker counts the disconnect.
func TestQoS2AndRetainRefused(t *testing.T) {
	s := newStack(t, stackOpts{})
	for i, c := range []struct {
		name   string
		qos    byte
		retain bool
		code   byte
	}{
		{"QoS 2", 2, false, 0x9B},
		{"retained QoS 1", 1, true, 0x9A},
		{"retained QoS 0", 0, true, 0x9A},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := s.newWireDevice(t, "coldchain/truck-1/#")
			r, err := reading.Sign(w.key, reading.Reading{Device: w.did, Topic: "coldchain/truck-1/temp", Seq: uint64(i + 1),
				Time: time.Now().Truncate(time.Millisecond), Sensor: "temperature", Value: 450, Scale: 2, Unit: "Cel"})
			if err != nil {
				t.Fatal(err)
			}
			payload, err := r.MarshalCBOR()
			if err != nil {
				t.Fatal(err)
			}
			accepted, answered := s.gw.Metrics().Accepted, s.in.Answered()
			disconnects := s.broker.Disconnects()[mqttgw.Code(c.code)]
			var buf bytes.Buffer
			p := &packets.Publish{QoS: c.qos, Retain: c.retain, Topic: r.Topic, PacketID: 7, Payload: payload, Properties: &packets.Properties{}}
			if c.qos == 0 {
				p.PacketID = 0
			}
			if _, err := p.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			w.conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := w.conn.Write(buf.Bytes()); err != nil {
				t.Fatal(err)
			}
			cp, err := packets.ReadPacket(w.br)
			if err != nil {
				t.Fatalf("no DISCONNECT 0x%02x: %v", c.code, err)
			}
			dp, ok := cp.Content.(*packets.Disconnect)
			if !ok {
				t.Fatalf("got %T (%+v), want DISCONNECT 0x%02x", cp.Content, cp.Content, c.code)
			}
			if dp.ReasonCode != c.code {
				t.Fatalf("DISCONNECT with reason 0x%02x, want 0x%02x", dp.ReasonCode, c.code)
			}
			if cp, err := packets.ReadPacket(w.br); err == nil {
				t.Fatalf("%T after the DISCONNECT, want the connection closed", cp.Content)
			}
			if n := s.gw.Metrics().Accepted; n != accepted {
				t.Errorf("gateway accepted %d readings, want %d", n, accepted)
			}
			if a := s.in.Answered(); !maps.Equal(a, answered) {
				t.Errorf("Ingester answered %v, before %v", a, answered)
			}
			if n := s.broker.Disconnects()[mqttgw.Code(c.code)]; n != disconnects+1 {
				t.Errorf("broker counted %d disconnects with 0x%02x, want %d", n, c.code, disconnects+1)
			}
		})
	}
	// The disconnects reach the gateway's metrics.
	reg := prometheus.NewRegistry()
	reg.MustRegister(mqttgw.NewCollector(mqttgw.CollectorConfig{Broker: s.broker}))
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != "iotrust_mqtt_broker_disconnects_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "code" {
					got[l.GetValue()] = m.GetCounter().GetValue()
				}
			}
		}
	}
	if got["0x9b"] != 1 || got["0x9a"] != 2 {
		t.Errorf("iotrust_mqtt_broker_disconnects_total by code: %v, want 0x9b 1 and 0x9a 2", got)
	}
}
