package did

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// The registry file: a header line, then records of
//
//	length  uint32, big-endian: payload size, 1..MaxRecordSize
//	payload the entry's canonical JSON
//	check   uint32, big-endian: CRC-32C of length ‖ payload
//
// A record is acknowledged only after it and everything before it were
// fsynced, so a crash can damage at most the last record, and only by
// leaving it short or unwritten (as zeros, on some file systems). Opening
// cuts such a tail off; damage anywhere else means the file was altered
// after the fact and is refused.
const (
	registryHeader = "iotrust did registry v1\n"
	// MaxRecordSize bounds one record's payload (an ML-DSA-87 rotation is
	// about 9.5 KB).
	MaxRecordSize  = 64 << 10
	recordOverhead = 8
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// appendRecord appends the record of payload to dst.
func appendRecord(dst, payload []byte) []byte {
	start := len(dst)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(payload)))
	dst = append(dst, payload...)
	return binary.BigEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
}

// errTornTail marks damage a crash can cause: an incomplete last record.
var errTornTail = errors.New("torn record at end of file")

// nextRecord decodes the record at the start of data. It returns the
// payload and the record's size; errTornTail if data ends inside the
// record (or holds only zeros from there on); ErrCorruptLog for anything
// else that is wrong.
func nextRecord(data []byte) (payload []byte, size int, err error) {
	if len(data) < 4 {
		return nil, 0, errTornTail
	}
	n := binary.BigEndian.Uint32(data)
	if n == 0 || n > MaxRecordSize {
		if allZero(data) {
			return nil, 0, errTornTail
		}
		return nil, 0, fmt.Errorf("%w: record length %d", ErrCorruptLog, n)
	}
	size = recordOverhead + int(n)
	if len(data) < size {
		return nil, 0, errTornTail
	}
	want := binary.BigEndian.Uint32(data[4+n:])
	if crc32.Checksum(data[:4+n], castagnoli) != want {
		if len(data) == size || allZero(data[size:]) {
			return nil, 0, errTornTail
		}
		return nil, 0, fmt.Errorf("%w: record checksum mismatch", ErrCorruptLog)
	}
	return data[4 : 4+n], size, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// decodeRecords splits a log body into payloads. It returns the length of
// the intact prefix; torn reports a crash-damaged tail after it.
func decodeRecords(body []byte, each func(payload []byte) error) (good int, torn bool, err error) {
	for good < len(body) {
		payload, size, err := nextRecord(body[good:])
		if errors.Is(err, errTornTail) {
			return good, true, nil
		}
		if err != nil {
			return good, false, fmt.Errorf("%w (at byte %d)", err, len(registryHeader)+good)
		}
		if err := each(payload); err != nil {
			return good, false, err
		}
		good += size
	}
	return good, false, nil
}

type logFile struct {
	f    *os.File
	size int64
}

func openLogFile(path string, logger *slog.Logger, replay func(payload []byte) error) (*logFile, error) {
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("did: opening registry: %w", err)
	}
	lf := &logFile{f: f}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrRegistryLocked, path, err)
	}
	if err := lf.load(path, created, logger, replay); err != nil {
		f.Close()
		return nil, err
	}
	return lf, nil
}

func (lf *logFile) load(path string, created bool, logger *slog.Logger, replay func([]byte) error) error {
	data, err := io.ReadAll(lf.f)
	if err != nil {
		return fmt.Errorf("did: reading registry: %w", err)
	}
	hdr := []byte(registryHeader)
	if len(data) < len(hdr) {
		// Only a crash while the file was being created leaves a short
		// header; anything else is not our file.
		if !bytes.HasPrefix(hdr, data) && !allZero(data) {
			return fmt.Errorf("%w: %s has no registry header", ErrCorruptLog, path)
		}
		if err := lf.rewrite(0, hdr); err != nil {
			return err
		}
		if created || len(data) > 0 {
			syncDir(filepath.Dir(path))
		}
		lf.size = int64(len(hdr))
		return nil
	}
	if !bytes.Equal(data[:len(hdr)], hdr) {
		return fmt.Errorf("%w: %s has no registry header", ErrCorruptLog, path)
	}
	good, torn, err := decodeRecords(data[len(hdr):], replay)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorruptLog, path, err)
	}
	lf.size = int64(len(hdr) + good)
	if torn {
		logger.Warn("did: registry: cutting off a record torn by a crash",
			"path", path, "offset", lf.size, "bytes", int64(len(data))-lf.size)
		if err := lf.f.Truncate(lf.size); err != nil {
			return fmt.Errorf("did: truncating torn registry record: %w", err)
		}
		if err := lf.f.Sync(); err != nil {
			return fmt.Errorf("did: syncing registry: %w", err)
		}
	}
	return nil
}

func (lf *logFile) rewrite(off int64, b []byte) error {
	if err := lf.f.Truncate(off); err != nil {
		return fmt.Errorf("did: registry: %w", err)
	}
	if _, err := lf.f.WriteAt(b, off); err != nil {
		return fmt.Errorf("did: registry: %w", err)
	}
	if err := lf.f.Sync(); err != nil {
		return fmt.Errorf("did: registry: %w", err)
	}
	return nil
}

// append writes one record and syncs it before returning.
func (lf *logFile) append(payload []byte) error {
	rec := appendRecord(make([]byte, 0, recordOverhead+len(payload)), payload)
	if _, err := lf.f.WriteAt(rec, lf.size); err != nil {
		return err
	}
	if err := lf.f.Sync(); err != nil {
		return err
	}
	lf.size += int64(len(rec))
	return nil
}

func (lf *logFile) close() error { return lf.f.Close() }

// syncDir makes a new file's directory entry durable; best effort, as some
// platforms cannot sync directories.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
