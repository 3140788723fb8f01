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
	bytes    int       // their leaves' bytes, with a varint's room each
	cutting  bool      // a cut of this segment was started (startCut)

	writers sync.WaitGroup // appends in flight
}

// segmentOptions are the record-log options of a segment preallocated to
// prealloc bytes, so that a group commit syncs data only.
func segmentOptions(prealloc int64) recordlog.Options {
	return recordlog.Options{Kind: walKind, MaxRecordSize: MaxLeafSize, Preallocate: prealloc}
}

// segmentPrealloc is the preallocation of a segment for a batch of
// maxBatch readings of perReading bytes each (framing included), with an
// eighth to spare; perReading 0 (not known yet) stands for
// segmentBytesPerReading. A batch whose readings turn out larger grows its
// file, and only the syncs past the preallocation pay for that.
func segmentPrealloc(maxBatch int, perReading int64) int64 {
	if perReading <= 0 {
		perReading = segmentBytesPerReading
	}
	return min(int64(maxBatch)*perReading*9/8, maxSegmentPreallocate)
}

// segmentBytesPerReading is the room preallocated per reading of a batch
// before the gateway has seen one: a reading's leaf with a few metadata
// entries, and its framing.
const segmentBytesPerReading = 384

// maxSegmentPreallocate bounds a segment's preallocation.
const maxSegmentPreallocate = 64 << 20

// openSegment opens segment n. Its list of open readings is open[:0], a
// sealed batch's list passed on for reuse, or a new one if open is too
// small.
func openSegment(dir string, n uint64, maxBatch int, prealloc int64, open []pending) (*segment, error) {
	l, err := recordlog.Open(segmentPath(dir, n), segmentOptions(prealloc))
	if err != nil {
		return nil, err
	}
	// Room for a full batch, so that appends do not regrow it.
	if room := maxBatch + maxBatch/4; cap(open) < room {
		open = make([]pending, 0, room)
	}
	return &segment{no: n, log: l, open: open[:0]}, nil
}

func (s *segment) append(ctx context.Context, recs [][]byte) error {
	return s.log.Append(ctx, recs...)
}

func (s *segment) close() { s.log.Close() }

// replaySegment returns the readings a segment holds.
func replaySegment(dir string, n uint64, maxBatch int) ([][]byte, error) {
	l, err := recordlog.Open(segmentPath(dir, n), segmentOptions(segmentPrealloc(maxBatch, 0)))
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
