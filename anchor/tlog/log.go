package tlog

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/client"
	"github.com/transparency-dev/tessera/storage/posix"
	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
)

// Defaults of Config.
const (
	DefaultBatchMaxAge        = 5 * time.Millisecond
	DefaultBatchMaxSize       = 256
	DefaultCheckpointInterval = time.Second
	// MinCheckpointInterval is the shortest interval Tessera's POSIX
	// storage accepts.
	MinCheckpointInterval = 100 * time.Millisecond
)

// Config configures a Log.
type Config struct {
	// Dir is the directory of the log (created if missing). It holds the
	// log in the c2sp.org/tlog-tiles layout, servable as static files,
	// and the root index under .iotrust/.
	Dir string
	// Driver, if set, is the Tessera storage driver to use instead of POSIX
	// storage in Dir (e.g. from storage/mysql, storage/gcp, storage/aws);
	// Dir then holds only the root index.
	Driver tessera.Driver
	// Signer signs checkpoints; its Name is the log's origin. Verifier is
	// its public half (see NewEd25519Signer).
	Signer   note.Signer
	Verifier note.Verifier
	// BatchMaxAge and BatchMaxSize bound how long and how many entries
	// Tessera gathers before it sequences them with one round of fsyncs:
	// the latency of one Anchor versus the throughput of many concurrent
	// ones. Zero selects DefaultBatchMaxAge and DefaultBatchMaxSize.
	BatchMaxAge  time.Duration
	BatchMaxSize uint
	// CheckpointInterval is how often a new checkpoint is signed, hence how
	// long an anchor waits to be Final. Zero selects
	// DefaultCheckpointInterval; at least MinCheckpointInterval.
	CheckpointInterval time.Duration
	// Witnesses, if set, must cosign every checkpoint before Tessera
	// publishes it (see the package documentation).
	Witnesses *tessera.WitnessGroup
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
}

// Log is an anchor.Ledger on a Tessera transparency log with POSIX
// storage. Each anchored commitment is one entry of the log, its canonical
// encoding. See the package documentation for states and guarantees.
type Log struct {
	origin   string
	verifier *Verifier
	log      *slog.Logger

	appender *tessera.Appender
	shutdown func(context.Context) error
	reader   tessera.LogReader
	ix       *index

	bg     context.Context // lives until Close
	stop   context.CancelFunc
	wg     sync.WaitGroup
	closed chan struct{}
	once   sync.Once

	mu      sync.Mutex
	pending map[canon.Digest]*pendingAnchor // roots being written now
	recent  map[canon.Digest]entryRef       // written, not yet in the verified index
	cp      Checkpoint                      // latest checkpoint verified against the index
	cpNext  chan struct{}                   // closed when cp changes
	failure error                           // set when the log is found rewritten or corrupt
}

type pendingAnchor struct {
	done chan struct{}
	err  error
}

// Open opens the log in cfg.Dir, creating it if needed. Before it returns,
// it verifies the log against its signed checkpoint and brings the root
// index up to date: every entry the log holds, including those written by
// a process that crashed, can be looked up. It fails with ErrInconsistent
// if the log's history is not the one its index verified before.
func Open(ctx context.Context, cfg Config) (*Log, error) {
	if cfg.Signer == nil || cfg.Verifier == nil {
		return nil, fmt.Errorf("%w: Signer and Verifier are required", ErrBadKey)
	}
	v, err := NewVerifier(cfg.Verifier)
	if err != nil {
		return nil, err
	}
	if cfg.Signer.Name() != cfg.Verifier.Name() || cfg.Signer.KeyHash() != cfg.Verifier.KeyHash() {
		return nil, fmt.Errorf("%w: signer %q and verifier %q do not match", ErrBadKey, cfg.Signer.Name(), cfg.Verifier.Name())
	}
	probe, err := note.Sign(&note.Note{Text: "iotrust tlog key check\n"}, cfg.Signer)
	if err == nil {
		_, err = note.Open(probe, note.VerifierList(cfg.Verifier))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: signer and verifier do not match: %v", ErrBadKey, err)
	}
	if cfg.Dir == "" {
		return nil, errors.New("tlog: Config.Dir is required")
	}
	if cfg.BatchMaxAge == 0 {
		cfg.BatchMaxAge = DefaultBatchMaxAge
	}
	if cfg.BatchMaxSize == 0 {
		cfg.BatchMaxSize = DefaultBatchMaxSize
	}
	if cfg.CheckpointInterval == 0 {
		cfg.CheckpointInterval = DefaultCheckpointInterval
	}
	if cfg.CheckpointInterval < MinCheckpointInterval {
		return nil, fmt.Errorf("tlog: checkpoint interval %v below %v", cfg.CheckpointInterval, MinCheckpointInterval)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	ix, err := openIndex(filepath.Join(cfg.Dir, ".iotrust", "index.db"), v.Origin())
	if err != nil {
		return nil, err
	}
	bg, stop := context.WithCancel(context.Background())
	l := &Log{
		origin: v.Origin(), verifier: v, log: logger.With("ledger", LedgerName, "origin", v.Origin()),
		ix: ix, bg: bg, stop: stop, closed: make(chan struct{}),
		pending: map[canon.Digest]*pendingAnchor{}, recent: map[canon.Digest]entryRef{},
		cpNext: make(chan struct{}),
	}
	fail := func(err error) (*Log, error) {
		stop()
		ix.close()
		return nil, err
	}

	driver := cfg.Driver
	if driver == nil {
		if driver, err = posix.New(bg, posix.Config{Path: cfg.Dir}); err != nil {
			return fail(fmt.Errorf("tlog: posix storage: %w", err))
		}
	}
	opts := tessera.NewAppendOptions().
		WithCheckpointSigner(cfg.Signer).
		WithBatching(cfg.BatchMaxSize, cfg.BatchMaxAge).
		WithCheckpointInterval(cfg.CheckpointInterval)
	if cfg.Witnesses != nil {
		opts = opts.WithWitnesses(*cfg.Witnesses, nil)
	}
	l.appender, l.shutdown, l.reader, err = tessera.NewAppender(bg, driver, opts)
	if err != nil {
		return fail(fmt.Errorf("tlog: %w", err))
	}

	// Verify what the log has signed, then index what it holds beyond that.
	raw, err := l.reader.ReadCheckpoint(ctx)
	if err != nil {
		return fail(fmt.Errorf("%w: reading checkpoint: %v", ErrCorrupt, err))
	}
	cp, err := v.ParseCheckpoint(raw)
	if err != nil {
		return fail(err)
	}
	now := time.Now().UTC()
	if err := ix.advance(ctx, cp, l.reader.ReadEntryBundle, func(anchor.Commitment) time.Time { return now }); err != nil {
		return fail(err)
	}
	l.cp = cp
	integrated, err := l.reader.IntegratedSize(ctx)
	if err != nil {
		return fail(fmt.Errorf("%w: %v", ErrCorrupt, err))
	}
	if integrated > cp.Size {
		entries, err := readEntries(ctx, l.reader.ReadEntryBundle, cp.Size, integrated, integrated)
		if err != nil {
			return fail(err)
		}
		for k, e := range entries {
			c, err := anchor.DecodeCommitment(e)
			if err != nil {
				return fail(fmt.Errorf("%w: entry %d is not a commitment: %v", ErrCorrupt, cp.Size+uint64(k), err))
			}
			if _, dup := l.recent[c.Root]; !dup {
				l.recent[c.Root] = entryRef{index: cp.Size + uint64(k), time: now, entry: e}
			}
		}
		l.log.Info("recovered entries not yet covered by a checkpoint", "from", cp.Size, "to", integrated)
	}
	l.wg.Add(1)
	go l.watchCheckpoints(cfg.CheckpointInterval)
	return l, nil
}

// Origin returns the log's origin, the Chain of its receipts.
func (l *Log) Origin() string { return l.origin }

// Verifier returns the offline verifier of this log's receipts.
func (l *Log) Verifier() *Verifier { return l.verifier }

// Close waits until every acknowledged anchor is covered by a published
// checkpoint (bounded to 30 s), stops the log and closes its index.
func (l *Log) Close() error {
	var err error
	l.once.Do(func() {
		close(l.closed)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err = l.shutdown(ctx)
		l.stop()
		l.wg.Wait()
		if cerr := l.ix.close(); err == nil {
			err = cerr
		}
	})
	return err
}

func (l *Log) usable() error {
	select {
	case <-l.closed:
		return anchor.ErrClosed
	default:
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failure
}

// watchCheckpoints follows the checkpoints Tessera publishes, verifies
// each against the index (which reads and hashes every new entry), and
// only then makes it the checkpoint receipts are proven against.
func (l *Log) watchCheckpoints(interval time.Duration) {
	defer l.wg.Done()
	poll := max(interval/4, 10*time.Millisecond)
	t := time.NewTicker(poll)
	defer t.Stop()
	last := l.cp.Raw
	for {
		select {
		case <-l.bg.Done():
			return
		case <-t.C:
		}
		raw, err := l.reader.ReadCheckpoint(l.bg)
		if err != nil || string(raw) == string(last) {
			continue
		}
		last = raw
		if err := l.takeCheckpoint(raw); err != nil {
			if l.bg.Err() != nil {
				return
			}
			if errors.Is(err, ErrInconsistent) || errors.Is(err, ErrBadCheckpoint) {
				l.log.Error("log failed verification; refusing further use", "err", err)
				l.mu.Lock()
				l.failure = err
				l.mu.Unlock()
				return
			}
			l.log.Warn("checkpoint not taken, will retry", "err", err)
			last = nil
		}
	}
}

func (l *Log) takeCheckpoint(raw []byte) error {
	cp, err := l.verifier.ParseCheckpoint(raw)
	if err != nil {
		return err
	}
	err = l.ix.advance(l.bg, cp, l.reader.ReadEntryBundle, func(c anchor.Commitment) time.Time {
		l.mu.Lock()
		defer l.mu.Unlock()
		if r, ok := l.recent[c.Root]; ok {
			return r.time
		}
		return time.Now().UTC()
	})
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for root, r := range l.recent {
		if r.index < cp.Size {
			delete(l.recent, root)
		}
	}
	if cp.Size >= l.cp.Size {
		l.cp = cp
		close(l.cpNext)
		l.cpNext = make(chan struct{})
	}
	return nil
}

// find returns the entry anchored under root.
func (l *Log) find(root canon.Digest) (entryRef, bool, error) {
	l.mu.Lock()
	r, ok := l.recent[root]
	l.mu.Unlock()
	if ok {
		return r, true, nil
	}
	return l.ix.get(root)
}

// Anchor appends c to the log, unless the log holds it already. It
// returns once the entry is sequenced, integrated into the tree and
// fsynced (State Included; Final if a checkpoint covers it already).
func (l *Log) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	enc, err := c.MarshalBinary()
	if err != nil {
		return anchor.Receipt{}, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return anchor.Receipt{}, err
		}
		if err := l.usable(); err != nil {
			return anchor.Receipt{}, err
		}
		l.mu.Lock()
		if p := l.pending[c.Root]; p != nil {
			l.mu.Unlock()
			select {
			case <-p.done:
				continue // written or failed: look again
			case <-ctx.Done():
				return anchor.Receipt{}, ctx.Err()
			}
		}
		r, found := l.recent[c.Root]
		if !found {
			var err error
			if r, found, err = l.ix.get(c.Root); err != nil {
				l.mu.Unlock()
				return anchor.Receipt{}, err
			}
		}
		if found {
			l.mu.Unlock()
			if string(r.entry) != string(enc) {
				return anchor.Receipt{}, fmt.Errorf("%w: %s at index %d", anchor.ErrRootConflict, c.Root, r.index)
			}
			return l.receipt(ctx, r)
		}
		p := &pendingAnchor{done: make(chan struct{})}
		l.pending[c.Root] = p
		l.mu.Unlock()

		// The write belongs to the log, not to the caller: once queued it
		// completes (and is recorded) even if ctx ends first.
		future := l.appender.Add(l.bg, tessera.NewEntry(enc))
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			idx, err := future()
			l.mu.Lock()
			if err == nil {
				l.recent[c.Root] = entryRef{index: idx.Index, time: time.Now().UTC(), entry: enc}
			} else {
				p.err = fmt.Errorf("%w: %s: %v", anchor.ErrUnavailable, l.origin, err)
			}
			delete(l.pending, c.Root)
			l.mu.Unlock()
			close(p.done)
		}()
		select {
		case <-p.done:
			if p.err != nil {
				return anchor.Receipt{}, p.err
			}
		case <-ctx.Done():
			return anchor.Receipt{}, ctx.Err()
		}
	}
}

// receipt builds the receipt of an entry in its current state.
func (l *Log) receipt(ctx context.Context, r entryRef) (anchor.Receipt, error) {
	c, err := anchor.DecodeCommitment(r.entry)
	if err != nil {
		return anchor.Receipt{}, fmt.Errorf("%w: index entry %d: %v", ErrCorrupt, r.index, err)
	}
	lh := leafHash(r.entry)
	rc := anchor.Receipt{
		Ledger: LedgerName, Chain: l.origin, Commitment: c, Position: r.index,
		TxID: hex.EncodeToString(lh[:]), Time: r.time, State: anchor.Included,
	}
	l.mu.Lock()
	cp := l.cp
	l.mu.Unlock()
	if r.index >= cp.Size {
		return rc, nil
	}
	pb, err := client.NewProofBuilder(ctx, cp.Size, l.reader.ReadTile)
	if err != nil {
		return anchor.Receipt{}, err
	}
	return l.finalReceipt(ctx, rc, cp, pb)
}

// finalReceipt attaches the inclusion proof of rc in cp.
func (l *Log) finalReceipt(ctx context.Context, rc anchor.Receipt, cp Checkpoint, pb *client.ProofBuilder) (anchor.Receipt, error) {
	hashes, err := pb.InclusionProof(ctx, rc.Position)
	if err != nil {
		return anchor.Receipt{}, fmt.Errorf("%w: inclusion proof of %d in %d: %v", ErrCorrupt, rc.Position, cp.Size, err)
	}
	p := InclusionProof{Index: rc.Position, TreeSize: cp.Size, Checkpoint: cp.Raw, Hashes: make([][32]byte, len(hashes))}
	for i, h := range hashes {
		if len(h) != 32 {
			return anchor.Receipt{}, fmt.Errorf("%w: proof hash of %d bytes", ErrCorrupt, len(h))
		}
		copy(p.Hashes[i][:], h)
	}
	if rc.Proof, err = p.MarshalBinary(); err != nil {
		return anchor.Receipt{}, err
	}
	rc.State = anchor.Final
	return rc, nil
}

// Lookup returns the receipt of the commitment anchored under root, Final
// with its proof if a checkpoint covers it, or ErrNotAnchored.
func (l *Log) Lookup(ctx context.Context, root canon.Digest) (anchor.Receipt, error) {
	if err := l.usable(); err != nil {
		return anchor.Receipt{}, err
	}
	if !root.Valid() {
		return anchor.Receipt{}, fmt.Errorf("%w: %w: invalid root", anchor.ErrInvalidCommitment, anchor.ErrBadRoot)
	}
	r, found, err := l.find(root)
	if err != nil {
		return anchor.Receipt{}, err
	}
	if !found {
		return anchor.Receipt{}, fmt.Errorf("%w: %s in %s", anchor.ErrNotAnchored, root, l.origin)
	}
	return l.receipt(ctx, r)
}

// WaitFinal waits until a checkpoint covers r's entry, and returns the
// receipt with its inclusion proof. On a log, Final means: a checkpoint
// signed by the log (and cosigned by its witnesses, if configured)
// commits to the entry, so removing or changing it later is detectable by
// anyone holding the receipt.
func (l *Log) WaitFinal(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	if err := l.usable(); err != nil {
		return anchor.Receipt{}, err
	}
	if r.Ledger != LedgerName || r.Chain != l.origin {
		return anchor.Receipt{}, fmt.Errorf("%w: receipt of %s %q, this is %s %q", anchor.ErrBadReceipt, r.Ledger, r.Chain, LedgerName, l.origin)
	}
	enc, err := r.Commitment.MarshalBinary()
	if err != nil {
		return anchor.Receipt{}, fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
	}
	ref, found, err := l.find(r.Root())
	if err != nil {
		return anchor.Receipt{}, err
	}
	if !found || ref.index != r.Position || string(ref.entry) != string(enc) {
		return anchor.Receipt{}, fmt.Errorf("%w: %s is not at position %d of %s", anchor.ErrBadReceipt, r.Root(), r.Position, l.origin)
	}
	for {
		l.mu.Lock()
		covered, next, failure := l.cp.Size > ref.index, l.cpNext, l.failure
		l.mu.Unlock()
		if failure != nil {
			return anchor.Receipt{}, failure
		}
		if covered {
			return l.receipt(ctx, ref)
		}
		select {
		case <-next:
		case <-ctx.Done():
			return anchor.Receipt{}, ctx.Err()
		case <-l.closed:
			return anchor.Receipt{}, anchor.ErrClosed
		}
	}
}

// Follow yields the entries at index >= from, Final with their proofs, as
// checkpoints cover them: the log is read from storage as fast as the
// loop consumes, so a slow consumer holds nothing but its position. It
// ends with the context's error, ErrClosed when the log closes, or the
// error that stopped the log.
func (l *Log) Follow(ctx context.Context, from uint64) iter.Seq2[anchor.Receipt, error] {
	return func(yield func(anchor.Receipt, error) bool) {
		next := from
		for {
			if err := l.usable(); err != nil {
				yield(anchor.Receipt{}, err)
				return
			}
			l.mu.Lock()
			cp, changed := l.cp, l.cpNext
			l.mu.Unlock()
			if next < cp.Size {
				pb, err := client.NewProofBuilder(ctx, cp.Size, l.reader.ReadTile)
				if err != nil {
					yield(anchor.Receipt{}, err)
					return
				}
				for next < cp.Size {
					to := min(cp.Size, next+64)
					entries, err := readEntries(ctx, l.reader.ReadEntryBundle, next, to, cp.Size)
					if err != nil {
						if ctx.Err() != nil {
							err = ctx.Err()
						}
						yield(anchor.Receipt{}, err)
						return
					}
					for _, e := range entries {
						r, err := l.followed(ctx, next, e, cp, pb)
						if err == nil && ctx.Err() != nil {
							err = ctx.Err()
						}
						if err != nil {
							yield(anchor.Receipt{}, err)
							return
						}
						if !yield(r, nil) {
							return
						}
						next++
					}
				}
				continue
			}
			select {
			case <-changed:
			case <-ctx.Done():
				yield(anchor.Receipt{}, ctx.Err())
				return
			case <-l.closed:
				yield(anchor.Receipt{}, anchor.ErrClosed)
				return
			}
		}
	}
}

func (l *Log) followed(ctx context.Context, i uint64, e []byte, cp Checkpoint, pb *client.ProofBuilder) (anchor.Receipt, error) {
	c, err := anchor.DecodeCommitment(e)
	if err != nil {
		return anchor.Receipt{}, fmt.Errorf("%w: entry %d is not a commitment: %v", ErrCorrupt, i, err)
	}
	t := time.Time{}
	if ref, ok, err := l.find(c.Root); err == nil && ok && ref.index == i {
		t = ref.time
	}
	lh := leafHash(e)
	rc := anchor.Receipt{
		Ledger: LedgerName, Chain: l.origin, Commitment: c, Position: i,
		TxID: hex.EncodeToString(lh[:]), Time: t,
	}
	return l.finalReceipt(ctx, rc, cp, pb)
}

// VerifyReceipt checks r offline against the log's key (see
// Verifier.VerifyReceipt); it does not consult the log's storage.
func (l *Log) VerifyReceipt(ctx context.Context, r anchor.Receipt) error {
	return l.verifier.VerifyReceipt(ctx, r)
}

// Checkpoint returns the latest checkpoint this Log has verified.
func (l *Log) Checkpoint() Checkpoint {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cp
}

// ConsistencyProof returns the proof that the tree of size older is a
// prefix of the tree of size newer (<= the latest checkpoint's size), for
// a Tracker that remembers a checkpoint of size older.
func (l *Log) ConsistencyProof(ctx context.Context, older, newer uint64) ([][]byte, error) {
	cp := l.Checkpoint()
	if older > newer || newer > cp.Size {
		return nil, fmt.Errorf("tlog: consistency proof from %d to %d in a log of size %d", older, newer, cp.Size)
	}
	if older == 0 || older == newer {
		return nil, nil
	}
	pb, err := client.NewProofBuilder(ctx, newer, l.reader.ReadTile)
	if err != nil {
		return nil, err
	}
	return pb.ConsistencyProof(ctx, older, newer)
}

var (
	_ anchor.Ledger          = (*Log)(nil)
	_ anchor.ReceiptVerifier = (*Log)(nil)
	_ anchor.ReceiptVerifier = (*Verifier)(nil)
)
