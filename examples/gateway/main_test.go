package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The command on its embedded defaults with -demo: it prints where to
// connect, simulated devices' readings are sealed and anchored, SIGTERM
// (here: ctx) seals and exits, and a restart on the same directory resumes.
func TestRunDemoAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole gateway")
	}
	dir := t.TempDir()
	start := func(args ...string) (api string, stop func() error) {
		g, stop := startGateway(t, append([]string{"-dir", dir, "-mqtt", "127.0.0.1:0", "-http", "127.0.0.1:0", "-window", "500ms"}, args...)...)
		return g.api, stop
	}
	get := func(url string) string {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	api, stop := start("-demo", "-demo-every", "100ms")
	var batches []struct {
		Anchored bool `json:"anchored"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(batches) == 0 || !batches[0].Anchored {
		if time.Now().After(deadline) {
			t.Fatal("no anchored batch from the demo devices")
		}
		time.Sleep(200 * time.Millisecond)
		if err := json.Unmarshal([]byte(get(api+"/v1/batches?n=1")), &batches); err != nil {
			t.Fatal(err)
		}
	}
	if page := get(api + "/"); !strings.Contains(page, "coldchain/truck-") {
		t.Fatal("audit page lists no demo device")
	}
	if m := get(api + "/metrics"); !strings.Contains(m, "iotrust_batch_readings_accepted_total") || !strings.Contains(m, "go_goroutines") {
		t.Fatal("metrics incomplete")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	noSensors(t)

	api, stop = start("-demo")
	if get(api+"/healthz") != "ok\n" {
		t.Fatal("not healthy after restart")
	}
	var all []struct {
		Number uint64 `json:"number"`
	}
	if err := json.Unmarshal([]byte(get(api+"/v1/batches?n=256")), &all); err != nil || len(all) == 0 {
		t.Fatalf("batches after restart: %v %v", all, err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	noSensors(t)
}

// noSensors fails if a demo sensor still runs after run returned: it
// would write the status list into a directory the caller may already be
// removing (CI saw t.TempDir's cleanup fail with "directory not empty").
func noSensors(t *testing.T) {
	t.Helper()
	buf := make([]byte, 1<<20)
	if st := string(buf[:runtime.Stack(buf, true)]); strings.Contains(st, "demoIssuer).sensor") {
		t.Fatal("a demo sensor still runs after run returned")
	}
}

// started is where a gateway started by startGateway listens.
type started struct {
	api  string // http://host:port
	mqtt string // host:port of the embedded broker
}

// startGateway runs the command with args (and -log-level warn) until the
// returned stop, which cancels it and returns run's error.
func startGateway(t *testing.T, args ...string) (started, func() error) {
	t.Helper()
	o, err := parseFlags(append([]string{"-log-level", "warn"}, args...))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, o, pw); pw.Close() }()
	sc := bufio.NewScanner(pr)
	mqttRE := regexp.MustCompile(`devices connect to\s+mqtt://(\S+)`)
	apiRE := regexp.MustCompile(`audit page\s+(http://\S+)/`)
	var g started
	for g.api == "" && sc.Scan() {
		if m := mqttRE.FindStringSubmatch(sc.Text()); m != nil {
			g.mqtt = m[1]
		}
		if m := apiRE.FindStringSubmatch(sc.Text()); m != nil {
			g.api = m[1]
		}
	}
	go io.Copy(io.Discard, pr)
	if g.api == "" {
		cancel()
		t.Fatalf("no audit page printed: %v", <-done)
	}
	return g, func() error { cancel(); return <-done }
}
