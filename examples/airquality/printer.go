package main

import (
	"fmt"
	"io"
	"time"
)

// printer writes the run's narrative.
type printer struct{ w io.Writer }

func (p printer) Printf(format string, a ...any) { _, _ = fmt.Fprintf(p.w, format, a...) }
func (p printer) Println(a ...any)               { _, _ = fmt.Fprintln(p.w, a...) }

// progress runs f; if it takes more than a second, it says so and prints a
// dot per second until f returns.
func (p printer) progress(label string, f func() error) error {
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- f() }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	started := false
	for {
		select {
		case err := <-done:
			if started {
				p.Printf(" %.1fs\n", time.Since(start).Seconds())
			}
			return err
		case <-tick.C:
			if !started {
				p.Printf("   %s ", label)
				started = true
			}
			p.Printf(".")
		}
	}
}
