package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/quiet"
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

// The whole system runs on the embedded defaults, every check it makes
// holds, and the bundles it writes parse and name the trip's passages.
func TestTolling(t *testing.T) {
	dir := t.TempDir()
	got, err := program(options{Flags: devnet.Flags{Out: dir}})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{
		"seg-3 km  12.2– 20.3  toll 0.00081 ETH  passage signed and sent to the gateway",
		"seg-4 km  20.3– 26.7  toll 0.00064 ETH  voucher on lane 0, cumulative 0.00186 ETH: accepted",
		"RSU seg-2 attesting a passage on seg-4: refused (unauthorized)",
		"batch 1: 4 passages, root sha256:",
		"4 evidence bundles verify offline",
		"operator closes without the proof: refused by the contract (ConditionUnmet)",
		"doctored to twice the length: refused by the contract (BadProof)",
		"condition met",
		"operator paid 0.00267 ETH, vehicle refunded 0.00733 ETH",
		"vehicle recovers at once: refused by the contract (NotExpired)",
		"deposit recovered, 0.01 ETH back to the vehicle",
		"every check passed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for i := 1; i <= 4; i++ {
		raw, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("seg-%d.evidence.json", i)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := evidence.Parse(raw)
		if err != nil {
			t.Fatalf("seg-%d: %v", i, err)
		}
		if topic := b.Readings[0].Topic; topic != fmt.Sprintf("tolling/A13/seg-%d", i) {
			t.Errorf("seg-%d bundle is about %s", i, topic)
		}
	}
}

// A failure ends the run with an error, which devnet.Main turns into
// exit status 1.
func TestTollingFails(t *testing.T) {
	got, err := program(options{Flags: devnet.Flags{Out: t.TempDir(), RPC: "http://127.0.0.1:1", Key: strings.Repeat("11", 32)}})
	if err == nil {
		t.Fatalf("no error from an unreachable chain:\n%s", got)
	}
}

// The same code against a JSON-RPC node: go-ethereum's simulated chain
// served over HTTP (devnet.StartTestInfra), with one funded key given as
// for a real chain.
func TestTollingOverRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for blocks and the settle delay in chain time")
	}
	in := devnet.StartTestInfra(t, true, false)
	got, err := program(options{Flags: in.Flags})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{"every check passed", "payment channel on " + in.Flags.RPC} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// -mqtt: the roadside units publish to an MQTT broker (devnet's, which knows
// nothing of iotrust), where the gateway subscribes; the story holds.
func TestTollingMQTT(t *testing.T) {
	in := devnet.StartTestInfra(t, false, true)
	got, err := program(options{Flags: in.Flags})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	for _, want := range []string{"passages travel over MQTT: the roadside units publish to " + in.Flags.MQTT, "every check passed"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := in.Broker.Received(); n < 4 {
		t.Fatalf("the broker received %d publishes, want at least 4", n)
	}
}
