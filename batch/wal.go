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

func openSegment(dir string, n uint64) (*segment, error) {
	l, err := recordlog.Open(segmentPath(dir, n), recordlog.Options{Kind: walKind, MaxRecordSize: MaxLeafSize})
	if err != nil {
		return nil, err
	}
	return &segment{no: n, log: l}, nil
}

func (s *segment) append(ctx context.Context, recs [][]byte) error {
	return s.log.Append(ctx, recs...)
}

func (s *segment) close() { s.log.Close() }

// replaySegment returns the readings a segment holds.
func replaySegment(dir string, n uint64) ([][]byte, error) {
	l, err := recordlog.Open(segmentPath(dir, n), recordlog.Options{Kind: walKind, MaxRecordSize: MaxLeafSize})
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
