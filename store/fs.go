package store

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/iotrust/iotrust/internal/flock"
	"github.com/iotrust/iotrust/internal/fsync"
)

// fsBackend is the default Backend: one file per object under a directory,
// written as temp file, fsync, rename, directory fsync. It holds an
// exclusive advisory lock on <dir>/LOCK while open, so Update's
// read-modify-write needs only in-process locks.
type fsBackend struct {
	dir    string
	tmp    string
	lock   *os.File
	seed   maphash.Seed
	stripe [64]sync.Mutex
	dirs   sync.Map // directories known to exist durably
	closed atomic.Bool
}

const (
	lockName    = "LOCK"
	tmpDirName  = "tmp"
	maxNameLen  = 128
	maxSegments = 3
)

func openFS(dir string) (*fsBackend, error) {
	if dir == "" {
		return nil, fmt.Errorf("%w: empty directory", ErrInvalidOptions)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	lf, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := flock.TryLock(lf); err != nil {
		lf.Close()
		if errors.Is(err, flock.ErrHeld) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, dir)
		}
		return nil, fmt.Errorf("store: %w", err)
	}
	b := &fsBackend{dir: dir, tmp: filepath.Join(dir, tmpDirName), lock: lf, seed: maphash.MakeSeed()}
	// Temp files left by a crash are never objects: with the lock held,
	// nobody else is writing, so the whole folder goes.
	if err := os.RemoveAll(b.tmp); err != nil {
		lf.Close()
		return nil, fmt.Errorf("store: clearing temp files: %w", err)
	}
	if err := os.Mkdir(b.tmp, 0o700); err != nil {
		lf.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := syncDir(dir); err != nil {
		lf.Close()
		return nil, err
	}
	return b, nil
}

// Close releases the directory lock. It is idempotent.
func (b *fsBackend) Close() error {
	if b.closed.Swap(true) {
		return nil
	}
	return b.lock.Close()
}

// path validates name and maps it to a file path.
func (b *fsBackend) path(name string) (string, error) {
	if b.closed.Load() {
		return "", ErrClosed
	}
	if len(name) == 0 || len(name) > maxNameLen {
		return "", fmt.Errorf("store: object name of %d bytes", len(name))
	}
	segs := strings.Split(name, "/")
	if len(segs) > maxSegments {
		return "", fmt.Errorf("store: object name %q has more than %d segments", name, maxSegments)
	}
	for _, s := range segs {
		if s == "" {
			return "", fmt.Errorf("store: object name %q has an empty segment", name)
		}
		for i := 0; i < len(s); i++ {
			if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
				return "", fmt.Errorf("store: object name %q has a character outside [a-z0-9/]", name)
			}
		}
	}
	// LOCK is not lowercase, so no name reaches it; tmp is, so it is
	// refused: Open empties that folder.
	if segs[0] == tmpDirName {
		return "", fmt.Errorf("store: object name %q is in the temp folder", name)
	}
	return filepath.Join(b.dir, filepath.FromSlash(name)), nil
}

func (b *fsBackend) mu(name string) *sync.Mutex {
	return &b.stripe[maphash.String(b.seed, name)%uint64(len(b.stripe))]
}

func (b *fsBackend) Get(ctx context.Context, name string, limit int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := b.path(name)
	if err != nil {
		return nil, err
	}
	return readLimited(p, name, limit)
}

func readLimited(p, name string, limit int64) ([]byte, error) {
	// Only regular files are objects: opening a FIFO planted in the
	// directory would block, a symlink could point anywhere.
	if st, err := os.Lstat(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
		}
		return nil, fmt.Errorf("store: %w", err)
	} else if !st.Mode().IsRegular() {
		return nil, corrupt("%s is not a regular file (%s)", name, st.Mode().Type())
	}
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
		}
		return nil, fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, corrupt("%s is not a regular file", name)
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%w: %s has %d bytes, limit %d", ErrTooLarge, name, st.Size(), limit)
	}
	// Objects are replaced by rename, never written in place, so the size
	// of the open file does not change under us.
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("store: reading %s: %w", name, err)
	}
	return data, nil
}

func (b *fsBackend) Put(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := b.path(name)
	if err != nil {
		return err
	}
	m := b.mu(name)
	m.Lock()
	defer m.Unlock()
	return b.write(p, data)
}

func (b *fsBackend) Update(ctx context.Context, name string, limit int64, fn func([]byte) ([]byte, error)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := b.path(name)
	if err != nil {
		return err
	}
	m := b.mu(name)
	m.Lock()
	defer m.Unlock()
	old, err := readLimited(p, name, limit)
	if err != nil {
		return err
	}
	data, err := fn(old)
	if err != nil || data == nil {
		return err
	}
	return b.write(p, data)
}

func (b *fsBackend) Delete(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := b.path(name)
	if err != nil {
		return err
	}
	m := b.mu(name)
	m.Lock()
	defer m.Unlock()
	if err := os.Remove(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s", ErrNotFound, name)
		}
		return fmt.Errorf("store: %w", err)
	}
	return syncDir(filepath.Dir(p))
}

func (b *fsBackend) Stat(ctx context.Context, name string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	p, err := b.path(name)
	if err != nil {
		return 0, err
	}
	// As Get: only a regular file is an object, and a symlink is not
	// followed.
	st, err := os.Lstat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, fmt.Errorf("%w: %s", ErrNotFound, name)
		}
		return 0, fmt.Errorf("store: %w", err)
	}
	if !st.Mode().IsRegular() {
		return 0, corrupt("%s is not a regular file (%s)", name, st.Mode().Type())
	}
	return st.Size(), nil
}

// write puts data at p: temp file in tmp/, fsync, rename over p, fsync of
// p's directory (and of any directory it had to create).
func (b *fsBackend) write(p string, data []byte) error {
	if err := b.ensureDir(filepath.Dir(p)); err != nil {
		return err
	}
	f, err := os.CreateTemp(b.tmp, "put-*")
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := fsync.File(f); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	ok = true
	return syncDir(filepath.Dir(p))
}

// ensureDir creates dir and its parents below b.dir, fsyncing each parent
// whose entries changed, so the new file's path survives a crash.
func (b *fsBackend) ensureDir(dir string) error {
	if _, ok := b.dirs.Load(dir); ok || dir == b.dir {
		return nil
	}
	if err := b.ensureDir(filepath.Dir(dir)); err != nil {
		return err
	}
	// The parent is synced also when the directory exists already: it may
	// have been made by a concurrent call that has not synced yet, or
	// before a crash.
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("store: %w", err)
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return err
	}
	b.dirs.Store(dir, struct{}{})
	return nil
}

func syncDir(dir string) error {
	if err := fsync.Dir(dir); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
