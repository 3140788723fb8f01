package recordlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestAppendAndReplay(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.log")
	l := openT(t, path)
	if got := readAll(t, l); len(got) != 0 {
		t.Fatalf("new log holds %d records", len(got))
	}
	want := [][]byte{payload(0, 10), {}, payload(2, 64<<10), payload(3, 1)}
	if err := l.Append(ctx, want[0]); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(ctx, want[1:]...); err != nil {
		t.Fatal(err)
	}
	if err := sameRecords(readAll(t, l), want); err != nil {
		t.Fatal(err)
	}
	size := l.Size()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Size() != size {
		t.Fatalf("Size %d, file %d bytes", size, fi.Size())
	}
	raw, _ := os.ReadFile(path)
	if !bytes.Equal(raw, encodeFile(want...)) {
		t.Fatal("file bytes differ from the documented layout")
	}
	l = openT(t, path)
	defer l.Close()
	if err := sameRecords(readAll(t, l), want); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
	if err := l.Append(ctx); err != nil {
		t.Fatalf("appending nothing: %v", err)
	}
}

// The header layout is pinned: a change of it must be a deliberate one.
func TestHeaderBytes(t *testing.T) {
	got := encodeHeader("did-registry.v1")
	want := []byte("iotrlog\n\x00\x00\x00\x01did-registry.v1\x00")
	if !bytes.Equal(got[:28], want) || len(got) != HeaderSize {
		t.Fatalf("header % x", got)
	}
	rec := appendRecord(nil, []byte("123456789"))
	// 0xe3069283 is the published check value of CRC-32C (the CRC
	// catalogue's CRC-32/ISCSI: the CRC of "123456789").
	if !bytes.Equal(rec[:8], []byte{0, 0, 0, 9, 0xe3, 0x06, 0x92, 0x83}) || string(rec[12:]) != "123456789" {
		t.Fatalf("record % x", rec)
	}
}

func TestLocked(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.log")
	l := openT(t, path)
	if _, err := Open(path, testOptions()); !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	// The lock is on the file, whatever its name.
	if err := os.Link(path, filepath.Join(dir, "b.log")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(dir, "b.log"), testOptions()); !errors.Is(err, ErrLocked) {
		t.Fatalf("open through a hard link: %v, want ErrLocked", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	openT(t, path).Close()
}

func TestInvalidOptions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	for _, o := range []Options{
		{},
		{Kind: "with space"},
		{Kind: "seventeen-bytes-x"},
		{Kind: "nul\x00"},
		{Kind: "ünicode"},
		{Kind: "k", MaxRecordSize: -1},
		{Kind: "k", MaxRecordSize: MaxRecordSizeLimit + 1},
	} {
		if _, err := Open(path, o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("%+v: %v, want ErrInvalidOptions", o, err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("invalid options created the file")
	}
	l, err := Open(path, Options{Kind: strings.Repeat("k", MaxKindSize)})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Append(context.Background(), make([]byte, DefaultMaxRecordSize+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("zero MaxRecordSize does not default: %v", err)
	}
}

func TestTooLarge(t *testing.T) {
	ctx := context.Background()
	l := openT(t, filepath.Join(t.TempDir(), "a.log"))
	defer l.Close()
	before := l.Size()
	if err := l.Append(ctx, payload(0, 5), make([]byte, 64<<10+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("append: %v, want ErrTooLarge", err)
	}
	if err := l.Rewrite(ctx, [][]byte{make([]byte, 64<<10+1)}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("rewrite: %v, want ErrTooLarge", err)
	}
	if l.Size() != before || len(readAll(t, l)) != 0 {
		t.Fatal("a refused append wrote something")
	}
	if err := l.Append(ctx, payload(0, 5)); err != nil {
		t.Fatalf("log unusable after a refused record: %v", err)
	}
}

func TestClosed(t *testing.T) {
	ctx := context.Background()
	l := openT(t, filepath.Join(t.TempDir(), "a.log"))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(ctx, []byte("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("append: %v", err)
	}
	if err := l.Append(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("empty append: %v", err)
	}
	if err := l.Rewrite(ctx, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("rewrite: %v", err)
	}
	for _, err := range l.Records(ctx) {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("records: %v", err)
		}
	}
	if err := l.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second close: %v", err)
	}
}

// blockSyncs makes l's fsyncs wait for release; entered receives a value
// when one starts waiting.
func blockSyncs(l *Log) (entered <-chan struct{}, release func()) {
	in := make(chan struct{}, 100)
	gate := make(chan struct{})
	l.sync = func(f *os.File) error {
		select {
		case in <- struct{}{}:
		default:
		}
		<-gate
		return f.Sync()
	}
	var once sync.Once
	return in, func() { once.Do(func() { close(gate) }) }
}

// waitParked waits until n goroutines are blocked handing a request to the
// writer.
func waitParked(t *testing.T, n int) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for range 10000 {
		stacks := string(buf[:runtime.Stack(buf, true)])
		parked := 0
		for _, g := range strings.Split(stacks, "\n\n") {
			if strings.Contains(g, "[select]") && strings.Contains(g, "recordlog.(*Log).submit") {
				parked++
			}
		}
		if parked >= n {
			return
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("fewer than %d appends waiting", n)
}

// TestGroupCommit: Appends that arrive while an fsync runs are written with
// one write and one fsync.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	l := openT(t, filepath.Join(t.TempDir(), "a.log"))
	defer l.Close()
	entered, release := blockSyncs(l)
	defer release()
	syncs0 := l.syncs.Load()
	first := make(chan error, 1)
	go func() { first <- l.Append(ctx, []byte("first")) }()
	<-entered // the writer is in the first fsync
	const n = 10
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- l.Append(ctx, payload(i, 50)) }()
	}
	waitParked(t, n)
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := l.syncs.Load() - syncs0; got != 2 {
		t.Fatalf("%d fsyncs for 1 + %d waiting appends, want 2", got, n)
	}
	if got := len(readAll(t, l)); got != n+1 {
		t.Fatalf("%d records, want %d", got, n+1)
	}
}

// TestAppendHonoursContext: an Append whose context ends before its records
// are taken into a write returns the context's error and writes nothing.
func TestAppendHonoursContext(t *testing.T) {
	ctx := context.Background()
	l := openT(t, filepath.Join(t.TempDir(), "a.log"))
	defer l.Close()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := l.Append(cancelled, []byte("x")); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled append: %v", err)
	}
	entered, release := blockSyncs(l)
	first := make(chan error, 1)
	go func() { first <- l.Append(ctx, []byte("first")) }()
	<-entered
	short, cancel2 := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel2()
	if err := l.Append(short, []byte("late")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("append behind a busy writer: %v", err)
	}
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := sameRecords(readAll(t, l), [][]byte{[]byte("first")}); err != nil {
		t.Fatalf("a cancelled append was written: %v", err)
	}
}

// TestConcurrentAppends: many appenders, each record present once, each
// appender's records in its order.
func TestConcurrentAppends(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.log")
	l := openT(t, path)
	const writers, each = 16, 50
	var wg sync.WaitGroup
	var reads sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := l.Append(ctx, []byte(fmt.Sprintf("w%02d-%04d", w, i))); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	// Readers run beside the writers and see a prefix each time.
	reads.Add(1)
	go func() {
		defer reads.Done()
		for range 20 {
			for _, err := range l.Records(ctx) {
				if err != nil {
					t.Error(err)
				}
			}
		}
	}()
	wg.Wait()
	reads.Wait()
	l.Close()
	l = openT(t, path)
	defer l.Close()
	next := make([]int, writers)
	for _, p := range readAll(t, l) {
		var w, i int
		if _, err := fmt.Sscanf(string(p), "w%02d-%04d", &w, &i); err != nil || next[w] != i {
			t.Fatalf("record %q out of order (want w%02d-%04d)", p, w, next[w])
		}
		next[w]++
	}
	for w, n := range next {
		if n != each {
			t.Fatalf("writer %d: %d records", w, n)
		}
	}
}

func TestRecordsHonoursContextAndBreak(t *testing.T) {
	ctx := context.Background()
	l := openT(t, filepath.Join(t.TempDir(), "a.log"))
	defer l.Close()
	for i := range 5 {
		l.Append(ctx, payload(i, 10))
	}
	n := 0
	for range l.Records(ctx) {
		if n++; n == 2 {
			break
		}
	}
	c, cancel := context.WithCancel(ctx)
	defer cancel()
	n = 0
	var last error
	for p, err := range l.Records(c) {
		if err != nil {
			last = err
			continue
		}
		if n++; n == 2 {
			cancel()
		}
		_ = p
	}
	if n != 2 || !errors.Is(last, context.Canceled) {
		t.Fatalf("%d records then %v", n, last)
	}
}

func TestRewrite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.log")
	l := openT(t, path)
	for i := range 10 {
		if err := l.Append(ctx, payload(i, 100)); err != nil {
			t.Fatal(err)
		}
	}
	keep := [][]byte{payload(3, 100), payload(7, 100), []byte("summary")}
	// An iteration under way goes on over the old records.
	next, stop := iter.Pull2(l.Records(ctx))
	if _, err, ok := next(); err != nil || !ok {
		t.Fatal(err)
	}
	if err := l.Rewrite(ctx, keep); err != nil {
		t.Fatal(err)
	}
	for i := 1; ; i++ {
		p, err, ok := next()
		if !ok {
			if i != 10 {
				t.Fatalf("iteration across a rewrite: %d records", i)
			}
			break
		}
		if err != nil || !bytes.Equal(p, payload(i, 100)) {
			t.Fatalf("iteration across a rewrite: record %d: %v", i, err)
		}
	}
	stop()
	if len(l.readers) != 0 || len(l.retired) != 0 {
		t.Fatalf("the replaced file is still held: %v, %v", l.readers, l.retired)
	}
	if err := sameRecords(readAll(t, l), keep); err != nil {
		t.Fatal(err)
	}
	// The new file is locked as the old one was.
	if _, err := Open(path, testOptions()); !errors.Is(err, ErrLocked) {
		t.Fatalf("open during the log's life after a rewrite: %v", err)
	}
	if err := l.Append(ctx, []byte("after")); err != nil {
		t.Fatal(err)
	}
	keep = append(keep, []byte("after"))
	if fi, _ := os.Stat(path); fi.Size() != l.Size() {
		t.Fatalf("Size %d, file %d", l.Size(), fi.Size())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("files left beside the log: %v", entries)
	}
	l.Close()
	// A rewrite interrupted by a crash leaves its file; the next Open
	// removes it and keeps the log.
	if err := os.WriteFile(path+rewriteSuffix, []byte("half a rewrite"), 0o600); err != nil {
		t.Fatal(err)
	}
	l = openT(t, path)
	defer l.Close()
	if err := sameRecords(readAll(t, l), keep); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + rewriteSuffix); !os.IsNotExist(err) {
		t.Fatalf("unfinished rewrite left: %v", err)
	}
	// A failed rewrite leaves the log as it was.
	if err := os.Mkdir(path+rewriteSuffix, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := l.Rewrite(ctx, nil); err == nil || errors.Is(err, ErrFailed) {
		t.Fatalf("rewrite onto a directory: %v", err)
	}
	if err := l.Append(ctx, []byte("still")); err != nil {
		t.Fatal(err)
	}
	if err := sameRecords(readAll(t, l), append(keep, []byte("still"))); err != nil {
		t.Fatal(err)
	}
}

// TestFsyncFailureFailsTheLog: after a failed fsync nothing more is
// appended until the log is reopened, and the reopened log holds every
// acknowledged record.
func TestFsyncFailureFailsTheLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.log")
	l := openT(t, path)
	if err := l.Append(ctx, []byte("one")); err != nil {
		t.Fatal(err)
	}
	l.sync = func(*os.File) error { return syscall.EIO }
	err := l.Append(ctx, []byte("two"))
	if !errors.Is(err, ErrFailed) || !errors.Is(err, syscall.EIO) {
		t.Fatalf("append with a failing fsync: %v", err)
	}
	l.sync = (*os.File).Sync
	if err := l.Append(ctx, []byte("three")); !errors.Is(err, ErrFailed) {
		t.Fatalf("append after a failed fsync: %v", err)
	}
	if err := l.Rewrite(ctx, nil); !errors.Is(err, ErrFailed) {
		t.Fatalf("rewrite after a failed fsync: %v", err)
	}
	if err := sameRecords(readAll(t, l), [][]byte{[]byte("one")}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	l = openT(t, path)
	defer l.Close()
	got := readAll(t, l)
	if len(got) == 0 || !bytes.Equal(got[0], []byte("one")) || len(got) > 2 || (len(got) == 2 && !bytes.Equal(got[1], []byte("two"))) {
		t.Fatalf("after reopen: %q", got)
	}
	if err := l.Append(ctx, []byte("three")); err != nil {
		t.Fatalf("reopened log: %v", err)
	}
}
