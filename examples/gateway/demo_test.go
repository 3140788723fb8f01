package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
)

// A device whose credential was revoked through POST /demo/revoke is
// still refused after the gateway restarts on the same data directory:
// the demo issuer's status list survives the restart.
func TestDemoRevocationSurvivesRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole gateway twice")
	}
	dir, httpAddr := t.TempDir(), freeAddr(t)
	args := []string{"-dir", dir, "-mqtt", "127.0.0.1:0", "-http", httpAddr, "-demo", "-demo-devices", "0"}

	// A device with a credential from the demo issuer, as the simulated
	// devices get theirs.
	d, err := newDemoIssuer(dir, "http://"+httpAddr+"/demo/status/1")
	if err != nil {
		t.Fatal(err)
	}
	seed := make([]byte, 32)
	rand.Read(seed)
	key, err := did.Ed25519.DeriveKey(seed)
	if err != nil {
		t.Fatal(err)
	}
	cred, idx, err := d.credential(key, "coldchain/truck-9/#")
	if err != nil {
		t.Fatal(err)
	}
	connect := func(g started) error {
		dev, err := mqttgw.ConnectDevice(t.Context(), mqttgw.DeviceConfig{Broker: g.mqtt, API: g.api, Key: key, Credentials: [][]byte{cred}})
		if err == nil {
			dev.Close()
		}
		return err
	}

	g, stop := startGateway(t, args...)
	if err := connect(g); err != nil {
		stop()
		t.Fatalf("device not admitted before its revocation: %v", err)
	}
	resp, err := http.Post(fmt.Sprintf("%s/demo/revoke?index=%d", g.api, idx), "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		stop()
		t.Fatalf("revoke: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	g, stop = startGateway(t, args...)
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	if err := connect(g); !errors.Is(err, mqttgw.ErrDevice) {
		t.Fatalf("revoked device after a restart: %v, want refused (ErrDevice)", err)
	}
	t.Logf("refused: %v", connect(g))

	// A restarted demo's devices get fresh indexes, not the revoked one.
	d, err = newDemoIssuer(dir, "http://"+httpAddr+"/demo/status/1")
	if err != nil {
		t.Fatal(err)
	}
	if _, next, err := d.credential(key, "coldchain/truck-9/#"); err != nil || next <= idx {
		t.Fatalf("credential after a restart: index %d (revoked: %d), %v", next, idx, err)
	}
}

// A damaged demo-status.json stops the demo issuer with an error naming
// the file, and an index outside the list is refused with 400.
func TestDemoStatusBadInput(t *testing.T) {
	dir := t.TempDir()
	d, err := newDemoIssuer(dir, "http://127.0.0.1:0/demo/status/1")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"index=-1", "index=99999999", "index=x"} {
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/demo/revoke?"+q, nil))
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("revoke %s: HTTP %d %s", q, rec.Code, rec.Body)
		}
	}
	for _, bad := range []string{"garbage", `{"next":1,"list":"x"}`, `{"next":-1,"list":"` + d.list.Encode() + `"}`} {
		if err := os.WriteFile(filepath.Join(dir, "demo-status.json"), []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := newDemoIssuer(dir, d.url); err == nil || !strings.Contains(err.Error(), "demo-status.json") {
			t.Fatalf("%s: %v", bad, err)
		}
	}
}
