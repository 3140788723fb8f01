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
// stack.
//
// It is a separate module, so that the library does not depend on
// golang.org/x/exp.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
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
	byRunning := map[int]time.Duration{}
	lostBy := map[string]time.Duration{}
	var lost, lostOther time.Duration
	last := lo
	for _, ev := range evs {
		t := ev.Time()
		if t > hi {
			break
		}
		if t > lo {
			d := time.Duration(t - max(last, lo))
			byRunning[running] += d
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
		}
		switch to {
		case trace.GoRunning:
			running++
		case trace.GoRunnable:
			runnable++
		case trace.GoSyscall:
			inSyscall[id] = stack(st.Stack, depth)
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
	type entry struct {
		stack string
		d     time.Duration
	}
	var es []entry
	for s, d := range lostBy {
		es = append(es, entry{s, d})
	}
	sort.Slice(es, func(i, j int) bool { return es[i].d > es[j].d })
	for i, e := range es {
		if i == 20 || e.d < time.Millisecond {
			break
		}
		fmt.Printf("%8v  %s\n", e.d.Round(100*time.Microsecond), e.stack)
	}
	return nil
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
