package batch

// liveWindow is a device's window as the gateway checks readings against
// it: every reading accepted, sealed or not.
type liveWindow struct {
	seqWindow
	// unsealed counts the device's accepted readings whose batch is not
	// recorded in the index yet. Only a window with none may leave memory:
	// the index's window (what is read back) holds sealed readings only.
	unsealed int
}

// maxEvictScan bounds the windows one eviction looks at.
const maxEvictScan = 64

// window returns device's live window, from memory or read back from the
// index, making room for it among Config.DeviceWindows if needed; g.mu is
// held.
func (g *Gateway) window(device string) (*liveWindow, error) {
	if w := g.dev[device]; w != nil {
		return w, nil
	}
	sw, err := g.idx.window(device)
	if err != nil {
		return nil, err
	}
	// Room is made before the new window goes in, so that it cannot be
	// evicted before its first reading counts as unsealed.
	g.evictIdle(g.cfg.DeviceWindows-1, maxEvictScan)
	w := &liveWindow{seqWindow: sw}
	g.dev[device] = w
	return w, nil
}

// evictIdle drops windows of devices with no unsealed reading, looking at
// most at scan windows from a random place (no device is always first),
// until at most target are left; g.mu is held.
func (g *Gateway) evictIdle(target, scan int) {
	if len(g.dev) <= target {
		return
	}
	for d, w := range g.dev {
		if len(g.dev) <= target || scan == 0 {
			return
		}
		scan--
		if w.unsealed == 0 {
			delete(g.dev, d)
		}
	}
}

// sealedReadings marks the readings of a batch the index now records as
// sealed in their devices' live windows, and brings the windows in memory
// back to Config.DeviceWindows if readings not sealed held it above.
func (g *Gateway) sealedReadings(readings []pending) {
	counts := map[string]int{}
	for _, p := range readings {
		counts[p.device]++
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for d, n := range counts {
		if w := g.dev[d]; w != nil {
			w.unsealed -= n
		}
	}
	g.evictIdle(g.cfg.DeviceWindows, len(counts)+maxEvictScan)
}
