package devnet

import (
	"fmt"
	"io"
	"time"
)

// Progress returns a ChainConfig.Progress that runs wait and, when it takes
// more than a second, writes "   label " to w and then a dot a second until
// wait returns, closing the line with the time taken. Quick waits print
// nothing.
func Progress(w io.Writer) func(label string, wait func() error) error {
	return func(label string, wait func() error) error {
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- wait() }()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		started := false
		for {
			select {
			case err := <-done:
				if started {
					_, _ = fmt.Fprintf(w, " %.1fs\n", time.Since(start).Seconds())
				}
				return err
			case <-tick.C:
				if !started {
					_, _ = fmt.Fprintf(w, "   %s ", label)
					started = true
				}
				_, _ = fmt.Fprint(w, ".")
			}
		}
	}
}
