package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
)

// The application runs end to end on the embedded defaults, and the ticket
// it writes carries a bundle that verifies from the files alone.
func TestMaintenance(t *testing.T) {
	devnet.QuietLibraries()
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

// The same code against a chain reached over JSON-RPC: a go-ethereum node
// serving HTTP on loopback (devnet.RPCNode), with one funded key given as
// for a real chain.
func TestMaintenanceRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for receipts and a settle delay in chain time")
	}
	devnet.QuietLibraries()
	node, err := devnet.StartRPCNode(devnet.RPCNodeConfig{Funds: big.NewInt(1e18)})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	var buf bytes.Buffer
	err = run(context.Background(), options{Flags: devnet.Flags{Out: t.TempDir(), RPC: node.URL(), Key: node.FunderKey()}}, &buf)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	for _, want := range []string{"chain ID 1337", "waiting for the chain to pass", "settle delay (1m0s), collect: operator paid €0.240000"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
}

// -mqtt: the sensor publishes through an MQTT broker (devnet's, which knows nothing of
// iotrust), where the gateway subscribes; the story and its checks hold.
func TestMaintenanceMQTT(t *testing.T) {
	b, err := devnet.StartBroker("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var buf bytes.Buffer
	if err := run(context.Background(), options{Flags: devnet.Flags{Out: t.TempDir(), MQTT: b.URL()}}, &buf); err != nil {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	if got := buf.String(); !strings.Contains(got, "readings travel over MQTT: the sensor publishes to "+b.URL()) || !strings.Contains(got, "done in") {
		t.Fatalf("output:\n%s", got)
	}
	if n := b.Received(); n < 600 {
		t.Fatalf("the broker received %d publishes, want at least 600", n)
	}
}
