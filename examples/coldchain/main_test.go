package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
)

// runMainEnv makes the test binary run main() instead of the tests, so
// that a test can run the whole program and see its exit status.
const runMainEnv = "IOTRUST_COLDCHAIN_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// program runs the command with args and returns its output and exit code.
func program(t *testing.T, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running the program: %v", err)
		}
		code = ee.ExitCode()
	}
	return out.String(), code
}

// expect fails the test unless out holds every pattern, in order.
func expect(t *testing.T, out string, patterns ...string) {
	t.Helper()
	rest := out
	for _, p := range patterns {
		loc := regexp.MustCompile(p).FindStringIndex(rest)
		if loc == nil {
			t.Fatalf("output lacks %q (in order):\n%s", p, out)
		}
		rest = rest[loc[1]:]
	}
}

// The admission, transit and audit steps: sensors admitted by credential,
// hostile readings refused, two batches anchored and final, the audited
// bundle verifying from its file and a tampered copy failing. With
// -escrow=false this needs no zero-knowledge setup, so it runs in -short
// mode; the full story with the escrow runs otherwise.
func TestColdchain(t *testing.T) {
	out, logDir := t.TempDir(), filepath.Join(t.TempDir(), "log")
	args := []string{"-out", out, "-log-dir", logDir}
	if testing.Short() {
		args = append(args, "-escrow=false")
	}
	got, code := program(t, args...)
	if code != 0 {
		t.Fatalf("exit status %d:\n%s", code, got)
	}
	expect(t, got,
		`logger  admitted: Example Sensors TL-16`,
		`reefer  admitted: Example Sensors RF-2`,
		`replayed presentation: vc: presentation challenge mismatch`,
		`leg 1: 16 readings signed`,
		`refused: reefer reading edited after signing +\(signature\)`,
		`refused: logger reading sent again +\(replay\)`,
		`refused: sensor without a credential +\(unauthorized\)`,
		`batch 1: 16 readings, root blake3:[0-9a-f]{12}…, stored encrypted as bafk.*log entry 0, final`,
		`batch 2: 16 readings, .*log entry 1, final`,
		`check it later: go run ./cmd/iotrust verify --log-key "\$\(cat .*log.vkey\)" \\\n +--issuer did:key:z6Mk\S+ --zk-key \S+reading.vk \S+\.evidence\.json\n`,
		`auditor: pass bundle, reading\[0\], credential, inclusion, window, receipt\[0\], anchored, zkp\n`,
		`the same bundle with another commitment: .*fail reading\[0\], inclusion, zkp`,
		`ok: every check came out as it must`,
	)
	if !testing.Short() {
		expect(t, got,
			`the gateway attests the 16 anchored logger commitments: Poseidon2 root [0-9a-f]{12}…`,
			`development proving key ships with escrow/devkeys`,
			`the carrier proves all 16 logger readings in range: a 256-byte proof`,
			`the escrow verifies it on chain and pays the carrier: [0-9,]+ gas`,
			`deal released: the carrier's address 0x[0-9a-fA-F]+…[0-9a-fA-F]+ now holds 0.01 ETH`,
		)
	}
	// The bundle is where the program says, and parses.
	files, _ := filepath.Glob(filepath.Join(out, "*.evidence.json"))
	if len(files) != 1 || !strings.Contains(got, files[0]) {
		t.Fatalf("evidence files %v, not named in the output", files)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.Parse(raw); err != nil {
		t.Fatalf("written bundle: %v", err)
	}
	// The log and its key persist in -log-dir: a second run appends to it.
	if _, err := os.Stat(logDir + ".key"); err != nil {
		t.Fatalf("log key: %v", err)
	}
	if testing.Short() {
		got, code = program(t, "-escrow=false", "-log-dir", logDir, "-out", out)
		if code != 0 {
			t.Fatalf("second run: exit status %d:\n%s", code, got)
		}
		expect(t, got, `batch 1: .*log entry 2, final`, `batch 2: .*log entry 3, final`)
	}
}

// With an excursion no proof of the range exists, a proof over a doctored
// list is refused on chain, and the insurer is paid at the deadline.
func TestColdchainExcursion(t *testing.T) {
	if testing.Short() {
		t.Skip("proves in zero knowledge and runs the escrow: seconds")
	}
	got, code := program(t, "-excursion", "-out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit status %d:\n%s", code, got)
	}
	expect(t, got,
		`a door left open`,
		`the carrier cannot prove the range: zkp: value out of range: value 4935 at index 11`,
		`a valid proof over a doctored list \(the excursion swapped out\): escrow: contract reverted with BadProof`,
		`the deadline passes without a proof: the escrow pays the insurer`,
		`deal expired: the insurer's address 0x[0-9a-fA-F]+…[0-9a-fA-F]+ now holds 0.01 ETH`,
		`auditor: pass bundle`,
		`ok: every check came out as it must`,
	)
}

// A failure exits non-zero with the reason: here a real chain without the
// funded key it needs.
func TestColdchainFailureExitStatus(t *testing.T) {
	t.Setenv(keyEnv, "")
	got, code := program(t, "-rpc", "http://127.0.0.1:1", "-out", t.TempDir())
	if code == 0 || !strings.Contains(got, "coldchain: -rpc needs a funded key in $"+keyEnv) {
		t.Fatalf("exit status %d:\n%s", code, got)
	}
}

// -mqtt: the sensors publish to an external broker (here devnet's, which
// lets everyone in and knows nothing of iotrust)
// and the gateway takes the readings through its subscription there; the
// story and its checks are the same.
func TestColdchainMQTT(t *testing.T) {
	b, err := devnet.StartBroker("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	u := b.URL()
	got, code := program(t, "-escrow=false", "-mqtt", u, "-out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit status %d:\n%s", code, got)
	}
	expect(t, got,
		`readings travel over MQTT: the sensors publish to `+regexp.QuoteMeta(u),
		`leg 1: 16 readings signed .*published over MQTT, verified and acknowledged`,
		`refused: reefer reading edited after signing +\(signature\)`,
		`leg 2: 16 readings signed .*published over MQTT`,
		`batch 1: 16 readings, .*log entry 0, final`,
		`batch 2: 16 readings, .*log entry 1, final`,
		`auditor: pass bundle`,
		`ok: every check came out as it must`,
	)
	if n := b.Received(); n < 32 {
		t.Fatalf("the broker received %d publishes, want at least the 32 readings", n)
	}
}
