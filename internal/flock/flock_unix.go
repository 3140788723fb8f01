//go:build unix

package flock

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// TryLock takes an exclusive lock on f without waiting. It returns ErrHeld
// if another open file description holds one, and any other failure of
// flock(2) wrapped. Closing f releases the lock.
func TryLock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.EWOULDBLOCK):
		return fmt.Errorf("%w: %s", ErrHeld, f.Name())
	default:
		return fmt.Errorf("flock: locking %s: %w", f.Name(), err)
	}
}
