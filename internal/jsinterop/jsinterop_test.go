package jsinterop

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that notes a Skip or a Fatal and ends the
// goroutine, as the real ones do.
type recorder struct {
	testing.TB
	mu          sync.Mutex
	skip, fatal string
}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.mu.Lock()
	r.skip = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }
func (r *recorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.fatal = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

// record runs f with a recorder on its own goroutine.
func record(t *testing.T, f func(testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

func TestModules(t *testing.T) {
	const env = "IOTRUST_JSINTEROP_TEST_MODULES"
	t.Setenv(env, "")
	t.Setenv(RequireEnv, "")
	if r := record(t, func(tb testing.TB) { Modules(tb, env, "step.sh") }); !strings.Contains(r.skip, "step.sh") || r.fatal != "" {
		t.Errorf("unset: skip %q, fatal %q; want a skip naming the step", r.skip, r.fatal)
	}
	t.Setenv(RequireEnv, "1")
	if r := record(t, func(tb testing.TB) { Modules(tb, env, "step.sh") }); r.fatal == "" {
		t.Errorf("unset but required: skip %q, no failure", r.skip)
	}
	t.Setenv(env, "/x/node_modules")
	if got := Modules(t, env, "step.sh"); got != "/x/node_modules" {
		t.Errorf("Modules = %q", got)
	}
}

// Run feeds the script JSON and decodes its answer; a script that prints
// no JSON, or fails, fails the test.
func TestRun(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node on this machine")
	}
	mods := filepath.Join(t.TempDir(), "node_modules")
	var out struct{ Sum, Items int }
	Run(t, mods, "testdata/interop/echo.mjs", map[string]any{"a": 2, "b": 40, "items": []int{1, 2, 3}}, &out)
	if out.Sum != 42 || out.Items != 3 {
		t.Fatalf("node answered %+v", out)
	}
	if r := record(t, func(tb testing.TB) { Run(tb, mods, "testdata/interop/echo.mjs", map[string]any{"garbage": true}, &out) }); !strings.Contains(r.fatal, "no JSON") {
		t.Errorf("garbage answer: fatal %q", r.fatal)
	}
	if r := record(t, func(tb testing.TB) { Run(tb, mods, "testdata/interop/echo.mjs", map[string]any{"a": 1}, &out) }); !strings.Contains(r.fatal, "TypeError") {
		t.Errorf("script error: fatal %q", r.fatal)
	}
	if r := record(t, func(tb testing.TB) { Run(tb, mods, "testdata/interop/none.mjs", nil, &out) }); r.fatal == "" {
		t.Error("missing script: no failure")
	}
}
