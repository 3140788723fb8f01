package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestHelp(t *testing.T) {
	r := iotrust(t, "", "help")
	if r.code != exitOK {
		t.Fatalf("help: exit %d", r.code)
	}
	for _, c := range commands() {
		if !strings.Contains(r.stdout, "  "+c.name+" ") {
			t.Errorf("overview does not list %q", c.name)
		}
		// Every command has help with a synopsis, and examples where it
		// takes arguments or flags.
		for _, args := range [][]string{append(strings.Fields(c.name), "-h"), append([]string{"help"}, strings.Fields(c.name)...)} {
			r := iotrust(t, "", args...)
			if r.code != exitOK || !strings.HasPrefix(r.stdout, "Usage: "+synopsis(c)+"\n") {
				t.Errorf("%v: exit %d", args, r.code)
			}
			if c.name != "version" && !strings.Contains(r.stdout, "\nExamples:\n  iotrust "+c.name) {
				t.Errorf("%v: no examples", args)
			}
		}
	}
	if r := iotrust(t, ""); r.code != exitUsage || !strings.Contains(r.stderr, "Commands:") {
		t.Errorf("no arguments: exit %d, want 2 with the overview", r.code)
	}
	if r := iotrust(t, "", "verfiy"); r.code != exitUsage || !strings.Contains(r.stderr, `unknown command "verfiy"`) {
		t.Errorf("misspelt command: exit %d", r.code)
	}
	// A group's help lists its commands, as the group alone does (there
	// as a usage error).
	for _, g := range []string{"did", "log"} {
		r := iotrust(t, "", "help", g)
		if r.code != exitOK || !strings.Contains(r.stdout, "  iotrust "+g+" ") {
			t.Errorf("help %s: exit %d, want 0 listing its commands", g, r.code)
		}
		if r := iotrust(t, "", g, "-h"); r.code != exitOK || !strings.Contains(r.stdout, "  iotrust "+g+" ") {
			t.Errorf("%s -h: exit %d, want 0 listing its commands", g, r.code)
		}
		if r := iotrust(t, "", g); r.code != exitUsage || !strings.Contains(r.stderr, "  iotrust "+g+" ") {
			t.Errorf("%s alone: exit %d, want 2 listing its commands", g, r.code)
		}
	}
	if r := iotrust(t, "", "help", "nothing"); r.code != exitUsage {
		t.Errorf("help for an unknown command: exit %d", r.code)
	}
	if r := iotrust(t, "", "version"); r.code != exitOK || !strings.HasPrefix(r.stdout, "iotrust ") {
		t.Errorf("version: exit %d", r.code)
	}
}

func TestParseInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		pos, keys []string
	}{
		{[]string{"a", "--k", "1", "b", "--k=2"}, []string{"a", "b"}, []string{"1", "2"}},
		{[]string{"--k", "1", "-", "--k", "2"}, []string{"-"}, []string{"1", "2"}},
		{[]string{"--k", "1", "--", "--k", "x"}, []string{"--k", "x"}, []string{"1"}},
		{[]string{"a", "--", "-b"}, []string{"a", "-b"}, nil},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		var keys listFlag
		fs.Var(&keys, "k", "")
		pos, err := parseInterspersed(fs, tc.args)
		if err != nil || !reflect.DeepEqual(pos, tc.pos) || !reflect.DeepEqual([]string(keys), tc.keys) {
			t.Errorf("%q: positional %q, flags %q, %v; want %q, %q", tc.args, pos, keys, err, tc.pos, tc.keys)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(devNull{})
	if _, err := parseInterspersed(fs, []string{"a", "--nope"}); !errors.As(err, new(usageError)) {
		t.Errorf("unknown flag: %v, want a usage error", err)
	}
}

type devNull struct{}

func (devNull) Write(p []byte) (int, error) { return len(p), nil }

// The built program exits with the statuses its help promises and keeps
// the log library's messages off the terminal.
func TestBuiltProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	w := fixture(t)
	bin := filepath.Join(t.TempDir(), "iotrust")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tampered := writeFile(t, "t.evidence.json", []byte(strings.Replace(readString(t, w.plainPath), `"value":415`, `"value":416`, 1)))
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"verify", "--log-key", w.logKey, w.plainPath}, 0, "VERIFIED"},
		{[]string{"verify", "--log-key", w.logKey, tampered}, 1, "fail  reading[0]"},
		{[]string{"log", "check", "--log-key", w.logKey, "--state", filepath.Join(t.TempDir(), "s.json"), w.logDir}, 0, "LOG OK"},
		{[]string{"verify"}, 2, ""},
	} {
		cmd := exec.Command(bin, tc.args...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(out.String(), tc.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tc.args, code, tc.code, tc.want, out.String(), errb.String())
		}
		if tc.code != 2 && errb.Len() != 0 {
			t.Errorf("%v: unexpected standard error %q", tc.args, errb.String())
		}
	}
}

func readString(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Ctrl-C stops a command that waits for input nothing writes (standard
// input left on a terminal or an idle pipe): it exits 1 saying it was
// interrupted, instead of swallowing the signal and hanging.
func TestInterruptWhileReadingInput(t *testing.T) {
	w := fixture(t)
	for _, args := range [][]string{
		{"verify", "--log-key", w.logKey, "-"},
		{"inspect", "-"},
		{"upgrade", "--log", w.logDir, "--log-key", w.logKey, "-o", "-", "-"},
	} {
		t.Run(args[0], func(t *testing.T) {
			stdin, writer := io.Pipe()
			defer writer.Close() // lets the abandoned read end
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			done := make(chan result, 1)
			go func() { done <- iotrustIn(t, ctx, stdin, args...) }()
			// A bound on a hang, not a timing assertion: an interrupted
			// command returns at once.
			select {
			case r := <-done:
				if r.code != exitFailed || !strings.Contains(r.stderr, "interrupted") {
					t.Errorf("exit %d, want 1 saying interrupted", r.code)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("%v still waiting for standard input 10 s after the interrupt", args)
				writer.Close()
				<-done
			}
		})
	}
}

// A flag that takes one value, given twice, and a flag given an empty
// value are wrong command lines, not the last value winning or a default
// taking over: "did new --out $UNSET" must not print a private key.
func TestFlagGivenTwiceOrEmpty(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jwk"), filepath.Join(dir, "b.jwk")
	for _, args := range [][]string{
		{"did", "new", "--out", a, "--out", b},
		{"did", "new", "--out", ""},
		{"did", "new", "--out="},
		{"did", "new", "--scheme", "p256", "--scheme", "ed25519", "--out", a},
		{"verify", "--min-receipts", "1", "--min-receipts", "2", "x"},
		{"verify", "--json", "--json", "x"},
		{"verify", "--log-key", "", "x"},
		{"upgrade", "-o", a, "-o", b, "x"},
		{"log", "check", "--state", "", "x"},
	} {
		r := iotrust(t, "", args...)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "Usage: ") {
			t.Errorf("%q: exit %d, stdout %d bytes; want 2, nothing on standard output", args, r.code, len(r.stdout))
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d files written by refused command lines", len(ents))
	}
}
