package aggregate

import (
	"bytes"
	"encoding/binary"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/canon"
)

// TestCompactorGaps: compaction drops exactly the records of archived
// aggregates and numbers the seals it keeps with archived records, also
// around an aggregate that stays (one the inner ledger refused is never
// archived) and after the last seal; compacting its output changes
// nothing; and replay rebuilds the same aggregates from it.
func TestCompactorGaps(t *testing.T) {
	dir := t.TempDir()
	ar, err := openArchive(filepath.Join(dir, archiveFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer ar.close()
	receipt := func(seeds ...string) []byte {
		return mustJSON(t, anchor.Receipt{Ledger: "tlog", Chain: "c", Commitment: aggregateOf(t, seeds...), TxID: "ab", State: anchor.Final})
	}
	for seq, seed := range map[uint64]string{0: "a", 2: "c"} {
		b, inner, err := parseArchived(seq, archivedSeed(t, seed))
		if err != nil {
			t.Fatal(err)
		}
		if err := ar.put(b, inner); err != nil {
			t.Fatal(err)
		}
	}
	// a (0) and c (2) are archived; b (1) was refused, d is not sealed.
	log := [][]byte{
		addRec(t, "a"), sealRec(t, aggregateOf(t, "a"), "a"), anchoredRec(0, receipt("a")),
		addRec(t, "b"), sealRec(t, aggregateOf(t, "b"), "b"),
		addRec(t, "c"), addRec(t, "d"), sealRec(t, aggregateOf(t, "c"), "c"), anchoredRec(2, receipt("c")),
	}
	want := [][]byte{addRec(t, "b"), archivedRecord(1), sealRec(t, aggregateOf(t, "b"), "b"), addRec(t, "d"), archivedRecord(3)}
	compactOf := func(recs [][]byte) [][]byte {
		t.Helper()
		c := compactor{ar: ar}
		for _, rec := range recs {
			if err := c.add(rec); err != nil {
				t.Fatal(err)
			}
		}
		return c.records()
	}
	got := compactOf(log)
	if !slices.EqualFunc(got, want, bytes.Equal) {
		t.Fatalf("compacted to\n%x\nwant\n%x", got, want)
	}
	if again := compactOf(got); !slices.EqualFunc(again, want, bytes.Equal) {
		t.Fatalf("compacting again gives\n%x", again)
	}

	writeStore(t, dir, got...)
	store, err := openStore(filepath.Join(dir, recordFileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a := &Aggregator{store: store, archive: ar, log: slog.New(slog.DiscardHandler), members: map[canon.Digest]*member{}, byAggRoot: map[canon.Digest]*batch{}}
	if err := a.replay(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(a.batches) != 3 || a.batches[0] != nil || a.batches[2] != nil || a.batches[1] == nil ||
		!a.batches[1].members[0].c.Equal(anchortest.Commitment("b")) || a.batches[1].anchored() {
		t.Fatalf("replayed to aggregates %v, want archived, b sealed, archived", a.batches)
	}
	if a.open == nil || a.open.seq != 3 || len(a.open.members) != 1 || !a.open.members[0].c.Equal(anchortest.Commitment("d")) {
		t.Fatal("d is not the open aggregate's member, aggregate 3")
	}
	if a.chain != "c" {
		t.Fatalf("chain %q, want the archived receipts' %q", a.chain, "c")
	}
	if a.records.Load() != int64(len(want)) || a.dead.Load() != 0 {
		t.Fatalf("%d records, %d dead; want %d, 0", a.records.Load(), a.dead.Load(), len(want))
	}
}

// archivedRecordOf is a hostile archived record of the given bytes.
func archivedRecordOf(n uint64, extra ...byte) []byte {
	return append(binary.BigEndian.AppendUint64([]byte{recArchived}, n), extra...)
}
