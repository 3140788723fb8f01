package recordlog

import (
	"errors"
	"os"
	"syscall"
)

// dataSync makes f's data durable with fdatasync: the data, and the
// metadata needed to read it back (the file's size), but not timestamps,
// so an append that overwrites allocated blocks (see
// Options.Preallocate) costs no file-system journal commit.
func dataSync(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		for {
			serr = syscall.Fdatasync(int(fd))
			if !errors.Is(serr, syscall.EINTR) {
				return
			}
		}
	}); err != nil {
		return err
	}
	if serr != nil {
		return &os.PathError{Op: "fdatasync", Path: f.Name(), Err: serr}
	}
	return nil
}
