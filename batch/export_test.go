package batch

// Abandon stops g as a crash would: background work stops, files are
// released, nothing is flushed or sealed.
func Abandon(g *Gateway) {
	g.cancel()
	g.wg.Wait()
	g.mu.Lock()
	if g.seg != nil {
		g.seg.close()
		g.seg = nil
	}
	g.err = ErrClosed
	g.mu.Unlock()
	g.idx.close()
}
