//go:build unix

package recordlog

import (
	"errors"
	"os"
	"syscall"
)

// errLockHeld: another open file description holds the lock.
var errLockHeld = errors.New("lock held")

// lockFile takes an exclusive flock on f without waiting. The lock belongs
// to the open file description, so a second open of the same file in this
// process conflicts too, and it is released when f is closed (or the
// process dies).
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLockHeld
	}
	return err
}
