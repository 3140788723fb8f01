package batch

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/iotrust/iotrust/internal/recordlog"
)

// segment is one write-ahead segment: the readings of one batch, appended
// with group commit.
type segment struct {
	no  uint64
	log *recordlog.Log

	// Under Gateway.mu:
	open     []pending // readings acknowledged into it, in append order
	first    time.Time // arrival of the first of them
	reserved int       // readings appended or being appended

	writers sync.WaitGroup // appends in flight
}

// segmentOptions are the record-log options of a segment for batches of
// maxBatch readings: preallocated for that many typical readings, so that
// a group commit syncs data only.
func segmentOptions(maxBatch int) recordlog.Options {
	return recordlog.Options{Kind: walKind, MaxRecordSize: MaxLeafSize,
		Preallocate: min(int64(maxBatch)*segmentBytesPerReading, maxSegmentPreallocate)}
}

// segmentBytesPerReading is the room preallocated per reading of a batch:
// a reading's leaf with a few metadata entries, and its framing.
const segmentBytesPerReading = 384

// maxSegmentPreallocate bounds a segment's preallocation.
const maxSegmentPreallocate = 64 << 20

func openSegment(dir string, n uint64, maxBatch int) (*segment, error) {
	l, err := recordlog.Open(segmentPath(dir, n), segmentOptions(maxBatch))
	if err != nil {
		return nil, err
	}
	// Room for a full batch, so that appends do not regrow it.
	return &segment{no: n, log: l, open: make([]pending, 0, maxBatch+maxBatch/4)}, nil
}

func (s *segment) append(ctx context.Context, recs [][]byte) error {
	return s.log.Append(ctx, recs...)
}

func (s *segment) close() { s.log.Close() }

// replaySegment returns the readings a segment holds.
func replaySegment(dir string, n uint64, maxBatch int) ([][]byte, error) {
	l, err := recordlog.Open(segmentPath(dir, n), segmentOptions(maxBatch))
	if err != nil {
		return nil, fmt.Errorf("%w: segment %d: %w", ErrWAL, n, err)
	}
	defer l.Close()
	var out [][]byte
	for rec, err := range l.Records(context.Background()) {
		if err != nil {
			return nil, fmt.Errorf("%w: segment %d: %w", ErrCorrupt, n, err)
		}
		out = append(out, append([]byte(nil), rec...))
	}
	return out, nil
}

// walKind names the write-ahead segments' record-log kind.
const walKind = "batch-wal.v1"
