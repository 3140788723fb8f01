package recordlog

import (
	"errors"
	"fmt"
)

// Errors of a Log. Each is returned wrapped with detail; test with
// errors.Is.
var (
	// ErrLocked is returned by Open when another Log, of this process or
	// another, holds the file.
	ErrLocked = errors.New("recordlog: file in use by another log")
	// ErrNotLog is returned by Open and Read for a file that is not a
	// record log of the requested kind: another magic (any other file, or
	// a file of a format before this package), another format version, or
	// another Options.Kind.
	ErrNotLog = errors.New("recordlog: not a record log of this kind")
	// ErrCorrupt is returned for damage that a crash cannot explain; the
	// error is a *CorruptError saying where.
	ErrCorrupt = errors.New("recordlog: corrupt log")
	// ErrTooLarge is returned by Append and Rewrite for a record above
	// Options.MaxRecordSize; nothing is written.
	ErrTooLarge = errors.New("recordlog: record too large")
	// ErrFailed is returned by Append and Rewrite once an fsync of the log
	// has failed: what the kernel kept of unsynced writes is then unknown,
	// so the log takes nothing more until it is closed and opened again
	// (which reads what really is on disk).
	ErrFailed = errors.New("recordlog: log failed, reopen it")
	// ErrClosed is returned for a Log used after Close.
	ErrClosed = errors.New("recordlog: log closed")
	// ErrInvalidOptions is returned by Open and Read for Options they
	// cannot use.
	ErrInvalidOptions = errors.New("recordlog: invalid options")
)

// CorruptError reports damage in a log file that a crash cannot explain:
// a record that fails its checksum with data after it, a record larger
// than the limit, a damaged file header. It wraps ErrCorrupt.
type CorruptError struct {
	// Path is the log file.
	Path string
	// Offset is where the damaged record (or header) starts.
	Offset int64
	// Reason says what is wrong.
	Reason string
}

// Error says where the log is damaged and how.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("recordlog: corrupt log %s at offset %d: %s", e.Path, e.Offset, e.Reason)
}

// Unwrap returns ErrCorrupt.
func (e *CorruptError) Unwrap() error { return ErrCorrupt }
