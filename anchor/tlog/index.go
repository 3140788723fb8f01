package tlog

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/api/layout"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
)

// ErrCorrupt is returned when the log holds data that is not what this
// package writes (an entry that is not a canonical commitment, a missing
// bundle below a signed size), or the index file cannot be read.
var ErrCorrupt = errors.New("tlog: log storage corrupt")

var (
	bucketRoots = []byte("roots") // root multihash → entryRef
	bucketMeta  = []byte("meta")
	keyOrigin   = []byte("origin")
	keySize     = []byte("size")  // entries verified against a signed checkpoint
	keyRange    = []byte("range") // compact range hashes of those entries
)

// entryRef is what the index knows about one entry.
type entryRef struct {
	index uint64
	time  time.Time // when this node saw the entry integrated
	entry []byte    // canonical commitment bytes, as in the log
}

func (e entryRef) marshal() []byte {
	b := binary.BigEndian.AppendUint64(nil, e.index)
	b = binary.BigEndian.AppendUint64(b, uint64(e.time.UnixNano()))
	return append(b, e.entry...)
}

func unmarshalRef(b []byte) (entryRef, error) {
	if len(b) < 16 {
		return entryRef{}, fmt.Errorf("%w: index value of %d bytes", ErrCorrupt, len(b))
	}
	return entryRef{
		index: binary.BigEndian.Uint64(b),
		time:  time.Unix(0, int64(binary.BigEndian.Uint64(b[8:]))).UTC(),
		entry: append([]byte(nil), b[16:]...),
	}, nil
}

// index maps roots to entries. It is derived from the log and only ever
// trusted as far as it was checked against a signed checkpoint: its
// verified prefix (size, and the compact range over those leaves) is
// extended entry by entry from the log and compared with each new
// checkpoint's root, so the index cannot silently disagree with the log,
// and a log whose history changed under it is detected.
type index struct {
	db     *bolt.DB
	origin string
	size   uint64
	rng    *compact.Range
}

var rangeFactory = &compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}

func openIndex(path, origin string) (*index, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, storageErr(true, err, "index directory")
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, storageErr(true, err, "index "+path+" is locked by another process")
	}
	if err != nil {
		return nil, storageErr(false, err, "index "+path)
	}
	ix := &index{db: db, origin: origin, rng: rangeFactory.NewEmptyRange(0)}
	err = db.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketRoots); err != nil {
			return err
		}
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		switch o := meta.Get(keyOrigin); {
		case o == nil:
			return meta.Put(keyOrigin, []byte(origin))
		case string(o) != origin:
			return wrap(ErrCorrupt, fmt.Errorf("%w: the directory holds log %q, Config names log %q", ErrBadKey, o, origin))
		}
		sb, rb := meta.Get(keySize), meta.Get(keyRange)
		if sb == nil {
			return nil
		}
		if len(sb) != 8 || len(rb)%32 != 0 {
			return fmt.Errorf("%w: index meta", ErrCorrupt)
		}
		ix.size = binary.BigEndian.Uint64(sb)
		hashes := make([][]byte, len(rb)/32)
		for i := range hashes {
			hashes[i] = rb[32*i : 32*i+32]
		}
		r, err := rangeFactory.NewRange(0, ix.size, hashes)
		if err != nil {
			return corrupt(err, "index range")
		}
		ix.rng = r
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return ix, nil
}

func (ix *index) close() error { return ix.db.Close() }

func rootKey(d canon.Digest) []byte { return d.Multihash() }

// get returns the entry anchored under root, if the index has it.
func (ix *index) get(root canon.Digest) (entryRef, bool, error) {
	var ref entryRef
	var found bool
	err := ix.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketRoots).Get(rootKey(root))
		if v == nil {
			return nil
		}
		var err error
		ref, err = unmarshalRef(v)
		found = err == nil
		return err
	})
	return ref, found, err
}

// readEntries returns the entries [from, to) of a log of size treeSize.
func readEntries(ctx context.Context, read func(ctx context.Context, i uint64, p uint8) ([]byte, error), from, to, treeSize uint64) ([][]byte, error) {
	var out [][]byte
	for from < to {
		if err := ctx.Err(); err != nil { // storage drivers may not look at ctx
			return nil, fmt.Errorf("tlog: reading entries: %w", err)
		}
		bi := from / layout.EntryBundleWidth
		raw, err := read(ctx, bi, layout.PartialTileSize(0, bi, treeSize))
		if err != nil {
			return nil, storageErr(false, err, fmt.Sprintf("entry bundle %d", bi))
		}
		var b api.EntryBundle
		if err := b.UnmarshalText(raw); err != nil {
			return nil, corrupt(err, "entry bundle %d", bi)
		}
		first := bi * layout.EntryBundleWidth
		for i := from; i < to && i < first+layout.EntryBundleWidth; i++ {
			if i-first >= uint64(len(b.Entries)) {
				return nil, fmt.Errorf("%w: entry bundle %d has %d entries, need entry %d", ErrCorrupt, bi, len(b.Entries), i)
			}
			out = append(out, b.Entries[i-first])
			from = i + 1
		}
	}
	return out, nil
}

// advanceChunk bounds the entries held in memory while catching up.
const advanceChunk = 4096

// advance extends the verified prefix to cp, reading the new entries with
// read and indexing them; timeOf gives the time to record for an entry
// (when this node saw it integrated, or now). It returns ErrInconsistent
// if the log's entries do not hash to cp's root, and indexes the entries
// verified as it goes.
func (ix *index) advance(ctx context.Context, cp Checkpoint, read func(ctx context.Context, i uint64, p uint8) ([]byte, error), timeOf func(anchor.Commitment) time.Time) error {
	if cp.Size < ix.size {
		return fmt.Errorf("%w: checkpoint of size %d, but %d entries were verified before", ErrInconsistent, cp.Size, ix.size)
	}
	rng := rangeFactory.NewEmptyRange(0)
	if err := rng.AppendRange(ix.rng, nil); err != nil {
		return err
	}
	type put struct {
		key []byte
		ref entryRef
	}
	for from := ix.size; from < cp.Size; {
		to := min(cp.Size, from+advanceChunk)
		entries, err := readEntries(ctx, read, from, to, cp.Size)
		if err != nil {
			return err
		}
		puts := make([]put, 0, len(entries))
		for k, e := range entries {
			i := from + uint64(k)
			c, err := anchor.DecodeCommitment(e)
			if err != nil {
				return corrupt(err, "entry %d is not a commitment", i)
			}
			lh := leafHash(e)
			if err := rng.Append(lh[:], nil); err != nil {
				return err
			}
			puts = append(puts, put{rootKey(c.Root), entryRef{index: i, time: timeOf(c), entry: e}})
		}
		// Roots of entries read from the log are true whatever the root
		// check below says; writing them early bounds memory.
		err = ix.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketRoots)
			for _, p := range puts {
				if old := b.Get(p.key); old != nil {
					if ref, err := unmarshalRef(old); err == nil && ref.index <= p.ref.index {
						continue // a root is anchored once; the first entry wins
					}
				}
				if err := b.Put(p.key, p.ref.marshal()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return storageErr(true, err, "index write")
		}
		from = to
	}
	root := rfc6962.DefaultHasher.EmptyRoot()
	if cp.Size > 0 {
		var err error
		if root, err = rng.GetRootHash(nil); err != nil {
			return err
		}
	}
	if !bytes.Equal(root, cp.Root[:]) {
		return fmt.Errorf("%w: the log's %d entries hash to %x, its checkpoint says %x", ErrInconsistent, cp.Size, root, cp.Root)
	}
	if cp.Size == ix.size {
		return nil
	}
	var rb []byte
	for _, h := range rng.Hashes() {
		rb = append(rb, h...)
	}
	err := ix.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keySize, binary.BigEndian.AppendUint64(nil, cp.Size)); err != nil {
			return err
		}
		return meta.Put(keyRange, rb)
	})
	if err != nil {
		return storageErr(true, err, "index write")
	}
	ix.size, ix.rng = cp.Size, rng
	return nil
}
