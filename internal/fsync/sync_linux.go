package fsync

import (
	"errors"
	"os"
	"syscall"
)

func syncFile(f *os.File, data bool) error {
	if a := shared(); a != nil {
		if done, err := a.sync(f, data); done {
			return err
		}
	}
	return plain(f, data)
}

// plain makes f durable with the blocking system call.
func plain(f *os.File, data bool) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		for {
			if data {
				serr = syscall.Fdatasync(int(fd))
			} else {
				serr = syscall.Fsync(int(fd))
			}
			if !errors.Is(serr, syscall.EINTR) {
				return
			}
		}
	}); err != nil {
		// Control fails only when f is closed (as os.File.Sync reports it).
		return &os.PathError{Op: opName(data), Path: f.Name(), Err: os.ErrClosed}
	}
	if serr != nil {
		return &os.PathError{Op: opName(data), Path: f.Name(), Err: serr}
	}
	return nil
}

func opName(data bool) string {
	if data {
		return "fdatasync"
	}
	return "fsync"
}
