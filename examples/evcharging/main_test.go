package main

import (
	"bytes"
	"context"
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

// The session runs end to end on the embedded defaults, twice on one kept
// log, and what it writes verifies with nothing but the files: the bundle
// and the log's public key.
func TestEVCharging(t *testing.T) {
	quiet.Libraries()
	logDir := t.TempDir()
	for i, entry := range []string{"log entry 0, final", "log entry 1, final"} {
		out := t.TempDir()
		var buf bytes.Buffer
		if err := run(context.Background(), options{Flags: devnet.Flags{Out: out, LogDir: logDir}}, &buf); err != nil {
			t.Fatalf("run %d: %v\n%s", i, err, buf.String())
		}
		got := buf.String()
		for _, want := range []string{
			"car → charger: credential presented on the charger's challenge: ok; replayed: refused",
			"EM-340-MID approved",
			"car asks for 22000 W: refused (credential allows 11000 W); charging at 11000 W: allowed",
			"charger checks the contract: payer is the account in the car's credential",
			"vouchers signed by another account's key or by the car's DID key: refused (bad voucher signature)",
			"17 meter values signed and acknowledged by the CPO's gateway; 7 vouchers, nothing owed at unplugging",
			entry,
			"5 signed meter values (16:30, 17:00, 17:30, 17:45, 17:50)",
			"11 checks pass, 1 skipped (zkp",
			"end value lowered by 1 kWh: refused (reading[4], inclusion fail)",
			"17:30–17:45  0.925 kWh × €0.450000/kWh × 2/3 grid support = €0.277500",
			"total 12.841 kWh: €4.814700 (grid-support rebate €0.138750); the car's vouchers pay €4.814700",
			"collect: charger paid €4.814700, car refunded €15.185300",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("run %d: output lacks %q:\n%s", i, want, got)
			}
		}
		checkFiles(t, out)
	}
}

// checkFiles verifies the written bundle as an auditor would: from the
// file and the log's verifier key alone.
func checkFiles(t *testing.T, out string) {
	t.Helper()
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
	raw, err := os.ReadFile(filepath.Join(out, sessionID+".evidence.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := evidence.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	rep := evidence.Verify(context.Background(), b, evidence.Trust{
		Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: nv.Name(), Verifier: v}},
	})
	if !rep.OK() || len(b.Readings) != 5 {
		t.Fatalf("written bundle: %d readings\n%v", len(b.Readings), rep)
	}
	bill, err := os.ReadFile(filepath.Join(out, sessionID+".bill.txt"))
	if err != nil || !bytes.Contains(bill, []byte("Total 12.841 kWh: €4.814700")) {
		t.Fatalf("bill: %v\n%s", err, bill)
	}
}

// The same code against a JSON-RPC node: go-ethereum's simulated chain
// served over HTTP (devnet.StartTestInfra), with one funded key given as
// for a real chain.
func TestEVChargingRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for receipts and a settle delay in chain time")
	}
	in := devnet.StartTestInfra(t, true, false)
	got, err := program(options{Flags: in.Flags})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{"chain ID 1337", "waiting for the chain to pass", "settle delay (1m0s), collect: charger paid €4.814700"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// -mqtt: the charger publishes the meter values to an MQTT broker (devnet's, which knows
// nothing of iotrust), where the gateway subscribes; the story holds.
func TestEVChargingMQTT(t *testing.T) {
	in := devnet.StartTestInfra(t, false, true)
	got, err := program(options{Flags: in.Flags})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{"meter values travel over MQTT: the charger publishes them to " + in.Flags.MQTT, "done in"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := in.Broker.Received(); n < 17 {
		t.Fatalf("the broker received %d publishes, want at least 17", n)
	}
}

// program runs the program on opt and returns its narrative and error.
func program(opt options) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), opt, &out)
	return out.String(), err
}
