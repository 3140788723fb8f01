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

	"github.com/transparency-dev/tessera/api/layout"

	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/anchor/tlog/audit"
)

// makeLog opens (creating if needed) the log in dir with the given key,
// anchors a commitment per seed, waits until a checkpoint covers them all
// and closes it.
func makeLog(t *testing.T, dir, origin string, priv ed25519.PrivateKey, seeds ...string) {
	t.Helper()
	ctx := context.Background()
	s, v, _, err := newLogKey(origin, priv)
	if err != nil {
		t.Fatal(err)
	}
	l, err := tlog.Open(ctx, tlog.Config{Dir: dir, Signer: s, Verifier: v, CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, seed := range seeds {
		r, err := l.Anchor(ctx, anchortest.Commitment(seed))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.WaitFinal(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLogCheckDetectsRewrittenHistory(t *testing.T) {
	const origin = "example.com/audited-log"
	_, priv, _ := ed25519.GenerateKey(nil)
	_, _, key, _ := newLogKey(origin, priv)
	dir := filepath.Join(t.TempDir(), "log")
	state := filepath.Join(t.TempDir(), "state", "logs.json")
	check := func() result { return iotrust(t, "", "log", "check", "--log-key", key, "--state", state, dir) }

	makeLog(t, dir, origin, priv, "a", "b", "c")
	r := check()
	if r.code != exitOK {
		t.Fatalf("first check: exit %d", r.code)
	}
	for _, want := range []string{
		"pass  checkpoint: " + origin + ", 3 entries, root ",
		"skip  consistency: first check of this log",
		"pass  fsck: 1 entry bundle and their tiles rebuilt, root matches",
		"LOG OK: " + origin + ", 3 entries; remembered in " + state,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("first check lacks %q", want)
		}
	}
	st, err := audit.LoadState(state)
	if err != nil || st.Logs[origin].Key != key {
		t.Fatalf("state after the first check: %v %+v", err, st)
	}

	// The log grows honestly.
	makeLog(t, dir, origin, priv, "d", "e")
	if r := check(); r.code != exitOK || !strings.Contains(r.stdout, "pass  consistency: extends the tree of 3 entries seen ") {
		t.Fatalf("after growth: exit %d", r.code)
	}
	remembered, _ := os.ReadFile(state)

	for _, tc := range []struct {
		name  string
		seeds []string
		want  string
		fork  bool // the two checkpoints are shown as a fork
	}{
		{"entry replaced, log grown", []string{"a", "x", "c", "d", "e", "f"}, "tlog: checkpoints are inconsistent, history was rewritten: the tree of 5 entries signed before is not a prefix of the tree of 6 entries", true},
		{"entry replaced, same size", []string{"a", "b", "c", "d", "x"}, "tlog: checkpoints are inconsistent, history was rewritten: two different trees of 5 entries (a fork)", true},
		{"entries removed", []string{"a", "b"}, "tlog: checkpoint older than one seen before: it has 2 entries, 5 were seen before", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The operator deletes the log and writes another history
			// with the same key.
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			makeLog(t, dir, origin, priv, tc.seeds...)
			r := check()
			if r.code != exitFailed {
				t.Fatalf("exit %d, want 1", r.code)
			}
			for _, want := range []string{"pass  checkpoint", "fail  consistency: " + tc.want, "LOG NOT OK: " + origin} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("output lacks %q", want)
				}
			}
			if fork := strings.Contains(r.stdout, "The log signed both of these checkpoints"); fork != tc.fork {
				t.Errorf("shown as a fork: %v, want %v", fork, tc.fork)
			}
			if strings.Contains(r.stdout, "fsck") {
				t.Error("fsck ran on a log already found inconsistent")
			}
			if got, _ := os.ReadFile(state); string(got) != string(remembered) {
				t.Error("the remembered checkpoint was replaced by the inconsistent one")
			}
		})
	}
}

func TestLogCheckFsck(t *testing.T) {
	w := fixture(t)
	for _, tc := range []struct {
		name string
		file string // relative to the log, flipped at offset off
		off  int
	}{
		{"entry bundle changed", layout.EntriesPath(0, 3), 40},
		{"tile changed", layout.TilePath(0, 0, 3), 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, w.logDir)
			p := filepath.Join(dir, filepath.FromSlash(tc.file))
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[tc.off] ^= 0x20
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			r := iotrust(t, "", "log", "check", "--log-key", w.logKey, "--state", filepath.Join(t.TempDir(), "s.json"), dir)
			if r.code != exitFailed || !strings.Contains(r.stdout, "fail  fsck: audit: log files do not match the signed checkpoint") {
				t.Fatalf("exit %d, want 1 with fsck failed", r.code)
			}
			// Nothing is remembered of a log that failed.
			if _, err := os.Stat(filepath.Join(t.TempDir(), "s.json")); err == nil {
				t.Error("state written for a failed log")
			}
		})
	}
}

func TestLogCheckOverHTTPAndDefaultState(t *testing.T) {
	w := fixture(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(w.logDir)))
	defer srv.Close()
	var out, errb strings.Builder
	cfg := t.TempDir()
	e := &env{stdout: &out, stderr: &errb, configDir: cfg}
	if code := run(context.Background(), []string{"log", "check", "--log-key", w.logKey, srv.URL + "/"}, e); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if errb.Len() != 0 {
		t.Errorf("no terminal, yet progress or messages on stderr: %q", errb.String())
	}
	st, err := audit.LoadState(filepath.Join(cfg, "iotrust", "logs.json"))
	if err != nil || len(st.Logs) != 1 {
		t.Fatalf("default state file: %v", err)
	}
}

func TestLogCheckRefusals(t *testing.T) {
	w := fixture(t)
	_, other, _ := ed25519.GenerateKey(nil)
	_, _, impostor, _ := newLogKey(w.origin, other)
	badState := writeFile(t, "state.json", []byte(`{"logs":{},"version":1,"extra":true}`))
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"impostor key", []string{"--log-key", impostor, w.logDir}, exitFailed, "fail  checkpoint: tlog: bad checkpoint"},
		{"no log there", []string{"--log-key", w.logKey, srv.URL}, exitFailed, "fail  checkpoint: audit: not found"},
		{"bad state file", []string{"--log-key", w.logKey, "--state", badState, w.logDir}, exitFailed, "audit: bad state file: canon: unknown object member"},
		{"no key", []string{w.logDir}, exitUsage, "--log-key"},
		{"no log", []string{"--log-key", w.logKey}, exitUsage, "missing DIR|URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := iotrust(t, "", append([]string{"log", "check"}, tc.args...)...)
			if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Fatalf("exit %d, want %d with %q", r.code, tc.code, tc.want)
			}
		})
	}
	r := iotrust(t, "", "log", "check", "--no-fsck", "--log-key", w.logKey, "--state", filepath.Join(t.TempDir(), "s"), w.logDir)
	if r.code != exitOK || !strings.Contains(r.stdout, "skip  fsck: --no-fsck") {
		t.Fatalf("--no-fsck: exit %d", r.code)
	}
}

// The operator serves the log with anchor/tlog's own Handler; an auditor
// checks it and upgrades receipts from there.
func TestAgainstLogHandler(t *testing.T) {
	w := fixture(t)
	ctx := context.Background()
	s, v, _, err := newLogKey(w.origin, w.logPriv)
	if err != nil {
		t.Fatal(err)
	}
	l, err := tlog.Open(ctx, tlog.Config{Dir: copyDir(t, w.logDir), Signer: s, Verifier: v, CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.VerifierKey() != w.logKey {
		t.Fatalf("the log's published key %q is not the one the auditor has", l.VerifierKey())
	}
	srv := httptest.NewServer(http.StripPrefix("/anchors", l.Handler()))
	defer srv.Close()
	url := srv.URL + "/anchors/"
	if r := iotrust(t, "", "log", "check", "--log-key", w.logKey, "--state", filepath.Join(t.TempDir(), "s.json"), url); r.code != exitOK {
		t.Fatalf("log check: exit %d", r.code)
	}
	in := writeFile(t, "pending.evidence.json", pending(t, w.plain))
	if r := iotrust(t, "", "upgrade", "--log", url, "--log-key", w.logKey, "--in-place", in); r.code != exitOK {
		t.Fatalf("upgrade: exit %d", r.code)
	}
	if r := iotrust(t, "", "verify", "--log-key", w.logKey, in); r.code != exitOK {
		t.Fatalf("verify: exit %d", r.code)
	}
}
