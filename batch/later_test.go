package batch

import (
	"path/filepath"
	"testing"

	"github.com/iotrust/iotrust/canon"
	bolt "go.etcd.io/bbolt"
)

// Receipts kept for later are seen by every read at once, written by the
// next sealed batch's commit or by close, and never move a stored record
// back to an earlier state.
func TestReceiptsWrittenLater(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	x, err := openIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	seal := func(n uint64) {
		t.Helper()
		if err := x.commitBatch(batchRecord{Number: n, Segment: n, State: stateSealed}, []canon.Digest{testID(n, 0, 0)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	stored := func(n uint64) string {
		t.Helper()
		var rec batchRecord
		err := x.db.View(func(tx *bolt.Tx) error { return canon.Decode(tx.Bucket(bucketBatches).Get(u64(n)), &rec) })
		if err != nil {
			t.Fatal(err)
		}
		return rec.State
	}
	read := func(n uint64) string {
		t.Helper()
		rec, err := x.batch(n)
		if err != nil {
			t.Fatal(err)
		}
		recent, err := x.recent(10)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recent {
			if r.Number == n && r.State != rec.State {
				t.Errorf("batch %d: recent says %s, batch says %s", n, r.State, rec.State)
			}
		}
		return rec.State
	}

	seal(1)
	x.putBatchLater(batchRecord{Number: 1, Segment: 1, State: stateAnchored})
	if got, disk := read(1), stored(1); got != stateAnchored || disk != stateSealed {
		t.Fatalf("batch 1 kept for later: read %s, stored %s; want anchored, sealed", got, disk)
	}
	seal(2)
	if disk := stored(1); disk != stateAnchored {
		t.Fatalf("batch 1 after the next commit: stored %s, want anchored", disk)
	}
	if len(x.later) != 0 {
		t.Fatalf("%d records still kept after the commit", len(x.later))
	}

	// A final record stored meanwhile wins over an anchored one kept.
	if err := x.putBatchGrouped(batchRecord{Number: 2, Segment: 2, State: stateFinal}); err != nil {
		t.Fatal(err)
	}
	x.putBatchLater(batchRecord{Number: 2, Segment: 2, State: stateAnchored})
	if got := read(2); got != stateFinal {
		t.Fatalf("batch 2: read %s, want final", got)
	}
	seal(3)
	if disk := stored(2); disk != stateFinal {
		t.Fatalf("batch 2: stored %s after the next commit, want final", disk)
	}

	// Close writes what is kept.
	x.putBatchLater(batchRecord{Number: 3, Segment: 3, State: stateAnchored})
	if err := x.close(); err != nil {
		t.Fatal(err)
	}
	if x, err = openIndex(path); err != nil {
		t.Fatal(err)
	}
	defer x.close()
	if disk := stored(3); disk != stateAnchored {
		t.Fatalf("batch 3 after close: stored %s, want anchored", disk)
	}
}

// Open takes up sealed and anchored batches only: settled and final ones
// are their batches' last state, which an anchored record kept for later
// does not move back.
func TestLoadTakesUpOnlyUnsettled(t *testing.T) {
	x, err := openIndex(filepath.Join(t.TempDir(), "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.close()
	states := []string{stateSealed, stateAnchored, stateSettled, stateFinal}
	for i, st := range states {
		n := uint64(i + 1)
		if err := x.commitBatch(batchRecord{Number: n, Segment: n, State: stateSealed}, []canon.Digest{testID(n, 0, 0)}, nil); err != nil {
			t.Fatal(err)
		}
		if err := x.putBatchGrouped(batchRecord{Number: n, Segment: n, State: st}); err != nil {
			t.Fatal(err)
		}
	}
	recs, last, err := x.load()
	if err != nil {
		t.Fatal(err)
	}
	if last != 4 || len(recs) != 2 || recs[0].State != stateSealed || recs[1].State != stateAnchored {
		t.Fatalf("load: last %d, %+v; want batches 1 and 2 of 4", last, recs)
	}
	x.putBatchLater(batchRecord{Number: 3, Segment: 3, State: stateAnchored})
	if rec, err := x.batch(3); err != nil || rec.State != stateSettled {
		t.Fatalf("settled batch with an anchored record kept: %s, %v", rec.State, err)
	}
	if err := x.commitBatch(batchRecord{Number: 5, Segment: 5, State: stateSealed}, []canon.Digest{testID(5, 0, 0)}, nil); err != nil {
		t.Fatal(err)
	}
	if recs, _, err = x.load(); err != nil || len(recs) != 3 {
		t.Fatalf("after the next commit: %d batches to take up, %v; want 3", len(recs), err)
	}
}
