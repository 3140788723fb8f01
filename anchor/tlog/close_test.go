package tlog_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// TestAnchorDuringClose: Close while goroutines keep anchoring. Every
// Anchor either succeeds (and its entry is in the reopened log) or fails
// with anchor.ErrClosed; nothing panics (Close used to Wait on a
// WaitGroup that Anchor was still adding to) and no call reports the
// closed log as unavailable.
func TestAnchorDuringClose(t *testing.T) {
	for round := range 12 {
		cfg := testConfig(t, t.TempDir())
		l, err := tlog.Open(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			acked []anchor.Receipt
			first = make(chan struct{})
			once  sync.Once
		)
		want := 1 + 3*round // Close at varying points of the stream
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					r, err := l.Anchor(t.Context(), anchortest.Commitment(fmt.Sprint("close race ", round, " ", g, " ", i)))
					if err != nil {
						if !errors.Is(err, anchor.ErrClosed) {
							t.Errorf("Anchor during Close: %v, want ErrClosed", err)
						}
						return
					}
					mu.Lock()
					acked = append(acked, r)
					if len(acked) >= want {
						once.Do(func() { close(first) })
					}
					mu.Unlock()
				}
			}()
		}
		<-first
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		wg.Wait()
		l = openTestLog(t, cfg)
		for _, r := range acked {
			if _, err := l.Upgrade(t.Context(), r); err != nil {
				t.Errorf("acknowledged anchor at %d lost: %v", r.Position, err)
			}
		}
		if t.Failed() {
			return
		}
	}
}
