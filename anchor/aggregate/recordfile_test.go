package aggregate

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/merkle"
)

func record(payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(payload)))
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum(payload, crcTable))
	return append(b, payload...)
}

func addRecord(t testing.TB, seed string) []byte {
	enc, err := anchortest.Commitment(seed).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return record(append([]byte{recAdd}, enc...))
}

func sealRecord(t testing.TB, n int, agg anchor.Commitment) []byte {
	enc, err := agg.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return record(append(binary.BigEndian.AppendUint32([]byte{recSeal}, uint32(n)), enc...))
}

func aggregateOf(t testing.TB, seeds ...string) anchor.Commitment {
	var cs []anchor.Commitment
	for _, s := range seeds {
		cs = append(cs, anchortest.Commitment(s))
	}
	agg, _, err := Aggregate(merkle.BLAKE3, DefaultTopic, cs)
	if err != nil {
		t.Fatal(err)
	}
	return agg
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestRecordFileTornTails: what a crash can leave at the end of the file
// is cut away, and every record before it is kept.
func TestRecordFileTornTails(t *testing.T) {
	a, b := addRecord(t, "a"), addRecord(t, "b")
	for name, tail := range map[string][]byte{
		"nothing":                     nil,
		"torn header":                 b[:5],
		"torn payload":                b[:len(b)-3],
		"zeros of an unwritten block": make([]byte, 4096),
		"last record's checksum":      cat(b[:4], []byte{0, 0, 0, 0}, b[8:]),
	} {
		recs, off, err := parseRecords(t.Context(), cat(a, tail))
		if err != nil || len(recs) != 1 || off != len(a) || !bytes.Equal(recs[0], a[8:]) {
			t.Errorf("%s: %d records, offset %d, %v; want the first record", name, len(recs), off, err)
		}
	}
}

// TestHostileRecordFiles is the catalogue of record files Open must refuse
// as corrupt, with ErrCorrupt.
func TestHostileRecordFiles(t *testing.T) {
	a, b := addRecord(t, "a"), addRecord(t, "b")
	badSum := cat(a[:4], []byte{1, 2, 3, 4}, a[8:])
	receipt := anchor.Receipt{Ledger: "tlog", Chain: "c", Commitment: aggregateOf(t, "a"), TxID: "ab", State: anchor.Final}
	rj, _ := json.Marshal(receipt)
	otherAgg := aggregateOf(t, "b")
	cases := map[string][]byte{
		"bad checksum followed by a record": cat(badSum, b),
		"zero-length record mid-file":       cat(a, make([]byte, 8), []byte{1}, b),
		"length beyond the bound mid-file":  cat(a, []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, b),
		"unknown record kind":               cat(a, record([]byte{9, 1, 2})),
		"add of a malformed commitment":     cat(record([]byte{recAdd, 1, 2, 3})),
		"add of a root twice":               cat(a, a),
		"seal of more members than added":   cat(a, sealRecord(t, 2, aggregateOf(t, "a", "b"))),
		"seal of no members":                cat(a, sealRecord(t, 0, aggregateOf(t, "a"))),
		"seal whose aggregate differs":      cat(a, sealRecord(t, 1, otherAgg)),
		"short seal":                        cat(a, record([]byte{recSeal, 0})),
		"anchored before any seal":          cat(a, record(append(binary.BigEndian.AppendUint64([]byte{recAnchored}, 0), rj...))),
		"anchored receipt of another root": cat(a, sealRecord(t, 1, aggregateOf(t, "a")),
			record(append(binary.BigEndian.AppendUint64([]byte{recAnchored}, 0), mustJSON(t, anchor.Receipt{Ledger: "tlog", Chain: "c", Commitment: otherAgg, TxID: "ab", State: anchor.Final})...))),
		"anchored receipt not strict JSON": cat(a, sealRecord(t, 1, aggregateOf(t, "a")),
			record(append(binary.BigEndian.AppendUint64([]byte{recAnchored}, 0), bytes.Replace(rj, []byte(`"ledger"`), []byte(`"Ledger"`), 1)...))),
	}
	inner := testLog(t)
	for name, data := range cases {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, recordFileName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		a, err := Open(t.Context(), Config{Inner: inner, Dir: dir})
		if err == nil {
			a.Close()
		}
		if !errors.Is(err, ErrCorrupt) || errors.Is(err, ErrIO) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRecordFileIO: a directory that cannot hold the file, and a file in
// use by another aggregator, are ErrIO, not corruption.
func TestRecordFileIO(t *testing.T) {
	inner := testLog(t)
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	if _, err := Open(t.Context(), Config{Inner: inner, Dir: f}); !errors.Is(err, ErrIO) {
		t.Errorf("Dir is a file: %v, want ErrIO", err)
	}
	dir := t.TempDir()
	first, err := Open(t.Context(), Config{Inner: inner, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := Open(t.Context(), Config{Inner: inner, Dir: dir}); !errors.Is(err, ErrIO) || errors.Is(err, ErrCorrupt) {
		t.Errorf("second Open of a directory in use: %v, want ErrIO", err)
	}
}

// TestRecoveryAnchorsAcceptedCommitments: commitments accepted and sealed
// by a process that stopped before anchoring are anchored by Open.
func TestRecoveryAnchorsAcceptedCommitments(t *testing.T) {
	inner := testLog(t)
	dir := t.TempDir()
	data := cat(addRecord(t, "r0"), addRecord(t, "r1"), sealRecord(t, 2, aggregateOf(t, "r0", "r1")), addRecord(t, "r2"))
	if err := os.WriteFile(filepath.Join(dir, recordFileName), data, 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Open(t.Context(), Config{Inner: inner, Dir: dir, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, s := range []string{"r0", "r1", "r2"} {
		// Interval is an hour: only recovery seals r2 this soon.
		r, err := a.Anchor(t.Context(), anchortest.Commitment(s))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if _, err := OpenReceipt(r); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func testLog(t testing.TB) *tlog.Log {
	s, v, err := tlog.NewEd25519Signer("example.com/records", ed25519.NewKeyFromSeed(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	l, err := tlog.Open(t.Context(), tlog.Config{Dir: t.TempDir(), Signer: s, Verifier: v, CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}
