package aggregate

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/internal/recordlog"
)

// Compaction keeps the record log to what Open needs. The records of an
// archived aggregate (its members' adds, its seal, its anchored record)
// are dead: Open skips them. When the log is larger than
// Config.CompactBytes and more than half of its records are dead (the
// counts of replay, appendRecord and archiveOld), compact rewrites it
// without them through recordlog's Rewrite: a new file, synced, renamed
// over the log, the directory synced, so a crash leaves the old log or the
// new one. A record is dropped only if the archive holds its aggregate,
// and archive.put returns once bbolt has synced the commit, so both logs
// open to the same state. Seals number aggregates by their place among
// the seals: where compaction drops seals it writes an archived record
// with the number of the next seal.
//
// Only Open (before the sealing loop starts) and the sealing loop archive
// aggregates, and only they compact, so what is archived does not change
// during a compaction. The adds are appended from goroutines of their
// own: they hold Aggregator.appending shared, and compact holds it
// exclusively while it reads what was appended since its first pass and
// rewrites the log.

// testHookCompact, if set, is called by compact after its first read of
// the log (with "read") and just before its Rewrite (with "rewrite");
// tests set it before Open and clear it after Close.
var testHookCompact func(stage string)

// archivedRecord is the record saying that the next seal is aggregate
// next.
func archivedRecord(next uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{recArchived}, next)
}

// compactDue reports whether the record log is to be compacted: larger
// than Config.CompactBytes (and than what a failed compaction left) and
// more than half of its records dead.
func (a *Aggregator) compactDue() bool {
	size := a.store.Size()
	return size > a.cfg.CompactBytes && size > a.compactFloor && 2*a.dead.Load() > a.records.Load()
}

// compactIfDue compacts the record log if compactDue. It is called where
// nothing archives meanwhile: by Open before the sealing loop starts, and
// by the sealing loop. A compaction that fails leaves the log as it was;
// it is logged and not tried again before the log has doubled. compactIfDue
// returns an error only when ctx ends or the log no longer takes appends
// (recordlog.ErrFailed: the directory could not be synced after the
// rename), which the caller must not outlive.
func (a *Aggregator) compactIfDue(ctx context.Context) error {
	if !a.compactDue() {
		return nil
	}
	start, size, records := time.Now(), a.store.Size(), a.records.Load()
	err := a.compact(ctx)
	switch {
	case err == nil:
		a.compactions.Add(1)
		a.log.Info("record log compacted", "records", records, "kept", a.records.Load(),
			"bytes", size, "now", a.store.Size(), "took", time.Since(start))
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, recordlog.ErrFailed):
		return err
	}
	a.compactFloor = 2 * size
	a.log.Error("record log not compacted; it stays as it was", "err", err, "retry at bytes", a.compactFloor)
	return nil
}

// compact rewrites the record log without the records of archived
// aggregates.
func (a *Aggregator) compact(ctx context.Context) error {
	c := compactor{ar: a.archive}
	// Most of the log is read while adds are appended: it holds, and
	// keeps, what was appended before the read began.
	if err := c.readLog(ctx, a.store); err != nil {
		return err
	}
	if testHookCompact != nil {
		testHookCompact("read")
	}
	a.appending.Lock()
	defer a.appending.Unlock()
	if err := c.readLog(ctx, a.store); err != nil { // what was appended meanwhile
		return err
	}
	if testHookCompact != nil {
		testHookCompact("rewrite")
	}
	recs := c.records()
	if err := a.store.Rewrite(ctx, recs); err != nil {
		return storeErr(err)
	}
	a.records.Store(int64(len(recs)))
	a.dead.Store(0)
	return nil
}

// compactor filters the record log's records, in order, down to those
// Open needs: it drops the records of archived aggregates, as replay
// skips them, and writes archived records where it drops seals. Reading
// its own output again, it keeps every record and writes the same
// archived records: compaction is idempotent.
type compactor struct {
	ar    *archive
	read  int    // records read
	seals uint64 // the number of the next seal read
	next  uint64 // the number the next seal kept gets from the records kept
	kept  [][]byte
}

// readLog reads the log's records from the c.read-th on.
func (c *compactor) readLog(ctx context.Context, l *recordlog.Log) error {
	i := 0
	for rec, err := range l.Records(ctx) {
		if err != nil {
			return storeErr(err)
		}
		if i++; i <= c.read {
			continue
		}
		if err := c.add(rec); err != nil {
			return err
		}
	}
	return nil
}

// add reads the log's next record.
func (c *compactor) add(rec []byte) error {
	i := c.read
	c.read++
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: record %d: %s", ErrCorrupt, i, fmt.Sprintf(format, args...))
	}
	if len(rec) == 0 {
		return corrupt("empty")
	}
	var dead bool
	var err error
	switch rec[0] {
	case recAdd:
		m, derr := anchor.DecodeCommitment(rec[1:])
		if derr != nil {
			return corrupt("%v", derr)
		}
		dead, err = c.ar.hasRoot(m.Root)
	case recSeal:
		seq := c.seals
		c.seals++
		if dead, err = c.ar.hasBatch(seq); err != nil || dead {
			return err
		}
		if c.next != seq {
			c.kept = append(c.kept, archivedRecord(seq))
		}
		c.next = seq + 1
	case recAnchored:
		if len(rec) < 9 {
			return corrupt("short anchored record")
		}
		dead, err = c.ar.hasBatch(binary.BigEndian.Uint64(rec[1:]))
	case recArchived:
		if len(rec) != 9 {
			return corrupt("archived record of %d bytes", len(rec))
		}
		next := binary.BigEndian.Uint64(rec[1:])
		if next <= c.seals {
			return corrupt("archived up to aggregate %d after %d seals", next, c.seals)
		}
		c.seals = next // written again before the next seal kept, or at the end
		return nil
	default:
		return corrupt("kind %d", rec[0])
	}
	if err != nil || dead {
		return err
	}
	c.kept = append(c.kept, rec)
	return nil
}

// records returns the records kept, followed by an archived record if
// seals after the last one kept were dropped: the next seal appended
// keeps its number.
func (c *compactor) records() [][]byte {
	if c.next != c.seals {
		return append(c.kept, archivedRecord(c.seals))
	}
	return c.kept
}
