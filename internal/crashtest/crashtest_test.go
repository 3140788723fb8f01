package crashtest

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const childEnv = "IOTRUST_CRASHTEST_SELF"

// TestChild is the child of the tests below; it does nothing in a normal
// run. It prints "READY", then "ack N" lines; mode "exit" exits after
// three of them, "fail" prints a FAIL line and waits to be killed.
func TestChild(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("child of TestRun")
	}
	fmt.Println("READY")
	for i := 0; ; i++ {
		switch {
		case mode == "exit" && i == 3:
			os.Exit(0)
		case mode == "fail" && i == 3:
			fmt.Println("FAIL something broke")
			select {}
		}
		fmt.Printf("ack %d\n", i)
		time.Sleep(time.Millisecond)
	}
}

func TestRun(t *testing.T) {
	var acks []int
	res := Run(t, Round{Test: "TestChild", Env: []string{childEnv + "=run"}, Ready: "READY", Delay: 30 * time.Millisecond,
		Line: func(l string) {
			if n, ok := strings.CutPrefix(l, "ack "); ok {
				v, _ := strconv.Atoi(n)
				acks = append(acks, v)
			}
		}})
	if !res.Ready || res.Lines != len(acks)+1 || len(acks) == 0 {
		t.Fatalf("result %+v, %d acks", res, len(acks))
	}
	for i, v := range acks {
		if v != i {
			t.Fatalf("ack %d at %d: lines lost or reordered", v, i)
		}
	}
	res = Run(t, Round{Test: "TestChild", Env: []string{childEnv + "=run"}, AfterLines: 5, Delay: time.Minute, FromStart: true})
	if res.Lines < 5 {
		t.Fatalf("killed after %d lines, want at least 5", res.Lines)
	}
}

// fatalRecorder is a testing.TB whose Fatal ends the goroutine, as the
// real one does, but only notes the message.
type fatalRecorder struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.msg = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

// Run fails the test for a child that exits by itself or reports a
// failure, and still reaps it.
func TestRunFails(t *testing.T) {
	for mode, want := range map[string]string{"exit": "exited by itself", "fail": "child failed"} {
		r := &fatalRecorder{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			Run(r, Round{Test: "TestChild", Env: []string{childEnv + "=" + mode}, Delay: 10 * time.Second, FromStart: true})
		}()
		<-done
		if !strings.Contains(r.msg, want) {
			t.Errorf("child %s: Run says %q, want %q", mode, r.msg, want)
		}
	}
}

func TestKills(t *testing.T) {
	t.Setenv("IOTRUST_CRASHTEST_KILLS", "7")
	if n := Kills(t, "IOTRUST_CRASHTEST_KILLS", 3, 1); n != 7 {
		t.Errorf("Kills = %d with the variable at 7", n)
	}
	want := 3
	if testing.Short() {
		want = 1
	}
	if n := Kills(t, "", 3, 1); n != want {
		t.Errorf("Kills = %d, want %d", n, want)
	}
}
