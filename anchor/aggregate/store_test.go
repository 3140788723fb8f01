package aggregate

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/internal/recordlog"
	"github.com/iotrust/iotrust/merkle"
)

func addRec(t testing.TB, seed string) []byte {
	enc, err := anchortest.Commitment(seed).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte{recAdd}, enc...)
}

// sealRec is the seal of the commitments of seeds, in their order.
func sealRec(t testing.TB, agg anchor.Commitment, seeds ...string) []byte {
	var ms []*member
	for _, s := range seeds {
		ms = append(ms, &member{c: anchortest.Commitment(s)})
	}
	rec, err := sealRecord(agg, ms)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func anchoredRec(seq uint64, receiptJSON []byte) []byte {
	return append(binary.BigEndian.AppendUint64([]byte{recAnchored}, seq), receiptJSON...)
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

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeStore writes records to a new record log in dir, as the
// aggregator would.
func writeStore(t testing.TB, dir string, recs ...[]byte) {
	t.Helper()
	l, err := recordlog.Open(filepath.Join(dir, recordFileName), recordlog.Options{Kind: recordKind, MaxRecordSize: maxRecordSize})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Append(t.Context(), recs...); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestHostileStores is the catalogue of record files Open must refuse as
// corrupt, with ErrCorrupt: records this package never writes, in a
// record log that is itself intact.
func TestHostileStores(t *testing.T) {
	aggA := aggregateOf(t, "a")
	rA := mustJSON(t, anchor.Receipt{Ledger: "tlog", Chain: "c", Commitment: aggA, TxID: "ab", State: anchor.Final})
	rB := mustJSON(t, anchor.Receipt{Ledger: "tlog", Chain: "c", Commitment: aggregateOf(t, "b"), TxID: "ab", State: anchor.Final})
	sealA := sealRec(t, aggA, "a")
	cases := map[string][][]byte{
		"empty record":                     {addRec(t, "a"), {}},
		"unknown record kind":              {addRec(t, "a"), {9, 1, 2}},
		"add of a malformed commitment":    {{recAdd, 1, 2, 3}},
		"add of a root twice":              {addRec(t, "a"), addRec(t, "a")},
		"seal of a member never added":     {addRec(t, "a"), sealRec(t, aggregateOf(t, "a", "b"), "a", "b")},
		"seal of a member sealed before":   {addRec(t, "a"), sealA, sealA},
		"seal whose aggregate differs":     {addRec(t, "a"), sealRec(t, aggregateOf(t, "b"), "a")},
		"seal counting other members":      {addRec(t, "a"), addRec(t, "b"), sealRec(t, aggA, "a", "b")},
		"seal cut short":                   {addRec(t, "a"), sealA[:len(sealA)-3]},
		"seal of two bytes":                {addRec(t, "a"), {recSeal, 0}},
		"anchored before any seal":         {addRec(t, "a"), anchoredRec(0, rA)},
		"anchored receipt of another":      {addRec(t, "a"), sealA, anchoredRec(0, rB)},
		"anchored twice":                   {addRec(t, "a"), sealA, anchoredRec(0, rA), anchoredRec(0, rA)},
		"anchored receipt not strict JSON": {addRec(t, "a"), sealA, anchoredRec(0, bytes.Replace(rA, []byte(`"ledger"`), []byte(`"Ledger"`), 1))},
		"anchored record cut short":        {addRec(t, "a"), sealA, {recAnchored, 0, 0}},
		"archived record cut short":        {addRec(t, "a"), {recArchived, 0, 0}},
		"archived record with a tail":      {archivedRecordOf(1, 0)},
		"archived record going back":       {addRec(t, "a"), sealA, archivedRecord(1)},
		"archived record of no aggregate":  {archivedRecord(0)},
		// Compaction dropped aggregates 0 to 2, which the archive lacks.
		"archived record, archive empty": {archivedRecord(3), addRec(t, "a")},
	}
	inner := testLog(t)
	for name, recs := range cases {
		dir := t.TempDir()
		writeStore(t, dir, recs...)
		a, err := Open(t.Context(), Config{Inner: inner, Dir: dir})
		if err == nil {
			a.Close()
		}
		if !errors.Is(err, ErrCorrupt) || errors.Is(err, ErrIO) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
	// Files that are not this kind of record log at all.
	for name, data := range map[string][]byte{
		"not a record log": []byte("iotrust aggregate, some other format\n"),
		"garbage":          bytes.Repeat([]byte{0xa5}, 4096),
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, recordFileName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(t.Context(), Config{Inner: inner, Dir: dir}); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}

// TestStoreIO: a directory that cannot hold the file, and a file in use
// by another aggregator, are ErrIO, not corruption.
func TestStoreIO(t *testing.T) {
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

// TestRecoveryAnchorsAcceptedCommitments: commitments accepted, and an
// aggregate sealed, by a process that stopped before anchoring are
// anchored by Open, whatever order concurrent adds reached the file in.
func TestRecoveryAnchorsAcceptedCommitments(t *testing.T) {
	inner := testLog(t)
	dir := t.TempDir()
	// r2 was added before r0 and r1 but sealed after them.
	writeStore(t, dir, addRec(t, "r2"), addRec(t, "r1"), addRec(t, "r0"),
		sealRec(t, aggregateOf(t, "r0", "r1"), "r0", "r1"), addRec(t, "r3"))
	a, err := Open(t.Context(), Config{Inner: inner, Dir: dir, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var txs []string
	for _, s := range []string{"r0", "r1", "r2", "r3"} {
		// Interval is an hour: only recovery seals r2 and r3 this soon.
		r, err := a.Anchor(t.Context(), anchortest.Commitment(s))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		p, err := OpenReceipt(r)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if s == "r0" && p.Path.Index != 0 || s == "r1" && p.Path.Index != 1 {
			t.Errorf("%s at leaf %d of the recorded seal", s, p.Path.Index)
		}
		txs = append(txs, r.TxID)
	}
	if txs[0] != txs[1] || txs[2] != txs[3] || txs[0] == txs[2] {
		t.Errorf("aggregates %v, want r0,r1 in the sealed one and r2,r3 in the recovered one", txs)
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
