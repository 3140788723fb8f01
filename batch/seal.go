package batch

import (
	"errors"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/store"
)

// sealer turns cut batches into sealed ones: tree, encrypted blob,
// commitment, index entry; then it drops the batch's write-ahead segment
// and queues the batch for anchoring. It runs one batch at a time, in
// order.
func (g *Gateway) sealer() {
	defer g.wg.Done()
	for {
		select {
		case <-g.ctx.Done():
			return
		case job := <-g.sealq:
			if job.readings == nil { // a barrier: every batch before it is done
				g.mu.Lock()
				err := g.err
				g.mu.Unlock()
				if errors.Is(err, ErrClosed) {
					err = nil
				}
				job.done <- err
				continue
			}
			err := g.seal(job)
			if err != nil {
				g.backlog.Add(-1)
				g.mu.Lock()
				if g.err == nil || errors.Is(g.err, ErrClosed) {
					g.err = fmt.Errorf("%w: sealing: %w", ErrWAL, err)
				}
				g.mu.Unlock()
				g.cfg.Logger.Error("sealing a batch failed; its readings stay in the write-ahead log and are sealed at the next start", "segment", job.segNo, "err", err)
			}
			if job.done != nil {
				job.done <- err
			}
		}
	}
}

// seal seals one batch. A crash at any point leaves either the segment (and
// the batch is sealed again at the next start) or the committed batch.
func (g *Gateway) seal(job sealJob) error {
	ctx := g.ctx
	leaves := make([][]byte, len(job.readings))
	ids := make([]canon.Digest, len(job.readings))
	lo, hi := job.readings[0].time, job.readings[0].time
	for i, p := range job.readings {
		leaves[i], ids[i] = p.leaf, p.id
		lo, hi = minTime(lo, p.time), maxTime(hi, p.time)
	}
	tree := merkle.NewTree(g.cfg.Hasher, leaves)
	// The plaintext blob is reused from batch to batch: Store.Put keeps
	// only its sealed copy. (Only the sealer, or Open before it starts,
	// seals.)
	g.blobBuf = appendBlob(g.blobBuf, g.cfg.Hasher, leaves)
	blob := g.blobBuf
	recipients := append([]store.Recipient{g.cfg.Identity.Recipient()}, g.cfg.Recipients...)
	c, err := g.cfg.Store.Put(ctx, blob, recipients...)
	if err != nil {
		return fmt.Errorf("storing the batch: %w", err)
	}
	com := anchor.Commitment{
		Root: tree.Digest(), CID: c, WindowStart: lo.UTC(), WindowEnd: hi.UTC(),
		Count: uint64(len(leaves)), Topic: g.cfg.Topic,
	}
	if err := com.Validate(); err != nil {
		return fmt.Errorf("building the commitment: %w", err)
	}
	g.mu.Lock()
	g.lastBatch++
	num := g.lastBatch
	g.mu.Unlock()
	rec := batchRecord{Number: num, Segment: job.segNo, Commitment: com, State: stateSealed, SealedAt: time.Now().UTC()}
	if err := g.idx.commitBatch(rec, ids, job.readings); err != nil {
		return fmt.Errorf("recording the batch: %w", err)
	}
	g.sealedReadings(job.readings)
	g.trees.put(num, cachedTree{tree: tree, leaves: leaves})
	g.mu.Lock()
	delete(g.sealing, job.segNo)
	g.mu.Unlock()
	g.giveOpenList(job.readings) // referred to by the segment just deleted only
	g.ctr.sealed.Add(1)
	g.ctr.sealedReadings.Add(uint64(len(leaves)))
	g.cfg.Logger.Debug("batch sealed", "batch", num, "readings", len(leaves), "root", com.Root.String(), "cid", c.String())
	g.anchorq <- num
	// The index now holds the batch, so the segment is no longer needed;
	// it goes after the batch is queued, so that anchoring does not wait.
	if err := removeSegment(g.cfg.Dir, job.segNo); err != nil {
		g.cfg.Logger.Warn("cannot remove a sealed write-ahead segment; it is skipped at the next start", "segment", job.segNo, "err", err)
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// anchorer anchors sealed batches in order, retrying each until the
// ledger policy is met, then follows their receipts to final.
func (g *Gateway) anchorer() {
	defer g.wg.Done()
	for _, num := range g.recovered {
		if g.ctx.Err() != nil {
			return
		}
		g.anchorBatch(num)
		g.recoveredLeft.Add(-1)
	}
	g.recovered = nil
	for {
		select {
		case <-g.ctx.Done():
			return
		case num := <-g.anchorq:
			g.anchorBatch(num)
		}
	}
}

func (g *Gateway) anchorBatch(num uint64) {
	rec, err := g.idx.batch(num)
	if err != nil {
		g.cfg.Logger.Error("cannot read a sealed batch", "batch", num, "err", err)
		return
	}
	if rec.State == stateSealed {
		multi, err := anchor.NewMulti(g.cfg.Policy, g.cfg.Ledgers...)
		if err != nil {
			g.cfg.Logger.Error("invalid ledger policy", "err", err)
			return
		}
		backoff := 50 * time.Millisecond
		for {
			mr, err := multi.Anchor(g.ctx, rec.Commitment)
			if err == nil {
				rec.Receipts = rec.Receipts[:0]
				for i, r := range mr.Receipts {
					if r.State.Valid() {
						rec.Receipts = append(rec.Receipts, ledgerReceipt{Ledger: i, Receipt: r})
					}
				}
				rec.State = stateAnchored
				break
			}
			if g.ctx.Err() != nil {
				return // the next Open anchors it
			}
			g.ctr.anchorErrors.Add(1)
			g.cfg.Logger.Warn("anchoring failed; retrying", "batch", num, "in", backoff, "err", err)
			select {
			case <-g.ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 30*time.Second)
		}
		// The receipts go with the next sealed batch's commit: a crash
		// before it leaves the batch sealed, and the next start anchors it
		// again, which returns the same receipts.
		g.idx.putBatchLater(rec)
		// Count the finalization before the backlog drops: Close waits for
		// the backlog, then for finalizations.
		g.wg.Add(1)
		g.fin.Add(1)
		g.backlog.Add(-1)
		g.ctr.anchored.Add(1)
		g.ctr.anchor.observe(time.Since(rec.SealedAt), 1)
		g.cfg.Logger.Debug("batch anchored", "batch", num, "ledgers", len(rec.Receipts))
		go g.finalize(rec)
		return
	}
	if rec.State == stateAnchored {
		g.wg.Add(1)
		g.fin.Add(1)
		go g.finalize(rec)
	}
}

// finalize follows every receipt of an anchored batch as far as its
// ledger lets the gateway follow it, and records the outcome:
//
//   - a receipt of an anchor.Ledger is followed until Final (WaitFinal);
//   - a ledger that is no anchor.Ledger (a plain Anchorer) cannot be asked
//     about a receipt again, except by anchoring the commitment again,
//     which returns the first anchor's receipt in its current State: a
//     Pending receipt, which the ledger may still lose, is anchored again
//     with backoff until it is Included; an Included one is as settled as
//     the gateway can learn, and kept as the ledger gave it;
//   - a receipt of a ledger Config.Ledgers no longer has is kept as it
//     is, and leaves its batch to be taken up again by the next Open.
//
// The batch becomes final when every receipt is Final, settled when every
// receipt is Final or settled as above; either is its last state, which
// no Open takes up again.
func (g *Gateway) finalize(rec batchRecord) {
	defer g.wg.Done()
	defer g.fin.Done()
	changed := false
	for i, lr := range rec.Receipts {
		if lr.Receipt.State == anchor.Final || lr.Ledger >= len(g.cfg.Ledgers) {
			continue
		}
		var (
			r   anchor.Receipt
			err error
		)
		switch l := g.cfg.Ledgers[lr.Ledger].(type) {
		case anchor.Ledger:
			r, err = l.WaitFinal(g.ctx, lr.Receipt)
		default:
			if lr.Receipt.State >= anchor.Included {
				continue // as settled as this ledger lets the gateway know
			}
			r, err = g.anchorUntilIncluded(l, lr.Ledger, rec)
		}
		if err != nil {
			if g.ctx.Err() == nil {
				g.cfg.Logger.Warn("waiting for a final receipt failed; retried at the next start", "batch", rec.Number, "err", err)
			}
			return
		}
		rec.Receipts[i].Receipt = r
		changed = true
	}
	final, settled := true, true
	for _, lr := range rec.Receipts {
		final = final && lr.Receipt.State == anchor.Final
		settled = settled && g.receiptSettled(lr)
	}
	switch {
	case final:
		rec.State = stateFinal
	case settled:
		rec.State = stateSettled
	case !changed:
		return // nothing new to record: the next Open takes it up again
	}
	if err := g.idx.putBatchGrouped(rec); err != nil {
		g.cfg.Logger.Error("cannot record final receipts", "batch", rec.Number, "err", err)
		return
	}
	switch {
	case final:
		g.ctr.final.Add(1)
	case settled:
		g.ctr.settled.Add(1)
		g.cfg.Logger.Debug("batch settled with receipts its ledgers cannot make final for the gateway", "batch", rec.Number)
	}
}

// receiptSettled reports whether the gateway follows a receipt no
// further: it is Final, or Included (or later) from a configured ledger
// that is no anchor.Ledger.
func (g *Gateway) receiptSettled(lr ledgerReceipt) bool {
	if lr.Receipt.State == anchor.Final {
		return true
	}
	if lr.Ledger >= len(g.cfg.Ledgers) {
		return false
	}
	_, followed := g.cfg.Ledgers[lr.Ledger].(anchor.Ledger)
	return !followed && lr.Receipt.State >= anchor.Included
}

// anchorUntilIncluded anchors rec's commitment again on ledger n, a plain
// Anchorer, with backoff, until the receipt it returns (the first
// anchor's, by Anchor's idempotence, or a new one where a Pending anchor
// was lost) is at least Included. It returns only with such a receipt or
// when the gateway stops.
func (g *Gateway) anchorUntilIncluded(a anchor.Anchorer, n int, rec batchRecord) (anchor.Receipt, error) {
	backoff := 50 * time.Millisecond
	for {
		r, err := a.Anchor(g.ctx, rec.Commitment)
		switch {
		case err != nil:
		case !r.State.Valid():
			err = fmt.Errorf("%w: ledger %d returned a receipt in state %d", anchor.ErrBadReceipt, n, uint8(r.State))
		case !r.Commitment.Equal(rec.Commitment):
			err = fmt.Errorf("%w: ledger %d returned a receipt of another commitment", anchor.ErrBadReceipt, n)
		}
		if err == nil && r.State >= anchor.Included {
			return r, nil
		}
		if g.ctx.Err() != nil {
			return anchor.Receipt{}, g.ctx.Err()
		}
		if err != nil {
			g.ctr.anchorErrors.Add(1)
			g.cfg.Logger.Warn("anchoring a pending batch again failed; retrying", "batch", rec.Number, "ledger", n, "in", backoff, "err", err)
		}
		select {
		case <-g.ctx.Done():
			return anchor.Receipt{}, g.ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}
