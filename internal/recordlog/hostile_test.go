package recordlog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"syscall"
	"testing"
)

// TestHostileFiles is the catalogue of file contents Open and Read must
// handle: each torn tail is cut off (by Open) or read up to (by Read) to
// the intact records, each kind of damage is a *CorruptError at the
// damaged record, each foreign file is ErrNotLog.
func TestHostileFiles(t *testing.T) {
	p := [][]byte{payload(0, 100), payload(1, 0), payload(2, 3000), payload(3, 700)}
	intact := encodeFile(p...)
	hdr := intact[:HeaderSize]
	// offsets of the records
	off := []int{HeaderSize}
	for _, x := range p {
		off = append(off, off[len(off)-1]+RecordOverhead+len(x))
	}
	rec := func(i int) []byte { return intact[off[i]:off[i+1]] }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	flip := func(i int) []byte { b := bytes.Clone(intact); b[i] ^= 0x10; return b }
	zeros := func(n int) []byte { return make([]byte, n) }
	last := rec(3)
	three := intact[:off[3]]

	torn := []struct {
		name string
		data []byte
		want int // intact records
	}{
		{"empty file", nil, 0},
		{"header cut short", hdr[:11], 0},
		{"header cut short, zero-filled", cat(hdr[:20], zeros(12)), 0},
		{"header cut short, zeros beyond", cat(hdr[:5], zeros(5000)), 0},
		{"only zeros", zeros(8192), 0},
		{"header only", hdr, 0},
		{"intact", intact, 4},
		{"zeros after the records", cat(intact, zeros(4096)), 4},
		{"one byte of framing", cat(three, last[:1]), 3},
		{"framing cut short", cat(three, last[:RecordOverhead-1]), 3},
		{"framing without payload", cat(three, last[:RecordOverhead]), 3},
		{"payload cut short", cat(three, last[:len(last)-1]), 3},
		{"payload cut, rest zeros", cat(three, last[:RecordOverhead+10], zeros(len(last)-RecordOverhead-10)), 3},
		{"payload cut, zeros past its end", cat(three, last[:RecordOverhead+10], zeros(9000)), 3},
		{"last record zeroed", cat(three, zeros(len(last))), 3},
		{"last byte of last record flipped", flip(len(intact) - 1), 3},
		{"framing of last record flipped, nothing after it", cat(three, last[:RecordOverhead-1], []byte{last[RecordOverhead-1] ^ 1}), 3},
		{"twelve garbage bytes at the end", cat(intact, bytes.Repeat([]byte{0xa5}, 12)), 4},
		{"empty record cut short", intact[:off[2]-1], 1},
		{"big record cut in its first page", intact[:off[2]+RecordOverhead+100], 2},
	}
	for _, c := range torn {
		t.Run("torn/"+c.name, func(t *testing.T) {
			got, err := readBytes(c.data)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if err := sameRecords(got, p[:c.want]); err != nil {
				t.Fatalf("read: %v", err)
			}
			path := writeFile(t, c.data)
			l, err := Open(path, testOptions())
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			if err := sameRecords(readAll(t, l), p[:c.want]); err != nil {
				t.Fatal(err)
			}
			l.Close()
			want := int64(off[c.want])
			if fi, _ := os.Stat(path); fi.Size() != want {
				t.Fatalf("file is %d bytes after recovery, want %d", fi.Size(), want)
			}
			// and recovery is stable
			if err := sameRecords(readAll(t, openT(t, path)), p[:c.want]); err != nil {
				t.Fatalf("second open: %v", err)
			}
		})
	}

	// A framing claiming more than the limit, with a valid check.
	big := binary.BigEndian.AppendUint32(nil, 64<<10+1)
	big = binary.BigEndian.AppendUint32(big, 0)
	big = binary.BigEndian.AppendUint32(big, crc32.Checksum(big, castagnoli))
	corrupt := []struct {
		name string
		data []byte
		off  int
	}{
		{"payload byte flipped in the first record", flip(off[0] + RecordOverhead + 5), off[0]},
		{"payload byte flipped in a middle record", flip(off[2] + RecordOverhead + 2000), off[2]},
		{"length flipped in a middle record", flip(off[2] + 2), off[2]},
		{"length flipped to run past the end", flip(off[3] + 1), off[3]},
		{"payload checksum flipped", flip(off[1] + 5), off[1]},
		{"framing check flipped", flip(off[2] + 9), off[2]},
		{"garbage after the records", cat(intact, bytes.Repeat([]byte{0xff}, 40)), off[4]},
		{"bad last record, zeros, then data", cat(three, last[:len(last)-1], zeros(100), []byte{1}), off[3]},
		{"bad record followed by valid ones", cat(intact[:off[1]], zeros(len(rec(1))), intact[off[2]:]), off[1]},
		{"record above the size limit", cat(three, big, zeros(10), []byte{1}), off[3]},
		{"record above the size limit at the end", cat(three, big), off[3]},
		{"header checksum flipped", flip(29), 0},
		{"kind flipped, checksum not fixed", flip(13), 0},
		{"header cut short, data after it", cat(hdr[:20], []byte{7}), 0},
	}
	for _, c := range corrupt {
		t.Run("corrupt/"+c.name, func(t *testing.T) {
			_, err := readBytes(c.data)
			var ce *CorruptError
			if !errors.As(err, &ce) || !errors.Is(err, ErrCorrupt) || ce.Offset != int64(c.off) {
				t.Fatalf("read: %v, want a *CorruptError at offset %d", err, c.off)
			}
			path := writeFile(t, c.data)
			_, err = Open(path, testOptions())
			if !errors.As(err, &ce) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("open: %v, want a *CorruptError", err)
			}
			if ce.Offset != int64(c.off) || ce.Path != path {
				t.Fatalf("error at %s offset %d, want offset %d: %v", ce.Path, ce.Offset, c.off, err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, c.data) {
				t.Fatal("a refused file was changed")
			}
		})
	}

	withHeader := func(version uint32, kind string) []byte {
		h := bytes.Clone(hdr)
		binary.BigEndian.PutUint32(h[8:], version)
		copy(h[12:28], zeros(16))
		copy(h[12:28], kind)
		binary.BigEndian.PutUint32(h[28:], crc32.Checksum(h[:28], castagnoli))
		return cat(h, intact[HeaderSize:])
	}
	foreign := []struct {
		name string
		data []byte
	}{
		{"did registry file of the old format", []byte("iotrust did registry v1\n\x00\x00\x01\x5f{\"op\":\"register\"}")},
		{"payment store file of the old format", cat([]byte{0, 0, 0, 0xa5, 0x12, 0x34, 0x56, 0x78, 2}, zeros(0xa4))},
		{"text file", []byte("hello, this is not a log at all\n")},
		{"one byte", []byte{'x'}},
		{"magic cut short, then another byte", cat([]byte(magic[:4]), []byte{'!'})},
		{"another kind", withHeader(1, "other-log.v1")},
		{"a longer kind with ours as prefix", withHeader(1, testKind+"x")},
		{"format version 2", withHeader(2, testKind)},
		{"format version 0", withHeader(0, testKind)},
	}
	for _, c := range foreign {
		t.Run("foreign/"+c.name, func(t *testing.T) {
			if _, err := readBytes(c.data); !errors.Is(err, ErrNotLog) || errors.Is(err, ErrCorrupt) {
				t.Fatalf("read: %v, want ErrNotLog", err)
			}
			path := writeFile(t, c.data)
			if _, err := Open(path, testOptions()); !errors.Is(err, ErrNotLog) || errors.Is(err, ErrCorrupt) {
				t.Fatalf("open: %v, want ErrNotLog", err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, c.data) {
				t.Fatal("a refused file was changed")
			}
		})
	}
	t.Run("foreign/a directory", func(t *testing.T) {
		_, err := Open(t.TempDir(), testOptions())
		if err == nil || errors.Is(err, ErrCorrupt) || !errors.Is(err, syscall.EISDIR) {
			t.Fatalf("open of a directory: %v", err)
		}
	})
}

// failingReader serves data but fails every read that reaches beyond ok
// bytes, as a disk with a bad sector does.
type failingReader struct {
	data []byte
	ok   int64
}

func (r failingReader) ReadAt(b []byte, off int64) (int, error) {
	if off+int64(len(b)) > r.ok {
		n := max(0, int(r.ok-off))
		copy(b, r.data[off:off+int64(n)])
		return n, syscall.EIO
	}
	return copy(b, r.data[off:]), nil
}

// TestReadErrorsAreNotCorruption: a read failing anywhere (header, framing,
// payload, the zeros after a damaged record) is reported as the I/O error.
func TestReadErrorsAreNotCorruption(t *testing.T) {
	data := encodeFile(payload(0, 100), payload(1, 200000/4), payload(2, 10))
	damaged := bytes.Clone(data)
	damaged[len(damaged)-1] ^= 1
	damaged = append(damaged, make([]byte, 200000)...) // torn, but only if the zeros can be read
	for _, file := range [][]byte{data, damaged} {
		for _, ok := range []int64{0, 10, HeaderSize + 5, HeaderSize + 200, int64(len(data)) - 3, int64(len(data)) + 70000} {
			if ok >= int64(len(file)) {
				continue
			}
			_, err := inspect(failingReader{file, ok}, int64(len(file)), "x", testKind, 64<<10)
			if !errors.Is(err, syscall.EIO) || errors.Is(err, ErrCorrupt) || errors.Is(err, ErrNotLog) {
				t.Errorf("read failing after %d of %d bytes: %v", ok, len(file), err)
			}
			_, err = readAt(failingReader{file, ok}, int64(len(file)), testOptions())
			if !errors.Is(err, syscall.EIO) || errors.Is(err, ErrCorrupt) || errors.Is(err, ErrNotLog) {
				t.Errorf("Read, failing after %d of %d bytes: %v", ok, len(file), err)
			}
		}
	}
	// A file that shrinks while it is read is not corruption either.
	_, err := inspect(bytes.NewReader(data[:len(data)-50]), int64(len(data)), "x", testKind, 64<<10)
	if err == nil || errors.Is(err, ErrCorrupt) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("shrunk file: %v", err)
	}
	_, err = readAt(bytes.NewReader(data[:len(data)-50]), int64(len(data)), testOptions())
	if err == nil || errors.Is(err, ErrCorrupt) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Read, shrunk file: %v", err)
	}
}
