package did

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"

	"github.com/iotrust/iotrust/internal/recordlog"
)

// The registry file is a record log (internal/recordlog) of kind
// registryKind: one record per entry, holding the entry's canonical JSON.
// recordlog acknowledges a record only once it is fsynced, cuts off a
// record torn by a crash on open, refuses any other damage, and locks the
// file against a second writer; recordlog.Read reads the same records
// without the lock, the cut or any write, for ReadRegistry.
const (
	registryKind = "did-registry.v1"
	// MaxRecordSize bounds one record's payload (an ML-DSA-87 rotation is
	// about 9.5 KB).
	MaxRecordSize = 64 << 10
)

// registryLogOptions are the record log options of a registry file.
func registryLogOptions(logger *slog.Logger) recordlog.Options {
	return recordlog.Options{Kind: registryKind, MaxRecordSize: MaxRecordSize, Logger: logger}
}

type logFile struct{ log *recordlog.Log }

// openLogFile opens the registry file at path and passes every entry's
// record to replay, in order.
func openLogFile(path string, logger *slog.Logger, replay func(payload []byte) error) (*logFile, error) {
	l, err := recordlog.Open(path, registryLogOptions(logger))
	if err != nil {
		return nil, logError("opening", path, err)
	}
	if err := replayRecords(path, l.Records(context.Background()), replay); err != nil {
		l.Close()
		return nil, err
	}
	return &logFile{l}, nil
}

// replayRecords passes every record of a registry file (named name) to
// replay, in order, and reports what stops it as a registry error: the
// one replay loop of OpenRegistry and ReadRegistry.
func replayRecords(name string, records iter.Seq2[[]byte, error], replay func(payload []byte) error) error {
	n := 0
	for payload, err := range records {
		if err != nil {
			return logError("reading", name, err)
		}
		if err := replay(payload); err != nil {
			if isContextError(err) {
				return err
			}
			return fmt.Errorf("%w: %s: entry %d: %w", ErrCorruptLog, name, n, err)
		}
		n++
	}
	return nil
}

// logError reports an error of recordlog, met while doing (opening,
// reading) the registry file name, as the registry's.
func logError(doing, name string, err error) error {
	switch {
	case isContextError(err):
		return err
	case errors.Is(err, recordlog.ErrLocked):
		return fmt.Errorf("%w: %s", ErrRegistryLocked, name)
	case errors.Is(err, recordlog.ErrNotLog):
		return fmt.Errorf("%w: %w (registry files written before the record log format, which start with \"iotrust did registry v1\", are not read)", ErrCorruptLog, err)
	case errors.Is(err, recordlog.ErrCorrupt):
		return fmt.Errorf("%w: %w", ErrCorruptLog, err)
	}
	return fmt.Errorf("did: %s registry: %w", doing, err)
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// ReadRegistry replays the registry log held in the first size bytes of
// r — a copy of a gateway's file, bytes fetched over the network — under
// exactly the rules of OpenRegistry (the same replay: every link and
// signature checked, entries of earlier rules accepted with a notice), and
// returns a Registry that answers every question an opened one does
// (Head, KeyAt, VerifyAt, Status; it is a KeyResolver) and writes
// nothing: its Append, Register, Rotate, Revoke, Transfer and Decommission
// fail with ErrReadOnly, and Close does nothing. Its answers are those of
// the log as read; they do not follow later appends.
//
// A record torn by a crash at the end of the log, which OpenRegistry
// would cut off, was never acknowledged: replay stops before it (a notice
// to opts.Logger says so) and r is left as it is. Any other damage, or a
// file that is not a registry, fails with ErrCorruptLog, wrapping
// recordlog's *CorruptError where there is one; a failed read fails with
// the read error, never ErrCorruptLog; ctx is honoured between entries.
// Nothing is returned until the whole log has replayed, so a damaged
// log yields no Registry. Data with no log header (empty, or only a
// prefix of it) holds no entries.
//
// A copy cut at an entry boundary is a registry with fewer entries: only
// comparing Head with the owner's (or an anchored one) shows that a copy
// is complete. opts.Now and opts.MaxClockSkew, which only Append uses,
// are ignored.
func ReadRegistry(ctx context.Context, r io.ReaderAt, size int64, opts RegistryOptions) (*Registry, error) {
	return readRegistry(ctx, r, size, "registry", opts)
}

// ReadRegistryFile is ReadRegistry of the file at path, read as it is at
// the call: it opens the file read-only, takes no lock (so it reads a
// registry that an OpenRegistry of this or another process holds, up to
// its last whole entry) and never creates, repairs or writes it. A
// missing file fails with an error matching fs.ErrNotExist, anything but
// a regular file with ErrCorruptLog.
func ReadRegistryFile(ctx context.Context, path string, opts RegistryOptions) (*Registry, error) {
	// Refused before opening: opening a FIFO would wait for a writer.
	if fi, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("did: opening registry: %w", err)
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrCorruptLog, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("did: opening registry: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("did: opening registry: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrCorruptLog, path)
	}
	return readRegistry(ctx, f, fi.Size(), path, opts)
}

func readRegistry(ctx context.Context, ra io.ReaderAt, size int64, name string, opts RegistryOptions) (*Registry, error) {
	r, err := newRegistry(opts)
	if err != nil {
		return nil, err
	}
	records := recordlog.Read(ctx, ra, size, name, registryLogOptions(r.opts.Logger))
	if err := replayRecords(name, records, func(payload []byte) error { return r.replayRecord(ctx, payload) }); err != nil {
		return nil, err
	}
	r.readOnly = true
	return r, nil
}

// append writes one record and syncs it before returning.
func (lf *logFile) append(payload []byte) error {
	return lf.log.Append(context.Background(), payload)
}

func (lf *logFile) close() error { return lf.log.Close() }
