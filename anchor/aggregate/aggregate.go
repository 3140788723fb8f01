package aggregate

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/internal/errchain"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/nilable"
	"github.com/iotrust/iotrust/internal/recordlog"
	"github.com/iotrust/iotrust/merkle"
)

// Errors of the aggregator's own storage.
var (
	// ErrIO is returned when the aggregator's record log or archive
	// cannot be read or written (or is locked by another process).
	ErrIO = errors.New("aggregate: storage I/O failed")
	// ErrCorrupt is returned for a record log or archive that reads but
	// does not hold what this package writes.
	ErrCorrupt = errors.New("aggregate: storage corrupt")
)

// Defaults of Config.
const (
	DefaultInterval  = time.Second
	DefaultMaxLeaves = 4096
	DefaultTopic     = "iotrust/aggregate"
	// DefaultMemoryCommitments is Config.MemoryCommitments's default.
	DefaultMemoryCommitments = 65536
	// DefaultCompactBytes is Config.CompactBytes's default: a record log
	// smaller than this reads in a moment, and rewriting it gains little.
	DefaultCompactBytes = 4 << 20
)

// Config configures an Aggregator.
type Config struct {
	// Inner is the ledger aggregates are anchored on. Required.
	Inner anchor.Ledger
	// Dir holds the record log of accepted commitments and sealed
	// aggregates, and the archive of anchored aggregates that left memory
	// (created if missing). Required.
	Dir string
	// Interval is the longest a commitment waits before its aggregate is
	// sealed and anchored: an aggregate is sealed Interval after its first
	// commitment arrived, or when it holds MaxLeaves, and not before the
	// previous aggregate is anchored. Zero selects DefaultInterval.
	Interval time.Duration
	// MaxLeaves bounds the commitments of one aggregate, 1 to MaxLeaves.
	// Zero selects DefaultMaxLeaves.
	MaxLeaves int
	// Hasher builds the aggregate's tree; the zero value selects
	// merkle.DefaultHasher (BLAKE3). merkle.SHA256 gives RFC 6962 paths an
	// EVM contract can check.
	Hasher merkle.Hasher
	// Topic is the topic of aggregate commitments; empty selects
	// DefaultTopic.
	Topic string
	// MemoryCommitments bounds the commitments of anchored aggregates
	// kept in memory; zero selects DefaultMemoryCommitments. Beyond it the
	// oldest anchored aggregates move to an archive in Dir (a bbolt file)
	// and are read back from it for Lookup, Upgrade, WaitFinal, Follow and
	// a repeated Anchor, so idempotence and Lookup still reach every
	// commitment accepted. Aggregates the inner ledger refused stay in
	// memory.
	MemoryCommitments int
	// CompactBytes is the size of the record log below which it is never
	// compacted; zero selects DefaultCompactBytes. The records of archived
	// aggregates stay in the record log, dead, until it is compacted:
	// once the log is larger than CompactBytes and more than half of its
	// records are dead, the aggregator rewrites it with only the records
	// Open still needs (at Open, and after archiving while it runs, when
	// appends wait for the rewrite), so the log stays within about twice
	// what is not archived (or CompactBytes) and Open reads that, not the
	// whole history. A
	// crash during compaction leaves the old log or the new one, and the
	// archive holds, synced, every aggregate whose records it drops.
	CompactBytes int64
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
}

// Aggregator is an anchor.Ledger that anchors many commitments at once:
// the commitments accepted within an interval become the leaves of a
// Merkle tree, and one aggregate commitment with its root is anchored on
// the inner ledger. See the package documentation.
type Aggregator struct {
	cfg     Config
	inner   anchor.Ledger
	store   *recordlog.Log
	archive *archive
	log     *slog.Logger

	bg     context.Context // lives until Close
	stop   context.CancelFunc
	wg     sync.WaitGroup
	closed chan struct{}
	once   sync.Once

	mu        sync.Mutex
	members   map[canon.Digest]*member // by root
	batches   []*batch                 // by sequence number
	byAggRoot map[canon.Digest]*batch
	open      *batch        // collecting, not sealed; nil when empty
	space     chan struct{} // closed when a full open batch is sealed
	wake      chan struct{} // wakes the sealing loop
	chain     string        // the inner ledger's Chain, once known
	settled   int           // batches[:settled] are anchored or failed for good
	// batches[i] is nil once archived; batches[:archived] are archived or
	// failed for good, and inMemory counts the members of the anchored
	// batches from archived on.
	archived int
	inMemory int
	failure  error         // sticky: the record log or the inner ledger failed
	failed   chan struct{} // closed when failure is set

	// appending is held shared by every Append to the record log and
	// exclusively by compact, whose Rewrite would lose an Append that ran
	// meanwhile.
	appending sync.RWMutex
	// records counts the record log's records, dead those of archived
	// aggregates among them (see compactDue).
	records, dead atomic.Int64
	// compactFloor is the log size a failed compaction waits for before
	// it is tried again; only Open and the sealing loop use it.
	compactFloor int64
	compactions  atomic.Int64 // compactions done, for tests
}

type member struct {
	c     anchor.Commitment
	b     *batch
	index int
	// durable is closed once the member's add record is on disk, or
	// failed to get there (durErr).
	durable chan struct{}
	durErr  error
}

// closedChan is the durable channel of members read back from disk.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

type batch struct {
	seq     uint64
	members []*member
	first   time.Time // when the first member arrived; zero: seal at once
	sealed  bool
	agg     anchor.Commitment
	tree    *merkle.Tree
	inner   anchor.Receipt // the inner receipt, once anchored
	done    chan struct{}  // closed once anchored, or failed for good
	err     error          // why it failed for good
}

func isDone(b *batch) bool {
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}

func (b *batch) anchored() bool {
	select {
	case <-b.done:
		return b.err == nil
	default:
		return false
	}
}

// Open opens the aggregator whose record log is in cfg.Dir, creating it
// if needed. Commitments accepted before a crash or Close, and aggregates
// sealed but not yet anchored, are anchored again (the inner ledger's
// Anchor is idempotent, so nothing is anchored twice).
func Open(ctx context.Context, cfg Config) (*Aggregator, error) {
	if nilable.Is(cfg.Inner) {
		return nil, errors.New("aggregate: Config.Inner is required")
	}
	if cfg.Dir == "" {
		return nil, errors.New("aggregate: Config.Dir is required")
	}
	if cfg.Interval == 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Interval < 0 {
		return nil, fmt.Errorf("aggregate: negative interval %v", cfg.Interval)
	}
	if cfg.MaxLeaves == 0 {
		cfg.MaxLeaves = DefaultMaxLeaves
	}
	if cfg.MaxLeaves < 1 || cfg.MaxLeaves > MaxLeaves {
		return nil, fmt.Errorf("aggregate: MaxLeaves %d outside 1..%d", cfg.MaxLeaves, MaxLeaves)
	}
	if cfg.Hasher == 0 {
		cfg.Hasher = merkle.DefaultHasher
	}
	if !cfg.Hasher.Valid() {
		return nil, fmt.Errorf("aggregate: %w: %d", merkle.ErrUnknownHasher, uint8(cfg.Hasher))
	}
	if cfg.Topic == "" {
		cfg.Topic = DefaultTopic
	}
	if cfg.MemoryCommitments == 0 {
		cfg.MemoryCommitments = DefaultMemoryCommitments
	}
	if cfg.MemoryCommitments < 0 {
		return nil, fmt.Errorf("aggregate: negative MemoryCommitments %d", cfg.MemoryCommitments)
	}
	if cfg.CompactBytes == 0 {
		cfg.CompactBytes = DefaultCompactBytes
	}
	if cfg.CompactBytes < 0 {
		return nil, fmt.Errorf("aggregate: negative CompactBytes %d", cfg.CompactBytes)
	}
	if err := anchor.ValidateTopic(cfg.Topic); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrIO, err)
	}
	store, err := openStore(filepath.Join(cfg.Dir, recordFileName), logger)
	if err != nil {
		return nil, err
	}
	ar, err := openArchive(filepath.Join(cfg.Dir, archiveFileName))
	if err != nil {
		store.Close()
		return nil, err
	}
	bg, stop := context.WithCancel(context.Background())
	a := &Aggregator{
		cfg: cfg, inner: cfg.Inner, store: store, archive: ar, log: logger.With("ledger", LedgerName),
		bg: bg, stop: stop, closed: make(chan struct{}),
		members: map[canon.Digest]*member{}, byAggRoot: map[canon.Digest]*batch{},
		space: make(chan struct{}), wake: make(chan struct{}, 1), failed: make(chan struct{}),
	}
	if err := a.replay(ctx); err != nil {
		stop()
		store.Close()
		ar.close()
		return nil, err
	}
	a.archiveOld()
	if err := a.compactIfDue(ctx); err != nil {
		stop()
		store.Close()
		ar.close()
		return nil, err
	}
	a.wg.Add(1)
	go a.run()
	return a, nil
}

// replay rebuilds the aggregator's memory from its records.
func (a *Aggregator) replay(ctx context.Context) error {
	i := -1
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: record %d: %s", ErrCorrupt, i, fmt.Sprintf(format, args...))
	}
	var unsealed []*member // in the order of their add records
	sealed := map[canon.Digest]bool{}
	var dead int64 // records of archived aggregates
	for rec, err := range a.store.Records(ctx) {
		i++
		if err != nil {
			return storeErr(err)
		}
		if len(rec) == 0 {
			return corrupt("empty")
		}
		switch rec[0] {
		case recAdd:
			c, err := anchor.DecodeCommitment(rec[1:])
			if err != nil {
				return corrupt("%v", err)
			}
			if a.members[c.Root] != nil {
				return corrupt("root %s accepted twice", c.Root)
			}
			if archived, err := a.archive.hasRoot(c.Root); err != nil {
				return err
			} else if archived {
				dead++
				continue // its aggregate's seal is skipped too
			}
			m := &member{c: c, durable: closedChan}
			a.members[c.Root] = m
			unsealed = append(unsealed, m)
		case recSeal:
			agg, roots, err := parseSeal(rec)
			if err != nil {
				return corrupt("seal: %v", err)
			}
			if archived, err := a.archive.hasBatch(uint64(len(a.batches))); err != nil {
				return err
			} else if archived {
				a.batches = append(a.batches, nil)
				dead++
				continue
			}
			b := &batch{seq: uint64(len(a.batches)), sealed: true, done: make(chan struct{})}
			for _, root := range roots {
				m := a.members[root]
				if m == nil || sealed[root] {
					return corrupt("seal of %s, which is not an unsealed member", root)
				}
				sealed[root] = true
				b.members = append(b.members, m)
			}
			if err := b.rebuild(agg); err != nil {
				return corrupt("%v", err)
			}
			a.addBatch(b)
		case recAnchored:
			if len(rec) < 9 {
				return corrupt("short anchored record")
			}
			seq := binary.BigEndian.Uint64(rec[1:])
			r, err := anchor.ParseReceipt(rec[9:])
			if err != nil {
				return corrupt("%v", err)
			}
			if seq < uint64(len(a.batches)) && a.batches[seq] == nil {
				a.chain = r.Chain
				dead++
				continue // archived
			}
			if seq >= uint64(len(a.batches)) || a.batches[seq].anchored() || !r.Commitment.Equal(a.batches[seq].agg) {
				return corrupt("receipt of aggregate %d does not match it", seq)
			}
			b := a.batches[seq]
			b.inner = r
			close(b.done)
			a.chain = r.Chain
			a.inMemory += len(b.members)
		case recArchived:
			if len(rec) != 9 {
				return corrupt("archived record of %d bytes", len(rec))
			}
			next, from := binary.BigEndian.Uint64(rec[1:]), uint64(len(a.batches))
			if next <= from {
				return corrupt("archived up to aggregate %d after %d seals", next, from)
			}
			// Compaction dropped the records of aggregates from to next-1
			// once the archive held them: it must hold them still.
			first, err := a.archive.hasBatch(from)
			if err != nil {
				return err
			}
			last, err := a.archive.batch(next - 1)
			if err != nil {
				return err
			}
			if !first || last == nil {
				return corrupt("aggregates %d to %d are neither in the record log nor in the archive", from, next-1)
			}
			a.chain = last.inner.Chain
			a.batches = append(a.batches, make([]*batch, next-from)...)
		default:
			return corrupt("kind %d", rec[0])
		}
	}
	a.records.Store(int64(i + 1))
	a.dead.Store(dead)
	b := &batch{seq: uint64(len(a.batches)), done: make(chan struct{})}
	for _, m := range unsealed {
		if !sealed[m.c.Root] {
			m.b, m.index = b, len(b.members)
			b.members = append(b.members, m)
		}
	}
	if len(b.members) > 0 {
		a.open = b // first is zero: sealed at once
		a.log.Info("recovered commitments not yet sealed", "count", len(b.members))
	}
	return nil
}

// rebuild recomputes a sealed batch's tree and checks it against the
// recorded aggregate, which may have been made under another Config.
func (b *batch) rebuild(agg anchor.Commitment) error {
	h, err := merkle.HasherFor(agg.Root.Func)
	if err != nil {
		return err
	}
	cs := make([]anchor.Commitment, len(b.members))
	for i, m := range b.members {
		m.b, m.index = b, i
		cs[i] = m.c
	}
	again, tree, err := Aggregate(h, agg.Topic, cs)
	if err != nil {
		return err
	}
	if !again.Equal(agg) {
		return fmt.Errorf("aggregate %d does not match its members", b.seq)
	}
	b.agg, b.tree = agg, tree
	return nil
}

func (a *Aggregator) addBatch(b *batch) {
	a.batches = append(a.batches, b)
	a.byAggRoot[b.agg.Root] = b
}

// Close stops the aggregator: aggregates in flight are abandoned (the
// inner ledger's idempotent Anchor makes the next Open finish them), and
// commitments accepted but not yet anchored stay in the record log for
// the next Open. Calls waiting on the aggregator return anchor.ErrClosed.
// Close does not close the inner ledger.
func (a *Aggregator) Close() error {
	var err error
	a.once.Do(func() {
		a.mu.Lock() // no accept is between its check and its wg.Add
		close(a.closed)
		a.mu.Unlock()
		a.stop()
		a.wg.Wait()
		err = errors.Join(storeErr(a.store.Close()), a.archive.close())
	})
	return err
}

func (a *Aggregator) usable() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.usableLocked()
}

func (a *Aggregator) usableLocked() error {
	select {
	case <-a.closed:
		return anchor.ErrClosed
	default:
	}
	return a.failure
}

func (a *Aggregator) signal() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// Anchor accepts c into the current aggregate and returns once that
// aggregate is anchored on the inner ledger (at least Included there):
// within about Config.Interval plus the inner ledger's own latency. The
// acceptance is durable before Anchor waits: if the process stops, the
// next Open anchors c. The receipt carries c's path into the aggregate
// and the inner receipt. A commitment accepted before, also before a
// restart, is not accepted again: its receipt is returned once its
// aggregate is anchored; one with the root of another accepted commitment
// is refused with anchor.ErrRootConflict. If ctx ends first, Anchor
// returns ctx's error and c, once accepted, is still anchored. If the
// inner ledger is closed, Anchor fails with an error matching
// anchor.ErrClosed and so does every later call: what was accepted stays
// in the record log for an aggregator opened over an open inner ledger.
func (a *Aggregator) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	if err := c.Validate(); err != nil {
		return anchor.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return anchor.Receipt{}, err
	}
	m, err := a.accept(ctx, c)
	if err != nil {
		return anchor.Receipt{}, err
	}
	select {
	case <-m.durable:
		if m.durErr != nil {
			return anchor.Receipt{}, m.durErr
		}
	case <-ctx.Done():
		return anchor.Receipt{}, ctx.Err()
	}
	return a.await(ctx, m)
}

// accept finds c's member or adds it to the open batch and starts
// writing its add record (the member's durable channel says when it is on
// disk).
func (a *Aggregator) accept(ctx context.Context, c anchor.Commitment) (*member, error) {
	for {
		a.mu.Lock()
		if err := a.usableLocked(); err != nil {
			a.mu.Unlock()
			return nil, err
		}
		m := a.members[c.Root]
		var archived bool
		var err error
		if m == nil {
			// Archived members are never removed: knowing under the lock
			// that one is archived is enough; it is read back after.
			archived, err = a.archive.hasRoot(c.Root)
		}
		if m != nil || archived || err != nil {
			a.mu.Unlock()
			if archived {
				if m, err = a.archive.member(c.Root); err == nil && m == nil {
					err = fmt.Errorf("%w: archived root %s cannot be read back", ErrCorrupt, c.Root)
				}
			}
			if err != nil {
				return nil, err
			}
			if !m.c.Equal(c) {
				return nil, fmt.Errorf("%w: %s", anchor.ErrRootConflict, c.Root)
			}
			return m, nil
		}
		if a.open != nil && len(a.open.members) >= a.cfg.MaxLeaves {
			space := a.space
			a.mu.Unlock()
			a.signal()
			select { // backpressure: wait for the full aggregate to be sealed
			case <-space:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-a.closed:
				return nil, anchor.ErrClosed
			}
		}
		enc, err := c.MarshalBinary()
		if err != nil {
			a.mu.Unlock()
			return nil, err
		}
		if a.open == nil {
			a.open = &batch{seq: uint64(len(a.batches)), first: time.Now(), done: make(chan struct{})}
			a.signal()
		}
		m = &member{c: c, b: a.open, index: len(a.open.members), durable: make(chan struct{})}
		a.open.members = append(a.open.members, m)
		a.members[c.Root] = m
		if len(a.open.members) >= a.cfg.MaxLeaves {
			a.signal()
		}
		// The write belongs to the aggregator, not to the caller: it
		// completes (or fails the aggregator) even if ctx ends first.
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			err := a.appendRecord(append([]byte{recAdd}, enc...))
			if err != nil && a.bg.Err() != nil {
				err = anchor.ErrClosed
			} else if err != nil {
				a.fail(err)
			}
			m.durErr = err
			close(m.durable)
		}()
		a.mu.Unlock()
		return m, nil
	}
}

// await waits until m's aggregate is anchored and returns m's receipt.
func (a *Aggregator) await(ctx context.Context, m *member) (anchor.Receipt, error) {
	a.mu.Lock()
	b := m.b
	a.mu.Unlock()
	select {
	case <-b.done:
	case <-ctx.Done():
		return anchor.Receipt{}, ctx.Err()
	case <-a.closed:
		return anchor.Receipt{}, anchor.ErrClosed
	case <-a.failed:
		select {
		case <-b.done: // anchored before the failure
		default:
			a.mu.Lock()
			err := a.failure
			a.mu.Unlock()
			return anchor.Receipt{}, err
		}
	}
	if b.err != nil {
		return anchor.Receipt{}, b.err
	}
	a.mu.Lock()
	inner := b.inner
	a.mu.Unlock()
	return a.memberReceipt(m, inner)
}

func (a *Aggregator) memberReceipt(m *member, inner anchor.Receipt) (anchor.Receipt, error) {
	path, err := m.b.tree.InclusionProof(uint64(m.index))
	if err != nil {
		return anchor.Receipt{}, err
	}
	return receiptOf(m.c, path, inner)
}

// run seals and anchors aggregates, one at a time, in order.
func (a *Aggregator) run() {
	defer a.wg.Done()
	var timer *time.Timer
	for {
		b, sealed, wait := a.next()
		if b == nil {
			var tc <-chan time.Time
			if wait > 0 {
				if timer == nil {
					timer = time.NewTimer(wait)
				} else {
					timer.Reset(wait)
				}
				tc = timer.C
			}
			select {
			case <-a.bg.Done():
				return
			case <-a.wake:
			case <-tc:
			}
			continue
		}
		if sealed && !a.recordSeal(b) {
			return
		}
		if !a.anchorBatch(b) {
			return
		}
	}
}

// next returns the batch to anchor now (and whether it was sealed just
// now, its seal not yet recorded), or how long to wait.
func (a *Aggregator) next() (*batch, bool, time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	// Batches are anchored in order: skip those done since last time.
	for a.settled < len(a.batches) && (a.batches[a.settled] == nil || isDone(a.batches[a.settled])) {
		a.settled++
	}
	if a.settled < len(a.batches) {
		return a.batches[a.settled], false, 0 // recovered: sealed but not anchored
	}
	b := a.open
	if b == nil || a.failure != nil {
		return nil, false, 0
	}
	if left := time.Until(b.first.Add(a.cfg.Interval)); len(b.members) < a.cfg.MaxLeaves && !b.first.IsZero() && left > 0 {
		return nil, false, left
	}
	cs := make([]anchor.Commitment, len(b.members))
	for i, m := range b.members {
		cs[i] = m.c
	}
	agg, tree, err := Aggregate(a.cfg.Hasher, a.cfg.Topic, cs)
	if err != nil {
		a.failLocked(err)
		a.log.Error("cannot seal aggregate", "err", err)
		return nil, false, 0
	}
	b.agg, b.tree, b.sealed = agg, tree, true
	a.addBatch(b)
	a.open = nil
	close(a.space)
	a.space = make(chan struct{})
	return b, true, 0
}

// recordSeal waits until every member of b is on disk and then records
// b's seal, so that a seal never names a member the file lacks. It
// returns false when the aggregator stops or fails.
func (a *Aggregator) recordSeal(b *batch) bool {
	for _, m := range b.members {
		select {
		case <-m.durable:
			if m.durErr != nil {
				return false // the aggregator failed, or is closing
			}
		case <-a.bg.Done():
			return false
		}
	}
	rec, err := sealRecord(b.agg, b.members)
	if err == nil {
		err = a.appendRecord(rec)
	}
	if err != nil {
		if a.bg.Err() == nil {
			a.fail(err)
		}
		return false
	}
	return true
}

// fail makes the aggregator refuse further use after its storage failed.
func (a *Aggregator) fail(err error) {
	a.log.Error("record log failed; refusing further use", "err", err)
	a.mu.Lock()
	a.failLocked(err)
	a.mu.Unlock()
}

// failLocked makes err the aggregator's sticky failure, unless it has one,
// and wakes every call waiting for an aggregate: a failed aggregator seals
// no new aggregate, so the members of the open one would wait forever.
func (a *Aggregator) failLocked(err error) {
	if a.failure == nil {
		a.failure = err
		close(a.failed)
	}
}

// anchorBatch anchors b on the inner ledger, retrying while the inner
// ledger is unavailable. It returns false when the aggregator is closing.
func (a *Aggregator) anchorBatch(b *batch) bool {
	backoff := 50 * time.Millisecond
	for {
		r, err := a.inner.Anchor(a.bg, b.agg)
		if err == nil {
			return a.anchored(b, r)
		}
		if a.bg.Err() != nil {
			return false
		}
		if errors.Is(err, anchor.ErrRootConflict) || errors.Is(err, anchor.ErrInvalidCommitment) {
			// Another commitment holds the aggregate's root on the inner
			// ledger: this aggregate can never be anchored there.
			a.log.Error("aggregate refused by the inner ledger", "seq", b.seq, "root", b.agg.Root, "err", err)
			a.mu.Lock()
			b.err = fmt.Errorf("aggregate: the inner ledger refused the aggregate: %w", err)
			close(b.done)
			a.mu.Unlock()
			return true
		}
		if errors.Is(err, anchor.ErrClosed) && !errors.Is(err, anchor.ErrUnavailable) {
			// The inner ledger was closed under the aggregator: no retry
			// can succeed (a Client's server that closed its ledger
			// answers ErrUnavailable too, and is retried). The aggregate stays sealed in the record log,
			// and an aggregator opened over an open inner ledger anchors
			// it; this one refuses further use.
			err = fmt.Errorf("aggregate: the inner ledger is closed: %w", err)
			a.log.Error("inner ledger closed; refusing further use", "seq", b.seq, "root", b.agg.Root)
			a.mu.Lock()
			a.failLocked(err)
			b.err = err
			close(b.done)
			a.mu.Unlock()
			return true
		}
		a.log.Warn("anchoring aggregate failed, retrying", "seq", b.seq, "err", err, "in", backoff)
		select {
		case <-time.After(backoff):
		case <-a.bg.Done():
			return false
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (a *Aggregator) anchored(b *batch, r anchor.Receipt) bool {
	if !r.Commitment.Equal(b.agg) {
		a.fail(fmt.Errorf("aggregate: the inner ledger returned a receipt of another commitment for aggregate %d", b.seq))
		return false
	}
	j, err := json.Marshal(r)
	if err == nil {
		// If it is lost, the next Open anchors b again and the inner
		// ledger answers with this receipt.
		rec := binary.BigEndian.AppendUint64([]byte{recAnchored}, b.seq)
		err = a.appendRecord(append(rec, j...))
	}
	a.mu.Lock()
	b.inner = r
	a.chain = r.Chain
	close(b.done)
	a.inMemory += len(b.members)
	a.mu.Unlock()
	if err != nil {
		if a.bg.Err() == nil {
			a.fail(err)
		}
		return false
	}
	a.archiveOld()
	if err := a.compactIfDue(a.bg); err != nil {
		if a.bg.Err() == nil {
			a.fail(err)
		}
		return false
	}
	return true
}

// appendRecord appends rec to the record log and returns once it is
// durable. It holds appending shared, so that no compaction runs
// meanwhile.
func (a *Aggregator) appendRecord(rec []byte) error {
	a.appending.RLock()
	defer a.appending.RUnlock()
	if err := a.store.Append(a.bg, rec); err != nil {
		return storeErr(err)
	}
	a.records.Add(1)
	return nil
}

// archiveOld moves the oldest anchored aggregates to the archive while
// the anchored commitments in memory exceed Config.MemoryCommitments. An
// aggregate is dropped from memory only once the archive holds it; one
// that cannot be archived stays (logged), and is tried again later.
func (a *Aggregator) archiveOld() {
	for {
		a.mu.Lock()
		for a.archived < len(a.batches) && (a.batches[a.archived] == nil || (isDone(a.batches[a.archived]) && a.batches[a.archived].err != nil)) {
			a.archived++ // archived, or refused for good (kept)
		}
		if a.inMemory <= a.cfg.MemoryCommitments || a.archived >= len(a.batches) || !a.batches[a.archived].anchored() {
			a.mu.Unlock()
			return
		}
		b, inner := a.batches[a.archived], a.batches[a.archived].inner
		a.mu.Unlock()
		if err := a.archive.put(b, inner); err != nil {
			a.log.Error("aggregate not archived; it stays in memory", "seq", b.seq, "err", err)
			return
		}
		a.mu.Lock()
		for _, m := range b.members {
			if a.members[m.c.Root] == m {
				delete(a.members, m.c.Root)
			}
		}
		if a.byAggRoot[b.agg.Root] == b {
			delete(a.byAggRoot, b.agg.Root)
		}
		a.batches[b.seq] = nil
		a.inMemory -= len(b.members)
		a.mu.Unlock()
		a.dead.Add(int64(len(b.members)) + 2) // its adds, seal and anchored record
	}
}

// memberOf returns the member accepted under root, from memory or read
// back from the archive (nil if there is none). A member leaves memory
// only once the archive holds it, so one missed in memory is found there.
func (a *Aggregator) memberOf(root canon.Digest) (*member, error) {
	a.mu.Lock()
	m := a.members[root]
	a.mu.Unlock()
	if m != nil {
		return m, nil
	}
	return a.archive.member(root)
}

// current returns m's receipt with the inner receipt brought up to date
// (inner.Upgrade), or an error matching anchor.ErrNotAnchored while m's
// aggregate is not anchored yet.
func (a *Aggregator) current(ctx context.Context, m *member) (anchor.Receipt, error) {
	a.mu.Lock()
	b := m.b
	a.mu.Unlock()
	select {
	case <-b.done:
		if b.err != nil {
			return anchor.Receipt{}, b.err
		}
	default:
		return anchor.Receipt{}, fmt.Errorf("%w: %s is accepted, its aggregate not yet anchored", anchor.ErrNotAnchored, m.c.Root)
	}
	a.mu.Lock()
	held := b.inner
	a.mu.Unlock()
	inner, err := a.inner.Upgrade(ctx, held)
	if err != nil {
		return anchor.Receipt{}, err
	}
	if inner.State > held.State {
		a.mu.Lock()
		b.inner = inner
		a.mu.Unlock()
	}
	return a.memberReceipt(m, inner)
}

// Lookup returns the receipt of the commitment accepted under root, with
// the inner receipt in its current state, or an error matching
// anchor.ErrNotAnchored when no commitment under root was accepted or its
// aggregate is not anchored yet.
func (a *Aggregator) Lookup(ctx context.Context, root canon.Digest) (anchor.Receipt, error) {
	if err := a.usable(); err != nil {
		return anchor.Receipt{}, err
	}
	if !root.Valid() {
		return anchor.Receipt{}, fmt.Errorf("%w: %w: invalid root", anchor.ErrInvalidCommitment, anchor.ErrBadRoot)
	}
	m, err := a.memberOf(root)
	if err != nil {
		return anchor.Receipt{}, err
	}
	if m == nil {
		return anchor.Receipt{}, fmt.Errorf("%w: %s", anchor.ErrNotAnchored, root)
	}
	return a.current(ctx, m)
}

// resolve returns r's Proof after OpenReceipt, or, for a receipt without proof
// material, the member this aggregator holds under r's root.
func (a *Aggregator) resolve(r anchor.Receipt) (Proof, *member, error) {
	if err := a.usable(); err != nil {
		return Proof{}, nil, err
	}
	if r.Ledger != LedgerName {
		return Proof{}, nil, badReceipt("receipt of ledger %q", r.Ledger)
	}
	if err := r.Commitment.Validate(); err != nil {
		return Proof{}, nil, errchain.Wrap(anchor.ErrBadReceipt, err)
	}
	if len(r.Proof) > 0 {
		p, err := OpenReceipt(r)
		return p, nil, err
	}
	m, err := a.memberOf(r.Commitment.Root)
	a.mu.Lock()
	chain := a.chain
	a.mu.Unlock()
	switch {
	case err != nil:
		return Proof{}, nil, err
	case m == nil:
		return Proof{}, nil, fmt.Errorf("%w: %s", anchor.ErrNotAnchored, r.Commitment.Root)
	case !m.c.Equal(r.Commitment):
		return Proof{}, nil, badReceipt("root %s holds another commitment", r.Commitment.Root)
	case chain != "" && r.Chain != chain:
		return Proof{}, nil, badReceipt("receipt of chain %q, aggregates are anchored on %q", r.Chain, chain)
	}
	return Proof{}, m, nil
}

// Upgrade returns r's anchor in its latest state (see anchor.Upgrader).
// A receipt with proof material is checked (OpenReceipt) and its inner receipt
// upgraded on the inner ledger: this needs nothing this aggregator
// remembers, so it works for receipts of any aggregator anchoring on the
// same inner ledger, long after it forgot them. A receipt without proof
// material is looked up among the commitments this aggregator accepted.
func (a *Aggregator) Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return anchor.Receipt{}, err
	}
	p, m, err := a.resolve(r)
	if err != nil {
		return anchor.Receipt{}, err
	}
	if m != nil {
		return a.current(ctx, m)
	}
	inner, err := a.inner.Upgrade(ctx, p.Inner)
	if err != nil {
		return anchor.Receipt{}, innerErr(err)
	}
	return receiptOf(r.Commitment, p.Path, inner)
}

// WaitFinal waits until the inner receipt of r's aggregate is Final and
// returns r's receipt with it.
func (a *Aggregator) WaitFinal(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	p, m, err := a.resolve(r)
	if errors.Is(err, anchor.ErrNotAnchored) {
		err = errchain.Wrap(anchor.ErrBadReceipt, err)
	}
	if err != nil {
		return anchor.Receipt{}, err
	}
	if m != nil {
		cur, err := a.await(ctx, m)
		if err != nil {
			return anchor.Receipt{}, err
		}
		if p, err = OpenReceipt(cur); err != nil {
			return anchor.Receipt{}, err
		}
		r = cur
	}
	inner, err := a.inner.WaitFinal(ctx, p.Inner)
	if err != nil {
		return anchor.Receipt{}, innerErr(err)
	}
	return receiptOf(r.Commitment, p.Path, inner)
}

// Follow yields, for every aggregate this aggregator sealed that the
// inner ledger's Follow yields at a position >= from, the receipts of its
// members in leaf order, in the inner receipt's state. Anchors on the
// inner ledger that are not this aggregator's aggregates are skipped.
func (a *Aggregator) Follow(ctx context.Context, from uint64) iter.Seq2[anchor.Receipt, error] {
	return func(yield func(anchor.Receipt, error) bool) {
		if err := a.usable(); err != nil {
			yield(anchor.Receipt{}, err)
			return
		}
		for ir, err := range a.inner.Follow(ctx, from) {
			if err != nil {
				yield(anchor.Receipt{}, err)
				return
			}
			a.mu.Lock()
			b := a.byAggRoot[ir.Commitment.Root]
			a.mu.Unlock()
			if b == nil { // archived (an aggregate leaves memory once it is), or not ours
				if b, err = a.archive.byAggRoot(ir.Commitment.Root); err != nil {
					yield(anchor.Receipt{}, err)
					return
				}
			}
			var ms []*member
			if b != nil && b.agg.Equal(ir.Commitment) {
				a.mu.Lock()
				ms = b.members
				a.mu.Unlock()
			}
			for _, m := range ms {
				r, err := a.memberReceipt(m, ir)
				if err != nil {
					yield(anchor.Receipt{}, err)
					return
				}
				if !yield(r, nil) {
					return
				}
			}
		}
	}
}

// VerifyReceipt checks r with a Verifier over the inner ledger, which
// must implement anchor.ReceiptVerifier.
func (a *Aggregator) VerifyReceipt(ctx context.Context, r anchor.Receipt) error {
	iv, ok := a.inner.(anchor.ReceiptVerifier)
	if !ok {
		return badReceipt("the inner ledger %T cannot verify receipts", a.inner)
	}
	return (&Verifier{inner: iv}).VerifyReceipt(ctx, r)
}

var (
	_ anchor.Ledger          = (*Aggregator)(nil)
	_ anchor.ReceiptVerifier = (*Aggregator)(nil)
	_ anchor.ReceiptVerifier = (*Verifier)(nil)
)
