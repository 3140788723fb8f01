//go:build unix

package recordlog

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A description of the log file that outlives Close does not keep the file
// locked. The kernel holds one for an asynchronous sync in flight, and may
// drop it a moment after the sync has completed and the Log has closed its
// descriptor; a lock taken on that description stayed held until then, so
// an Open right after Close could fail with ErrLocked (found by fuzzing
// FuzzOpenPreallocated). Here every sync leaves a duplicate of the synced
// descriptor open, through Append, Rewrite and Close.
func TestLingeringDescriptionHoldsNoLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	var dups []int
	t.Cleanup(func() {
		for _, fd := range dups {
			syscall.Close(fd)
		}
	})
	linger := func(l *Log) {
		l.sync = func(f *os.File) error {
			fd, err := syscall.Dup(int(f.Fd()))
			if err != nil {
				return err
			}
			dups = append(dups, fd)
			return f.Sync()
		}
	}
	ctx := context.Background()
	l := openT(t, path)
	linger(l)
	if err := l.Append(ctx, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := l.Rewrite(ctx, [][]byte{[]byte("two")}); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(ctx, []byte("three")); err != nil {
		t.Fatal(err)
	}
	if len(dups) < 3 {
		t.Fatalf("%d syncs seen, want 3", len(dups))
	}
	// Still locked while open, whatever the lingering descriptions.
	if _, err := Open(path, testOptions()); err == nil {
		t.Fatal("a second Open succeeded while the log was open")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2, err := Open(path, testOptions())
	if err != nil {
		t.Fatalf("Open after Close, with descriptions of the file still open: %v", err)
	}
	defer l2.Close()
	if err := sameRecords(readAll(t, l2), [][]byte{[]byte("two"), []byte("three")}); err != nil {
		t.Fatal(err)
	}
}
