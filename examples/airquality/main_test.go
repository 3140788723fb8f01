package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/quiet"
	"github.com/iotrust/iotrust/stake"
	"github.com/iotrust/iotrust/zkp"
)

func TestMain(m *testing.M) {
	quiet.Libraries()
	os.Exit(m.Run())
}

// program runs the program on opt and returns its narrative and error.
func program(opt options) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), opt, &out)
	return out.String(), err
}

// The whole system runs on the embedded defaults and its checks hold; the
// files it writes are the proofs it claims: the zone bundles verify with
// the zone's verifying key from the log's key alone, and the misreport's
// bundles, read back from disk, prove the misreport and have the digest
// the slash recorded.
func TestAirquality(t *testing.T) {
	dir := t.TempDir()
	got, err := program(options{Flags: devnet.Flags{Out: dir}})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{
		"sensor-1  in the zone: 175-byte Groth16 proof over 2 anchored commitments verified; enrolled",
		"sensor-7  no proof: its position is outside the zone (zkp: value out of range); not enrolled",
		"6 owners bonded 0.01 ETH each",
		"batch 2: 72 readings",
		"sensor-1  12 samples paid, 12 vouchers, 0.00012 ETH",
		"sensor-4  11 samples paid, 11 vouchers, 0.00011 ETH; ",
		" 3.0 µg/m³ contradicts its neighbours: unpaid",
		"6 bundles, each signed and anchored, checked against the rule",
		"slashed 0.005 ETH of sensor-4's bond (0.005 ETH left, 0.005 ETH burned); the same evidence again: refused",
		"0.00071 ETH paid, 1 stake slashed, every check passed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, lat := range []string{"45.7578", "45.7969", "4.8320"} {
		if strings.Contains(got, lat) {
			t.Errorf("output reveals the position %s:\n%s", lat, got)
		}
	}

	ctx := context.Background()
	rawKey, err := os.ReadFile(filepath.Join(dir, "log.vkey"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := tlog.NewVerifierFromKey(strings.TrimSpace(string(rawKey)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "zone.vk"))
	if err != nil {
		t.Fatal(err)
	}
	vk, err := zkp.ReadVerifyingKey(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	trust := evidence.Trust{Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: v.Origin(), Verifier: v}}, ZKPKeys: []*zkp.VerifyingKey{vk}}
	read := func(name string) *evidence.Bundle {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := evidence.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return b
	}
	zone := read("sensor-3.zone.evidence.json")
	rep := evidence.Verify(ctx, zone, trust)
	if c, _ := rep.Check("zkp"); !rep.OK() || c.Outcome != evidence.Pass {
		t.Fatalf("zone bundle:\n%s", rep)
	}
	m := stake.Misreport{Suspect: read("misreport/suspect.evidence.json")}
	for i := 1; i <= 5; i++ {
		m.Neighbours = append(m.Neighbours, read(fmt.Sprintf("misreport/neighbour-%d.evidence.json", i)))
	}
	if err := m.Check(ctx, rule, trust); err != nil {
		t.Fatalf("the misreport on disk does not prove anything: %v", err)
	}
	d, err := m.Digest()
	if err != nil {
		t.Fatal(err)
	}
	recorded, err := os.ReadFile(filepath.Join(dir, "misreport", "digest.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(recorded)) != d.String() {
		t.Fatalf("digest of the files %s, recorded %s", d, recorded)
	}
	samples, err := filepath.Glob(filepath.Join(dir, "samples", "*.evidence.json"))
	if err != nil || len(samples) != 71 {
		t.Fatalf("%d sample bundles, want 71 (%v)", len(samples), err)
	}
}

// A failure ends the run with an error, which devnet.Main turns into
// exit status 1.
func TestAirqualityFails(t *testing.T) {
	got, err := program(options{Flags: devnet.Flags{Out: t.TempDir(), RPC: "http://127.0.0.1:1", Key: strings.Repeat("11", 32)}})
	if err == nil {
		t.Fatalf("no error from an unreachable chain:\n%s", got)
	}
}

// The same code against a JSON-RPC node: go-ethereum's simulated chain
// served over HTTP (devnet.StartTestInfra), with one funded key given as
// for a real chain.
func TestAirqualityOverRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for blocks")
	}
	in := devnet.StartTestInfra(t, true, false)
	got, err := program(options{Flags: in.Flags})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{"every check passed", "stakes on " + in.Flags.RPC} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// -mqtt: the sensors publish to an MQTT broker (devnet's, which knows
// nothing of iotrust), where the gateway subscribes; the story holds.
func TestAirqualityMQTT(t *testing.T) {
	in := devnet.StartTestInfra(t, false, true)
	got, err := program(options{Flags: in.Flags})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{"the sensors publish over MQTT to " + in.Flags.MQTT, "every check passed"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := in.Broker.Received(); n < 72 {
		t.Fatalf("the broker received %d publishes, want at least 72", n)
	}
}
