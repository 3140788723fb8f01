package aggregate

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/internal/errchain"
	"github.com/iotrust/iotrust/canon"
)

// The archive holds the anchored aggregates that left memory
// (Config.MemoryCommitments), in a bbolt file, Config.Dir/archive.db:
//
//	batches  sequence number (8 bytes BE) → archived aggregate (below)
//	roots    member root multihash → sequence number (8) ‖ leaf index (4)
//	aggs     aggregate root multihash → sequence number (8)
//
// An archived aggregate is a 2-byte length and the aggregate's canonical
// encoding, a 4-byte length and the inner receipt's JSON, then per member
// in leaf order a 2-byte length and its commitment's canonical encoding.
// Open skips the record log's records of archived aggregates, so memory
// holds only what is not archived, and compaction (compact.go) drops
// them from the log: the archive is then their only copy.
const archiveFileName = "archive.db"

var (
	bucketBatches = []byte("batches")
	bucketRoots   = []byte("roots")
	bucketAggs    = []byte("aggs")
)

type archive struct{ db *bolt.DB }

func openArchive(path string) (*archive, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s is in use by another aggregator", ErrIO, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: opening the archive: %w", ErrIO, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketBatches, bucketRoots, bucketAggs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%w: initialising the archive: %w", ErrIO, err)
	}
	return &archive{db: db}, nil
}

func (ar *archive) close() error {
	if err := ar.db.Close(); err != nil {
		return errchain.Wrap(ErrIO, err)
	}
	return nil
}

// encodeArchived returns the archived form of b, an anchored aggregate
// whose inner receipt is inner.
func encodeArchived(b *batch, inner anchor.Receipt) ([]byte, error) {
	agg, err := b.agg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	ij, err := json.Marshal(inner)
	if err != nil {
		return nil, err
	}
	val := binary.BigEndian.AppendUint16(nil, uint16(len(agg)))
	val = append(val, agg...)
	val = binary.BigEndian.AppendUint32(val, uint32(len(ij)))
	val = append(val, ij...)
	for _, m := range b.members {
		enc, err := m.c.MarshalBinary()
		if err != nil {
			return nil, err
		}
		val = binary.BigEndian.AppendUint16(val, uint16(len(enc)))
		val = append(val, enc...)
	}
	return val, nil
}

// put archives b, an anchored aggregate whose inner receipt is inner.
func (ar *archive) put(b *batch, inner anchor.Receipt) error {
	val, err := encodeArchived(b, inner)
	if err != nil {
		return err
	}
	seq := binary.BigEndian.AppendUint64(nil, b.seq)
	err = ar.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketBatches).Put(seq, val); err != nil {
			return err
		}
		roots := tx.Bucket(bucketRoots)
		for i, m := range b.members {
			if err := roots.Put(m.c.Root.Multihash(), binary.BigEndian.AppendUint32(seq[:8:8], uint32(i))); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketAggs).Put(b.agg.Root.Multihash(), seq)
	})
	if err != nil {
		return fmt.Errorf("%w: archiving aggregate %d: %w", ErrIO, b.seq, err)
	}
	return nil
}

// get returns a copy of key's value in bucket (nil if there is none).
func (ar *archive) get(bucket, key []byte) ([]byte, error) {
	var val []byte
	err := ar.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucket).Get(key); v != nil {
			val = append([]byte{}, v...)
		}
		return nil
	})
	return val, ioOrCorrupt(err)
}

// hasRoot reports whether a member under root is archived.
func (ar *archive) hasRoot(root canon.Digest) (bool, error) {
	v, err := ar.get(bucketRoots, root.Multihash())
	return v != nil, err
}

// hasBatch reports whether aggregate seq is archived.
func (ar *archive) hasBatch(seq uint64) (bool, error) {
	v, err := ar.get(bucketBatches, binary.BigEndian.AppendUint64(nil, seq))
	return v != nil, err
}

// member returns the archived member under root, read back with its
// aggregate (nil if none is archived).
func (ar *archive) member(root canon.Digest) (*member, error) {
	v, err := ar.get(bucketRoots, root.Multihash())
	if err != nil || v == nil {
		return nil, err
	}
	if len(v) != 12 {
		return nil, fmt.Errorf("%w: archived root %s: entry of %d bytes", ErrCorrupt, root, len(v))
	}
	seq, index := binary.BigEndian.Uint64(v), binary.BigEndian.Uint32(v[8:])
	b, err := ar.batch(seq)
	if err != nil {
		return nil, err
	}
	if b == nil || int(index) >= len(b.members) || !b.members[index].c.Root.Equal(root) {
		return nil, fmt.Errorf("%w: archived root %s does not match aggregate %d", ErrCorrupt, root, seq)
	}
	return b.members[index], nil
}

// byAggRoot returns the archived aggregate under root, read back (nil if
// none is archived).
func (ar *archive) byAggRoot(root canon.Digest) (*batch, error) {
	v, err := ar.get(bucketAggs, root.Multihash())
	if err != nil || v == nil {
		return nil, err
	}
	if len(v) != 8 {
		return nil, fmt.Errorf("%w: archived aggregate root %s: entry of %d bytes", ErrCorrupt, root, len(v))
	}
	return ar.batch(binary.BigEndian.Uint64(v))
}

// batch reads archived aggregate seq back as an anchored batch, its tree
// rebuilt and checked against the aggregate (nil if it is not archived).
func (ar *archive) batch(seq uint64) (*batch, error) {
	val, err := ar.get(bucketBatches, binary.BigEndian.AppendUint64(nil, seq))
	if err != nil || val == nil {
		return nil, err
	}
	b, inner, err := parseArchived(seq, val)
	if err != nil {
		return nil, fmt.Errorf("%w: archived aggregate %d: %w", ErrCorrupt, seq, err)
	}
	b.inner = inner
	close(b.done)
	return b, nil
}

// parseArchived decodes an archived aggregate and rebuilds its tree.
func parseArchived(seq uint64, val []byte) (*batch, anchor.Receipt, error) {
	next := func(lenBytes int) ([]byte, error) {
		if len(val) < lenBytes {
			return nil, errors.New("cut short")
		}
		var n int
		if lenBytes == 2 {
			n = int(binary.BigEndian.Uint16(val))
		} else {
			n = int(binary.BigEndian.Uint32(val))
		}
		if len(val) < lenBytes+n {
			return nil, errors.New("cut short")
		}
		out := val[lenBytes : lenBytes+n]
		val = val[lenBytes+n:]
		return out, nil
	}
	enc, err := next(2)
	if err != nil {
		return nil, anchor.Receipt{}, err
	}
	agg, err := anchor.DecodeCommitment(enc)
	if err != nil {
		return nil, anchor.Receipt{}, err
	}
	ij, err := next(4)
	if err != nil {
		return nil, anchor.Receipt{}, err
	}
	inner, err := anchor.ParseReceipt(ij)
	if err != nil {
		return nil, anchor.Receipt{}, err
	}
	b := &batch{seq: seq, sealed: true, done: make(chan struct{})}
	for len(val) > 0 {
		enc, err := next(2)
		if err != nil {
			return nil, anchor.Receipt{}, err
		}
		c, err := anchor.DecodeCommitment(enc)
		if err != nil {
			return nil, anchor.Receipt{}, err
		}
		b.members = append(b.members, &member{c: c, durable: closedChan})
	}
	if err := b.rebuild(agg); err != nil {
		return nil, anchor.Receipt{}, err
	}
	if !inner.Commitment.Equal(agg) {
		return nil, anchor.Receipt{}, errors.New("inner receipt of another commitment")
	}
	return b, inner, nil
}

// ioOrCorrupt passes nil and the archive's own typed errors on, and makes
// any other (bbolt's) an ErrIO.
func ioOrCorrupt(err error) error {
	if err == nil || errors.Is(err, ErrCorrupt) || errors.Is(err, ErrIO) {
		return err
	}
	return errchain.Wrap(ErrIO, err)
}
