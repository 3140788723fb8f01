//go:build unix

package flock_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/iotrust/iotrust/internal/flock"
)

func open(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestTryLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	a, b := open(t, path), open(t, path)
	if err := flock.TryLock(a); err != nil {
		t.Fatalf("first lock: %v", err)
	}
	// The same file through a second open, in the same process: refused.
	if err := flock.TryLock(b); !errors.Is(err, flock.ErrHeld) {
		t.Fatalf("second lock: %v, want ErrHeld", err)
	}
	// Through a hard link too: the lock is on the file, not the name.
	link := filepath.Join(filepath.Dir(path), "link")
	if err := os.Link(path, link); err != nil {
		t.Fatal(err)
	}
	if err := flock.TryLock(open(t, link)); !errors.Is(err, flock.ErrHeld) {
		t.Fatalf("lock through a hard link: %v, want ErrHeld", err)
	}
	// Taking it again on the holder's own descriptor is allowed.
	if err := flock.TryLock(a); err != nil {
		t.Fatalf("relock by the holder: %v", err)
	}
	// Closing the holder releases it.
	a.Close()
	if err := flock.TryLock(b); err != nil {
		t.Fatalf("lock after the holder closed: %v", err)
	}
}

func TestTryLockClosedFile(t *testing.T) {
	f := open(t, filepath.Join(t.TempDir(), "f"))
	f.Close()
	err := flock.TryLock(f)
	if err == nil || errors.Is(err, flock.ErrHeld) {
		t.Fatalf("lock of a closed file: %v, want an error other than ErrHeld", err)
	}
}
