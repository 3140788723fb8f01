package main

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/transparency-dev/tessera/api/layout"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog/audit"
	"github.com/iotrust/iotrust/evidence"
)

// A bundle handed out before the log's checkpoint covered its batch is
// upgraded from the log's files alone, from a directory and over HTTP, and
// then verifies.
func TestUpgradePendingToFinal(t *testing.T) {
	w := fixture(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(w.logDir)))
	defer srv.Close()
	for _, loc := range []string{w.logDir, srv.URL, srv.URL + "/"} {
		t.Run(loc, func(t *testing.T) {
			in := writeFile(t, "pending.evidence.json", pending(t, w.plain))
			if r := iotrust(t, "", "verify", "--log-key", w.logKey, in); r.code != exitFailed {
				t.Fatalf("pending bundle: exit %d, want 1 (no final receipt yet)", r.code)
			}
			out := in + ".final"
			r := iotrust(t, "", "upgrade", "--log", loc, "--log-key", w.logKey, "-o", out, in)
			if r.code != exitOK || !strings.Contains(r.stderr, "receipt[0]  tlog "+w.origin+" position 0: included -> final (proven in the checkpoint of 3 entries)") {
				t.Fatalf("upgrade: exit %d", r.code)
			}
			if r := iotrust(t, "", "verify", "--log-key", w.logKey, out); r.code != exitOK {
				t.Fatalf("upgraded bundle: exit %d, want 0", r.code)
			}
			raw, _ := os.ReadFile(out)
			b, err := evidence.Parse(raw)
			if err != nil || b.Receipts[0].State != anchor.Final || !b.Receipts[0].Commitment.Equal(w.plain.Commitment) {
				t.Fatalf("upgraded bundle: %v", err)
			}
		})
	}
}

func TestUpgradeInPlaceAndStdout(t *testing.T) {
	w := fixture(t)
	in := writeFile(t, "pending.evidence.json", pending(t, w.plain))
	if err := os.Chmod(in, 0o640); err != nil {
		t.Fatal(err)
	}
	if r := iotrust(t, "", "upgrade", "--in-place", "--log", w.logDir, "--log-key", w.logKey, in); r.code != exitOK {
		t.Fatalf("exit %d", r.code)
	}
	if fi, _ := os.Stat(in); fi.Mode().Perm() != 0o640 {
		t.Errorf("in-place upgrade changed the file mode to %v", fi.Mode().Perm())
	}
	if r := iotrust(t, "", "verify", "--log-key", w.logKey, in); r.code != exitOK {
		t.Fatalf("verify after --in-place: exit %d", r.code)
	}
	// From standard input to standard output; a final bundle stays as it is.
	raw, _ := w.plain.Marshal()
	r := iotrust(t, string(raw), "upgrade", "--log", w.logDir, "--log-key", w.logKey, "-o", "-", "-")
	if r.code != exitOK || r.stdout != string(raw) || !strings.Contains(r.stderr, "final already") {
		t.Fatalf("exit %d", r.code)
	}
}

func TestUpgradeFailures(t *testing.T) {
	w := fixture(t)
	_, other, _ := ed25519.GenerateKey(nil)
	_, _, impostor, _ := newLogKey(w.origin, other)
	_, _, elsewhere, _ := newLogKey("example.org/another-log", other)
	corrupt := copyDir(t, w.logDir)
	// A tile rewritten (leaf 1's hash, the proof of leaf 0): the tiles no
	// longer prove what the checkpoint signs.
	tile := filepath.Join(corrupt, filepath.FromSlash(layout.TilePath(0, 0, 3)))
	b, err := os.ReadFile(tile)
	if err != nil {
		t.Fatal(err)
	}
	b[32] ^= 1
	if err := os.WriteFile(tile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		bundle []byte
		log    string
		key    string
		want   string
	}{
		{"key of an impostor", pending(t, w.plain), w.logDir, impostor, "bad checkpoint"},
		{"key of another log", pending(t, w.plain), w.logDir, elsewhere, "no trusted key for the log"},
		{"position holds another entry", changeBundle(t, w.plain, func(b *evidence.Bundle) {
			b.Receipts[0].State, b.Receipts[0].Proof, b.Receipts[0].Position = anchor.Included, nil, 1
		}), w.logDir, w.logKey, "entry 1 of " + w.origin + " is another commitment"},
		{"tiles rewritten", pending(t, w.plain), corrupt, w.logKey, "log files do not match the signed checkpoint"},
		{"receipt beyond the checkpoint", changeBundle(t, w.plain, func(b *evidence.Bundle) {
			b.Receipts[0].State, b.Receipts[0].Proof, b.Receipts[0].Position = anchor.Included, nil, 7
		}), w.logDir, w.logKey, "the log's checkpoint of 3 entries does not cover it yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := writeFile(t, "in.evidence.json", tc.bundle)
			out := in + ".out"
			r := iotrust(t, "", "upgrade", "--log", tc.log, "--log-key", tc.key, "-o", out, in)
			if r.code != exitFailed || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "receipt not final") {
				t.Fatalf("exit %d, want 1 naming %q", r.code, tc.want)
			}
			// What could not be upgraded is written unchanged.
			got, err := os.ReadFile(out)
			if err != nil || string(got) != string(tc.bundle) {
				t.Fatalf("output %v, want the input unchanged", err)
			}
		})
	}
}

func TestUpgradeUsage(t *testing.T) {
	w := fixture(t)
	for _, args := range [][]string{
		{"upgrade", w.plainPath},
		{"upgrade", "--log", w.logDir, w.plainPath},
		{"upgrade", "--log", w.logDir, "--log-key", w.logKey, w.plainPath},
		{"upgrade", "--log", w.logDir, "--log-key", w.logKey, "-o", "x", "--in-place", w.plainPath},
		{"upgrade", "--log", w.logDir, "--log-key", w.logKey, "--in-place", "-"},
	} {
		if r := iotrust(t, "", args...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, r.code)
		}
	}
	r := iotrust(t, "", "upgrade", "--log", "/no/such/log", "--log-key", w.logKey, "-o", "-", w.plainPath)
	if r.code != exitFailed || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("missing log: exit %d", r.code)
	}
}

// -o writes a new file only: an existing file — a key file, another
// bundle, the output of an earlier run — is left as it was.
func TestUpgradeOutputNeverOverwrites(t *testing.T) {
	w := fixture(t)
	in := writeFile(t, "pending.evidence.json", pending(t, w.plain))
	dir := t.TempDir()
	key := filepath.Join(dir, "device.jwk")
	if r := iotrust(t, "", "did", "new", "--out", key); r.code != exitOK {
		t.Fatalf("did new: exit %d", r.code)
	}
	keyBefore := readString(t, key)
	r := iotrust(t, "", "upgrade", "--log", w.logDir, "--log-key", w.logKey, "-o", key, in)
	if r.code != exitFailed || !strings.Contains(r.stderr, "exists; not overwriting") || readString(t, key) != keyBefore {
		t.Fatalf("-o onto a key file: exit %d, want 1 with the key file kept", r.code)
	}
	if strings.Contains(r.stderr, "receipt[0]") {
		t.Errorf("the existing output was refused only after the upgrade")
	}
	out := filepath.Join(dir, "final.evidence.json")
	if r := iotrust(t, "", "upgrade", "--log", w.logDir, "--log-key", w.logKey, "-o", out, in); r.code != exitOK {
		t.Fatalf("first upgrade: exit %d", r.code)
	}
	first := readString(t, out)
	if r := iotrust(t, "", "upgrade", "--log", w.logDir, "--log-key", w.logKey, "-o", out, w.plainPath); r.code != exitFailed || readString(t, out) != first {
		t.Fatalf("second upgrade onto the first's output: exit %d, want 1 with the file kept", r.code)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("new bundle: %v, mode %v, want 0644", err, fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("%d files in the output directory, want the key and the bundle (no temporary file left)", len(ents))
	}
}

// An upgrade interrupted while it fetches the log writes nothing, -o or
// --in-place, and says it was interrupted.
func TestUpgradeInterruptedWritesNothing(t *testing.T) {
	w := fixture(t)
	in := writeFile(t, "pending.evidence.json", pending(t, w.plain))
	out := in + ".final"
	for _, args := range [][]string{{"-o", out, in}, {"--in-place", in}} {
		// The log server is reached, and the user presses Ctrl-C while
		// it answers.
		ctx, cancel := context.WithCancel(context.Background())
		srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			cancel()
			<-r.Context().Done()
		}))
		r := iotrustIn(t, ctx, strings.NewReader(""), append([]string{"upgrade", "--log", srv.URL, "--log-key", w.logKey}, args...)...)
		srv.Close()
		if r.code != exitFailed || !strings.Contains(r.stderr, "interrupted") || strings.Contains(r.stderr, "wrote") {
			t.Errorf("%v: exit %d, want 1, interrupted, nothing written", args, r.code)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("-o file after an interrupted upgrade: %v, want none", err)
	}
	if got := readString(t, in); got != string(pending(t, w.plain)) {
		t.Errorf("--in-place bundle changed by an interrupted upgrade")
	}
}

// --in-place through a symbolic link, and log check's state file behind
// one, replace the file the link leads to: the link stays a link, and the
// file it names holds the new content.
func TestReplaceThroughSymlink(t *testing.T) {
	w := fixture(t)
	dir := t.TempDir()
	real := filepath.Join(dir, "real.evidence.json")
	if err := os.WriteFile(real, pending(t, w.plain), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.evidence.json")
	if err := os.Symlink("real.evidence.json", link); err != nil {
		t.Fatal(err)
	}
	if r := iotrust(t, "", "upgrade", "--in-place", "--log", w.logDir, "--log-key", w.logKey, link); r.code != exitOK {
		t.Fatalf("upgrade: exit %d", r.code)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("--in-place replaced the link with a file (%v)", err)
	}
	if r := iotrust(t, "", "verify", "--log-key", w.logKey, real); r.code != exitOK {
		t.Errorf("the file the link leads to was not upgraded: verify exits %d", r.code)
	}

	realState, linkState := filepath.Join(dir, "logs.json"), filepath.Join(dir, "state-link.json")
	if r := iotrust(t, "", "log", "check", "--no-fsck", "--log-key", w.logKey, "--state", realState, w.logDir); r.code != exitOK {
		t.Fatalf("log check: exit %d", r.code)
	}
	if err := os.Symlink("logs.json", linkState); err != nil {
		t.Fatal(err)
	}
	if r := iotrust(t, "", "log", "check", "--no-fsck", "--log-key", w.logKey, "--state", linkState, w.logDir); r.code != exitOK {
		t.Fatalf("log check through a link: exit %d", r.code)
	}
	if fi, err := os.Lstat(linkState); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("log check replaced the state file's link with a file (%v)", err)
	}
}

// Upgrade holds the log to the checkpoint remembered in the state file it
// shares with log check: an honest log that grew passes and is remembered
// at its new size; a log signed by the same key with another history is
// refused, and nothing is written.
func TestUpgradeHoldsLogToRememberedCheckpoint(t *testing.T) {
	w := fixture(t)
	state := filepath.Join(t.TempDir(), "logs.json")
	in := writeFile(t, "pending.evidence.json", pending(t, w.plain))
	remembered := func() uint64 {
		t.Helper()
		st, err := audit.LoadState(state)
		if err != nil {
			t.Fatal(err)
		}
		k, err := audit.ParseKey(w.logKey)
		if err != nil {
			t.Fatal(err)
		}
		cp, ok, err := st.Remembered(k)
		if err != nil || !ok {
			t.Fatalf("nothing remembered for the log: %v", err)
		}
		return cp.Size
	}

	out := in + ".1"
	if r := iotrust(t, "", "upgrade", "--log", w.logDir, "--log-key", w.logKey, "--state", state, "-o", out, in); r.code != exitOK {
		t.Fatalf("first upgrade: exit %d", r.code)
	}
	if n := remembered(); n != 3 {
		t.Fatalf("remembered a checkpoint of %d entries, want 3", n)
	}

	// The operator serves another history under the same key.
	fork := filepath.Join(t.TempDir(), "log")
	makeLog(t, fork, w.origin, w.logPriv, "x", "y", "z", "v")
	before, _ := os.ReadFile(state)
	out = in + ".2"
	r := iotrust(t, "", "upgrade", "--log", fork, "--log-key", w.logKey, "--state", state, "-o", out, in)
	if r.code != exitFailed {
		t.Fatalf("forked log: exit %d, want 1", r.code)
	}
	for _, want := range []string{"checkpoints are inconsistent", "the tree of 3 entries signed before is not a prefix of the tree of 4 entries",
		"The log signed both of these checkpoints", "Nothing was written."} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("forked log: standard error lacks %q", want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a bundle was written from a forked log")
	}
	if after, _ := os.ReadFile(state); string(after) != string(before) {
		t.Error("the forked log's checkpoint was remembered")
	}
	// log check reads the same state and refuses the fork too.
	if r := iotrust(t, "", "log", "check", "--log-key", w.logKey, "--state", state, "--no-fsck", fork); r.code != exitFailed {
		t.Errorf("log check of the fork: exit %d, want 1", r.code)
	}

	// The honest log grows by an entry: accepted, and remembered at 4.
	grown := copyDir(t, w.logDir)
	makeLog(t, grown, w.origin, w.logPriv, "d")
	out = in + ".3"
	if r := iotrust(t, "", "upgrade", "--log", grown, "--log-key", w.logKey, "--state", state, "-o", out, in); r.code != exitOK {
		t.Fatalf("grown log: exit %d", r.code)
	}
	if n := remembered(); n != 4 {
		t.Fatalf("remembered a checkpoint of %d entries, want 4", n)
	}
}

// Without a configuration directory (no HOME) and no --state, upgrade
// still upgrades, and says that no remembered checkpoint was compared.
func TestUpgradeWithoutConfigDir(t *testing.T) {
	w := fixture(t)
	t.Setenv("HOME", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	in := writeFile(t, "pending.evidence.json", pending(t, w.plain))
	out := in + ".final"
	var stdout, stderr strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, now: time.Now} // no configDir
	code := run(context.Background(), []string{"upgrade", "--log", w.logDir, "--log-key", w.logKey, "-o", out, in}, e)
	if code != exitOK || !strings.Contains(stderr.String(), "the log's checkpoint is not compared with a remembered one") {
		t.Fatalf("exit %d, standard error:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("no upgraded bundle: %v", err)
	}
}
