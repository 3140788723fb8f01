package aggregate

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// recordFile is a crash-safe append-only file of records: each is a
// 4-byte big-endian payload length, the CRC-32C of the payload, and the
// payload. Appends are queued and written by one goroutine, which writes
// everything queued at once and fsyncs it (group commit); a record is
// durable when the flush it joined has returned. On open, a torn tail (a
// record cut short, or a last record whose checksum fails) is truncated
// away; a bad record followed by more data is corruption. The file is
// locked against a second process.
//
// It is this package's own small record log, kept behind an unexported
// type so that it can give way to internal/recordlog when that lands.
type recordFile struct {
	f *os.File

	mu      sync.Mutex
	queue   []byte // encoded records not yet written
	gen     *flush // the flush that will write queue
	err     error  // sticky write failure
	closed  bool
	wake    chan struct{}
	closing chan struct{}
	done    chan struct{}
}

// flush is one group commit: done is closed once its records are on disk
// (err nil) or failed to get there.
type flush struct {
	done chan struct{}
	err  error
}

// maxRecord bounds a record's payload; larger lengths are corruption.
const maxRecord = 64 << 10

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errCorruptRecords is wrapped by ErrCorrupt for a record file that does
// not read back.
var errCorruptRecords = errors.New("record file unreadable")

// openRecordFile opens (creating) the record file at path, locks it,
// reads every record, truncates a torn tail and returns the records.
func openRecordFile(ctx context.Context, path string) (*recordFile, [][]byte, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrIO, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%w: %s is in use by another process: %w", ErrIO, path, err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%w: %w", ErrIO, err)
	}
	recs, off, err := parseRecords(ctx, data)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if off < len(data) {
		if err := f.Truncate(int64(off)); err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%w: truncating a torn tail: %w", ErrIO, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%w: %w", ErrIO, err)
		}
	}
	if _, err := f.Seek(int64(off), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%w: %w", ErrIO, err)
	}
	r := &recordFile{f: f, gen: &flush{done: make(chan struct{})}, wake: make(chan struct{}, 1),
		closing: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r, recs, nil
}

// parseRecords returns the records of data and the length of the prefix
// they fill. A damaged record is a torn tail, to be cut off, when it
// reaches the end of data or only zero bytes follow it (blocks allocated
// but never written); anything else is corruption.
func parseRecords(ctx context.Context, data []byte) ([][]byte, int, error) {
	var recs [][]byte
	off := 0
	for off < len(data) {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		rest := data[off:]
		var why string
		torn := false
		if len(rest) < 8 {
			why, torn = "torn header", true
		} else {
			n := int(binary.BigEndian.Uint32(rest))
			switch {
			case n == 0 || n > maxRecord:
				why = fmt.Sprintf("record length %d", n)
			case 8+n > len(rest):
				why, torn = "torn payload", true
			case crc32.Checksum(rest[8:8+n], crcTable) != binary.BigEndian.Uint32(rest[4:]):
				why, torn = "checksum", 8+n == len(rest)
			default:
				recs = append(recs, rest[8:8+n])
				off += 8 + n
				continue
			}
		}
		if torn || allZero(rest) {
			return recs, off, nil
		}
		return nil, 0, fmt.Errorf("%w: %w: %s at offset %d", ErrCorrupt, errCorruptRecords, why, off)
	}
	return recs, off, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// append queues payload and returns the flush that will write it.
func (r *recordFile) append(payload []byte) (*flush, error) {
	if len(payload) > maxRecord {
		return nil, fmt.Errorf("aggregate: record of %d bytes exceeds %d", len(payload), maxRecord)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return nil, r.err
	}
	if r.closed {
		return nil, errRecordFileClosed
	}
	r.queue = binary.BigEndian.AppendUint32(r.queue, uint32(len(payload)))
	r.queue = binary.BigEndian.AppendUint32(r.queue, crc32.Checksum(payload, crcTable))
	r.queue = append(r.queue, payload...)
	g := r.gen
	select {
	case r.wake <- struct{}{}:
	default:
	}
	return g, nil
}

// wait waits until f's records are durable, or ctx is done.
func (f *flush) wait(ctx context.Context) error {
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *recordFile) run() {
	defer close(r.done)
	for {
		select {
		case <-r.wake:
		case <-r.closing:
			r.flushOnce() // what was queued before close is written
			return
		}
		r.flushOnce()
	}
}

func (r *recordFile) flushOnce() {
	r.mu.Lock()
	buf, g := r.queue, r.gen
	r.queue, r.gen = nil, &flush{done: make(chan struct{})}
	failed := r.err
	r.mu.Unlock()
	if len(buf) == 0 && failed == nil {
		close(g.done)
		return
	}
	err := failed
	if err == nil {
		if _, werr := r.f.Write(buf); werr != nil {
			err = fmt.Errorf("%w: %w", ErrIO, werr)
		} else if serr := r.f.Sync(); serr != nil {
			err = fmt.Errorf("%w: %w", ErrIO, serr)
		}
	}
	if err != nil {
		r.mu.Lock()
		r.err = err
		r.mu.Unlock()
	}
	g.err = err
	close(g.done)
}

// close writes what is queued and closes the file.
func (r *recordFile) close() error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	close(r.closing)
	<-r.done
	r.mu.Lock()
	g := r.gen
	r.mu.Unlock()
	g.err = errRecordFileClosed // nothing joined it
	close(g.done)
	return r.f.Close()
}

var errRecordFileClosed = errors.New("aggregate: record file closed")
