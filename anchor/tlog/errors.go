package tlog

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	berrors "go.etcd.io/bbolt/errors"

	"github.com/iotrust/iotrust/anchor/internal/errchain"
)

// ErrIO is returned when the log's storage cannot be read or written: a
// permission, a full or failing disk, a lock held by another process, a
// driver that cannot reach its database. The data may well be intact and
// a later call may succeed. Contrast ErrCorrupt: the data is there, and
// wrong.
var ErrIO = errors.New("tlog: storage I/O failed")

// storageErr wraps err, a failure while reading or writing the log's
// storage (what says doing what), with ErrIO or ErrCorrupt: a failing
// system call is I/O, except that a file the log must have and does not
// is corruption, as are bytes that do not parse and a bbolt file that is
// not a database; anything else is ErrIO when writing and ErrCorrupt when
// reading. Context errors pass through unclassified.
func storageErr(writing bool, err error, what string) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("tlog: %s: %w", what, err)
	}
	kind := ErrCorrupt
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, berrors.ErrInvalid),
		errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
	case isSyscall(err), writing, errors.Is(err, berrors.ErrTimeout):
		kind = ErrIO
	}
	return wrap(kind, fmt.Errorf("%s: %w", what, err))
}

func isSyscall(err error) bool {
	var pe *fs.PathError
	var le *os.LinkError
	var se *os.SyscallError
	var errno syscall.Errno
	return errors.As(err, &pe) || errors.As(err, &le) || errors.As(err, &se) || errors.As(err, &errno)
}

// corrupt wraps cause, found while doing what, with ErrCorrupt.
func corrupt(cause error, format string, args ...any) error {
	return wrap(ErrCorrupt, fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), cause))
}

// wrap returns an error matching outer and inner that reads without
// repeating a package prefix the two share (see errchain).
func wrap(outer, inner error) error { return errchain.Wrap(outer, inner) }
