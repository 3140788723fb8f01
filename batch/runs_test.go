package batch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/zeebo/blake3"
	bolt "go.etcd.io/bbolt"

	"github.com/iotrust/iotrust/canon"
)

// testID returns a reading-ID-shaped digest for batch b, leaf i; IDs with
// the same shared value have the same runPrefix bytes.
func testID(b uint64, i int, shared uint64) canon.Digest {
	var d canon.Digest
	binary.BigEndian.PutUint64(d.Sum[:], shared)
	binary.BigEndian.PutUint64(d.Sum[8:], b)
	binary.BigEndian.PutUint32(d.Sum[16:], uint32(i))
	if shared == 0 { // a random-looking prefix
		h := blake3.Sum256(d.Sum[8:20])
		copy(d.Sum[:8], h[:8])
	}
	return d
}

func TestReadingIndexRunsMergeAndFind(t *testing.T) {
	x := tempIndex(t)
	const batches, per = runFanout*runFanout + 3, 5 // two levels of merges and a tail
	for b := uint64(1); b <= batches; b++ {
		ids := make([]canon.Digest, per)
		for i := range ids {
			ids[i] = testID(b, i, 0)
		}
		ids[per-1] = testID(b, per-1, 0xfeed) // one prefix shared by every batch
		if err := x.commitBatch(batchRecord{Number: b, Segment: b}, ids, nil); err != nil {
			t.Fatal(err)
		}
	}
	// 67 batches: one level-2 run (64 batches) and three level-0 runs,
	// each in a bucket of its own.
	want := []string{
		fmt.Sprintf("%x:bucket=true:level=2", u64(1)), fmt.Sprintf("%x:bucket=true:level=0", u64(65)),
		fmt.Sprintf("%x:bucket=true:level=0", u64(66)), fmt.Sprintf("%x:bucket=true:level=0", u64(67)),
	}
	if got := listRuns(t, x); !slices.Equal(got, want) {
		t.Fatalf("runs %v, want %v", got, want)
	}
	for b := uint64(1); b <= batches; b++ {
		for i := range per - 1 {
			locs, err := x.lookup(testID(b, i, 0))
			if err != nil {
				t.Fatal(err)
			}
			if want := (location{batch: b, leaf: uint32(i)}); len(locs) != 1 || locs[0] != want {
				t.Fatalf("batch %d leaf %d: got %v", b, i, locs)
			}
		}
	}
	locs, err := x.lookup(testID(1, per-1, 0xfeed))
	if err != nil {
		t.Fatal(err)
	}
	if len(locs) != batches {
		t.Fatalf("shared prefix: %d locations, want %d (one per batch)", len(locs), batches)
	}
	if locs, _ := x.lookup(testID(batches+1, 0, 0)); len(locs) != 0 {
		t.Fatalf("an unknown ID found at %v", locs)
	}
}

func TestReadingIndexCorruptRun(t *testing.T) {
	x := tempIndex(t)
	for _, v := range [][]byte{nil, {runFormat}, {2, 0}, {runFormat, runMaxLevel + 1}, {runFormat, 0, 1, 2, 3}} {
		x.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketRuns).Put(u64(1), v) })
		if _, err := x.lookup(testID(1, 0, 0)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("run %x: lookup error %v, want ErrCorrupt", v, err)
		}
		// A corrupt run stops sealing (the batch stays in its write-ahead
		// segment) rather than being merged into others.
		if err := x.commitBatch(batchRecord{Number: 9, Segment: 9}, []canon.Digest{testID(9, 0, 0)}, nil); v != nil && !errors.Is(err, ErrCorrupt) {
			t.Errorf("run %x: commit error %v, want ErrCorrupt", v, err)
		}
	}
}

// TestReadingIndexLegacyRuns: runs an earlier version wrote as plain
// values of the runs bucket are found, and merged with runs in buckets of
// their own.
func TestReadingIndexLegacyRuns(t *testing.T) {
	x := tempIndex(t)
	const per = 3
	ids := func(b uint64) []canon.Digest {
		out := make([]canon.Digest, per)
		for i := range out {
			out[i] = testID(b, i, 0)
		}
		return out
	}
	// Batches 1 to runFanout-1 as an earlier version stored them.
	err := x.db.Update(func(tx *bolt.Tx) error {
		for b := uint64(1); b < runFanout; b++ {
			if err := tx.Bucket(bucketRuns).Put(u64(b), newRun(b, ids(b))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		for b := uint64(1); b <= runFanout; b++ {
			for i, id := range ids(b) {
				locs, err := x.lookup(id)
				if want := (location{batch: b, leaf: uint32(i)}); err != nil || len(locs) != 1 || locs[0] != want {
					t.Fatalf("%s: batch %d leaf %d: got %v, %v", when, b, i, locs, err)
				}
			}
		}
	}
	// The batch that fills the level: a run in a bucket, then one merge of
	// both layouts.
	if err := x.commitBatch(batchRecord{Number: runFanout, Segment: runFanout}, ids(runFanout), nil); err != nil {
		t.Fatal(err)
	}
	check("after the merge")
	kinds := listRuns(t, x)
	if want := []string{fmt.Sprintf("%x:bucket=true:level=1", u64(1))}; !slices.Equal(kinds, want) {
		t.Fatalf("runs after the merge %v, want %v", kinds, want)
	}
}

// tempIndex opens an index in a temporary directory, closed when t ends.
func tempIndex(t *testing.T) *index {
	t.Helper()
	x, err := openIndex(filepath.Join(t.TempDir(), "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.close() })
	return x
}

// listRuns describes the index's runs in key order as
// "key:bucket=…:level=…", bucket telling a run's bucket from a plain value.
func listRuns(t *testing.T, x *index) []string {
	t.Helper()
	var out []string
	err := x.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRuns)
		return b.ForEach(func(k, v []byte) error {
			rv, err := runValue(b, k, v)
			if err != nil {
				return err
			}
			out = append(out, fmt.Sprintf("%x:bucket=%v:level=%d", k, v == nil, rv[1]))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReadingIndexWriteAmplification: sealing 25 batches of 4,096
// readings makes bbolt write (allocate pages for) no more than 3 bytes per
// byte of run entries: each run written once at level 0 and once merged
// into level 1, plus the pages around them. Runs kept as plain values of
// one bucket wrote 9.5 bytes per byte.
func TestReadingIndexWriteAmplification(t *testing.T) {
	x := tempIndex(t)
	var windows []pending // a reading of each of 64 devices, as a batch's
	for d := range 64 {
		windows = append(windows, pending{device: fmt.Sprintf("did:key:device-%02d", d), seq: 5})
	}
	pageAlloc := func() int64 { s := x.db.Stats(); return s.TxStats.GetPageAlloc() }
	before := pageAlloc()
	entries := 0
	for b := uint64(1); b <= 25; b++ {
		ids := make([]canon.Digest, 4096)
		for i := range ids {
			ids[i] = testID(b, i, 0)
		}
		if err := x.commitBatch(batchRecord{Number: b, Segment: b, State: stateSealed}, ids, windows); err != nil {
			t.Fatal(err)
		}
		entries += len(ids) * runEntry
	}
	written := pageAlloc() - before
	if ratio := float64(written) / float64(entries); ratio > 3 {
		t.Fatalf("bbolt allocated %d bytes of pages for %d bytes of run entries (%.1f×), want at most 3×", written, entries, ratio)
	} else {
		t.Logf("bbolt allocated %d bytes of pages for %d bytes of run entries (%.2f×)", written, entries, ratio)
	}
}

// TestReadingIndexCorruptRunBucket: a run's bucket without its value, or
// holding a malformed run, is ErrCorrupt for lookups and stops sealing.
func TestReadingIndexCorruptRunBucket(t *testing.T) {
	for _, v := range [][]byte{nil, {runFormat}, {runFormat, 0, 1, 2, 3}} {
		x := tempIndex(t)
		err := x.db.Update(func(tx *bolt.Tx) error {
			sub, err := tx.Bucket(bucketRuns).CreateBucket(u64(1))
			if err != nil || v == nil {
				return err
			}
			return sub.Put(runValueKey, v)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.lookup(testID(1, 0, 0)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("run bucket holding %x: lookup error %v, want ErrCorrupt", v, err)
		}
		if err := x.commitBatch(batchRecord{Number: 2, Segment: 2}, []canon.Digest{testID(2, 0, 0)}, nil); !errors.Is(err, ErrCorrupt) {
			t.Errorf("run bucket holding %x: commit error %v, want ErrCorrupt", v, err)
		}
	}
}

// TestNewRunSorted: a level-0 run's entries are in bytewise order (the
// order lookups and merges rely on), with readings that share a prefix
// in leaf order, and each entry says where its reading sits.
func TestNewRunSorted(t *testing.T) {
	ids := make([]canon.Digest, 1000)
	for i := range ids {
		ids[i] = testID(7, i, 0)
		if i%10 == 3 {
			ids[i] = testID(7, i, 0xfeed) // shared prefixes
		}
	}
	v := newRun(7, ids)
	level, es, err := runEntries(u64(7), v)
	if err != nil || level != 0 || len(es) != len(ids)*runEntry {
		t.Fatalf("level %d, %d bytes, %v", level, len(es), err)
	}
	var entries [][]byte
	seen := map[uint32]bool{}
	for i := 0; i < len(es); i += runEntry {
		e := es[i : i+runEntry]
		entries = append(entries, e)
		leaf := binary.BigEndian.Uint32(e[runPrefix+8:])
		if binary.BigEndian.Uint64(e[runPrefix:]) != 7 || int(leaf) >= len(ids) || seen[leaf] ||
			!slices.Equal(e[:runPrefix], ids[leaf].Sum[:runPrefix]) {
			t.Fatalf("entry %x: wrong batch, leaf or prefix", e)
		}
		seen[leaf] = true
	}
	if !slices.IsSortedFunc(entries, bytes.Compare) {
		t.Fatal("run entries not in bytewise order")
	}
}

// BenchmarkNewRun: the level-0 index run of one default-sized batch.
//
//	go test -run '^$' -bench NewRun ./batch
func BenchmarkNewRun(b *testing.B) {
	ids := make([]canon.Digest, DefaultMaxBatch)
	for i := range ids {
		ids[i] = testID(3, i, 0)
	}
	b.ReportAllocs()
	for b.Loop() {
		newRun(3, ids)
	}
}
