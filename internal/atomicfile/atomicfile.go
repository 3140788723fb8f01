package atomicfile

import (
	"io"
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/internal/fsync"
)

// Write replaces path with what write writes, with permissions perm: the
// bytes go to a temporary file beside path, which is fsynced, renamed over
// path, and the directory fsynced (through internal/fsync, so a waiting
// goroutine does not hold a scheduler slot), so the new content survives
// a crash once Write returns nil. On an error path keeps its old content
// and no temporary file is left behind.
func Write(path string, perm os.FileMode, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if err := fsync.File(tmp); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	done = true
	return fsync.Dir(dir)
}

// WriteBytes is Write of b.
func WriteBytes(path string, perm os.FileMode, b []byte) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
