package batch

import "os"

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
	g.idx.db.Close() // not idx.close, which writes the receipts kept for later
}

// SpareSegmentSize waits for the write-ahead segment g opens ahead of its
// next cut and returns its number and file size.
func SpareSegmentSize(g *Gateway) (uint64, int64, error) {
	g.cutMu.Lock()
	defer g.cutMu.Unlock()
	r := <-g.spare
	g.spare <- r // still the spare for the next cut
	if r.err != nil {
		return 0, 0, r.err
	}
	fi, err := os.Stat(segmentPath(g.cfg.Dir, r.seg.no))
	if err != nil {
		return 0, 0, err
	}
	return r.seg.no, fi.Size(), nil
}
