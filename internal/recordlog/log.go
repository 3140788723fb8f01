package recordlog

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/iotrust/iotrust/internal/flock"
	"github.com/iotrust/iotrust/internal/fsync"
)

// Options configures Open and Read.
type Options struct {
	// Kind names what the log holds and in which version, such as
	// "did-registry.v1": 1 to MaxKindSize printable ASCII characters, no
	// spaces. It is written into a new file's header, and Open and Read
	// refuse a file of another kind with ErrNotLog.
	Kind string
	// MaxRecordSize bounds one record's payload: Append refuses larger
	// records and Open and Read treat a record claiming more as
	// corruption, so it must not shrink below what a file was written
	// with. Zero means DefaultMaxRecordSize; at most MaxRecordSizeLimit.
	MaxRecordSize int
	// Logger receives a notice when Open cuts off a torn tail, or Read
	// stops before one (nil: discard).
	Logger *slog.Logger
	// Preallocate, when positive, fills a file Open creates with zeros up
	// to this many bytes, so that appends overwrite blocks the file system
	// has already allocated and a group commit's sync writes data only,
	// not the file system's metadata (on Linux, where syncs are
	// fdatasync). Zeros after the last record are then the unused
	// preallocation, which Open keeps and neither Open nor Read reports
	// (Read creates nothing: to it, the field says only that trailing
	// zeros are expected). Records beyond
	// it grow the file as usual. Zero: the file grows with its records.
	Preallocate int64
}

func (o Options) check() error {
	if len(o.Kind) == 0 || len(o.Kind) > MaxKindSize {
		return fmt.Errorf("%w: Kind of %d bytes, want 1 to %d", ErrInvalidOptions, len(o.Kind), MaxKindSize)
	}
	for i := 0; i < len(o.Kind); i++ {
		if c := o.Kind[i]; c <= ' ' || c > '~' {
			return fmt.Errorf("%w: Kind %q: only printable ASCII without spaces", ErrInvalidOptions, o.Kind)
		}
	}
	if o.MaxRecordSize < 0 || o.MaxRecordSize > MaxRecordSizeLimit {
		return fmt.Errorf("%w: MaxRecordSize %d, want 0 to %d", ErrInvalidOptions, o.MaxRecordSize, MaxRecordSizeLimit)
	}
	if o.Preallocate < 0 || o.Preallocate > MaxPreallocate {
		return fmt.Errorf("%w: Preallocate %d, want 0 to %d", ErrInvalidOptions, o.Preallocate, int64(MaxPreallocate))
	}
	return nil
}

// MaxPreallocate bounds Options.Preallocate.
const MaxPreallocate = 1 << 30

// maxGroup bounds the bytes one group commit gathers before it writes (a
// single larger Append is written alone).
const maxGroup = 1 << 20

// bufs holds the *[]byte buffers that Append encodes records into and the
// writer gathers a group in, shared by every Log of the process: a gateway
// opens a log per batch, and a pool per log would start empty each time.
var bufs sync.Pool

// zeros is what zeroFill writes; never written to.
var zeros [128 << 10]byte

// rewriteSuffix names the file Rewrite builds beside the log.
const rewriteSuffix = ".rewrite"

// Log is an open record log: an append-only file of checksummed records
// that this Log alone may write (it holds an exclusive lock on the file
// until Close). It is safe for concurrent use.
type Log struct {
	path     string
	kind     string
	max      int
	prealloc int64
	logger   *slog.Logger

	reqs chan *request // to the writer goroutine; unbuffered
	quit chan struct{} // closed by Close
	done chan struct{} // closed when the writer has stopped

	mu sync.Mutex
	f  *os.File
	// lock is a descriptor of f's file of its own, opened only to hold
	// the file's lock: f is handed to the kernel's asynchronous syncs,
	// which may keep a description alive (and a lock on it held) a moment
	// after it is closed, and a lock there would outlive Close.
	lock   *os.File
	end    int64 // everything before end is written and synced
	failed error // the fsync error that stopped the log
	closed bool
	// readers counts the Records iterations reading each file; a file
	// Rewrite replaced while it had readers is closed by its last reader.
	readers map[*os.File]int
	retired map[*os.File]bool

	// Used by the writer goroutine only.
	group []*request
	buf   *[]byte // a group's records gathered for one write; from bufs

	// syncs counts fsyncs of the log file (the group-commit benchmark
	// reports it per record); sync is how the file is synced, which
	// fault-injection tests replace.
	syncs atomic.Int64
	sync  func(*os.File) error
}

// request is one Append (the encoded records) or Rewrite (the new file).
type request struct {
	data    []byte
	rewrite bool
	done    chan error
}

// Open opens the log file at path, creating it if it does not exist, and
// takes an exclusive lock on it: a second Open of the same file, from this
// process or another, fails with ErrLocked until Close (on unix platforms;
// elsewhere no lock is taken).
//
// Open reads the whole file once to check it, but hands no record to the
// caller (Records does). A tail that an interrupted append explains is cut
// off (a Logger notice says so): it was never acknowledged. Any other
// damage fails with a *CorruptError, a file of another kind or format with
// ErrNotLog, and read or write failures with the I/O error. What Open
// accepts is synced before it returns, so every record Records yields is
// durable.
func Open(path string, opts Options) (*Log, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	l := &Log{
		path: path, kind: opts.Kind, max: opts.MaxRecordSize, prealloc: opts.Preallocate, logger: opts.Logger,
		reqs: make(chan *request), quit: make(chan struct{}), done: make(chan struct{}),
		readers: map[*os.File]int{}, retired: map[*os.File]bool{},
		sync: fsync.Data,
	}
	if l.max == 0 {
		l.max = DefaultMaxRecordSize
	}
	if l.logger == nil {
		l.logger = slog.New(slog.DiscardHandler)
	}
	f, lock, err := openLocked(path)
	if err != nil {
		return nil, err
	}
	l.f, l.lock = f, lock
	if err := l.recover(); err != nil {
		f.Close()
		lock.Close()
		return nil, err
	}
	go l.run()
	return l, nil
}

// openLocked opens path for writing (f) and takes the lock on a second
// descriptor of the same file (lock), making sure that both are still the
// file at path: a Rewrite of the previous holder may have renamed a new
// file over it meanwhile.
func openLocked(path string) (f, lock *os.File, err error) {
	for range 8 {
		if lock, err = lockFile(path, os.O_RDWR|os.O_CREATE); err != nil {
			return nil, nil, err
		}
		f, err = os.OpenFile(path, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) { // replaced meanwhile
			lock.Close()
			continue
		}
		if err != nil {
			lock.Close()
			return nil, nil, fmt.Errorf("recordlog: %w", err)
		}
		same, err := sameFile(path, f, lock)
		if same {
			return f, lock, nil
		}
		f.Close()
		lock.Close()
		if err != nil {
			return nil, nil, err
		}
	}
	return nil, nil, fmt.Errorf("%w: %s keeps being replaced", ErrLocked, path)
}

// sameFile reports whether f and lock are one regular file, the one at
// path now.
func sameFile(path string, f, lock *os.File) (bool, error) {
	fi, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("recordlog: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return false, fmt.Errorf("%w: %s is not a regular file", ErrNotLog, path)
	}
	li, err := lock.Stat()
	if err != nil {
		return false, fmt.Errorf("recordlog: %w", err)
	}
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, li) && os.SameFile(li, pi), nil
}

// lockFile opens path with flag and takes an exclusive lock on what it
// opened: ErrLocked if another open file description holds one.
func lockFile(path string, flag int) (*os.File, error) {
	lock, err := os.OpenFile(path, flag, 0o600)
	if err != nil {
		return nil, fmt.Errorf("recordlog: %w", err)
	}
	if err := flock.TryLock(lock); err != nil {
		lock.Close()
		if errors.Is(err, flock.ErrHeld) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, fmt.Errorf("recordlog: %w", err)
	}
	return lock, nil
}

// recover checks the file, initialises a new one, cuts a torn tail off and
// syncs.
func (l *Log) recover() error {
	fi, err := l.f.Stat()
	if err != nil {
		return fmt.Errorf("recordlog: %w", err)
	}
	st, err := inspect(l.f, fi.Size(), l.path, l.kind, l.max)
	if err != nil {
		return err
	}
	switch {
	case st.fresh:
		if _, err := l.f.WriteAt(encodeHeader(l.kind), 0); err != nil {
			return fmt.Errorf("recordlog: %w", err)
		}
		if err := l.f.Truncate(HeaderSize); err != nil {
			return fmt.Errorf("recordlog: %w", err)
		}
		if err := zeroFill(l.f, HeaderSize, l.prealloc); err != nil {
			return fmt.Errorf("recordlog: preallocating %s: %w", l.path, err)
		}
		st.end = HeaderSize
	case st.torn && l.prealloc > 0 && zeroTail(l.f, st.end, fi.Size()):
		// The unused preallocation: kept for the appends to come.
	case st.torn:
		l.logger.Warn("recordlog: cutting off a record torn by an interrupted append",
			"path", l.path, "offset", st.end, "bytes", fi.Size()-st.end)
		// With preallocation, the torn bytes become zeros again, up to
		// the preallocated size.
		keep := st.end
		if l.prealloc > 0 {
			keep = max(st.end, min(fi.Size(), l.prealloc))
		}
		if err := l.f.Truncate(keep); err != nil {
			return fmt.Errorf("recordlog: %w", err)
		}
		if err := zeroFill(l.f, st.end, keep); err != nil {
			return fmt.Errorf("recordlog: %w", err)
		}
	}
	if err := l.syncFile(l.f); err != nil {
		return fmt.Errorf("recordlog: fsync: %w", err)
	}
	if st.fresh {
		// The new file's directory entry must be durable before anything
		// appended to it is acknowledged.
		if err := fsync.Dir(filepath.Dir(l.path)); err != nil {
			return fmt.Errorf("recordlog: syncing the directory of %s: %w", l.path, err)
		}
	}
	l.end = st.end
	// A Rewrite interrupted by a crash leaves its unfinished file behind;
	// only the lock holder builds it, so it is ours to remove.
	if err := os.Remove(l.path + rewriteSuffix); err == nil {
		l.logger.Info("recordlog: removed an unfinished rewrite", "path", l.path+rewriteSuffix)
	}
	return nil
}

// zeroFill writes zeros to f from off up to size.
func zeroFill(f *os.File, off, size int64) error {
	for off < size {
		n, err := f.WriteAt(zeros[:min(int64(len(zeros)), size-off)], off)
		if err != nil {
			return err
		}
		off += int64(n)
	}
	return nil
}

// zeroTail reports whether f holds only zeros from off to size (false
// when it cannot tell).
func zeroTail(f *os.File, off, size int64) bool {
	z, err := zeroFrom(f, off, size)
	return err == nil && z
}

func (l *Log) syncFile(f *os.File) error {
	l.syncs.Add(1)
	return l.sync(f)
}

// Path returns the log's file name, as given to Open.
func (l *Log) Path() string { return l.path }

// Size returns the size of the log file up to its last synced record,
// header included.
func (l *Log) Size() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.end
}

// Append writes records, in order and one after the other, at the end of
// the log, and returns once they are durable (written and fsynced).
// Concurrent Appends are committed together: the records of every Append
// that arrives while a write and fsync are under way go into the next
// write, which one fsync covers (group commit).
//
// nil means every record is durable. A context error means none was
// written: ctx is honoured until the records are taken into a write, and
// after that Append waits for the write's outcome. ErrTooLarge and
// ErrClosed mean nothing was written. If a write fails (a full disk), the
// partial write is cut off again and the error returned; the log stays
// usable. If an fsync fails, Append returns ErrFailed, and so does every
// later Append without writing anything: the records of the Append whose
// fsync failed may or may not be found by the next Open, and the log must
// be reopened. A crash during Append can leave any prefix of its records
// in the file, none of them acknowledged. Append does not keep records.
func (l *Log) Append(ctx context.Context, records ...[]byte) error {
	n := 0
	for _, r := range records {
		if len(r) > l.max {
			return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(r), l.max)
		}
		n += RecordOverhead + len(r)
	}
	if len(records) == 0 {
		return l.usable()
	}
	bp := getBuf()
	data := (*bp)[:0]
	if cap(data) < n {
		data = make([]byte, 0, n)
	}
	for _, r := range records {
		data = appendRecord(data, r)
	}
	err := l.submit(ctx, &request{data: data})
	// The writer is done with data once submit returns.
	*bp = data
	putBuf(bp)
	return err
}

// getBuf returns a buffer from bufs, or a new empty one.
func getBuf() *[]byte {
	if bp, _ := bufs.Get().(*[]byte); bp != nil {
		return bp
	}
	return new([]byte)
}

// putBuf returns a buffer to bufs, unless it grew past what a group
// commit gathers (a rare large Append): those are left to the collector.
func putBuf(bp *[]byte) {
	if cap(*bp) <= 2*maxGroup {
		*bp = (*bp)[:0]
		bufs.Put(bp)
	}
}

// submit hands a request to the writer and waits for its outcome.
func (l *Log) submit(ctx context.Context, r *request) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := l.usable(); err != nil {
		return err
	}
	r.done = make(chan error, 1)
	select {
	case l.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-l.quit:
		return ErrClosed
	}
	return <-r.done
}

// usable reports why the log takes no more requests, if it does not.
func (l *Log) usable() error {
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed {
		return ErrClosed
	}
	return l.failure()
}

// failure returns ErrFailed with its cause once an fsync has failed.
func (l *Log) failure() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failed != nil {
		return fmt.Errorf("%w: %w", ErrFailed, l.failed)
	}
	return nil
}

// run is the writer goroutine: it takes a request, gathers every other
// request already waiting, writes them with one write and one fsync, and
// answers them all.
func (l *Log) run() {
	defer close(l.done)
	defer func() {
		if l.buf != nil {
			putBuf(l.buf)
			l.buf = nil
		}
	}()
	var next *request
	for {
		r := next
		next = nil
		if r == nil {
			select {
			case r = <-l.reqs:
			case <-l.quit:
				return
			}
		}
		if r.rewrite {
			r.done <- l.rewrite(r.data)
			continue
		}
		group, size := append(l.group[:0], r), len(r.data)
	gather:
		for size < maxGroup {
			select {
			case q := <-l.reqs:
				if q.rewrite {
					next = q
					break gather
				}
				group, size = append(group, q), size+len(q.data)
			default:
				break gather
			}
		}
		err := l.commit(group)
		for i, q := range group {
			q.done <- err
			group[i] = nil
		}
		l.group = group[:0]
	}
}

// commit appends the records of group with one write and one fsync.
func (l *Log) commit(group []*request) error {
	if err := l.failure(); err != nil {
		return err
	}
	l.mu.Lock()
	f, end := l.f, l.end
	l.mu.Unlock()
	data := group[0].data
	if len(group) > 1 {
		if l.buf == nil {
			l.buf = getBuf()
		}
		buf := (*l.buf)[:0]
		for _, q := range group {
			buf = append(buf, q.data...)
		}
		data = buf
		if cap(buf) <= 2*maxGroup {
			*l.buf = buf
		} else { // a rare oversized group: not kept for the log's life
			putBuf(l.buf)
			l.buf = nil
		}
	}
	if _, err := f.WriteAt(data, end); err != nil {
		werr := fmt.Errorf("recordlog: %w", err)
		// Cut the partial write off, so that nothing after end is in the
		// file when the next group is written there.
		if terr := f.Truncate(end); terr != nil {
			l.fail(terr)
			return fmt.Errorf("%w: %w; cutting it off: %w", ErrFailed, werr, terr)
		}
		if serr := l.syncFile(f); serr != nil {
			l.fail(serr)
			return fmt.Errorf("%w: %w; fsync after cutting it off: %w", ErrFailed, werr, serr)
		}
		return werr
	}
	if err := l.syncFile(f); err != nil {
		l.fail(err)
		// Best effort: what the next Open finds is unknown either way.
		_ = f.Truncate(end)
		return fmt.Errorf("%w: fsync: %w", ErrFailed, err)
	}
	l.mu.Lock()
	l.end = end + int64(len(data))
	l.mu.Unlock()
	return nil
}

func (l *Log) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failed == nil {
		l.failed = err
	}
}

// Records returns an iterator over the payloads of the log's records, in
// order, from the first to the last one synced when the iteration starts;
// records appended meanwhile are not included, and Appends may run
// concurrently. Each payload is a new slice the caller may keep. Damage
// (the file changed behind the Log) ends the iteration with a
// *CorruptError, a failed read with the I/O error, ctx with its error,
// Close with ErrClosed; the error is yielded once, with a nil payload. An
// iteration under way when Rewrite replaces the file goes on over the
// records it started with.
func (l *Log) Records(ctx context.Context) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		l.mu.Lock()
		f, end, closed := l.f, l.end, l.closed
		if !closed {
			l.readers[f]++
		}
		l.mu.Unlock()
		if closed {
			yield(nil, ErrClosed)
			return
		}
		defer l.doneReading(f)
		sc := newScanner(f, HeaderSize, end, l.max, l.path, false)
		sc.each(ctx, yield, func(err error) error {
			switch {
			case errors.Is(err, errTorn):
				// Synced records cannot be torn: the file changed.
				return &CorruptError{Path: l.path, Offset: sc.off, Reason: err.Error()}
			case errors.Is(err, os.ErrClosed):
				return fmt.Errorf("%w: during iteration", ErrClosed)
			}
			return err
		})
	}
}

// doneReading ends an iteration over f, closing f if Rewrite replaced it
// and this was its last reader.
func (l *Log) doneReading(f *os.File) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.readers[f]--; l.readers[f] > 0 {
		return
	}
	delete(l.readers, f)
	if l.retired[f] {
		delete(l.retired, f)
		f.Close()
	}
}

// Rewrite replaces the log's records with records, atomically: it writes
// a new file beside the log (path + ".rewrite"), syncs it, renames it over
// the log and syncs the directory, so that a crash leaves either the old
// records or the new ones. The caller gathers records (usually from
// Records) and must keep its own Appends from running meanwhile: one that
// runs before the Rewrite is replaced by it. A context error, ErrTooLarge
// or a failure before the rename leaves the log as it was; a failure to
// sync the directory after it fails the log (ErrFailed), as an fsync
// failure does in Append.
func (l *Log) Rewrite(ctx context.Context, records [][]byte) error {
	data := encodeHeader(l.kind)
	for _, r := range records {
		if len(r) > l.max {
			return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(r), l.max)
		}
		data = appendRecord(data, r)
	}
	return l.submit(ctx, &request{data: data, rewrite: true})
}

// rewrite builds the new file from data (header included) and puts it in
// place of the log. Runs on the writer goroutine.
func (l *Log) rewrite(data []byte) error {
	if err := l.failure(); err != nil {
		return err
	}
	tmp := l.path + rewriteSuffix
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("recordlog: rewrite: %w", err)
	}
	// Locked before the rename, so the file is never at path unlocked.
	lock, err := lockFile(tmp, os.O_RDWR)
	if err == nil {
		_, err = f.WriteAt(data, 0)
	}
	if err == nil {
		err = l.syncFile(f)
	}
	if err == nil {
		err = os.Rename(tmp, l.path)
	}
	if err != nil {
		f.Close()
		if lock != nil {
			lock.Close()
		}
		os.Remove(tmp)
		return fmt.Errorf("recordlog: rewrite: %w", err)
	}
	l.mu.Lock()
	old, oldLock := l.f, l.lock
	l.f, l.lock, l.end = f, lock, int64(len(data))
	if l.readers[old] > 0 {
		l.retired[old] = true
		old = nil
	}
	l.mu.Unlock()
	oldLock.Close() // its file is no longer at path
	if old != nil {
		old.Close()
	}
	if err := fsync.Dir(filepath.Dir(l.path)); err != nil {
		l.fail(err)
		return fmt.Errorf("%w: rewrite: syncing the directory: %w", ErrFailed, err)
	}
	return nil
}

// Close waits for the write under way, if any, stops the log and releases
// its file and lock. Appends waiting to be written get ErrClosed. A second
// Close returns ErrClosed.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	l.closed = true
	l.mu.Unlock()
	close(l.quit)
	<-l.done
	l.mu.Lock()
	f, lock := l.f, l.lock
	l.mu.Unlock()
	err := f.Close()
	// Closed last, so the file is never unlocked while the Log has it open.
	if lerr := lock.Close(); err == nil {
		err = lerr
	}
	if err != nil {
		return fmt.Errorf("recordlog: %w", err)
	}
	return nil
}
