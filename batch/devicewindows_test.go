package batch_test

import (
	"context"
	"errors"
	"testing"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
)

// Devices' anti-replay windows are kept in memory up to
// Config.DeviceWindows: beyond it, windows of devices whose readings are
// all sealed leave memory and are read back from the index, so replays
// stay refused (also after a restart); a device with readings not yet
// sealed keeps its window in memory whatever the bound, since the index
// does not hold those readings yet.
func TestDeviceWindowsBounded(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, t.TempDir())
	cfg := r.config()
	cfg.DeviceWindows = 4
	g := r.open(t, cfg)
	devs := make([]*device, 20)
	for i := range devs {
		devs[i] = newDevice(t, did.Ed25519, 100+i)
	}
	for range 2 {
		for _, d := range devs {
			if err := g.Submit(ctx, d.reading(t, t0, 1)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Nothing is sealed yet (Window is an hour, MaxBatch 4096): every
	// window stays.
	if n := g.Metrics().DeviceWindows; n != len(devs) {
		t.Fatalf("%d windows in memory with every device's readings unsealed, want %d", n, len(devs))
	}
	for _, d := range devs {
		if err := g.Submit(ctx, d.sign(t, 1, t0, 1)); !errors.Is(err, batch.ErrReplay) {
			t.Fatalf("unsealed reading replayed: %v", err)
		}
	}
	if err := g.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// Sealed now: each window read back makes room by evicting others.
	for _, d := range devs {
		for _, seq := range []uint64{1, 2} {
			if err := g.Submit(ctx, d.sign(t, seq, t0, 1)); !errors.Is(err, batch.ErrReplay) {
				t.Fatalf("sealed reading %d replayed after eviction: %v", seq, err)
			}
		}
		if n := g.Metrics().DeviceWindows; n > cfg.DeviceWindows {
			t.Fatalf("%d windows in memory, bound %d", n, cfg.DeviceWindows)
		}
	}
	if err := g.Submit(ctx, devs[0].reading(t, t0, 1)); err != nil {
		t.Fatalf("next reading of an evicted device: %v", err)
	}
	if err := g.Close(ctx); err != nil {
		t.Fatal(err)
	}

	g = r.open(t, cfg)
	defer g.Close(ctx)
	if n := g.Metrics().DeviceWindows; n != 0 {
		t.Fatalf("%d windows loaded at Open, want none until a device sends", n)
	}
	for i, d := range devs {
		if err := g.Submit(ctx, d.sign(t, 2, t0, 1)); !errors.Is(err, batch.ErrReplay) {
			t.Fatalf("device %d: reading replayed after a restart: %v", i, err)
		}
	}
	if err := g.Submit(ctx, devs[0].sign(t, 3, t0, 1)); !errors.Is(err, batch.ErrReplay) {
		t.Fatalf("the last reading before the restart replayed: %v", err)
	}
	if err := g.Submit(ctx, devs[1].reading(t, t0, 1)); err != nil {
		t.Fatal(err)
	}
	bad := r.config()
	bad.Dir = t.TempDir()
	bad.DeviceWindows = -1
	if _, err := batch.Open(ctx, bad); !errors.Is(err, batch.ErrConfig) {
		t.Fatalf("DeviceWindows -1: %v", err)
	}
}
