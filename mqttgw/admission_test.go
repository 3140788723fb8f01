package mqttgw_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/vc"
)

// admitKey admits the device of key k, holding a credential of is that
// grants "fleet/#", through adm's challenge and a JWT presentation.
func admitKey(t *testing.T, adm *mqttgw.Admission, cred []byte, k did.PrivateKey) {
	t.Helper()
	ch, err := adm.Challenge()
	if err != nil {
		t.Fatal(err)
	}
	h, err := vc.NewHolder(k)
	if err != nil {
		t.Fatal(err)
	}
	vp, err := h.PresentJWT([][]byte{cred}, ch, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := adm.Admit(context.Background(), []byte(vp)); err != nil {
		t.Fatal(err)
	}
}

// fleet makes n device keys, their DIDs and credentials of is granting
// "fleet/#".
func fleet(t *testing.T, is *issuerSide, n int) (keys []did.PrivateKey, ids []string, creds [][]byte) {
	t.Helper()
	for range n {
		k, err := did.Ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		id, err := did.New(k.Public())
		if err != nil {
			t.Fatal(err)
		}
		cred, _ := is.credential(t, k, "fleet/#")
		keys, ids, creds = append(keys, k), append(ids, id), append(creds, cred)
	}
	return keys, ids, creds
}

// An Admission holds at most MaxDevices devices: admitting one more drops
// the device admitted longest ago (an admission renews a device's place),
// whose readings are then refused until it presents again, while its
// stored credential still serves evidence bundles. A restart admits again
// the most recently admitted devices, up to MaxDevices.
func TestAdmissionMaxDevices(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t)
	dir := t.TempDir()
	open := func(max int) *mqttgw.Admission {
		adm, err := mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{
			Gateway: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", TrustedIssuers: []string{is.issuer.DID()},
			Dir: dir, MaxDevices: max,
		})
		if err != nil {
			t.Fatal(err)
		}
		return adm
	}
	adm := open(3)
	const n = 4
	keys, ids, creds := fleet(t, is, n)
	admitted := func(adm *mqttgw.Admission, want ...int) {
		t.Helper()
		if adm.Len() != len(want) {
			t.Errorf("%d devices admitted, want %d", adm.Len(), len(want))
		}
		in := map[int]bool{}
		for _, i := range want {
			in[i] = true
		}
		for i, id := range ids {
			if adm.Admitted(id) != in[i] {
				t.Errorf("device %d admitted: %v, want %v", i, adm.Admitted(id), in[i])
			}
			err := adm.Authorizer().Authorize(ctx, id, vc.ActionPublish, "fleet/x")
			if (err == nil) != in[i] {
				t.Errorf("device %d authorized: %v, want %v", i, err, in[i])
			}
		}
	}
	// Admitted in the order 0, 1, 2, 0 (renewed), 3: device 1 goes.
	for _, i := range []int{0, 1, 2, 0, 3} {
		admitKey(t, adm, creds[i], keys[i])
	}
	admitted(adm, 0, 2, 3)
	if st := adm.Stats(); st.Evicted != 1 || st.Admitted != 5 || st.Dropped != 0 {
		t.Fatalf("stats %+v, want 5 admitted, 1 evicted", st)
	}
	if _, err := adm.Credential(ids[1], "fleet/x"); err != nil {
		t.Fatalf("an evicted device's credential: %v", err)
	}
	// Device 1 presents again: the least recently admitted now, 2, goes.
	admitKey(t, adm, creds[1], keys[1])
	admitted(adm, 0, 1, 3)
	if st := adm.Stats(); st.Evicted != 2 {
		t.Fatalf("stats %+v, want 2 evicted", st)
	}

	// A restart with room for two: the two admitted last (1, then 3).
	// File times stand for the admissions' (the file system's clock may
	// give admissions in one tick one time).
	base := time.Now().Add(-time.Hour)
	for at, i := range []int{2, 0, 3, 1} {
		f := filepath.Join(dir, credentialFile(t, dir, ids[i]))
		ts := base.Add(time.Duration(at) * time.Minute)
		if err := os.Chtimes(f, ts, ts); err != nil {
			t.Fatal(err)
		}
	}
	admitted(open(2), 1, 3)
	admitted(open(0), 0, 1, 2, 3) // the default bound
}

// credentialFile names the file of dir that holds device's credentials.
func credentialFile(t *testing.T, dir, device string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var sd struct {
			Device string `json:"device"`
		}
		if err := json.Unmarshal(b, &sd); err == nil && sd.Device == device {
			return e.Name()
		}
	}
	t.Fatal(errors.New("no credential file of " + device))
	return ""
}

// A held device is never evicted: the least recently admitted device not
// held goes instead, a released device takes its place in that order at
// its release, and a new device when every admitted one is held is
// refused with ErrFull.
func TestAdmissionHold(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t)
	adm, err := mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{
		Gateway: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", TrustedIssuers: []string{is.issuer.DID()},
		MaxDevices: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	keys, ids, creds := fleet(t, is, n)
	admitted := func(want ...int) {
		t.Helper()
		in := map[int]bool{}
		for _, i := range want {
			in[i] = true
		}
		for i, id := range ids {
			if adm.Admitted(id) != in[i] {
				t.Errorf("device %d admitted: %v, want %v", i, adm.Admitted(id), in[i])
			}
		}
	}
	admitKey(t, adm, creds[0], keys[0])
	release0 := adm.Hold(ids[0])
	admitKey(t, adm, creds[1], keys[1])
	admitKey(t, adm, creds[2], keys[2]) // 0 is the oldest but held: 1 goes
	admitted(0, 2)
	release2 := adm.Hold(ids[2])
	release2b := adm.Hold(ids[2]) // a second connection of the same device
	if adm.Held() != 2 {
		t.Fatalf("%d devices held, want 2", adm.Held())
	}

	// Both admitted devices held: a new one is refused, nothing evicted.
	refused := func() {
		t.Helper()
		ch, _ := adm.Challenge()
		h, _ := vc.NewHolder(keys[3])
		vp, _ := h.PresentJWT([][]byte{creds[3]}, ch, time.Now())
		if _, err := adm.Admit(ctx, []byte(vp)); !errors.Is(err, mqttgw.ErrFull) || !errors.Is(err, mqttgw.ErrAdmission) {
			t.Fatalf("admission with every device held: %v, want ErrFull in ErrAdmission", err)
		}
		admitted(0, 2)
	}
	refused()
	// A held device presenting again is admitted again, and stays held.
	admitKey(t, adm, creds[2], keys[2])
	refused()
	release2()
	release2() // a second call of one release counts once
	refused()  // device 2's other hold remains

	// Released, device 2 is the only one evictable, though 0 is older.
	release2b()
	admitKey(t, adm, creds[3], keys[3])
	admitted(0, 3)
	if st := adm.Stats(); st.Evicted != 2 || st.Refused != 3 {
		t.Fatalf("stats %+v, want 2 evicted, 3 refused", st)
	}
	release0()
	if adm.Held() != 0 {
		t.Fatalf("%d devices held after every release, want 0", adm.Held())
	}
	// Device 0's release puts it behind device 3, admitted while 0 was held.
	admitKey(t, adm, creds[1], keys[1])
	admitted(0, 1)
}

// Through the embedded broker, a connected device is never evicted to make
// room: a new device evicts one that has disconnected, and with every
// admitted device connected the broker answers CONNACK 0x89.
func TestConnectedDeviceKeptAdmitted(t *testing.T) {
	s := newStack(t, stackOpts{maxDevices: 2})
	ctx := context.Background()
	a, _, _ := s.newDevice(t, "fleet/a/#")
	b, _, _ := s.newDevice(t, "fleet/b/#")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// The broker releases b's hold once it has seen the disconnect.
	deadline := time.Now().Add(10 * time.Second)
	for s.adm.Held() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d devices held after b disconnected, want 1", s.adm.Held())
		}
		time.Sleep(5 * time.Millisecond)
	}
	// a was admitted first, but it is connected: b goes.
	c, _, _ := s.newDevice(t, "fleet/c/#")
	for name, want := range map[string]bool{a.DID(): true, b.DID(): false, c.DID(): true} {
		if got := s.adm.Admitted(name); got != want {
			t.Errorf("%s admitted: %v, want %v", trunc(name), got, want)
		}
	}
	for topic, d := range map[string]*mqttgw.Device{"fleet/a/temp": a, "fleet/c/temp": c} {
		if _, code, err := d.Publish(ctx, temp(topic, 500)); err != nil || code != mqttgw.CodeSuccess {
			t.Errorf("reading on %s of a connected device: code %v, err %v", topic, code, err)
		}
	}

	// Both admitted devices connected: the broker is full.
	k, _ := did.Ed25519.GenerateKey(nil)
	cred, _ := s.issuer.credential(t, k, "fleet/#")
	_, err := mqttgw.ConnectDevice(ctx, mqttgw.DeviceConfig{Broker: s.brokerAddr(), API: s.api.URL, Key: k, Credentials: [][]byte{cred}})
	if err == nil || !strings.Contains(err.Error(), "0x89") {
		t.Fatalf("a third device with two connected: %v, want CONNACK 0x89", err)
	}
	if s.adm.Len() != 2 || !s.adm.Admitted(a.DID()) || !s.adm.Admitted(c.DID()) {
		t.Fatalf("admitted after the refusal: %d devices, a %v, c %v", s.adm.Len(), s.adm.Admitted(a.DID()), s.adm.Admitted(c.DID()))
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(mqttgw.NewCollector(mqttgw.CollectorConfig{Admission: s.adm}))
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			name := f.GetName()
			for _, l := range m.GetLabel() {
				name += "/" + l.GetValue()
			}
			got[name] = m.GetGauge().GetValue() + m.GetCounter().GetValue()
		}
	}
	for name, want := range map[string]float64{
		"iotrust_admitted_devices": 2, "iotrust_held_devices": 2, "iotrust_admissions_total/evicted": 1,
	} {
		if v, ok := got[name]; !ok || v != want {
			t.Errorf("%s = %v (exported %v), want %v", name, v, ok, want)
		}
	}
}

func trunc(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}
