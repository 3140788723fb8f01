package aggregate

import (
	"context"
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/internal/recordlog"
)

// InMemory returns how many commitments a holds in memory.
func InMemory(a *Aggregator) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.members)
}

// Compactions returns how many times a compacted its record log.
func Compactions(a *Aggregator) int64 { return a.compactions.Load() }

// Compact compacts a's record log now, due or not. Nothing may be
// anchoring meanwhile (only the sealing loop may compact while it runs).
func Compact(ctx context.Context, a *Aggregator) error { return a.compact(ctx) }

// RecordLogFile is the record log's file name in Config.Dir.
const RecordLogFile = recordFileName

// ReadRecordLog returns the records of the record log in dir, read
// without taking its lock, and the file's size.
func ReadRecordLog(ctx context.Context, dir string) ([][]byte, int64, error) {
	f, err := os.Open(filepath.Join(dir, recordFileName))
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	var recs [][]byte
	for rec, err := range recordlog.Read(ctx, f, fi.Size(), f.Name(), recordlog.Options{Kind: recordKind, MaxRecordSize: maxRecordSize}) {
		if err != nil {
			return nil, 0, err
		}
		recs = append(recs, rec)
	}
	return recs, fi.Size(), nil
}

// SetCompactHook makes every compaction call f with "read" after its
// first read of the record log, while appends go on, and with "rewrite"
// just before it rewrites the log, with appends held back; nil removes
// it. Set it before Open and clear it after Close.
func SetCompactHook(f func(stage string)) { testHookCompact = f }
