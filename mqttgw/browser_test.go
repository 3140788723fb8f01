package mqttgw_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
)

// chromium returns the browser to drive: $IOTRUST_CHROMIUM, or Debian's
// chromium (.ci/steps/80-gateway.sh installs it).
func chromium(t *testing.T) string {
	if p := os.Getenv("IOTRUST_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("no chromium (apt-get install -y chromium)")
	return ""
}

// artifacts returns where screenshots go: $IOTRUST_ARTIFACTS, or a
// temporary directory that is kept.
func artifacts(t *testing.T) string {
	if d := os.Getenv("IOTRUST_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d, err := os.MkdirTemp("", "iotrust-gateway-screens-")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The audit page in a real browser: a real bundle pasted into the box
// verifies with every check passed; the same bundle with one value changed
// fails, naming the reading's signature check; the device page shows the
// chart with its band, batch boundaries and anchors.
func TestAuditPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	exe := chromium(t)
	s := newStack(t, stackOpts{window: 300 * time.Millisecond})
	ctx := context.Background()
	d, _, _ := s.newDevice(t, "coldchain/#")
	var picked reading.Signed
	for i, v := range []int64{420, 455, 510, 880, 930, 610, 480, 450} {
		r, code, err := d.Publish(ctx, temp("coldchain/truck-9/temp", v))
		if err != nil || code != mqttgw.CodeSuccess {
			t.Fatalf("%v %v", code, err)
		}
		if i == 3 {
			if err := s.gw.Flush(ctx); err != nil { // a batch boundary inside the chart
				t.Fatal(err)
			}
		}
		if i == 1 {
			picked = r
		}
		time.Sleep(30 * time.Millisecond)
	}
	if err := s.gw.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	good := string(getBundle(t, s, picked))
	tampered := strings.Replace(good, `"value":455`, `"value":355`, 1)
	if tampered == good {
		t.Fatalf("value not found in bundle: %s", good)
	}

	dir := artifacts(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 1000),
	)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()

	save := func(png []byte, name string) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", p)
	}
	// First call: starts the browser on bctx (no timeout on it, see chromedp.Run).
	if err := chromedp.Do(bctx, chromedp.Navigate(s.api.URL+"/")); err != nil {
		t.Fatal(err)
	}
	check := func(bundle, shot string) (verdict string, failing []string) {
		tctx, cancel := context.WithTimeout(bctx, 60*time.Second)
		defer cancel()
		err := chromedp.Do(tctx,
			chromedp.Navigate(s.api.URL+"/"),
			chromedp.WaitVisible(chromedp.CSS("#bundle")),
			chromedp.SetValue(chromedp.CSS("#bundle"), bundle),
			chromedp.Click(chromedp.CSS("#check")),
			chromedp.WaitVisible(chromedp.CSS("#verdict")),
		)
		if err == nil {
			verdict, err = chromedp.Run(tctx, chromedp.Text(chromedp.CSS("#verdict")))
		}
		if err == nil {
			failing, err = chromedp.Run(tctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('tr.check.fail td:first-child')).map(e => e.textContent)`))
		}
		var png []byte
		if err == nil {
			png, err = chromedp.Run(tctx, chromedp.FullScreenshot(100))
		}
		if err != nil {
			t.Fatal(err)
		}
		save(png, shot)
		return verdict, failing
	}
	verdict, failing := check(good, "audit-verify-pass.png")
	if !strings.Contains(verdict, "The bundle verifies") || len(failing) != 0 {
		t.Fatalf("real bundle: %q, failing %v", verdict, failing)
	}
	verdict, failing = check(tampered, "audit-verify-tampered.png")
	if !strings.Contains(verdict, "does not verify") || len(failing) == 0 || failing[0] != "reading[0]" {
		t.Fatalf("tampered bundle: %q, failing %v", verdict, failing)
	}
	t.Logf("tampered bundle: %s failing %v", verdict, failing)

	tctx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	err := chromedp.Do(tctx,
		chromedp.Navigate(s.api.URL+"/device?id="+d.DID()),
		chromedp.WaitVisible(chromedp.CSS("svg")),
	)
	count := func(sel string) int {
		n, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.querySelectorAll('`+sel+`').length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err != nil {
		t.Fatal(err)
	}
	batchLines, anchors, outside := count("svg line.batch"), count("svg path.anchor"), count("svg circle.out")
	png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(png, "audit-device-chart.png")
	t.Logf("chart: %d batch boundaries, %d anchors, %d readings outside the band", batchLines, anchors, outside)
	if batchLines < 1 || anchors < 1 || outside != 2 {
		t.Fatalf("chart: %d batch boundaries, %d anchors, %d outside the band", batchLines, anchors, outside)
	}
}
