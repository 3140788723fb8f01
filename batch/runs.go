package batch

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/iotrust/iotrust/canon"
)

// The reading index maps a reading ID to where the reading sits: its
// batch number and leaf index. Inserting every ID into one B+tree would
// rewrite a page per reading once the tree outgrows a batch (IDs are
// random), so the index is kept as sorted runs instead, the way a
// log-structured merge tree keeps its tables:
//
//   - sealing a batch writes one run holding that batch's readings, sorted,
//     under the batch's number: one sequential write per batch;
//   - whenever the newest runFanout runs share a level, they are merged
//     into one run of the next level (up to runMaxLevel), so a lookup
//     binary-searches O(runFanout × runMaxLevel) runs plus one per
//     runFanout^runMaxLevel batches.
//
// Each run is a bucket of its own under the runs bucket, holding the run's
// bytes under runValueKey: bbolt rewrites a whole leaf node whenever a key
// is added to it, so runs kept as plain values of one bucket were written
// again with every new run beside them in their leaf (about ten bytes
// written per byte indexed); as buckets of their own, the runs bucket's
// leaves hold small bucket headers only, and a run's bytes are written
// once. Runs written by earlier versions as plain values are still read,
// and merged away by the next compaction that reaches them.
//
// A run's value is one format byte (runFormat), one level byte, then
// entries of runEntry bytes sorted bytewise: the first runPrefix bytes of
// the reading ID, the batch number (8, big-endian) and the leaf index (4,
// big-endian). A prefix can be shared by two readings; lookup returns
// every match and the caller checks the leaf's full ID.
const (
	runFormat   = 1
	runPrefix   = 8
	runEntry    = runPrefix + 8 + 4
	runHeader   = 2
	runFanout   = 8
	runMaxLevel = 3
)

// runValueKey is the one key of a run's bucket.
var runValueKey = []byte("run")

// putRun stores run v under key k of the runs bucket b.
func putRun(b *bolt.Bucket, k, v []byte) error {
	sub, err := b.CreateBucket(k)
	if err != nil {
		return err
	}
	return sub.Put(runValueKey, v)
}

// runValue returns the bytes of the run under k, whose value in the runs
// bucket b is v: a run's bucket (v nil) or, written by an earlier version,
// the run itself.
func runValue(b *bolt.Bucket, k, v []byte) ([]byte, error) {
	if v != nil {
		return v, nil
	}
	if sub := b.Bucket(k); sub != nil {
		if v := sub.Get(runValueKey); v != nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("%w: reading index run %x has no value", ErrCorrupt, k)
}

// deleteRun removes the run under k of b: a run's bucket, or a plain
// value an earlier version wrote.
func deleteRun(b *bolt.Bucket, k []byte, bucket bool) error {
	if bucket {
		return b.DeleteBucket(k)
	}
	return b.Delete(k)
}

// location is where a sealed reading sits.
type location struct {
	batch uint64
	leaf  uint32
}

// newRun returns the level-0 run of one batch's reading IDs. Every entry
// carries the same batch number, so bytewise order is the order of
// (prefix, leaf index), which sorts as integers.
func newRun(num uint64, ids []canon.Digest) []byte {
	type key struct {
		prefix uint64
		leaf   uint32
	}
	ks := make([]key, len(ids))
	for i, id := range ids {
		ks[i] = key{binary.BigEndian.Uint64(id.Sum[:runPrefix]), uint32(i)}
	}
	slices.SortFunc(ks, func(a, b key) int {
		if c := cmp.Compare(a.prefix, b.prefix); c != 0 {
			return c
		}
		return cmp.Compare(a.leaf, b.leaf)
	})
	v := make([]byte, runHeader+len(ks)*runEntry)
	v[0], v[1] = runFormat, 0
	for i, k := range ks {
		e := v[runHeader+i*runEntry:]
		binary.BigEndian.PutUint64(e, k.prefix)
		binary.BigEndian.PutUint64(e[runPrefix:], num)
		binary.BigEndian.PutUint32(e[runPrefix+8:], k.leaf)
	}
	return v
}

// runEntries checks a run's header and returns its level and entries.
func runEntries(k, v []byte) (level byte, entries []byte, err error) {
	if len(k) != 8 || len(v) < runHeader || v[0] != runFormat || v[1] > runMaxLevel || (len(v)-runHeader)%runEntry != 0 {
		return 0, nil, fmt.Errorf("%w: reading index run %x of %d bytes", ErrCorrupt, k, len(v))
	}
	return v[1], v[runHeader:], nil
}

// findInRuns appends to out the location of every entry of the runs in b
// whose prefix is id's.
func findInRuns(b *bolt.Bucket, id canon.Digest, out []location) ([]location, error) {
	p := id.Sum[:runPrefix]
	err := b.ForEach(func(k, v []byte) error {
		v, err := runValue(b, k, v)
		if err != nil {
			return err
		}
		_, es, err := runEntries(k, v)
		if err != nil {
			return err
		}
		n := len(es) / runEntry
		i := sort.Search(n, func(i int) bool { return bytes.Compare(es[i*runEntry:i*runEntry+runPrefix], p) >= 0 })
		for ; i < n && bytes.Equal(es[i*runEntry:i*runEntry+runPrefix], p); i++ {
			e := es[i*runEntry:]
			out = append(out, location{batch: binary.BigEndian.Uint64(e[runPrefix:]), leaf: binary.BigEndian.Uint32(e[runPrefix+8:])})
		}
		return nil
	})
	return out, err
}

// compactRuns merges the newest runFanout runs of b while they share a
// level below runMaxLevel. It runs in the transaction that adds a run, so
// a crash leaves either the runs before it or the runs after.
func compactRuns(b *bolt.Bucket) error {
	for {
		var keys, runs [][]byte
		var nested []bool
		var level byte
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(keys) < runFanout; k, v = c.Prev() {
			rv, err := runValue(b, k, v)
			if err != nil {
				return err
			}
			l, es, err := runEntries(k, rv)
			if err != nil {
				return err
			}
			if len(keys) > 0 && l != level {
				return nil
			}
			level = l
			keys = append(keys, slices.Clone(k))
			runs = append(runs, es)
			nested = append(nested, v == nil)
		}
		if len(keys) < runFanout || level >= runMaxLevel {
			return nil
		}
		v := mergeRuns(level+1, runs)
		for i, k := range keys {
			if err := deleteRun(b, k, nested[i]); err != nil {
				return err
			}
		}
		if err := putRun(b, keys[len(keys)-1], v); err != nil { // under the oldest run's key
			return err
		}
	}
}

// mergeRuns merges sorted runs' entries into one run of the given level.
func mergeRuns(level byte, runs [][]byte) []byte {
	total := 0
	for _, r := range runs {
		total += len(r)
	}
	v := make([]byte, runHeader, runHeader+total)
	v[0], v[1] = runFormat, level
	heads := slices.Clone(runs)
	for {
		best := -1
		for i, h := range heads {
			if len(h) > 0 && (best < 0 || bytes.Compare(h[:runEntry], heads[best][:runEntry]) < 0) {
				best = i
			}
		}
		if best < 0 {
			return v
		}
		v = append(v, heads[best][:runEntry]...)
		heads[best] = heads[best][runEntry:]
	}
}
