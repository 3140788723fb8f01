package batch

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestWindowsRecordOnlyDurableReadings: a sequence number whose reading
// was still being appended when a batch was sealed (and so may be lost in
// a crash) is not recorded as spent with that batch; after a restart the
// device can send that reading again.
func TestWindowsRecordOnlyDurableReadings(t *testing.T) {
	dir := t.TempDir()
	p := openCrashParts(t, dir)
	defer p.log.Close()
	defer p.st.Close()
	cfg := p.config(dir)
	cfg.ReorderWindow = 8
	ctx := context.Background()
	base := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	g, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for seq := uint64(1); seq <= 3; seq++ {
		if err := g.Submit(ctx, p.reading(t, base, seq)); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// Reading 4 is in flight: its sequence number is taken in memory, its
	// append has not reached the write-ahead log.
	g.mu.Lock()
	g.dev[p.did].accept(4)
	g.mu.Unlock()
	if err := g.Submit(ctx, p.reading(t, base, 5)); err != nil {
		t.Fatal(err)
	}
	if err := g.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	Abandon(g) // the crash: reading 4 never became durable

	g, err = Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close(ctx)
	if err := g.Submit(ctx, p.reading(t, base, 4)); err != nil {
		t.Fatalf("reading 4, never acknowledged, sent again after the restart: %v", err)
	}
	for _, seq := range []uint64{3, 4, 5} {
		if err := g.Submit(ctx, p.reading(t, base, seq)); !errors.Is(err, ErrReplay) {
			t.Errorf("reading %d sent again: %v, want ErrReplay", seq, err)
		}
	}
}
