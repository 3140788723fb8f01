package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/iotrust/iotrust/internal/atomicfile"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/canon"
)

// MaxStateSize bounds a state file: room for thousands of logs.
const MaxStateSize = 4 << 20

// stateVersion is the "version" member of a state file.
const stateVersion = 1

// ErrBadState is returned for a state file that does not decode, and for a
// remembered checkpoint that no longer verifies with the log's key.
var ErrBadState = errors.New("audit: bad state file")

// State is a client's memory of the logs it checked: per origin, the
// latest checkpoint it verified. A later check accepts the log only if its
// current checkpoint is consistent with the remembered one, so a log that
// rewrites history it showed once is caught.
type State struct {
	Logs map[string]LogState
}

// LogState is what State remembers of one log.
type LogState struct {
	// Checkpoint is the signed checkpoint, as the log served it.
	Checkpoint string `json:"checkpoint"`
	// Checked is when it was verified, in UTC.
	Checked time.Time `json:"checked"`
	// Key is the verifier key it was verified with.
	Key string `json:"key"`
}

var stateLimits = canon.Limits{MaxBytes: MaxStateSize, MaxDepth: 3}

type stateJSON struct {
	Logs    map[string]LogState `json:"logs"`
	Version int                 `json:"version"`
}

// LoadState reads the state file at path; a missing file is an empty
// State. The file is decoded strictly (canon.Decode); errors match
// ErrBadState, or are the file system's.
func LoadState(path string) (*State, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return &State{Logs: map[string]LogState{}}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := readBounded(f, path, MaxStateSize)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadState, err)
	}
	return ParseState(raw)
}

// ParseState decodes a state file's bytes. Errors match ErrBadState.
func ParseState(raw []byte) (*State, error) {
	var j stateJSON
	if err := stateLimits.Decode(raw, &j); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadState, err)
	}
	if j.Version != stateVersion {
		return nil, fmt.Errorf("%w: version %d, this program reads %d", ErrBadState, j.Version, stateVersion)
	}
	if j.Logs == nil {
		j.Logs = map[string]LogState{}
	}
	// One state has one file form, as Save writes it (whitespace aside):
	// times in UTC.
	for origin, l := range j.Logs {
		l.Checked = l.Checked.UTC()
		j.Logs[origin] = l
	}
	want, err := canonJSON(j)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadState, err)
	}
	got, err := stateLimits.Canonicalize(raw)
	if err != nil || !bytes.Equal(got, want) {
		return nil, fmt.Errorf("%w: not in the form this program writes (times in UTC)", ErrBadState)
	}
	for origin, l := range j.Logs {
		if CheckpointOrigin([]byte(l.Checkpoint)) != origin {
			return nil, fmt.Errorf("%w: the checkpoint remembered for %q is of another log", ErrBadState, origin)
		}
	}
	return &State{Logs: j.Logs}, nil
}

// Save writes s to path atomically (a temporary file renamed over it),
// creating the directory if needed.
func (s *State) Save(path string) error {
	raw, err := canonJSON(stateJSON{Logs: s.Logs, Version: stateVersion})
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, 0o600, append(raw, '\n'))
}

// Remembered returns the checkpoint remembered for k's log, verified again
// with k; ok is false when the log was never checked. A remembered
// checkpoint k does not verify gives an error matching ErrBadState.
func (s *State) Remembered(k Key) (cp tlog.Checkpoint, ok bool, err error) {
	l, ok := s.Logs[k.Origin()]
	if !ok {
		return tlog.Checkpoint{}, false, nil
	}
	cp, err = k.Verifier.ParseCheckpoint([]byte(l.Checkpoint))
	if err != nil {
		return tlog.Checkpoint{}, true, fmt.Errorf("%w: the checkpoint remembered for %s (checked %s with key %s) does not verify with key %s: %w",
			ErrBadState, k.Origin(), l.Checked.Format(time.RFC3339), l.Key, k.Text, err)
	}
	return cp, true, nil
}

// Remember records cp as the latest verified checkpoint of k's log.
func (s *State) Remember(k Key, cp tlog.Checkpoint, now time.Time) {
	if s.Logs == nil {
		s.Logs = map[string]LogState{}
	}
	s.Logs[k.Origin()] = LogState{Checkpoint: string(cp.Raw), Checked: now.UTC().Truncate(time.Second), Key: k.Text}
}

// canonJSON returns v's RFC 8785 form.
func canonJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return stateLimits.Canonicalize(raw)
}
