//go:build unix

package did

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock, so two processes never append
// to one registry; the lock goes with the descriptor.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
