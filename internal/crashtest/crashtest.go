package crashtest

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ReadyTimeout bounds how long Run waits for a child to become ready
// before it fails the test.
const ReadyTimeout = time.Minute

// Round is one child process of a crash test and the moment it dies.
type Round struct {
	// Test names the test function the child runs: the test binary is
	// re-executed with -test.run=^Test$ and -test.count=1.
	Test string
	// Env holds KEY=VALUE pairs added to the child's environment; by them
	// the child test knows it is the child, and what to do.
	Env []string
	// Delay is how long the child runs before the kill: counted from the
	// moment it is ready (its first line, or the line Ready), or from its
	// start when FromStart is set.
	Delay time.Duration
	// Ready, when set, is the line the child prints once it is working;
	// when empty, the child's first line makes it ready.
	Ready string
	// FromStart counts Delay from the child's start and kills it then,
	// ready or not (to land kills in start-up and recovery too).
	FromStart bool
	// AfterLines, when positive, kills the child as soon as it has printed
	// that many lines, if Delay has not run out first.
	AfterLines int
	// Line, if not nil, is called on the test's goroutine with every line
	// the child printed on standard output, in order, including the lines
	// read after the kill (a write acknowledged just before the kill
	// counts too).
	Line func(line string)
}

// Result is what Run saw of a round.
type Result struct {
	Lines int  // lines the child printed
	Ready bool // whether the child was ready before the kill
}

// Run starts the child of r, kills it with SIGKILL when r says, passes
// every line it printed to r.Line and reaps it. It fails the test if the
// child cannot be started, is not ready within ReadyTimeout (unless
// r.FromStart), exits by itself (a child runs until it is killed), prints
// a line starting with FAIL or --- FAIL, or panics. The child never
// outlives Run, even when r.Line fails the test.
func Run(t testing.TB, r Round) Result {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+r.Test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), r.Env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reaped := false
	defer func() {
		if !reaped { // r.Line or a check below failed the test
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	lines := make(chan string, 64)
	go func() {
		s := bufio.NewScanner(stdout)
		s.Buffer(nil, 1<<20)
		for s.Scan() {
			lines <- s.Text()
		}
		close(lines)
	}()

	var res Result
	var tail []string // the last lines, for failure messages
	line := func(l string) {
		res.Lines++
		if tail = append(tail, l); len(tail) > 20 {
			tail = tail[1:]
		}
		if strings.HasPrefix(l, "FAIL") || strings.HasPrefix(l, "--- FAIL") {
			t.Fatalf("%s: child failed:\n%s\n%s", r.Test, strings.Join(tail, "\n"), stderr.String())
		}
		if !res.Ready && (r.Ready == "" || l == r.Ready) {
			res.Ready = true
		}
		if r.Line != nil {
			r.Line(l)
		}
	}
	var timer <-chan time.Time
	if r.FromStart {
		timer = time.After(r.Delay)
	} else {
		timer = time.After(ReadyTimeout)
	}
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				break wait // exited by itself: reported below
			}
			wasReady := res.Ready
			line(l)
			if res.Ready && !wasReady && !r.FromStart {
				timer = time.After(r.Delay)
			}
			if r.AfterLines > 0 && res.Lines >= r.AfterLines {
				break wait
			}
		case <-timer:
			if !res.Ready && !r.FromStart {
				t.Fatalf("%s: child not ready after %v:\n%s\n%s", r.Test, ReadyTimeout, strings.Join(tail, "\n"), stderr.String())
			}
			break wait
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("%s: kill: %v", r.Test, err)
	}
	for l := range lines {
		line(l)
	}
	cmd.Wait()
	reaped = true
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("%s: child exited by itself (%v) after %d lines:\n%s\n%s", r.Test, cmd.ProcessState, res.Lines, strings.Join(tail, "\n"), stderr.String())
	}
	if strings.Contains(stderr.String(), "panic:") {
		t.Fatalf("%s: child panicked:\n%s", r.Test, stderr.String())
	}
	return res
}

// Kills returns how many times a crash test kills its child: the whole
// number in the environment variable env when it is set (the knob CI
// turns), else full, or short under -short. A short count of 0 skips the
// test under -short. A malformed env fails the test.
func Kills(t testing.TB, env string, full, short int) int {
	t.Helper()
	if testing.Short() && short == 0 {
		t.Skip("spawns and kills processes; run without -short")
	}
	if s := os.Getenv(env); env != "" && s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a whole number of kills", env, s)
		}
		return n
	}
	if testing.Short() {
		return short
	}
	return full
}
