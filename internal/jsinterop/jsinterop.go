package jsinterop

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RequireEnv is the environment variable that makes a missing
// node_modules folder fail a cross-check instead of skipping it; CI's
// steps set it.
const RequireEnv = "IOTRUST_REQUIRE_INTEROP"

// Modules returns the node_modules folder named by the environment
// variable env. When env is unset it skips the test, or fails it when
// RequireEnv is set; step names the CI step that installs the modules, for
// the skip message.
func Modules(t testing.TB, env, step string) string {
	t.Helper()
	mods := os.Getenv(env)
	if mods == "" {
		if os.Getenv(RequireEnv) != "" {
			t.Fatalf("%s is set but %s is not", RequireEnv, env)
		}
		t.Skipf("set %s to run the JavaScript cross-check (see %s)", env, step)
	}
	return mods
}

// Run runs the Node.js script at path (relative to the test's package,
// such as testdata/interop/check.mjs) with in, encoded as JSON, on its
// standard input, and decodes the one JSON value it prints into out. It
// fails the test if node fails or prints anything else. Node resolves an
// ES module's bare imports from the script's folder upwards, so the script
// runs from a copy placed beside mods, named after the package's folder.
func Run(t testing.TB, mods, path string, in, out any) {
	t.Helper()
	input, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(filepath.Dir(mods), filepath.Base(wd)+"-"+filepath.Base(path))
	if err := os.WriteFile(script, src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	output, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(output, out); err != nil {
		t.Fatalf("node %s printed no JSON answer: %v\n%.2000s", script, err, output)
	}
}
