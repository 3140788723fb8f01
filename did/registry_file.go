package did

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/iotrust/iotrust/internal/recordlog"
)

// The registry file is a record log (internal/recordlog) of kind
// registryKind: one record per entry, holding the entry's canonical JSON.
// recordlog acknowledges a record only once it is fsynced, cuts off a
// record torn by a crash on open, refuses any other damage, and locks the
// file against a second writer.
const (
	registryKind = "did-registry.v1"
	// MaxRecordSize bounds one record's payload (an ML-DSA-87 rotation is
	// about 9.5 KB).
	MaxRecordSize = 64 << 10
)

// registryLogOptions are the record log options of a registry file.
func registryLogOptions(logger *slog.Logger) recordlog.Options {
	return recordlog.Options{Kind: registryKind, MaxRecordSize: MaxRecordSize, Logger: logger}
}

type logFile struct{ log *recordlog.Log }

// openLogFile opens the registry file at path and passes every entry's
// record to replay, in order.
func openLogFile(path string, logger *slog.Logger, replay func(payload []byte) error) (*logFile, error) {
	l, err := recordlog.Open(path, registryLogOptions(logger))
	switch {
	case errors.Is(err, recordlog.ErrLocked):
		return nil, fmt.Errorf("%w: %s", ErrRegistryLocked, path)
	case errors.Is(err, recordlog.ErrNotLog):
		return nil, fmt.Errorf("%w: %w (registry files written before the record log format, which start with \"iotrust did registry v1\", are not read)", ErrCorruptLog, err)
	case errors.Is(err, recordlog.ErrCorrupt):
		return nil, fmt.Errorf("%w: %w", ErrCorruptLog, err)
	case err != nil:
		return nil, fmt.Errorf("did: opening registry: %w", err)
	}
	n := 0
	for payload, err := range l.Records(context.Background()) {
		if err == nil {
			err = replay(payload)
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				l.Close()
				return nil, err
			}
			if err != nil {
				err = fmt.Errorf("%w: %s: entry %d: %w", ErrCorruptLog, path, n, err)
			}
		} else if errors.Is(err, recordlog.ErrCorrupt) {
			err = fmt.Errorf("%w: %w", ErrCorruptLog, err)
		} else {
			err = fmt.Errorf("did: reading registry: %w", err)
		}
		if err != nil {
			l.Close()
			return nil, err
		}
		n++
	}
	return &logFile{l}, nil
}

// append writes one record and syncs it before returning.
func (lf *logFile) append(payload []byte) error {
	return lf.log.Append(context.Background(), payload)
}

func (lf *logFile) close() error { return lf.log.Close() }
