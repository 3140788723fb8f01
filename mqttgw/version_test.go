package mqttgw_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

// connect311 sends an MQTT 3.1.1 CONNECT with user and pass on a new
// connection to addr and returns the CONNACK's return code.
func connect311(t *testing.T, addr, user string, pass []byte) byte {
	t.Helper()
	str := func(b []byte) []byte { return append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...) }
	var body []byte
	body = append(body, str([]byte("MQTT"))...)
	body = append(body, 4, 0xC2, 0, 30) // level 4 (3.1.1); user, password, clean session; keep-alive 30 s
	body = append(body, str([]byte("v311-client"))...)
	body = append(body, str([]byte(user))...)
	body = append(body, str(pass)...)
	pkt := []byte{0x10}
	for n := len(body); ; {
		b := byte(n % 128)
		if n /= 128; n > 0 {
			pkt = append(pkt, b|0x80)
			continue
		}
		pkt = append(pkt, b)
		break
	}
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
	k, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := did.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	cred, _ := s.issuer.credential(t, k, "coldchain/truck-1/#")
	vp, err := mqttgw.Present(context.Background(), http.DefaultClient, s.api.URL, k, [][]byte{cred})
	if err != nil {
		t.Fatal(err)
	}
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

// connectV5Reset sends an MQTT 5 CONNECT with user and pass on a new
// connection to addr and resets the connection at once, without reading
// the CONNACK.
func connectV5Reset(t *testing.T, addr, user string, pass []byte) {
	t.Helper()
	str := func(b []byte) []byte { return append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...) }
	var body []byte
	body = append(body, str([]byte("MQTT"))...)
	body = append(body, 5, 0xC2, 0, 30, 0) // level 5; user, password, clean start; keep-alive 30 s; no properties
	body = append(body, str([]byte("reset-client"))...)
	body = append(body, str([]byte(user))...)
	body = append(body, str(pass)...)
	pkt := []byte{0x10}
	for n := len(body); ; {
		b := byte(n % 128)
		if n /= 128; n > 0 {
			pkt = append(pkt, b|0x80)
			continue
		}
		pkt = append(pkt, b)
		break
	}
	pkt = append(pkt, body...)
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(pkt); err != nil {
		t.Fatal(err)
	}
	c.(*net.TCPConn).SetLinger(0) // close with a reset
	c.Close()
}

// TestConnectionLostBeforeConnack: admitted connections that are gone
// before their CONNACK could be written are not counted as connected (and
// not kept).
func TestConnectionLostBeforeConnack(t *testing.T) {
	s := newStack(t, stackOpts{})
	k, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := did.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	cred, _ := s.issuer.credential(t, k, "coldchain/truck-1/#")
	for range 20 {
		vp, err := mqttgw.Present(context.Background(), http.DefaultClient, s.api.URL, k, [][]byte{cred})
		if err != nil {
			t.Fatal(err)
		}
		connectV5Reset(t, s.brokerAddr(), id, []byte(vp))
	}
	// A live device beside them, and time for the broker to decide the
	// lost ones.
	d, _, _ := s.newDevice(t, "coldchain/truck-2/#")
	if _, code, err := d.Publish(context.Background(), temp("coldchain/truck-2/temp", 1)); err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("publish: %v %v", code, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.broker.Connected() != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.broker.Connected(); n != 1 {
		t.Fatalf("Connected() = %d after 20 connections lost before their CONNACK and 1 live", n)
	}
}

// packet returns an MQTT control packet: first byte, remaining length,
// body.
func packet(first byte, body []byte) []byte {
	pkt := []byte{first}
	for n := len(body); ; {
		b := byte(n % 128)
		if n /= 128; n > 0 {
			pkt = append(pkt, b|0x80)
			continue
		}
		pkt = append(pkt, b)
		break
	}
	return append(pkt, body...)
}

// TestReceiveMaximumEnforced: a device that sends more QoS 1 publishes
// than the Receive Maximum it was given, without waiting for PUBACKs, is
// disconnected with 0x93 instead of filling the gateway's queue.
func TestReceiveMaximumEnforced(t *testing.T) {
	s := newStack(t, stackOpts{})
	k, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := did.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	cred, _ := s.issuer.credential(t, k, "coldchain/truck-1/#")
	vp, err := mqttgw.Present(context.Background(), http.DefaultClient, s.api.URL, k, [][]byte{cred})
	if err != nil {
		t.Fatal(err)
	}
	str := func(b []byte) []byte { return append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...) }
	var connect []byte
	connect = append(connect, str([]byte("MQTT"))...)
	connect = append(connect, 5, 0xC2, 0, 30, 0) // MQTT 5; user, password, clean start; no properties
	connect = append(connect, str([]byte("greedy"))...)
	connect = append(connect, str([]byte(id))...)
	connect = append(connect, str([]byte(vp))...)
	var burst []byte
	burst = append(burst, packet(0x10, connect)...)
	const n = 16 * mqttgw.DefaultReceiveMaximum
	now := time.Now().Truncate(time.Millisecond)
	for i := range n {
		r, err := reading.Sign(k, reading.Reading{Device: id, Topic: "coldchain/truck-1/temp", Seq: uint64(i + 1), Time: now,
			Sensor: "temperature", Value: 450, Scale: 2, Unit: "Cel"})
		if err != nil {
			t.Fatal(err)
		}
		payload, err := r.MarshalCBOR()
		if err != nil {
			t.Fatal(err)
		}
		var body []byte
		body = append(body, str([]byte(r.Topic))...)
		body = binary.BigEndian.AppendUint16(body, uint16(i+1)) // packet identifier
		body = append(body, 0)                                  // no properties
		body = append(body, payload...)
		burst = append(burst, packet(0x32, body)...) // PUBLISH, QoS 1
	}
	c, err := net.DialTimeout("tcp", s.brokerAddr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := c.Write(burst); err != nil {
		t.Fatal(err)
	}
	// Read the broker's packets: CONNACK, PUBACKs, and the DISCONNECT.
	br := bufio.NewReader(c)
	pubacks := 0
	for {
		first, err := br.ReadByte()
		if err != nil {
			t.Fatalf("no DISCONNECT 0x93 after %d PUBACKs for %d publishes: %v", pubacks, n, err)
		}
		size, err := binary.ReadUvarint(br) // MQTT's variable byte integer has the same layout
		if err != nil {
			t.Fatal(err)
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(br, body); err != nil {
			t.Fatal(err)
		}
		switch first >> 4 {
		case 2: // CONNACK
			if body[1] != 0 {
				t.Fatalf("CONNACK reason 0x%02x", body[1])
			}
		case 4: // PUBACK
			pubacks++
		case 14: // DISCONNECT
			if len(body) == 0 || body[0] != 0x93 {
				t.Fatalf("DISCONNECT % x, want reason 0x93", body)
			}
			if pubacks >= n {
				t.Fatalf("disconnected only after all %d publishes were answered", n)
			}
			return
		}
	}
}
