package recordlog

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreallocate: a new file is preallocated with zeros; reopening keeps
// the preallocation without a notice; records torn inside it become zeros
// again (with a notice); records beyond it grow the file; a file opened
// without the option treats the zeros as a torn tail and cuts them off.
func TestPreallocate(t *testing.T) {
	const size = 64 << 10
	path := filepath.Join(t.TempDir(), "pre.log")
	var logs bytes.Buffer
	opts := testOptions()
	opts.Preallocate = size
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	open := func() *Log {
		t.Helper()
		l, err := Open(path, opts)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	fileSize := func() int64 {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}

	l := open()
	if got := fileSize(); got != size {
		t.Fatalf("new file of %d bytes, want %d", got, size)
	}
	want := [][]byte{payload(1, 100), payload(2, 3000)}
	if err := l.Append(context.Background(), want...); err != nil {
		t.Fatal(err)
	}
	end := l.Size()
	l.Close()

	l = open()
	if err := sameRecords(readAll(t, l), want); err != nil {
		t.Fatal(err)
	}
	if got := fileSize(); got != size || logs.Len() != 0 {
		t.Fatalf("reopened: file of %d bytes, notices %q; want %d bytes and none", got, logs.String(), size)
	}
	l.Close()

	// An append torn by a crash: framing and part of a record, then zeros.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	torn := appendRecord(nil, payload(3, 500))[:200]
	if _, err := f.WriteAt(torn, end); err != nil {
		t.Fatal(err)
	}
	f.Close()
	l = open()
	if err := sameRecords(readAll(t, l), want); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "torn") || fileSize() != size {
		t.Fatalf("after a torn append: notices %q, file of %d bytes; want a notice and %d bytes", logs.String(), fileSize(), size)
	}
	rest := make([]byte, size-end)
	f, _ = os.Open(path)
	_, err = f.ReadAt(rest, end)
	f.Close()
	if err != nil || !bytes.Equal(rest, make([]byte, len(rest))) {
		t.Fatalf("the torn bytes were not zeroed (%v)", err)
	}

	// Records beyond the preallocation.
	more := [][]byte{payload(4, 40000), payload(5, 40000)}
	if err := l.Append(context.Background(), more...); err != nil {
		t.Fatal(err)
	}
	want = append(want, more...)
	l.Close()
	l = open()
	if err := sameRecords(readAll(t, l), want); err != nil {
		t.Fatal(err)
	}
	if got := fileSize(); got != l.Size() || got <= size {
		t.Fatalf("grown file of %d bytes, records end at %d", got, l.Size())
	}
	l.Close()

	// Without the option, the zeros of a fresh preallocated file are a
	// torn tail.
	path2 := filepath.Join(t.TempDir(), "pre2.log")
	l2, err := Open(path2, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := l2.Append(context.Background(), payload(6, 10)); err != nil {
		t.Fatal(err)
	}
	end2 := l2.Size()
	l2.Close()
	plain := testOptions()
	l2, err = Open(path2, plain)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if fi, _ := os.Stat(path2); fi.Size() != end2 {
		t.Fatalf("opened without Preallocate: file of %d bytes, want the records' %d", fi.Size(), end2)
	}
	if err := sameRecords(readAll(t, l2), [][]byte{payload(6, 10)}); err != nil {
		t.Fatal(err)
	}
}
