package recordlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
)

// readName is what readAt calls the file it reads (as FuzzRead names
// its file for inspect).
const readName = "f"

// readAt gathers what Read yields for size bytes of r, holding it to the
// iterator's contract: an error comes last, once, with a nil payload.
func readAt(r io.ReaderAt, size int64, opts Options) ([][]byte, error) {
	var out [][]byte
	var failed error
	for p, err := range Read(context.Background(), r, size, readName, opts) {
		if failed != nil {
			return nil, fmt.Errorf("yield after the error %v", failed)
		}
		if err != nil {
			if p != nil {
				return nil, fmt.Errorf("error %v with a payload", err)
			}
			failed = err
			continue
		}
		out = append(out, p)
	}
	return out, failed
}

func readBytes(data []byte) ([][]byte, error) {
	return readAt(bytes.NewReader(data), int64(len(data)), testOptions())
}

// readPath reads the log file at path through Read, as a reader without
// write access does.
func readPath(t testing.TB, path string, opts Options) ([][]byte, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return readAt(f, fi.Size(), opts)
}

// Read gives the records an open Log holds, while the Log holds its lock,
// and changes nothing; a read-only file reads too.
func TestReadWhatOpenWrote(t *testing.T) {
	ctx := context.Background()
	path := writeFile(t, nil)
	l := openT(t, path)
	defer l.Close()
	p := [][]byte{payload(0, 10), {}, payload(2, 70000/2), payload(3, 1)}
	if err := l.Append(ctx, p...); err != nil {
		t.Fatal(err)
	}
	before := mustReadFile(t, path)
	got, err := readPath(t, path, testOptions())
	if err != nil {
		t.Fatalf("read while the log is open: %v", err)
	}
	if err := sameRecords(got, p); err != nil {
		t.Fatal(err)
	}
	if err := sameRecords(readAll(t, l), p); err != nil {
		t.Fatalf("records: %v", err)
	}
	if _, err := Open(path, testOptions()); !errors.Is(err, ErrLocked) {
		t.Fatalf("the log's lock after a read: %v", err)
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if got, err := readPath(t, path, testOptions()); err != nil || sameRecords(got, p) != nil {
		t.Fatalf("read-only file: %d records, %v", len(got), err)
	}
	if !bytes.Equal(mustReadFile(t, path), before) {
		t.Fatal("the file changed")
	}
}

// A torn tail is read up to and left in place, with a notice; the records
// are those Open keeps when it cuts the tail off.
func TestReadLeavesTornTail(t *testing.T) {
	p := [][]byte{payload(0, 100), payload(1, 200)}
	intact := encodeFile(p...)
	torn := append(bytes.Clone(intact), encodeFile(payload(2, 50))[HeaderSize:HeaderSize+30]...)
	path := writeFile(t, torn)
	var notices bytes.Buffer
	opts := testOptions()
	opts.Logger = slog.New(slog.NewTextHandler(&notices, nil))
	got, err := readPath(t, path, opts)
	if err != nil || sameRecords(got, p) != nil {
		t.Fatalf("torn file: %d records, %v", len(got), err)
	}
	if want := fmt.Sprintf("offset=%d bytes=30", len(intact)); !strings.Contains(notices.String(), want) {
		t.Fatalf("notice %q, want %q", notices.String(), want)
	}
	if !bytes.Equal(mustReadFile(t, path), torn) {
		t.Fatal("Read changed the file")
	}
	l := openT(t, path)
	defer l.Close()
	if err := sameRecords(readAll(t, l), got); err != nil {
		t.Fatalf("Open keeps other records: %v", err)
	}
}

// Zeros after the records are the unused preallocation to a reader told to
// expect them, a torn tail (with a notice) to one that is not.
func TestReadPreallocated(t *testing.T) {
	opts := testOptions()
	opts.Preallocate = 8192
	path := writeFile(t, nil)
	l, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	p := [][]byte{payload(0, 100), payload(1, 200)}
	if err := l.Append(context.Background(), p...); err != nil {
		t.Fatal(err)
	}
	l.Close()
	for _, prealloc := range []int64{opts.Preallocate, 0} {
		var notices bytes.Buffer
		o := opts
		o.Preallocate = prealloc
		o.Logger = slog.New(slog.NewTextHandler(&notices, nil))
		got, err := readPath(t, path, o)
		if err != nil || sameRecords(got, p) != nil {
			t.Fatalf("Preallocate %d: %d records, %v", prealloc, len(got), err)
		}
		if (notices.Len() == 0) != (prealloc > 0) {
			t.Errorf("Preallocate %d: notices %q", prealloc, notices.String())
		}
	}
}

// Read honours its options, ctx and a break, and yields the records before
// damage ahead of the error.
func TestReadOptionsContextAndBreak(t *testing.T) {
	p := [][]byte{payload(0, 10), payload(1, 20), payload(2, 30)}
	data := encodeFile(p...)
	if _, err := readAt(bytes.NewReader(data), int64(len(data)), Options{Kind: "with space"}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("invalid options: %v", err)
	}
	if _, err := readAt(bytes.NewReader(data), int64(len(data)), Options{Kind: "other.v1"}); !errors.Is(err, ErrNotLog) {
		t.Errorf("another kind asked for: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for _, err := range Read(ctx, bytes.NewReader(data), int64(len(data)), "test", testOptions()) {
		if err != nil {
			if !errors.Is(err, context.Canceled) || n != 1 {
				t.Fatalf("after %d records: %v", n, err)
			}
			break
		}
		n++
		cancel()
	}
	n = 0
	for range Read(context.Background(), bytes.NewReader(data), int64(len(data)), "test", testOptions()) {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("break: %d records", n)
	}
	damaged := append(bytes.Clone(data), 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)
	got, err := readBytes(damaged)
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Offset != int64(len(data)) || ce.Path != readName {
		t.Fatalf("garbage after the records: %v", err)
	}
	if err := sameRecords(got, p); err != nil {
		t.Fatalf("records before the damage: %v", err)
	}
}

// A reader of a file that a Log is appending to gets, each time, a prefix
// of the records and no error: the append under way is a torn tail.
func TestReadWhileAppending(t *testing.T) {
	path := writeFile(t, nil)
	l := openT(t, path)
	defer l.Close()
	const n = 200
	appended := make(chan struct{})
	go func() {
		defer close(appended)
		for i := range n {
			if err := l.Append(context.Background(), payload(i, 1+i*37%3000)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	reads := 0
	for done := false; !done; reads++ {
		select {
		case <-appended:
			done = true // one more read, of the whole file
		default:
		}
		got, err := readPath(t, path, testOptions())
		if err != nil {
			t.Fatalf("read during appends: %v", err)
		}
		for i, r := range got {
			if !bytes.Equal(r, payload(i, 1+i*37%3000)) {
				t.Fatalf("record %d of %d differs", i, len(got))
			}
		}
		if done && len(got) != n {
			t.Fatalf("after the appends: %d records, want %d", len(got), n)
		}
	}
	t.Logf("%d reads", reads)
}

func mustReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
