package aggregate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/internal/errchain"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/recordlog"
)

// The aggregator keeps its state in one internal/recordlog file,
// Config.Dir/aggregate.log, of these records (the first byte is the kind):
//
//	add       1, the accepted commitment's canonical encoding
//	seal      2, 2-byte length and canonical encoding of the aggregate,
//	          then per member in leaf order a 1-byte length and its root's
//	          multihash (every member's add record precedes its seal)
//	anchored  3, 8-byte sequence number of the aggregate (its seal's
//	          place among the seals, archived records counted), the
//	          inner receipt's JSON
//	archived  4, 8-byte sequence number n: the aggregates from the one
//	          the next seal would be up to n-1 are archived, and
//	          compaction dropped their records; the next seal is
//	          aggregate n (see compact.go)
const (
	recordFileName = "aggregate.log"
	recordKind     = "aggregate.v1"
	// maxRecordSize holds a seal of MaxLeaves members.
	maxRecordSize = 4 << 20
)

const (
	recAdd      = 1
	recSeal     = 2
	recAnchored = 3
	recArchived = 4
)

// openStore opens the record log at path.
func openStore(path string, logger *slog.Logger) (*recordlog.Log, error) {
	l, err := recordlog.Open(path, recordlog.Options{Kind: recordKind, MaxRecordSize: maxRecordSize, Logger: logger})
	if err != nil {
		return nil, storeErr(err)
	}
	return l, nil
}

// storeErr maps a record log error to this package's: damage is
// ErrCorrupt, anything else that is not a context's error is ErrIO.
func storeErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, recordlog.ErrCorrupt), errors.Is(err, recordlog.ErrNotLog):
		return errchain.Wrap(ErrCorrupt, err)
	}
	return errchain.Wrap(ErrIO, err)
}

func sealRecord(agg anchor.Commitment, members []*member) ([]byte, error) {
	enc, err := agg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	rec := append([]byte{recSeal, byte(len(enc) >> 8), byte(len(enc))}, enc...)
	for _, m := range members {
		mh := m.c.Root.Multihash()
		rec = append(append(rec, byte(len(mh))), mh...)
	}
	return rec, nil
}

// parseSeal returns a seal record's aggregate and member roots.
func parseSeal(rec []byte) (anchor.Commitment, []canon.Digest, error) {
	if len(rec) < 3 {
		return anchor.Commitment{}, nil, errors.New("short seal")
	}
	n := int(rec[1])<<8 | int(rec[2])
	if 3+n > len(rec) {
		return anchor.Commitment{}, nil, fmt.Errorf("aggregate of %d bytes in a seal of %d", n, len(rec))
	}
	agg, err := anchor.DecodeCommitment(rec[3 : 3+n])
	if err != nil {
		return anchor.Commitment{}, nil, err
	}
	var roots []canon.Digest
	for rest := rec[3+n:]; len(rest) > 0; {
		l := int(rest[0])
		if 1+l > len(rest) {
			return anchor.Commitment{}, nil, errors.New("member root cut short")
		}
		d, err := canon.ParseMultihash(rest[1 : 1+l])
		if err != nil {
			return anchor.Commitment{}, nil, err
		}
		roots = append(roots, d)
		rest = rest[1+l:]
	}
	if uint64(len(roots)) != agg.Count {
		return anchor.Commitment{}, nil, fmt.Errorf("seal of %d members, its aggregate counts %d", len(roots), agg.Count)
	}
	return agg, roots, nil
}
