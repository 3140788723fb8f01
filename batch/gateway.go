package batch

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

// Gateway is the ingestion pipeline of a gateway: it verifies signed
// readings, checks sequence, clock and rights, makes them durable in a
// write-ahead log before acknowledging, seals them into Merkle-rooted
// batches stored encrypted, anchors each batch's commitment and follows
// its receipts until they are settled (final where the ledger can be
// followed, see Config.Ledgers), and serves an evidence bundle for every
// reading it acknowledged. It is safe for concurrent use.
type Gateway struct {
	cfg Config
	idx *index
	ctr *counters

	closeOnce sync.Once
	closeErr  error
	blobBuf   []byte // the sealer's plaintext blob buffer

	mu  sync.Mutex             // guards the fields below, and the open lists of segments
	seg *segment               // the open batch's write-ahead segment
	dev map[string]*liveWindow // at most DeviceWindows, but for devices with readings not sealed
	err error                  // sticky: the write-ahead log failed, or the gateway closed
	// closing is set when Close begins: from then on Submit refuses, so
	// that the last Flush seals every reading acknowledged.
	closing bool
	// swapped is signalled (on mu) when a cut swaps in the next segment,
	// or the gateway stops taking readings: what a call waiting for room
	// in a full open batch waits for.
	swapped *sync.Cond
	// maxBatchBytes bounds a batch's leaves, framing included, so that its
	// blob stays within the store's bound.
	maxBatchBytes int

	sealing   map[uint64]*segment // cut segments whose batch is not sealed yet (under mu)
	lastBatch uint64              // number of the last batch sealed (under mu)
	trees     *treeCache          // recently sealed batches' trees, for evidence

	// cutMu serialises cuts; spare delivers the next segment, opened ahead
	// of the cut that needs it (one opening is outstanding while spareOut).
	cutMu    sync.Mutex
	spare    chan spareSegment
	freeOpen chan []pending // sealed batches' reading lists, for reuse (takeOpenList)
	spareOut bool           // under cutMu
	// perReading is the write-ahead bytes per reading of the last batch
	// cut, which sizes the segments opened after it (under cutMu).
	perReading int64

	sealq   chan sealJob
	anchorq chan uint64
	// recovered are the batches Open found sealed or anchored but not
	// settled, in order: the anchorer's first work (it alone uses it then);
	// recoveredLeft counts those it has not handed on yet (Close waits for
	// them as for the backlog, before it waits for the finalizations they
	// start).
	recovered     []uint64
	recoveredLeft atomic.Int64
	recoveredN    int // len(recovered) at Open, for Metrics
	backlog       atomic.Int64

	ctx    context.Context // background work; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
	fin    sync.WaitGroup // finalize goroutines, also counted in wg
}

// pending is a reading acknowledged into the open batch.
type pending struct {
	id     canon.Digest
	leaf   []byte
	time   time.Time
	device string
	seq    uint64
}

// sealJob is a batch cut from the open batch, with the segment that holds
// it; a job without readings is a barrier (sealBarrier).
type sealJob struct {
	segNo    uint64
	readings []pending
	done     chan error // nil, or told when the batch is sealed
}

// Open starts a Gateway on cfg. It recovers from a previous run in
// cfg.Dir: readings acknowledged but not sealed are sealed, batches sealed
// but not anchored are anchored (exactly once: anchoring is idempotent),
// and receipts not yet settled are followed. Batches settled or final in
// an earlier run are not taken up again (Metrics.Recovered counts those
// that are): Open reads each batch's index record once, and follows only
// the batches not settled.
func Open(ctx context.Context, cfg Config) (*Gateway, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(cfg.Dir, "wal"), 0o700); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	idx, err := openIndex(filepath.Join(cfg.Dir, "index.db"))
	if err != nil {
		return nil, err
	}
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	g := &Gateway{
		cfg: cfg, idx: idx, ctr: newCounters(),
		dev:     map[string]*liveWindow{},
		sealing: map[uint64]*segment{},
		spare:   make(chan spareSegment, 1),
		// One list for the segment opened ahead, one for a cut before it.
		freeOpen: make(chan []pending, 2),
		trees:    newTreeCache(treeCacheBytes),
		sealq:    make(chan sealJob, 4),
		// Room for the backlog Submit bounds, and a little over it (the
		// bound is checked before a call's readings join a batch); a full
		// queue holds the sealer back, never Open (see recovered).
		anchorq: make(chan uint64, cfg.MaxBacklog+16),
		ctx:     bg, cancel: cancel,
		// The blob's header and count take a few bytes beyond its leaves.
		maxBatchBytes: int(min(cfg.Store.MaxBlobSize(), math.MaxInt32)) - blobHeaderRoom,
	}
	g.swapped = sync.NewCond(&g.mu)
	if err := g.recover(ctx); err != nil {
		cancel()
		idx.close()
		return nil, err
	}
	g.prepareSegment(g.seg.no + 1)
	g.wg.Add(3)
	go g.sealer()
	go g.anchorer()
	go g.ticker()
	return g, nil
}

// Submit verifies and acknowledges one reading. See SubmitBatch.
func (g *Gateway) Submit(ctx context.Context, s reading.Signed) error {
	return g.SubmitBatch(ctx, []reading.Signed{s})[0]
}

// SubmitBatch verifies readings (Ed25519 signatures in batches), checks
// each one's sequence number, time and publish right, and appends the
// accepted ones to the write-ahead log with one fsync for every call
// running at the same time. It returns one error per reading, nil for
// each reading acknowledged: durable, and certain to be sealed into a batch
// and anchored, also across a crash. A rejected reading's error wraps one
// of the package's sentinels or a reading, did or vc error; see ReasonOf.
//
// ctx is honoured until the readings are verified: a call whose context
// ends before then gets the context's error for every reading not refused
// otherwise (ReasonCanceled), and none of them is accepted or spends its
// sequence number. After that the call waits for the write-ahead log, so
// a caller giving up never stops the gateway or leaves a reading in doubt.
//
// A call with more than Config.MaxBatch readings is taken in chunks of
// MaxBatch. A batch is sealed once it holds MaxBatch readings, or once the
// next call's readings would take its blob past the store's MaxBlobSize; a
// call that finds the open batch full waits for it to be handed on, so a
// batch holds fewer than 2 × MaxBatch readings and always fits the store.
func (g *Gateway) SubmitBatch(ctx context.Context, ss []reading.Signed) []error {
	if len(ss) <= g.cfg.MaxBatch {
		return g.submit(ctx, ss)
	}
	errs := make([]error, 0, len(ss))
	for len(ss) > 0 {
		n := min(len(ss), g.cfg.MaxBatch)
		errs = append(errs, g.submit(ctx, ss[:n])...)
		ss = ss[n:]
	}
	return errs
}

func (g *Gateway) submit(ctx context.Context, ss []reading.Signed) []error {
	start := time.Now()
	errs := make([]error, len(ss))
	fail := func(err error) []error {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		g.count(errs, start)
		return errs
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if g.backlog.Load() >= int64(g.cfg.MaxBacklog) {
		return fail(fmt.Errorf("%w: %d batches waiting for their anchor", ErrOverloaded, g.backlog.Load()))
	}
	now := g.cfg.Now()
	for i := range ss {
		errs[i] = g.precheck(ctx, &ss[i], now)
	}
	ids, leafBytes := verifyAll(ctx, g.cfg.Keys, ss, errs)
	leaves := make([]pending, len(ss))
	for i := range ss {
		if errs[i] == nil {
			leaves[i].leaf = leafBytes[i]
			leaves[i].id, leaves[i].time = ids[i], ss[i].Time
			leaves[i].device, leaves[i].seq = ss[i].Device, ss[i].Seq
		}
	}

	// The caller's context is honoured up to here: once a reading's
	// sequence number is taken, its append runs to the end (below), so a
	// caller giving up never leaves the log in doubt.
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	recs := make([][]byte, 0, len(ss))
	acc := leaves[:0] // filled in order, never ahead of the index read
	callBytes := 0
	for i := range ss {
		if errs[i] == nil {
			callBytes += len(leaves[i].leaf) + binary.MaxVarintLen32
		}
	}
	if callBytes > g.maxBatchBytes && len(ss) > 1 {
		// Too large for one batch blob even alone (a MaxBatch large for
		// the store's bound): in halves, verified again.
		h := len(ss) / 2
		return append(g.submit(ctx, ss[:h]), g.submit(ctx, ss[h:])...)
	}
	g.mu.Lock()
	// A full open batch takes no more readings: wait for the cut that
	// hands it on, which swaps in the next segment at once and only then
	// waits for the appends still under way.
	for g.err == nil && !g.closing && g.seg.reserved > 0 &&
		(g.seg.reserved >= g.cfg.MaxBatch || g.seg.bytes+callBytes > g.maxBatchBytes) {
		g.startCut(g.seg)
		g.swapped.Wait()
	}
	if g.err != nil || g.closing {
		err := g.err
		if err == nil {
			err = ErrClosed
		}
		g.mu.Unlock()
		return fail(err)
	}
	for i := range ss {
		if errs[i] != nil {
			continue
		}
		r := &ss[i].Reading
		w, err := g.window(r.Device)
		if err != nil {
			errs[i] = err
			continue
		}
		if errs[i] = w.check(r.Seq, uint64(g.cfg.ReorderWindow)); errs[i] != nil {
			continue
		}
		w.accept(r.Seq)
		w.unsealed++
		recs = append(recs, leaves[i].leaf)
		acc = append(acc, leaves[i])
	}
	// The readings go into the open batch's segment; a cut that swaps it
	// meanwhile waits for this append before it hands the batch on.
	seg := g.seg
	if len(recs) > 0 {
		seg.reserved += len(recs)
		seg.bytes += callBytes
		seg.writers.Add(1)
		if seg.reserved >= g.cfg.MaxBatch { // full once these are in
			g.startCut(seg)
		}
	}
	g.mu.Unlock()

	if len(recs) > 0 {
		err := seg.append(context.WithoutCancel(ctx), recs)
		g.mu.Lock()
		if err != nil {
			// Whether the records reached the disk is unknown: the gateway
			// stops accepting, and a restart replays what is there.
			if g.err == nil {
				g.err = fmt.Errorf("%w: %w", ErrWAL, err)
				g.cfg.Logger.Error("write-ahead log failed; refusing readings until restart", "err", err)
				g.swapped.Broadcast()
			}
			g.mu.Unlock()
			seg.writers.Done()
			for i := range errs {
				if errs[i] == nil {
					errs[i] = fmt.Errorf("%w: %w", ErrWAL, err)
				}
			}
			g.count(errs, start)
			return errs
		}
		if len(seg.open) == 0 {
			seg.first = time.Now()
		}
		seg.open = append(seg.open, acc...)
		full := seg == g.seg && len(seg.open) >= g.cfg.MaxBatch
		g.mu.Unlock()
		seg.writers.Done()
		if full {
			g.cut(nil)
		}
	}
	g.count(errs, start)
	return errs
}

// precheck applies the checks that need no signature: shape, time, right.
func (g *Gateway) precheck(ctx context.Context, s *reading.Signed, now time.Time) error {
	r := &s.Reading
	if r.Time.After(now.Add(g.cfg.MaxClockDrift)) {
		return fmt.Errorf("%w: %s is %s ahead of the gateway's clock", ErrClockDrift, r.Time.UTC().Format(time.RFC3339Nano), r.Time.Sub(now).Round(time.Millisecond))
	}
	if r.Time.Before(now.Add(-g.cfg.MaxAge)) {
		return fmt.Errorf("%w: %s is older than %s", ErrClockDrift, r.Time.UTC().Format(time.RFC3339Nano), g.cfg.MaxAge)
	}
	if g.cfg.Authorizer != nil {
		if err := g.cfg.Authorizer.Authorize(ctx, r.Device, vc.ActionPublish, r.Topic); err != nil {
			return fmt.Errorf("%w: %w", ErrUnauthorized, err)
		}
	}
	return nil
}

func (g *Gateway) count(errs []error, start time.Time) {
	var ok uint64
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			g.ctr.reject(ReasonOf(err), 1)
		}
	}
	if ok > 0 {
		g.ctr.accepted.Add(ok)
		g.ctr.submit.observe(time.Since(start), ok)
	}
}

// Flush seals the open batch now, if it holds any reading, and returns once
// every reading acknowledged before the call is sealed and queued for
// anchoring: the open batch, and the batches cut earlier (full, or at the
// end of their window) that were still being sealed. It returns the error
// that stopped the gateway, if one did, or ErrClosed when the gateway
// shuts down before the batches are sealed.
func (g *Gateway) Flush(ctx context.Context) error {
	done := make(chan error, 1)
	if !g.cut(done) && !g.sealBarrier(done) {
		g.mu.Lock()
		err := g.err
		g.mu.Unlock()
		if errors.Is(err, ErrClosed) { // closed cleanly: nothing left to seal
			return nil
		}
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-g.ctx.Done():
		select { // a batch sealed just before the gateway stopped: its result
		case err := <-done:
			return err
		default:
			return ErrClosed
		}
	}
}

// sealBarrier queues a job that tells done once every batch cut before it
// is sealed (the sealer runs its jobs in order). It reports false when no
// batch is being sealed.
func (g *Gateway) sealBarrier(done chan error) bool {
	g.cutMu.Lock() // once held, a cut that was under way has queued its batch
	defer g.cutMu.Unlock()
	g.mu.Lock()
	sealing := len(g.sealing) > 0
	g.mu.Unlock()
	if !sealing {
		return false
	}
	select {
	case g.sealq <- sealJob{done: done}:
	case <-g.ctx.Done(): // the sealer has stopped
		done <- ErrClosed
	}
	return true
}

// cut hands the open batch to the sealer: it swaps in the next segment
// (opened ahead of time), so appends carry on into the next batch at once,
// then waits for the appends still writing to the old segment. It reports
// false when there was nothing to seal.
func (g *Gateway) cut(done chan error) bool { return g.cutSegment(nil, done) }

// startCut cuts seg in the background, once: the calls that find it full
// wait for the swap, not for the appends in flight. The caller holds mu.
func (g *Gateway) startCut(seg *segment) {
	if !seg.cutting {
		seg.cutting = true
		go g.cutSegment(seg, nil)
	}
}

// cutSegment is cut, of the open batch only if its segment is still only
// (any open batch when only is nil).
func (g *Gateway) cutSegment(only *segment, done chan error) bool {
	g.cutMu.Lock()
	defer g.cutMu.Unlock()
	g.mu.Lock()
	if g.err != nil || g.seg.reserved == 0 || (only != nil && g.seg != only) {
		g.mu.Unlock()
		return false
	}
	no := g.seg.no + 1
	g.mu.Unlock()
	next, err := g.nextSegment(no)
	g.mu.Lock()
	if err != nil {
		if g.err == nil {
			g.err = fmt.Errorf("%w: %w", ErrWAL, err)
			g.cfg.Logger.Error("cannot open the next write-ahead segment", "err", err)
		}
		err = g.err
		g.mu.Unlock()
		if done != nil {
			done <- err
		}
		return true
	}
	if g.err != nil { // failed or closed meanwhile: the segment stays for the next start
		err := g.err
		g.mu.Unlock()
		next.close()
		_ = removeSegment(g.cfg.Dir, next.no)
		if done != nil {
			done <- err
		}
		return true
	}
	old := g.seg
	g.seg = next
	g.sealing[old.no] = old
	g.swapped.Broadcast()
	g.mu.Unlock()
	g.prepareSegment(next.no + 1)

	old.writers.Wait()
	g.mu.Lock()
	err = g.err
	readings := old.open
	if err == nil && len(readings) == 0 { // cannot happen: reserved readings were all refused
		delete(g.sealing, old.no)
	}
	g.mu.Unlock()
	if err != nil || len(readings) == 0 {
		// An append failed: the segment stays as it is and its readings are
		// sealed at the next start. With nothing to seal, done is left
		// alone, as on every path that reports false (Flush then queues a
		// barrier on it).
		if err != nil && done != nil {
			done <- err
		}
		return err != nil
	}
	g.perReading = old.log.Size() / int64(len(readings))
	old.close()
	g.backlog.Add(1)
	g.sealq <- sealJob{segNo: old.no, readings: readings, done: done}
	return true
}

// spareSegment is the outcome of opening a segment ahead of time.
type spareSegment struct {
	seg *segment
	err error
}

// prepareSegment opens segment n in the background, for the next cut.
// The caller holds cutMu, or runs before the gateway starts.
func (g *Gateway) prepareSegment(n uint64) {
	g.spareOut = true
	prealloc := segmentPrealloc(g.cfg.MaxBatch, g.perReading)
	go func() {
		s, err := openSegment(g.cfg.Dir, n, g.cfg.MaxBatch, prealloc, g.takeOpenList())
		g.spare <- spareSegment{s, err}
	}()
}

// nextSegment returns segment n: the one prepared, or, if that failed,
// one opened now. The caller holds cutMu.
func (g *Gateway) nextSegment(n uint64) (*segment, error) {
	if g.spareOut {
		g.spareOut = false
		r := <-g.spare
		if r.err == nil && r.seg.no == n {
			return r.seg, nil
		}
		if r.seg != nil {
			r.seg.close()
		}
	}
	return openSegment(g.cfg.Dir, n, g.cfg.MaxBatch, segmentPrealloc(g.cfg.MaxBatch, g.perReading), g.takeOpenList())
}

// takeOpenList returns a sealed batch's list of readings, emptied, for a
// new segment's open list, or nil if none is waiting: a list the size of
// a batch, new for every batch, would cost collections and page faults.
func (g *Gateway) takeOpenList() []pending {
	select {
	case open := <-g.freeOpen:
		return open
	default:
		return nil
	}
}

// giveOpenList passes the list of readings of a batch just sealed, which
// nothing refers to any more, on to a later segment.
func (g *Gateway) giveOpenList(open []pending) {
	clear(open)
	select {
	case g.freeOpen <- open[:0]:
	default:
	}
}

// ticker seals a batch when its window has passed.
func (g *Gateway) ticker() {
	defer g.wg.Done()
	t := time.NewTicker(min(g.cfg.Window/4+time.Millisecond, time.Second))
	defer t.Stop()
	for {
		select {
		case <-g.ctx.Done():
			return
		case <-t.C:
			g.mu.Lock()
			due := g.seg != nil && len(g.seg.open) > 0 && time.Since(g.seg.first) >= g.cfg.Window
			g.mu.Unlock()
			if due {
				g.cut(nil)
			}
		}
	}
}

// Metrics returns a snapshot of the gateway's counters.
func (g *Gateway) Metrics() Metrics {
	m := Metrics{
		Accepted:       g.ctr.accepted.Load(),
		Sealed:         g.ctr.sealed.Load(),
		SealedReadings: g.ctr.sealedReadings.Load(),
		Anchored:       g.ctr.anchored.Load(),
		Final:          g.ctr.final.Load(),
		AnchorErrors:   g.ctr.anchorErrors.Load(),
		Backlog:        int(g.backlog.Load()),
		SubmitLatency:  g.ctr.submit.snapshot(),
		AnchorLatency:  g.ctr.anchor.snapshot(),
		Settled:        g.ctr.settled.Load(),
		Recovered:      g.recoveredN,
		Rejected:       map[Reason]uint64{},
	}
	g.ctr.mu.Lock()
	for k, v := range g.ctr.rejected {
		m.Rejected[k] = v
	}
	g.ctr.mu.Unlock()
	g.mu.Lock()
	if g.seg != nil { // nil once closed
		m.Open = len(g.seg.open)
	}
	m.DeviceWindows = len(g.dev)
	g.mu.Unlock()
	return m
}

// Close seals what the gateway holds, waits (until ctx is done) for the
// sealed batches to be anchored and their receipts to be settled (final,
// on ledgers the gateway can follow; see Config.Ledgers), and
// releases the directory. Readings submitted after Close begins are
// refused with ErrClosed. What is not anchored when ctx ends is anchored by
// the next Open. Close may be called more than once, also concurrently:
// every call returns when the first is done, with its result.
func (g *Gateway) Close(ctx context.Context) error {
	g.closeOnce.Do(func() { g.closeErr = g.close(ctx) })
	return g.closeErr
}

func (g *Gateway) close(ctx context.Context) error {
	g.mu.Lock()
	g.closing = true // no reading acknowledged after this
	g.swapped.Broadcast()
	g.mu.Unlock()
	flushErr := g.Flush(ctx)
	g.cutMu.Lock()
	g.mu.Lock()
	if g.err == nil {
		g.err = ErrClosed
	}
	seg := g.seg
	g.mu.Unlock()
	seg.writers.Wait() // appends that began before the close
	if g.spareOut {    // the segment opened ahead, empty: removed
		g.spareOut = false
		if r := <-g.spare; r.seg != nil {
			r.seg.close()
			_ = removeSegment(g.cfg.Dir, r.seg.no)
		}
	}
	g.cutMu.Unlock()
	// Wait for the backlog to drain, or ctx.
	for (g.backlog.Load() > 0 || g.recoveredLeft.Load() > 0) && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Millisecond):
		}
	}
	finDone := make(chan struct{})
	go func() { g.fin.Wait(); close(finDone) }()
	select {
	case <-finDone:
	case <-ctx.Done():
	}
	g.cancel()
	g.wg.Wait()
	g.mu.Lock()
	if g.seg != nil {
		g.seg.close()
		g.seg = nil
	}
	g.mu.Unlock()
	err := g.idx.close()
	return errors.Join(flushErr, err)
}
