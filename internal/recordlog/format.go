package recordlog

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Sizes of the file format (described in the package documentation).
const (
	// HeaderSize is the size of the file header.
	HeaderSize = 32
	// RecordOverhead is the size of a record's framing: a record of n
	// payload bytes takes n+RecordOverhead bytes of the file.
	RecordOverhead = 12
	// MaxKindSize bounds Options.Kind.
	MaxKindSize = 16
	// DefaultMaxRecordSize is the record size limit when
	// Options.MaxRecordSize is zero.
	DefaultMaxRecordSize = 1 << 20
	// MaxRecordSizeLimit is the largest Options.MaxRecordSize.
	MaxRecordSizeLimit = 1 << 30
)

const (
	magic         = "iotrlog\n"
	formatVersion = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encodeHeader returns the file header for kind.
func encodeHeader(kind string) []byte {
	h := make([]byte, HeaderSize)
	copy(h, magic)
	binary.BigEndian.PutUint32(h[8:], formatVersion)
	copy(h[12:12+MaxKindSize], kind)
	binary.BigEndian.PutUint32(h[28:], crc32.Checksum(h[:28], castagnoli))
	return h
}

// appendRecord appends the framing and payload of one record to dst.
func appendRecord(dst, payload []byte) []byte {
	var h [RecordOverhead]byte
	binary.BigEndian.PutUint32(h[0:], uint32(len(payload)))
	binary.BigEndian.PutUint32(h[4:], crc32.Checksum(payload, castagnoli))
	binary.BigEndian.PutUint32(h[8:], crc32.Checksum(h[:8], castagnoli))
	dst = append(dst, h[:]...)
	return append(dst, payload...)
}

// state is what reading a file on open found.
type state struct {
	// fresh: the file holds no header, only what a crash while creating
	// it can leave (nothing, a prefix of the header, zeros); it is to be
	// (re)initialised.
	fresh bool
	// end is where the intact records end; torn reports damage a crash
	// can cause after it (cut off on open).
	end  int64
	torn bool
}

// errTorn marks damage that an interrupted append can cause at the end of
// the file; the scanner of an open log, which reads only what was synced,
// reports it as corruption.
var errTorn = errors.New("torn record")

// inspect reads a whole file (size bytes of r) as a log of kind and
// classifies it. Damage only a crash can cause is reported in the state;
// everything else is an error: ErrNotLog for another file, a
// *CorruptError for damage, or the read error.
func inspect(r io.ReaderAt, size int64, path, kind string, maxRecord int) (state, error) {
	if fresh, err := checkHeader(r, size, path, kind); err != nil || fresh {
		return state{fresh: fresh}, err
	}
	sc := newScanner(r, HeaderSize, size, maxRecord, path, true)
	for {
		_, err := sc.next()
		switch {
		case err == io.EOF:
			return state{end: sc.off}, nil
		case errors.Is(err, errTorn):
			return state{end: sc.off, torn: true}, nil
		case err != nil:
			return state{}, err
		}
	}
}

// checkHeader reads the header of a file (size bytes of r) as that of a
// log of kind. fresh reports a file holding no header, only what a crash
// while creating it can leave (nothing, a prefix of the header, zeros);
// errors are ErrNotLog for another file, a *CorruptError for a damaged
// header, or the read error.
func checkHeader(r io.ReaderAt, size int64, path, kind string) (fresh bool, err error) {
	want := encodeHeader(kind)
	n := min(size, HeaderSize)
	head := make([]byte, n)
	if m, err := r.ReadAt(head, 0); int64(m) < n {
		return false, readError(err)
	}
	if n == HeaderSize && bytes.Equal(head, want) {
		return false, nil
	}
	// A crash while creating the file leaves a prefix of the header,
	// possibly followed by zeros, and never anything after it: the header
	// is synced before Open returns.
	p := commonPrefix(head, want)
	if z, err := zeroFrom(r, int64(p), size); err != nil {
		return false, err
	} else if z {
		return true, nil
	}
	return false, headerError(head, path, kind)
}

func commonPrefix(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// headerError explains why the file at path, whose first bytes are head,
// is not a log of kind.
func headerError(head []byte, path, kind string) error {
	if len(head) < len(magic) || string(head[:len(magic)]) != magic {
		return fmt.Errorf("%w: %s starts with %q, not the record log magic", ErrNotLog, path, head[:min(len(head), 16)])
	}
	if len(head) < HeaderSize {
		return &CorruptError{Path: path, Offset: 0, Reason: fmt.Sprintf("file of %d bytes: a damaged header", len(head))}
	}
	if crc32.Checksum(head[:28], castagnoli) != binary.BigEndian.Uint32(head[28:]) {
		return &CorruptError{Path: path, Offset: 0, Reason: "file header checksum mismatch"}
	}
	if v := binary.BigEndian.Uint32(head[8:]); v != formatVersion {
		return fmt.Errorf("%w: %s has format version %d, this build reads version %d", ErrNotLog, path, v, formatVersion)
	}
	return fmt.Errorf("%w: %s holds %q records, not %q", ErrNotLog, path, bytes.TrimRight(head[12:28], "\x00"), kind)
}

// zeroFrom reports whether r holds only zero bytes from off to size.
func zeroFrom(r io.ReaderAt, off, size int64) (bool, error) {
	if off >= size {
		return true, nil
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, off, size-off), 64<<10)
	return zeroRest(br)
}

func zeroRest(br *bufio.Reader) (bool, error) {
	for {
		b, err := br.Peek(br.Size())
		if len(b) == 0 && err != nil {
			if err == io.EOF {
				return true, nil
			}
			return false, readError(err)
		}
		for _, c := range b {
			if c != 0 {
				return false, nil
			}
		}
		br.Discard(len(b))
	}
}

// scanner reads records from off up to end.
type scanner struct {
	br        *bufio.Reader
	off, end  int64
	maxRecord int
	path      string // for errors
	reuse     bool   // read payloads into buf, valid until the next call
	buf       []byte
	h         [RecordOverhead]byte
}

// newScanner reads the records of r (the file at path) between off and
// end. With reuse, each payload is valid until the next call; without,
// each is a new slice.
func newScanner(r io.ReaderAt, off, end int64, maxRecord int, path string, reuse bool) *scanner {
	return &scanner{
		br:  bufio.NewReaderSize(io.NewSectionReader(r, off, end-off), 64<<10),
		off: off, end: end, maxRecord: maxRecord, path: path, reuse: reuse,
	}
}

// next returns the next record's payload and moves past it; io.EOF at
// the end; errTorn (wrapped) for damage an interrupted append explains,
// with the scanner left at the damaged record; a *CorruptError for other
// damage; or a read error.
//
// Only the last append can be interrupted, and an interrupted write leaves
// a prefix of its bytes, possibly followed by zeros where blocks were
// allocated but not written. So a record is torn when the file ends inside
// its framing or payload, or when its framing or payload fails its check
// and nothing but zeros follows that framing or payload. Anything else
// that fails a check is corruption: a bad record followed by data.
func (s *scanner) next() ([]byte, error) {
	left := s.end - s.off
	if left == 0 {
		return nil, io.EOF
	}
	if left < RecordOverhead {
		return nil, fmt.Errorf("%w: %d bytes of record framing at offset %d", errTorn, left, s.off)
	}
	h := s.h[:]
	if _, err := io.ReadFull(s.br, h); err != nil {
		return nil, readError(err)
	}
	if crc32.Checksum(h[:8], castagnoli) != binary.BigEndian.Uint32(h[8:]) {
		return nil, s.failedCheck("record framing")
	}
	n := int64(binary.BigEndian.Uint32(h[0:]))
	if n > int64(s.maxRecord) {
		return nil, &CorruptError{Path: s.path, Offset: s.off, Reason: fmt.Sprintf("record of %d bytes, limit %d", n, s.maxRecord)}
	}
	if RecordOverhead+n > left {
		return nil, fmt.Errorf("%w: record of %d bytes at offset %d cut short at %d", errTorn, n, s.off, left-RecordOverhead)
	}
	var p []byte
	if s.reuse {
		if cap(s.buf) < int(n) {
			s.buf = make([]byte, n)
		}
		p = s.buf[:n]
	} else {
		p = make([]byte, n)
	}
	if _, err := io.ReadFull(s.br, p); err != nil {
		return nil, readError(err)
	}
	if crc32.Checksum(p, castagnoli) != binary.BigEndian.Uint32(h[4:]) {
		return nil, s.failedCheck("record")
	}
	s.off += RecordOverhead + n
	return p, nil
}

// failedCheck classifies what (the framing or payload of the record at
// s.off), which failed its checksum: torn if nothing but zeros follows it,
// corrupt otherwise.
func (s *scanner) failedCheck(what string) error {
	z, err := zeroRest(s.br)
	if err != nil {
		return err
	}
	if z {
		return fmt.Errorf("%w: %s at offset %d fails its checksum at the end of the file", errTorn, what, s.off)
	}
	return &CorruptError{Path: s.path, Offset: s.off, Reason: what + " checksum mismatch"}
}

// readError reports a failed read as what it is: an I/O error, or the
// file shrinking under the reader. Never corruption.
func readError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("recordlog: file shrank while being read: %w", io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("recordlog: reading: %w", err)
}
