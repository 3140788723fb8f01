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

// Create writes a new file at path with what write writes, with
// permissions perm, and never replaces one: the bytes go to a temporary
// file beside path (created with permissions 0600, so a secret is never
// readable by others on the way), which is fsynced and then hard-linked
// to path, and the directory fsynced. If path exists, also if it appears
// meanwhile, Create returns an error matching os.ErrExist and leaves it
// as it was. A reader never sees part of the file, and a crash or an
// error leaves nothing at path (at worst a temporary file named after it).
func Create(path string, perm os.FileMode, write func(io.Writer) error) error {
	if _, err := os.Lstat(path); err == nil {
		return &os.PathError{Op: "create", Path: path, Err: os.ErrExist}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil {
		err = fsync.File(tmp)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return err
	}
	return fsync.Dir(dir)
}

// CreateBytes is Create of b.
func CreateBytes(path string, perm os.FileMode, b []byte) error {
	return Create(path, perm, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
