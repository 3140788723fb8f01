package tlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/storage/posix"
	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
)

// Defaults of Config.
const (
	DefaultBatchMaxAge        = time.Millisecond
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
	// Dir then holds only this node's root index. Several nodes may open
	// the same log through drivers on one shared database, each with its
	// own Dir (see the package documentation).
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
	// DefaultCheckpointInterval; at least MinCheckpointInterval (Tessera's
	// MySQL driver refuses less than a second).
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
	vkey     string
	verifier *Verifier
	log      *slog.Logger

	appender *tessera.Appender
	shutdown func(context.Context) error
	reader   tessera.LogReader
	ix       *index

	bg     context.Context // lives until Close
	stop   context.CancelFunc
	wg     sync.WaitGroup // the checkpoint watcher
	writes sync.WaitGroup // entries handed to Tessera, until their index is known; Add only under mu before closed is closed
	closed chan struct{}  // closed under mu by Close
	once   sync.Once

	mu      sync.Mutex
	pending map[canon.Digest]*pendingAnchor // roots being written now
	recent  map[canon.Digest]entryRef       // written, not yet in the verified index
	cp      Checkpoint                      // latest checkpoint verified against the index
	cpNext  chan struct{}                   // closed when cp changes
	failure error                           // set when the log is found rewritten or corrupt
	acked   uint64                          // entries below this index were acknowledged or recovered
}

type pendingAnchor struct {
	done chan struct{}
	err  error
}

// checkLogDir refuses a directory that holds files but no log: Open would
// otherwise add a log's files among them (a mistyped Dir, a home
// directory). A log's directory has its root index (.iotrust, made first)
// or a checkpoint; a missing or empty directory becomes a new log.
func checkLogDir(dir string) error {
	for _, name := range []string{".iotrust", "checkpoint"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return nil
		}
	}
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return wrap(ErrIO, err)
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if err == io.EOF || (err == nil && len(names) == 0) {
		return nil
	}
	if err != nil {
		return wrap(ErrIO, fmt.Errorf("reading %s: %w", dir, err))
	}
	return wrap(ErrCorrupt, fmt.Errorf("%s holds files (%q) but no log (no checkpoint, no .iotrust): not creating a log among them", dir, names[0]))
}

// Open opens the log in cfg.Dir, creating it if needed. Before it returns,
// it verifies the log against its signed checkpoint and brings the root
// index up to date: every entry the log holds, including those written by
// a process that crashed, can be looked up. It fails with ErrInconsistent
// if the log's history is not the one its index verified before, and with
// ErrCorrupt, before writing anything, for a directory that holds other
// files but no log. It returns ctx's error if ctx ends first (a long index
// rebuild included).
func Open(ctx context.Context, cfg Config) (*Log, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("tlog: open: %w", err)
	}
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
		return nil, fmt.Errorf("%w: signer and verifier do not match: %w", ErrBadKey, err)
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

	if cfg.Driver == nil {
		if err := checkLogDir(cfg.Dir); err != nil {
			return nil, err
		}
	}
	ix, err := openIndex(filepath.Join(cfg.Dir, ".iotrust", "index.db"), v.Origin())
	if err != nil {
		return nil, err
	}
	bg, stop := context.WithCancel(context.Background())
	l := &Log{
		origin: v.Origin(), vkey: verifierKey(cfg.Verifier), verifier: v, log: logger.With("ledger", LedgerName, "origin", v.Origin()),
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
			return fail(storageErr(false, err, "posix storage"))
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
		// A new POSIX log publishes its first checkpoint in NewAppender,
		// through the witnesses; their refusal is not corruption, but
		// Tessera's sentinel for it is internal and reaches us as text.
		if cfg.Witnesses != nil && strings.Contains(err.Error(), "witness") {
			return fail(wrap(ErrIO, fmt.Errorf("the witnesses did not cosign the first checkpoint: %w", err)))
		}
		return fail(storageErr(false, err, "opening the log"))
	}

	// Verify what the log has signed, then index what it holds beyond that.
	raw, err := l.firstCheckpoint(ctx, cfg.CheckpointInterval)
	if err != nil {
		return fail(err)
	}
	cp, err := v.ParseCheckpoint(raw)
	if err != nil {
		return fail(wrap(ErrCorrupt, otherSigner(raw, cfg.Verifier, err)))
	}
	now := time.Now().UTC()
	if err := ix.advance(ctx, cp, l.reader.ReadEntryBundle, func(anchor.Commitment) time.Time { return now }); err != nil {
		return fail(err)
	}
	l.cp = cp
	integrated, err := l.reader.IntegratedSize(ctx)
	if err != nil {
		return fail(storageErr(false, err, "integrated size"))
	}
	if integrated > cp.Size {
		entries, err := readEntries(ctx, l.reader.ReadEntryBundle, cp.Size, integrated, integrated)
		if err != nil {
			return fail(err)
		}
		for k, e := range entries {
			c, err := anchor.DecodeCommitment(e)
			if err != nil {
				return fail(corrupt(err, "entry %d is not a commitment", cp.Size+uint64(k)))
			}
			if _, dup := l.recent[c.Root]; !dup {
				l.recent[c.Root] = entryRef{index: cp.Size + uint64(k), time: now, entry: e}
			}
		}
		l.acked = integrated
		l.log.Info("recovered entries not yet covered by a checkpoint", "from", cp.Size, "to", integrated)
	}
	l.wg.Add(1)
	go l.watchCheckpoints(cfg.CheckpointInterval)
	return l, nil
}

// otherSigner explains err, the failure of the log's checkpoint raw to
// verify, when raw is signed only by keys other than v's: the log in Dir
// is another log, or Config holds the wrong key (or someone replaced the
// checkpoint). The error then also matches ErrBadKey and names the keys.
func otherSigner(raw []byte, v note.Verifier, err error) error {
	var unverified *note.UnverifiedNoteError
	if _, oerr := note.Open(raw, note.VerifierList()); !errors.As(oerr, &unverified) || unverified.Note == nil {
		return err
	}
	var by []string
	for _, s := range unverified.Note.UnverifiedSigs {
		if s.Name == v.Name() && s.Hash == v.KeyHash() {
			return err // signed with the key, and the signature or text is bad
		}
		by = append(by, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
	}
	if len(by) == 0 {
		return err
	}
	return fmt.Errorf("%w: the log's checkpoint is signed by %s, not by the configured key %s+%08x: another log's directory, the wrong key, or a replaced checkpoint: %w",
		ErrBadKey, strings.Join(by, ", "), v.Name(), v.KeyHash(), err)
}

// firstCheckpointWait bounds how long Open waits for a new log's first
// checkpoint, beyond the checkpoint interval and the witnesses' timeout.
const firstCheckpointWait = 10 * time.Second

// firstCheckpoint reads the log's checkpoint. A new log on a driver that
// publishes its first checkpoint in the background (MySQL) has none for
// a moment, so a missing one is waited for, for a bounded time.
func (l *Log) firstCheckpoint(ctx context.Context, interval time.Duration) ([]byte, error) {
	deadline := time.Now().Add(2*interval + tessera.DefaultWitnessTimeout + firstCheckpointWait)
	for {
		raw, err := l.reader.ReadCheckpoint(ctx)
		switch {
		case err == nil:
			return raw, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, storageErr(false, err, "reading checkpoint")
		case time.Now().After(deadline):
			return nil, wrap(ErrIO, fmt.Errorf("no checkpoint published by %s (witnesses unreachable?): %w", deadline.Format(time.RFC3339), err))
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("tlog: waiting for the first checkpoint: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Origin returns the log's origin, the Chain of its receipts.
func (l *Log) Origin() string { return l.origin }

// VerifierKey returns the log's public key as a note verifier key,
// "<origin>+<key hash>+<base64 of 0x01 and the Ed25519 public key>": the
// one string an auditor needs, usable with golang.org/x/mod/sumdb/note
// (note.NewVerifier) or NewVerifierFromKey. It is empty if Config.Verifier
// does not state its key: those made by NewEd25519Verifier, NewSigner,
// NewEd25519Signer and NewVerifierFromKey do, as does any note.Verifier
// whose String method returns its verifier key.
func (l *Log) VerifierKey() string { return l.vkey }

// Verifier returns the offline verifier of this log's receipts.
func (l *Log) Verifier() *Verifier { return l.verifier }

// Close waits until every acknowledged anchor is covered by a published
// checkpoint (bounded to 30 s), stops the log and closes its index.
func (l *Log) Close() error {
	var err error
	l.once.Do(func() {
		// From here on no Anchor starts a write (it checks closed under
		// mu). The writes already handed to Tessera must resolve before
		// its shutdown: shutdown only waits for entries whose index has
		// been returned, and once bg ends Tessera's queue stops flushing,
		// so an entry still queued then would never resolve.
		l.mu.Lock()
		close(l.closed)
		l.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err = l.waitWrites(ctx)
		if err == nil {
			err = l.shutdown(ctx)
		}
		if err == nil {
			// Tessera's shutdown returns at once when the only entry is
			// index 0 (it takes a largest index of 0 for "nothing added"),
			// so wait for the covering checkpoint here too.
			err = l.waitCovered(ctx)
		}
		l.stop()
		l.wg.Wait()
		if cerr := l.ix.close(); err == nil {
			err = cerr
		}
	})
	return err
}

// waitWrites waits until every entry handed to Tessera has its index
// (or its error). If ctx ends first, the writes still queued are
// abandoned: their Anchor calls have returned or return with ctx's error.
func (l *Log) waitWrites(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		l.writes.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("tlog: close: waiting for queued writes: %w", ctx.Err())
	}
}

// waitCovered waits until the verified checkpoint covers every
// acknowledged entry.
func (l *Log) waitCovered(ctx context.Context) error {
	for {
		l.mu.Lock()
		covered, next, failure := l.cp.Size >= l.acked, l.cpNext, l.failure
		l.mu.Unlock()
		if covered || failure != nil {
			return failure
		}
		select {
		case <-next:
		case <-ctx.Done():
			return fmt.Errorf("tlog: close: waiting for a checkpoint: %w", ctx.Err())
		}
	}
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
