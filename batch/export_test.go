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
	g.cutMu.Lock()
	if g.spareOut { // the segment opened ahead is left on disk, as a crash leaves it
		g.spareOut = false
		if r := <-g.spare; r.seg != nil {
			r.seg.close()
		}
	}
	g.cutMu.Unlock()
	g.idx.close()
}
