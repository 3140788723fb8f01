package recordlog

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead: file bytes of any content are read, as Open reads them, to one
// of: a file to initialise, intact records (plus a torn tail), ErrNotLog or
// a *CorruptError — never a panic or another error. What is accepted
// re-encodes to exactly the bytes kept, and reading the kept bytes again
// finds no torn tail. Read agrees: it yields the records kept (none for a
// file to initialise), or the same error.
func FuzzRead(f *testing.F) {
	intact := encodeFile(payload(0, 40), nil, payload(2, 300))
	f.Add(intact)
	f.Add(intact[:len(intact)-7])
	f.Add(append(bytes.Clone(intact), make([]byte, 30)...))
	f.Add(append(bytes.Clone(intact), 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))
	f.Add(intact[:HeaderSize])
	f.Add(intact[:HeaderSize-5])
	f.Add([]byte{})
	f.Add([]byte("iotrust did registry v1\n"))
	const maxRecord = 1 << 10
	f.Add(append(bytes.Clone(intact[:HeaderSize+RecordOverhead+20]), intact[HeaderSize+RecordOverhead+21:]...))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := inspect(bytes.NewReader(data), int64(len(data)), "f", testKind, maxRecord)
		records, rerr := readAt(bytes.NewReader(data), int64(len(data)), Options{Kind: testKind, MaxRecordSize: maxRecord})
		if (err == nil) != (rerr == nil) || err != nil && err.Error() != rerr.Error() {
			t.Fatalf("Open's check: %v; Read: %v", err, rerr)
		}
		if err == nil && st.fresh && len(records) > 0 {
			t.Fatalf("Read yields %d records of a file to initialise", len(records))
		}
		if err != nil {
			var ce *CorruptError
			if errors.As(err, &ce) {
				if !errors.Is(err, ErrCorrupt) || ce.Offset < 0 || ce.Offset >= int64(len(data)) {
					t.Fatalf("corruption reported at %d of %d bytes: %v", ce.Offset, len(data), err)
				}
				return
			}
			if !errors.Is(err, ErrNotLog) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if st.fresh {
			p := commonPrefix(data, encodeHeader(testKind))
			if p == HeaderSize || bytes.ContainsFunc(data[p:], func(r rune) bool { return r != 0 }) {
				t.Fatalf("a file of %d bytes, %d of them header, taken for a new one", len(data), p)
			}
			return
		}
		if st.end < HeaderSize || st.end > int64(len(data)) || st.torn == (st.end == int64(len(data))) {
			t.Fatalf("end %d of %d bytes, torn %v", st.end, len(data), st.torn)
		}
		kept := data[:st.end]
		again := encodeHeader(testKind)
		sc := newScanner(bytes.NewReader(kept), HeaderSize, st.end, maxRecord, "f", false)
		for {
			p, err := sc.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("kept bytes do not read back: %v", err)
			}
			again = appendRecord(again, p)
		}
		want := encodeHeader(testKind)
		for _, p := range records {
			want = appendRecord(want, p)
		}
		if !bytes.Equal(want, kept) {
			t.Fatalf("Read yields %d records, not those kept", len(records))
		}
		if !bytes.Equal(again, kept) {
			t.Fatal("kept records do not re-encode to the kept bytes")
		}
		st2, err := inspect(bytes.NewReader(kept), st.end, "f", testKind, maxRecord)
		if err != nil || st2.torn || st2.end != st.end {
			t.Fatalf("kept bytes read again: %+v, %v", st2, err)
		}
	})
}

// FuzzOpenPreallocated: a file of any content opened with Preallocate
// either fails with ErrNotLog or a *CorruptError, or opens; then its
// records read back, the bytes after them are zeros (the preallocation,
// or a torn tail zeroed), and opening it again finds the same records and
// nothing to cut off.
func FuzzOpenPreallocated(f *testing.F) {
	intact := encodeFile(payload(0, 40), nil, payload(2, 300))
	f.Add(intact)
	f.Add(intact[:len(intact)-7])
	f.Add(append(bytes.Clone(intact), make([]byte, 3000)...))
	f.Add(append(append(bytes.Clone(intact), 0xff, 1, 2, 3), make([]byte, 100)...))
	f.Add(intact[:HeaderSize-5])
	f.Add([]byte{})
	const prealloc = 4096
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f.log")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		opts := Options{Kind: testKind, MaxRecordSize: 1 << 10, Preallocate: prealloc, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
		l, err := Open(path, opts)
		if err != nil {
			var ce *CorruptError
			if !errors.As(err, &ce) && !errors.Is(err, ErrNotLog) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		first := readAll(t, l)
		end := l.Size()
		l.Close()
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(after)) < end || bytes.ContainsFunc(after[end:], func(r rune) bool { return r != 0 }) {
			t.Fatalf("after Open: %d bytes, records end at %d, not zeros after them", len(after), end)
		}
		logs.Reset()
		l, err = Open(path, opts)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer l.Close()
		if err := sameRecords(readAll(t, l), first); err != nil || logs.Len() != 0 {
			t.Fatalf("reopen: %v, notices %q", err, logs.String())
		}
	})
}
