// Command tracelost reads a Go execution trace (go test -trace) and
// reports, for the busiest stretch of a benchmark, how much processor
// time went unused while goroutines were ready to run and another
// goroutine sat in a system call: Go keeps a processor (P) with a
// goroutine in a system call until its monitor thread takes it back,
// which can be milliseconds later, so a program that syncs files often
// leaves cores idle that it had work for.
//
//	go test -run '^$' -bench 'GatewayIngest/wal=disk$' -benchtime 100000x -trace /tmp/trace.out .
//	cd scripts/tracelost && go run . -cores 2 -busy 'batch.(*Gateway).submit' /tmp/trace.out
//
// The stretch is the longest run of events whose stacks contain -busy
// with no gap above -gap. It prints the time with 0, 1, … goroutines
// running, the processor time lost while goroutines were runnable and
// one was in a system call, and that loss split by the system call's
// stack, then the system calls by length and how many of them came back
// without a P, that is, runnable rather than running, because the
// monitor thread had handed their P to other work meanwhile: once that
// thread has backed off to its longest sleep (10 ms), even calls of
// milliseconds keep their P to the end.
//
// It then splits the idle processor time (a core free and no goroutine
// runnable) by what the goroutines whose stacks contain -busy were
// waiting for, and lists the longest stretches in which no goroutine ran
// at all, each with the system calls and waits under way at its start:
// a gateway whose callers all wait for one slow sync leaves both cores
// idle.
//
// It is a separate module, so that the library does not depend on
// golang.org/x/exp.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/exp/trace"
)

func main() {
	cores := flag.Int("cores", 2, "cores the benchmark ran on")
	busy := flag.String("busy", "batch.(*Gateway).submit", "a function name that marks the stretch to examine")
	gap := flag.Duration("gap", 100*time.Millisecond, "the longest pause within the stretch")
	depth := flag.Int("depth", 7, "frames of a system call's stack to report")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: tracelost [flags] trace.out")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *cores, *busy, *gap, *depth); err != nil {
		fmt.Fprintln(os.Stderr, "tracelost:", err)
		os.Exit(1)
	}
}

func run(path string, cores int, busy string, gap time.Duration, depth int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := trace.NewReader(f)
	if err != nil {
		return err
	}
	var evs []trace.Event
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		evs = append(evs, ev)
	}
	lo, hi := stretch(evs, busy, trace.Time(gap.Nanoseconds()))
	if hi <= lo {
		return fmt.Errorf("no event's stack contains %q", busy)
	}

	running, runnable := 0, 0
	inSyscall := map[trace.GoID]string{} // goroutines in a system call, by stack
	waiting := map[trace.GoID]string{}   // goroutines blocked, by stack
	idleBy := map[string]time.Duration{}
	var stalls []stall
	stallFrom := trace.Time(-1)
	byRunning := map[int]time.Duration{}
	lostBy := map[string]time.Duration{}
	var lost, lostOther time.Duration
	callFrom := map[trace.GoID]trace.Time{} // system calls under way, from when
	var calls [len(callBounds) + 1]callClass
	last := lo
	for _, ev := range evs {
		t := ev.Time()
		if t > hi {
			break
		}
		if t > lo {
			d := time.Duration(t - max(last, lo))
			byRunning[running] += d
			if free := cores - running; free > 0 && runnable == 0 {
				idleBy[blockedOn(waiting, inSyscall, busy)] += d * time.Duration(free)
			}
			if running == 0 && stallFrom < 0 {
				stallFrom = last
				stalls = append(stalls, stall{at: time.Duration(last - lo), calls: underWay(waiting, inSyscall, busy)})
			}
			if running > 0 && stallFrom >= 0 {
				stalls[len(stalls)-1].d = time.Duration(last - stallFrom)
				stallFrom = -1
			}
			if free := cores - running; free > 0 && runnable > 0 {
				l := d * time.Duration(min(free, runnable))
				if len(inSyscall) == 0 {
					lostOther += l
				} else {
					lost += l
					for _, s := range inSyscall {
						lostBy[s] += l / time.Duration(len(inSyscall))
					}
				}
			}
			last = t
		}
		if ev.Kind() != trace.EventStateTransition {
			continue
		}
		st := ev.StateTransition()
		if st.Resource.Kind != trace.ResourceGoroutine {
			continue
		}
		from, to := st.Goroutine()
		id := st.Resource.Goroutine()
		switch from {
		case trace.GoRunning:
			running--
		case trace.GoRunnable:
			runnable--
		case trace.GoSyscall:
			delete(inSyscall, id)
			if t0, ok := callFrom[id]; ok && t0 > lo {
				calls[classOf(time.Duration(t-t0))].add(time.Duration(t-t0), to != trace.GoRunning)
			}
			delete(callFrom, id)
		case trace.GoWaiting:
			delete(waiting, id)
		}
		switch to {
		case trace.GoRunning:
			running++
		case trace.GoRunnable:
			runnable++
		case trace.GoSyscall:
			inSyscall[id] = stack(st.Stack, depth)
			callFrom[id] = t
		case trace.GoWaiting:
			waiting[id] = stack(st.Stack, 24)
		}
	}

	span := time.Duration(hi - lo)
	fmt.Printf("stretch: %v (%s)\n", span.Round(time.Millisecond), busy)
	for k := 0; k <= cores; k++ {
		fmt.Printf("  %d running: %v\n", k, byRunning[k].Round(time.Millisecond))
	}
	total := span * time.Duration(cores)
	fmt.Printf("processor time lost with goroutines runnable: %v while one was in a system call (%.1f %% of %d cores), %v otherwise\n",
		lost.Round(time.Millisecond), 100*float64(lost)/float64(total), cores, lostOther.Round(time.Millisecond))
	printTop(lostBy, 20, time.Millisecond)
	fmt.Println("system calls by length, and how many came back without their P:")
	for i, c := range calls {
		if c.n == 0 {
			continue
		}
		what := fmt.Sprintf("over %v", callBounds[len(callBounds)-1])
		if i < len(callBounds) {
			what = fmt.Sprintf("up to %v", callBounds[i])
		}
		fmt.Printf("  %-15s %6d calls, %8v in all, %d without\n", what, c.n, c.d.Round(100*time.Microsecond), c.handedOff)
	}
	var idle time.Duration
	for _, d := range idleBy {
		idle += d
	}
	fmt.Printf("idle processor time with nothing runnable: %v; while the %s goroutines were blocked in:\n", idle.Round(time.Millisecond), busy)
	printTop(idleBy, 8, time.Millisecond)
	sort.Slice(stalls, func(i, j int) bool { return stalls[i].d > stalls[j].d })
	for _, s := range stalls[:min(3, len(stalls))] {
		if s.d < time.Millisecond {
			break
		}
		fmt.Printf("nothing running for %v at +%v; under way:\n", s.d.Round(100*time.Microsecond), s.at.Round(time.Millisecond))
		for _, c := range s.calls {
			fmt.Println("   ", c)
		}
	}
	return nil
}

// callBounds are the upper bounds of the classes of system call lengths
// reported; the last class is everything longer.
var callBounds = [...]time.Duration{10 * time.Microsecond, 100 * time.Microsecond, time.Millisecond, 10 * time.Millisecond}

// callClass counts the system calls of one class of lengths.
type callClass struct {
	n, handedOff int
	d            time.Duration
}

func (c *callClass) add(d time.Duration, handedOff bool) {
	c.n++
	c.d += d
	if handedOff {
		c.handedOff++
	}
}

// classOf returns the index in callBounds of the class d falls in.
func classOf(d time.Duration) int {
	for i, b := range callBounds {
		if d <= b {
			return i
		}
	}
	return len(callBounds)
}

// stall is a stretch with no goroutine running.
type stall struct {
	at, d time.Duration
	calls []string // system calls and file syncs under way at its start
}

// blockedOn names what the busy goroutines wait for: for each, the first
// two frames outside the runtime and standard plumbing, joined.
func blockedOn(waiting, inSyscall map[trace.GoID]string, busy string) string {
	var on []string
	for _, m := range []map[trace.GoID]string{waiting, inSyscall} {
		for _, s := range m {
			if strings.Contains(s, busy) {
				on = append(on, firstOwn(s))
			}
		}
	}
	if len(on) == 0 {
		return "(none of them blocked)"
	}
	slices.Sort(on)
	return strings.Join(slices.Compact(on), " + ")
}

// underWay lists the system calls in progress and the waits of
// goroutines other than busy ones that sit in a file sync.
func underWay(waiting, inSyscall map[trace.GoID]string, busy string) []string {
	var out []string
	for _, s := range inSyscall {
		out = append(out, "system call in "+caller(s))
	}
	for _, s := range waiting {
		if !strings.Contains(s, busy) && strings.Contains(s, "fsync.") {
			out = append(out, "file sync for "+caller(s))
		}
	}
	sort.Strings(out)
	return out
}

// firstOwn returns the first frame of s outside the runtime, sync, os
// and internal/poll packages, with the one after it.
func firstOwn(s string) string {
	return skipFrames(s, "runtime.", "sync.", "poll.", "os.")
}

// caller returns the first two frames of s that are neither system call
// plumbing nor internal/fsync: who made the call.
func caller(s string) string {
	return skipFrames(s, "runtime.", "sync.", "poll.", "os.", "syscall.", "linux.", "unix.", "fsync.")
}

func skipFrames(s string, prefixes ...string) string {
	fr := strings.Split(s, " < ")
next:
	for i, f := range fr {
		for _, p := range prefixes {
			if strings.HasPrefix(f, p) {
				continue next
			}
		}
		return strings.Join(fr[i:min(i+2, len(fr))], " < ")
	}
	return s
}

func printTop(m map[string]time.Duration, n int, floor time.Duration) {
	type entry struct {
		k string
		d time.Duration
	}
	var es []entry
	for k, d := range m {
		es = append(es, entry{k, d})
	}
	sort.Slice(es, func(i, j int) bool { return es[i].d > es[j].d })
	for i, e := range es {
		if i == n || e.d < floor {
			break
		}
		fmt.Printf("%8v  %s\n", e.d.Round(100*time.Microsecond), e.k)
	}
}

// stretch returns the longest span of goroutine transitions whose stacks
// contain fn, with no pause above gap.
func stretch(evs []trace.Event, fn string, gap trace.Time) (lo, hi trace.Time) {
	var ts []trace.Time
	for _, ev := range evs {
		if ev.Kind() != trace.EventStateTransition {
			continue
		}
		st := ev.StateTransition()
		if st.Resource.Kind == trace.ResourceGoroutine && strings.Contains(stack(st.Stack, 64), fn) {
			ts = append(ts, ev.Time())
		}
	}
	start := 0
	for i := 1; i <= len(ts); i++ {
		if i == len(ts) || ts[i]-ts[i-1] > gap {
			if ts[i-1]-ts[start] > hi-lo {
				lo, hi = ts[start], ts[i-1]
			}
			start = i
		}
	}
	return lo, hi
}

// stack returns up to n frames of s, innermost first, package paths cut.
func stack(s trace.Stack, n int) string {
	var out []string
	for fr := range s.Frames() {
		f := fr.Func
		if i := strings.LastIndex(f, "/"); i >= 0 {
			f = f[i+1:]
		}
		out = append(out, f)
		if len(out) == n {
			break
		}
	}
	return strings.Join(out, " < ")
}
