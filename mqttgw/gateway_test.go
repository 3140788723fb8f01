package mqttgw_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

func temp(topic string, centi int64) reading.Reading {
	return reading.Reading{Topic: topic, Sensor: "temperature", Value: centi, Scale: 2, Unit: "Cel"}
}

// Every way a publish can be answered, each with its MQTT 5 reason code.
func TestPublishReasonCodes(t *testing.T) {
	s := newStack(t, stackOpts{})
	ctx := context.Background()
	d, _, _ := s.newDevice(t, "coldchain/truck-1/#")
	other, otherKey, _ := s.newDevice(t, "coldchain/truck-2/#")
	_ = other

	good, code, err := d.Publish(ctx, temp("coldchain/truck-1/temp", 455))
	if err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("good reading: code %v, err %v", code, err)
	}
	// The same reading again (an MQTT redelivery) is acknowledged again.
	if code, err := d.PublishSigned(ctx, good); err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("redelivery: code %v, err %v", code, err)
	}
	// And so it is once the device's window has moved past it (stale, but
	// stored: a broker resending a session's backlog after a crash).
	for range 4*mqttgw.DefaultReceiveMaximum + 1 { // the stack's ReorderWindow, and one
		if _, code, err := d.Publish(ctx, temp("coldchain/truck-1/temp", 456)); err != nil || code != mqttgw.CodeSuccess {
			t.Fatalf("reading after the first: code %v, err %v", code, err)
		}
	}
	if code, err := d.PublishSigned(ctx, good); err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("redelivery behind the reorder window: code %v, err %v", code, err)
	}

	forged, err := d.Sign(temp("coldchain/truck-1/temp", 460))
	if err != nil {
		t.Fatal(err)
	}
	forged.Value = 1200 // after signing
	replayed := good
	replayed.Value = 999
	replayed, err = reading.Sign(mustKey(t, d), replayed.Reading) // same seq, other content
	if err != nil {
		t.Fatal(err)
	}
	byOther, err := reading.Sign(otherKey, reading.Reading{Device: other.DID(), Topic: "coldchain/truck-2/temp", Seq: 1,
		Time: time.Now().Truncate(time.Millisecond), Sensor: "temperature", Value: 500, Scale: 2, Unit: "Cel"})
	if err != nil {
		t.Fatal(err)
	}
	future, err := d.Sign(reading.Reading{Topic: "coldchain/truck-1/temp", Time: time.Now().Add(time.Hour).Truncate(time.Millisecond),
		Sensor: "temperature", Value: 1, Scale: 2, Unit: "Cel"})
	if err != nil {
		t.Fatal(err)
	}
	ungranted, err := d.Sign(temp("coldchain/truck-2/temp", 470))
	if err != nil {
		t.Fatal(err)
	}
	cbor := func(s reading.Signed) []byte { b, _ := s.MarshalCBOR(); return b }
	jsonOf := func(s reading.Signed) []byte { b, _ := s.MarshalJSON(); return b }

	cases := []struct {
		name    string
		topic   string
		payload []byte
		want    mqttgw.Code
		reason  string
	}{
		{"garbage", "coldchain/truck-1/temp", []byte("\x00\x01garbage"), mqttgw.CodePayloadFormatInvalid, "payload"},
		{"empty", "coldchain/truck-1/temp", nil, mqttgw.CodePayloadFormatInvalid, "payload"},
		{"json with unknown member", "coldchain/truck-1/temp", []byte(strings.Replace(string(jsonOf(good)), `{`, `{"extra":1,`, 1)), mqttgw.CodePayloadFormatInvalid, "payload"},
		{"oversized", "coldchain/truck-1/temp", make([]byte, reading.MaxSize+1), mqttgw.CodePayloadFormatInvalid, "payload"},
		{"forged value", forged.Topic, cbor(forged), mqttgw.CodeNotAuthorized, "signature"},
		{"other device's reading on this connection", byOther.Topic, cbor(byOther), mqttgw.CodeNotAuthorized, "another device"},
		{"topic not granted", ungranted.Topic, cbor(ungranted), mqttgw.CodeNotAuthorized, "not authorized"},
		{"MQTT topic is not the signed topic", "coldchain/truck-1/other", cbor(good), mqttgw.CodeTopicNameInvalid, "topic"},
		{"sequence number replayed with other content", replayed.Topic, jsonOf(replayed), mqttgw.CodeImplementationSpecific, "sequence"},
		{"reading from the future", future.Topic, cbor(future), mqttgw.CodeImplementationSpecific, "clock"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, reason, err := d.PublishRaw(ctx, c.topic, c.payload)
			if err != nil {
				t.Fatal(err)
			}
			if code != c.want || !strings.Contains(reason, c.reason) {
				t.Fatalf("code %v (%q), want %v with %q", code, reason, c.want, c.reason)
			}
		})
	}
	// The connection survives refusals.
	if _, code, err := d.Publish(ctx, temp("coldchain/truck-1/temp", 430)); err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("after refusals: code %v, err %v", code, err)
	}
	ans := s.in.Answered()
	// good, its two redeliveries, the window's worth and one after it,
	// the last.
	if ans[mqttgw.CodeSuccess] != 1+2+4*mqttgw.DefaultReceiveMaximum+1+1 || ans[mqttgw.CodePayloadFormatInvalid] != 4 || ans[mqttgw.CodeNotAuthorized] != 3 {
		t.Fatalf("answered: %v", ans)
	}
}

// mustKey returns d's key: the stack's tests keep it beside the device.
func mustKey(t *testing.T, d *mqttgw.Device) did.PrivateKey {
	t.Helper()
	k, ok := deviceKeys.Load(d.DID())
	if !ok {
		t.Fatal("no key for device")
	}
	return k.(did.PrivateKey)
}

// Admission at CONNECT refuses what it must, each for its reason.
func TestAdmissionRefusals(t *testing.T) {
	s := newStack(t, stackOpts{})
	ctx := context.Background()
	k, _ := did.Ed25519.GenerateKey(nil)
	cred, _ := s.issuer.credential(t, k, "site/#")
	connect := func(user string, pass []byte) error {
		c, err := rawConnect(ctx, s.brokerAddr(), user, pass)
		if err == nil {
			_ = c.Disconnect(&paho.Disconnect{})
		}
		return err
	}
	dev, _ := did.New(k.Public())
	vp, err := mqttgw.Present(ctx, nil, s.api.URL, k, [][]byte{cred})
	if err != nil {
		t.Fatal(err)
	}
	if err := connect(dev, []byte(vp)); err != nil {
		t.Fatalf("good presentation refused: %v", err)
	}
	// Replayed presentation: its challenge is spent.
	if err := connect(dev, []byte(vp)); err == nil {
		t.Fatal("replayed presentation admitted")
	}
	// User name other than the holder.
	vp2, _ := mqttgw.Present(ctx, nil, s.api.URL, k, [][]byte{cred})
	if err := connect("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", []byte(vp2)); err == nil {
		t.Fatal("presentation admitted under another user name")
	}
	// Credential of an untrusted issuer.
	rogue := newIssuer(t)
	rcred, _ := rogue.credential(t, k, "site/#")
	vp3, _ := mqttgw.Present(ctx, nil, s.api.URL, k, [][]byte{rcred})
	if err := connect(dev, []byte(vp3)); err == nil {
		t.Fatal("untrusted issuer admitted")
	}
	// Someone else's credential.
	k2, _ := did.Ed25519.GenerateKey(nil)
	vp4, _ := mqttgw.Present(ctx, nil, s.api.URL, k2, [][]byte{cred})
	d2, _ := did.New(k2.Public())
	if err := connect(d2, []byte(vp4)); err == nil {
		t.Fatal("holder admitted with another subject's credential")
	}
	// No password, or garbage.
	if err := connect(dev, nil); err == nil {
		t.Fatal("admitted without a presentation")
	}
	if err := connect(dev, []byte("a.b.c")); err == nil {
		t.Fatal("admitted with garbage")
	}
	st := s.adm.Stats()
	admits, refusals := st.Admitted, st.Refused
	if admits != 1 || refusals != 6 {
		t.Fatalf("admits %d refusals %d", admits, refusals)
	}
	// The same refusals over HTTP (POST /v1/admit), with their errors.
	resp, err := http.Post(s.api.URL+"/v1/admit", "application/jwt", strings.NewReader(vp))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "challenge") {
		t.Fatalf("replay over HTTP: %d %s", resp.StatusCode, body)
	}
	_, err = s.adm.Admit(ctx, []byte(vp3))
	if !errors.Is(err, mqttgw.ErrAdmission) || !errors.Is(err, vc.ErrChallenge) && !errors.Is(err, vc.ErrUntrustedIssuer) {
		t.Fatalf("untrusted: %v", err)
	}
}

// A credential revoked in its issuer's status list stops the device within
// the re-check bound, without a restart.
func TestRevocationByStatusList(t *testing.T) {
	const recheck = 250 * time.Millisecond
	s := newStack(t, stackOpts{recheck: recheck})
	ctx := context.Background()
	d, _, idx := s.newDevice(t, "fleet/#")
	if _, code, err := d.Publish(ctx, temp("fleet/a/temp", 500)); err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("before revocation: %v %v", code, err)
	}
	s.issuer.revoke(t, idx)
	revoked := time.Now()
	bound := recheck + 2*time.Second // a re-check period, plus the fetch and scheduling on a loaded machine
	for {
		_, code, err := d.Publish(ctx, temp("fleet/a/temp", 500))
		if err != nil {
			t.Fatal(err)
		}
		if code == mqttgw.CodeNotAuthorized {
			t.Logf("refused %v after revocation (re-check every %v)", time.Since(revoked).Round(time.Millisecond), recheck)
			break
		}
		if code != mqttgw.CodeSuccess {
			t.Fatalf("code %v", code)
		}
		if time.Since(revoked) > bound {
			t.Fatalf("revoked device still publishing after %v", bound)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// It cannot come back with the revoked credential.
	if s.adm.Admitted(d.DID()) {
		t.Fatal("device still admitted")
	}
	k, _ := deviceKeys.Load(d.DID())
	cred, _ := s.issuer.credentialWithIndex(t, k.(did.PrivateKey), idx, "fleet/#")
	if _, err := mqttgw.ConnectDevice(ctx, mqttgw.DeviceConfig{Broker: s.brokerAddr(), API: s.api.URL, Key: k.(did.PrivateKey), Credentials: [][]byte{cred}}); err == nil {
		t.Fatal("revoked credential admitted again")
	}
}

// A device key revoked in the DID registry is refused within the key
// cache's TTL: every reading's signature is checked with the key the
// registry gives at the reading's time.
func TestRevocationByRegistry(t *testing.T) {
	const ttl = 250 * time.Millisecond
	s := newStack(t, stackOpts{registry: true, keyTTL: ttl, recheck: time.Hour})
	ctx := context.Background()
	ctrlKey, _ := did.Ed25519.GenerateKey(nil)
	ctrl, _ := did.New(ctrlKey.Public())
	k, _ := did.Ed25519.GenerateKey(nil)
	dev, _ := did.New(k.Public())
	// A did:key is registered only by itself; the device then hands
	// control to its controller.
	enrolled := time.Now().Add(-time.Minute)
	if _, err := s.registry.Register(ctx, k, dev, dev, k.Public(), enrolled); err != nil {
		t.Fatal(err)
	}
	if _, err := s.registry.Transfer(ctx, k, dev, ctrl, enrolled); err != nil {
		t.Fatal(err)
	}
	cred, _ := s.issuer.credential(t, k, "fleet/#")
	d, err := mqttgw.ConnectDevice(ctx, mqttgw.DeviceConfig{Broker: s.brokerAddr(), API: s.api.URL, Key: k, Credentials: [][]byte{cred}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, code, err := d.Publish(ctx, temp("fleet/b/temp", 500)); err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("before revocation: %v %v", code, err)
	}
	if _, err := s.registry.Revoke(ctx, ctrlKey, dev, k.Public(), time.Now()); err != nil {
		t.Fatal(err)
	}
	revoked := time.Now()
	bound := ttl + 2*time.Second
	for {
		_, code, reason, err := publishReason(ctx, d, temp("fleet/b/temp", 500))
		if err != nil {
			t.Fatal(err)
		}
		if code == mqttgw.CodeNotAuthorized {
			if !strings.Contains(reason, "revoked") {
				t.Fatalf("reason %q", reason)
			}
			t.Logf("refused %v after revocation (key cache TTL %v): %s", time.Since(revoked).Round(time.Millisecond), ttl, reason)
			break
		}
		if time.Since(revoked) > bound {
			t.Fatalf("revoked key still accepted after %v", bound)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func publishReason(ctx context.Context, d *mqttgw.Device, r reading.Reading) (reading.Signed, mqttgw.Code, string, error) {
	s, err := d.Sign(r)
	if err != nil {
		return s, 0, "", err
	}
	code, reason, err := d.PublishSignedReason(ctx, s)
	return s, code, reason, err
}

// Every acknowledged reading has an evidence bundle that verifies, from the
// HTTP API, with the device's credential in it.
func TestEvidenceOverHTTP(t *testing.T) {
	s := newStack(t, stackOpts{window: 200 * time.Millisecond})
	ctx := context.Background()
	d, _, _ := s.newDevice(t, "coldchain/#")
	var acked []reading.Signed
	for i := range 5 {
		r, code, err := d.Publish(ctx, temp("coldchain/t/temp", int64(400+i)))
		if err != nil || code != mqttgw.CodeSuccess {
			t.Fatalf("%v %v", code, err)
		}
		acked = append(acked, r)
	}
	if err := s.gw.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range acked {
		raw := getBundle(t, s, r)
		rep, _ := s.web.Verify(ctx, raw)
		if !rep.OK() {
			t.Fatalf("bundle does not verify:\n%s", rep)
		}
		if c, _ := rep.Check("credential"); c.Outcome != evidence.Pass {
			t.Fatalf("credential check %v: %s", c.Outcome, c.Reason)
		}
	}
}

// getBundle fetches the bundle of r, waiting (bounded) until its receipt is
// final.
func getBundle(t testing.TB, s *stack, r reading.Signed) []byte {
	t.Helper()
	id, _ := r.ID()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(s.api.URL + "/v1/evidence/" + id.String())
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			b, err := evidence.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Receipts) > 0 && b.Receipts[0].State.String() == "final" {
				return raw
			}
		} else if resp.StatusCode != http.StatusConflict {
			t.Fatalf("evidence: HTTP %d %s", resp.StatusCode, raw)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no final bundle for %s", id)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
