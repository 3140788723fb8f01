package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/quiet"
)

// The application runs end to end on the embedded defaults, and the ticket
// it writes carries a bundle that verifies from the files alone.
func TestMaintenance(t *testing.T) {
	quiet.Libraries()
	out := t.TempDir()
	var buf bytes.Buffer
	if err := run(context.Background(), options{Flags: devnet.Flags{Out: out}}, &buf); err != nil {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	got := buf.String()
	for _, want := range []string{
		"the plant's gateway admits the sensor",
		"09:09:08  7.21 mm/s ≥ 7.10: alarm (reading 549)",
		"600 readings acknowledged; refused: one edited after signing (signature), one on pump 8's topic (unauthorized)",
		"batch 5  09:08:00–09:09:59  120 readings",
		"ticket MT-0001: pump-7 at 09:09:08, 7.21 mm/s",
		"7 checks pass (bundle, reading[0], credential, inclusion, window, receipt[0], anchored)",
		"buyer signs 120 vouchers, one per reading, each conditioned on H(root ‖ leaf): €0.240000 in all",
		"one naming a reading outside the batch could not be",
		"(before: not a recipient)",
		"buyer decrypts 120 readings: they make the anchored root, all signed by the OEM-certified sensor; peak 9.11 mm/s",
		"closing before the reading is shown on chain: refused by the contract (ConditionUnmet)",
		"condition met",
		"collect: operator paid €0.240000, buyer refunded €4.760000",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}

	var tk ticket
	raw, err := os.ReadFile(filepath.Join(out, "MT-0001.ticket.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &tk); err != nil || tk.Value != "7.21 mm/s" {
		t.Fatalf("ticket: %v %+v", err, tk)
	}
	vkey, err := os.ReadFile(filepath.Join(out, "log.vkey"))
	if err != nil {
		t.Fatal(err)
	}
	nv, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		t.Fatal(err)
	}
	v, err := tlog.NewVerifier(nv)
	if err != nil {
		t.Fatal(err)
	}
	if raw, err = os.ReadFile(filepath.Join(out, tk.Evidence)); err != nil {
		t.Fatal(err)
	}
	b, err := evidence.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	rep := evidence.Verify(context.Background(), b, evidence.Trust{
		Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: nv.Name(), Verifier: v}},
	})
	if id, _ := b.Readings[0].ID(); !rep.OK() || id.String() != tk.Reading {
		t.Fatalf("the ticket's bundle:\n%v", rep)
	}
}

// The same code against a JSON-RPC node: go-ethereum's simulated chain
// served over HTTP (devnet.StartTestInfra), with one funded key given as
// for a real chain.
func TestMaintenanceRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for receipts and a settle delay in chain time")
	}
	in := devnet.StartTestInfra(t, true, false)
	got, err := program(options{Flags: in.Flags})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{"chain ID 1337", "waiting for the chain to pass", "settle delay (1m0s), collect: operator paid €0.240000"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// -mqtt: the sensor publishes its readings to an MQTT broker (devnet's, which knows
// nothing of iotrust), where the gateway subscribes; the story holds.
func TestMaintenanceMQTT(t *testing.T) {
	in := devnet.StartTestInfra(t, false, true)
	got, err := program(options{Flags: in.Flags})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{"readings travel over MQTT: the sensor publishes to " + in.Flags.MQTT, "done in"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := in.Broker.Received(); n < 600 {
		t.Fatalf("the broker received %d publishes, want at least 600", n)
	}
}

// program runs the program on opt and returns its narrative and error.
func program(opt options) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), opt, &out)
	return out.String(), err
}
