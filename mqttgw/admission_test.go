package mqttgw_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

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
	keys := make([]did.PrivateKey, n)
	creds := make([][]byte, n)
	ids := make([]string, n)
	for i := range keys {
		keys[i], _ = did.Ed25519.GenerateKey(nil)
		ids[i], _ = did.New(keys[i].Public())
		creds[i], _ = is.credential(t, keys[i], "fleet/#")
	}
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
