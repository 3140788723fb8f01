package batch

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
)

// The index is a bbolt file holding what outlives a write-ahead segment:
// each sealed batch (its commitment, segment, state and receipts), which
// batch and leaf every sealed reading is, and each device's anti-replay
// window.
var (
	bucketBatches  = []byte("batches")  // batch number (8 bytes BE) → batchRecord JSON
	bucketRuns     = []byte("runs")     // first batch number (8 BE) → a bucket holding a run of reading locations (runs.go)
	bucketReadings = []byte("readings") // written by earlier versions only: reading ID → batch (8) ‖ leaf (4)
	bucketDevices  = []byte("devices")  // device DID → window
	bucketSegments = []byte("segments") // segment number (8) → batch number (8)
)

// State of a batch in the gateway. A batch moves forward only: sealed,
// anchored, then settled or final, both of which are its last state (Open
// takes up sealed and anchored batches only).
const (
	stateSealed   = "sealed"   // stored and committed; anchoring pending
	stateAnchored = "anchored" // the policy's ledgers returned receipts
	// stateSettled: anchored, every receipt Final or as settled as the
	// gateway can learn (Included or later, from a ledger it cannot
	// follow: an Anchorer that is no anchor.Ledger), not all Final.
	// Indexes written before this state existed hold such batches as
	// anchored; the next Open settles them. Versions before it read the
	// state as one they do not follow.
	stateSettled = "settled"
	stateFinal   = "final" // every receipt is Final
)

// batchRecord is one sealed batch as the index keeps it.
type batchRecord struct {
	Number     uint64            `json:"number"`
	Segment    uint64            `json:"segment"`
	Commitment anchor.Commitment `json:"commitment"`
	State      string            `json:"state"`
	SealedAt   time.Time         `json:"sealedAt"`
	Receipts   []ledgerReceipt   `json:"receipts,omitempty"`
}

// ledgerReceipt is a receipt and the index of the ledger (in
// Config.Ledgers) that issued it. Config.Ledgers must keep its order
// across restarts.
type ledgerReceipt struct {
	Ledger  int            `json:"ledger"`
	Receipt anchor.Receipt `json:"receipt"`
}

type index struct {
	db *bolt.DB

	// later holds batch records that need not be durable at once: a
	// batch's receipts (a batch found sealed at the next start is
	// anchored again, which the ledgers' idempotence makes safe). The next
	// commitBatch, or close, writes them; until then reads see them.
	mu    sync.Mutex
	later map[uint64]laterRecord
	gen   uint64
}

// laterRecord is a record kept for later, and when it was kept.
type laterRecord struct {
	rec batchRecord
	gen uint64
}

func openIndex(path string) (*index, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("batch: %s is in use by another gateway", path)
	}
	if err != nil {
		return nil, fmt.Errorf("batch: opening index: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketBatches, bucketRuns, bucketDevices, bucketSegments} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("batch: initialising index: %w", err)
	}
	return &index{db: db, later: map[uint64]laterRecord{}}, nil
}

// close writes the records kept for later, if any, then closes the
// database.
func (x *index) close() error {
	x.mu.Lock()
	pending := len(x.later) > 0
	x.mu.Unlock()
	var err error
	if pending {
		var kept []laterRecord
		err = x.update(func(tx *bolt.Tx) (err error) {
			kept, err = x.writeLater(tx)
			return err
		})
		if err == nil {
			x.forget(kept)
		}
	}
	return errors.Join(err, x.db.Close())
}

// putBatchLater replaces a batch record as a transaction of its own
// would, but leaves the write to the index's next commitBatch (or close).
func (x *index) putBatchLater(rec batchRecord) {
	// A copy of its receipts: the caller goes on to update its own.
	rec.Receipts = slices.Clone(rec.Receipts)
	x.mu.Lock()
	x.gen++
	x.later[rec.Number] = laterRecord{rec, x.gen}
	x.mu.Unlock()
}

// writeLater writes, in tx, the records kept for later, except where the
// stored record is as far along already (a record only moves forward:
// sealed, anchored, settled or final). It returns what it took, for forget.
func (x *index) writeLater(tx *bolt.Tx) ([]laterRecord, error) {
	x.mu.Lock()
	kept := make([]laterRecord, 0, len(x.later))
	for _, l := range x.later {
		kept = append(kept, l)
	}
	x.mu.Unlock()
	b := tx.Bucket(bucketBatches)
	for _, l := range kept {
		v := b.Get(u64(l.rec.Number))
		if v == nil {
			return nil, fmt.Errorf("%w: batch %d has receipts but no record", ErrCorrupt, l.rec.Number)
		}
		var stored batchRecord
		if err := canon.Decode(v, &stored); err != nil {
			return nil, fmt.Errorf("%w: batch %d: %w", ErrCorrupt, l.rec.Number, err)
		}
		if stateRank(stored.State) >= stateRank(l.rec.State) {
			continue
		}
		val, err := json.Marshal(l.rec)
		if err != nil {
			return nil, fmt.Errorf("batch: encoding batch record: %w", err)
		}
		if err := b.Put(u64(l.rec.Number), val); err != nil {
			return nil, err
		}
	}
	return kept, nil
}

// forget drops the records a committed writeLater took, unless they were
// replaced meanwhile.
func (x *index) forget(kept []laterRecord) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, l := range kept {
		if x.later[l.rec.Number].gen == l.gen {
			delete(x.later, l.rec.Number)
		}
	}
}

// newest returns rec, or the record kept for later for the same batch if
// that one is further along.
func (x *index) newest(rec batchRecord) batchRecord {
	x.mu.Lock()
	defer x.mu.Unlock()
	if l, ok := x.later[rec.Number]; ok && stateRank(l.rec.State) > stateRank(rec.State) {
		return l.rec
	}
	return rec
}

// stateRank orders a batch's states: sealed, anchored, then settled or
// final (never both for one batch).
func stateRank(state string) int {
	switch state {
	case stateAnchored:
		return 1
	case stateSettled, stateFinal:
		return 2
	}
	return 0
}

// settledState reports whether a batch in state is not followed again:
// final, or settled.
func settledState(state string) bool { return state == stateFinal || state == stateSettled }

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// commitBatch records a sealed batch, its readings and, in one
// transaction, its readings' sequence numbers in their devices' windows.
// The index's windows hold sealed readings only (the gateway's live ones
// also hold readings still being appended, which a crash may lose, and a
// device must be able to send those again): a sequence number is spent
// across a restart only once its reading is durable.
func (x *index) commitBatch(rec batchRecord, ids []canon.Digest, readings []pending) error {
	val, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("batch: encoding batch record: %w", err)
	}
	var kept []laterRecord
	err = x.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketBatches).Put(u64(rec.Number), val); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSegments).Put(u64(rec.Segment), u64(rec.Number)); err != nil {
			return err
		}
		runs := tx.Bucket(bucketRuns)
		if err := putRun(runs, u64(rec.Number), newRun(rec.Number, ids)); err != nil {
			return err
		}
		if err := compactRuns(runs); err != nil {
			return err
		}
		db := tx.Bucket(bucketDevices)
		windows := map[string]*seqWindow{}
		for _, p := range readings {
			w := windows[p.device]
			if w == nil {
				w = new(seqWindow)
				if v := db.Get([]byte(p.device)); v != nil {
					if err := w.unmarshal(v); err != nil {
						return fmt.Errorf("%w: device window of %q: %w", ErrCorrupt, p.device, err)
					}
				}
				windows[p.device] = w
			}
			w.accept(p.seq)
		}
		for d, w := range windows {
			if err := db.Put([]byte(d), w.marshal()); err != nil {
				return err
			}
		}
		kept, err = x.writeLater(tx)
		return err
	})
	if err == nil {
		x.forget(kept)
	}
	return err
}

// putBatchGrouped replaces a batch record (a new state or receipts) for
// callers that arrive together (the batches a checkpoint makes final at
// once): their records are written in one transaction, one sync for all,
// at the cost of a short wait (bbolt's batch delay) for a caller alone.
func (x *index) putBatchGrouped(rec batchRecord) error {
	val, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("batch: encoding batch record: %w", err)
	}
	// Batch may run the function more than once: a Put is idempotent.
	return x.batchTx(func(tx *bolt.Tx) error { return tx.Bucket(bucketBatches).Put(u64(rec.Number), val) })
}

func (x *index) batch(n uint64) (batchRecord, error) {
	var rec batchRecord
	err := x.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketBatches).Get(u64(n))
		if v == nil {
			return fmt.Errorf("%w: batch %d", ErrNotFound, n)
		}
		if err := canon.Decode(v, &rec); err != nil {
			return fmt.Errorf("%w: batch %d: %w", ErrCorrupt, n, err)
		}
		return nil
	})
	if err != nil {
		return rec, err
	}
	return x.newest(rec), nil
}

// lookup returns the places (batch number, leaf index) where a sealed
// reading with id may be: every entry whose ID shares id's first
// runPrefix bytes. The caller checks the leaf's full ID.
func (x *index) lookup(id canon.Digest) ([]location, error) {
	var out []location
	err := x.view(func(tx *bolt.Tx) error {
		var err error
		if out, err = findInRuns(tx.Bucket(bucketRuns), id, out); err != nil {
			return err
		}
		if old := tx.Bucket(bucketReadings); old != nil { // an index written by an earlier version
			if v := old.Get(id.Bytes()); v != nil {
				if len(v) != 12 {
					return fmt.Errorf("%w: reading index entry of %d bytes", ErrCorrupt, len(v))
				}
				out = append(out, location{batch: binary.BigEndian.Uint64(v), leaf: binary.BigEndian.Uint32(v[8:])})
			}
		}
		return nil
	})
	return out, err
}

// segmentSealed reports whether a write-ahead segment's batch is committed.
func (x *index) segmentSealed(seg uint64) (bool, error) {
	var ok bool
	err := x.view(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketSegments).Get(u64(seg)) != nil
		return nil
	})
	return ok, err
}

// load returns every batch record not settled (sealed or anchored, see
// settledState) and the highest batch number.
func (x *index) load() ([]batchRecord, uint64, error) {
	var recs []batchRecord
	var last uint64
	err := x.view(func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketBatches).ForEach(func(k, v []byte) error {
			var rec batchRecord
			if err := canon.Decode(v, &rec); err != nil {
				return fmt.Errorf("%w: batch %x: %w", ErrCorrupt, k, err)
			}
			last = max(last, rec.Number)
			if !settledState(rec.State) {
				recs = append(recs, rec)
			}
			return nil
		})
		return err
	})
	return recs, last, err
}

// window returns device's window over its sealed readings (empty for a
// device the index does not know).
func (x *index) window(device string) (seqWindow, error) {
	var w seqWindow
	err := x.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketDevices).Get([]byte(device))
		if v == nil {
			return nil
		}
		if err := w.unmarshal(v); err != nil {
			return fmt.Errorf("%w: device window of %q: %w", ErrCorrupt, device, err)
		}
		return nil
	})
	return w, err
}

// recent returns up to n of the most recent batch records, newest first.
func (x *index) recent(n int) ([]batchRecord, error) {
	var recs []batchRecord
	err := x.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBatches).Cursor()
		for k, v := c.Last(); k != nil && len(recs) < n; k, v = c.Prev() {
			var rec batchRecord
			if err := canon.Decode(v, &rec); err != nil {
				return fmt.Errorf("%w: batch %x: %w", ErrCorrupt, k, err)
			}
			recs = append(recs, x.newest(rec))
		}
		return nil
	})
	return recs, err
}

// batchByRoot finds a batch by its commitment root (a scan from the newest).
func (x *index) batchByRoot(root canon.Digest) (batchRecord, error) {
	var found batchRecord
	err := x.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBatches).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var rec batchRecord
			if err := canon.Decode(v, &rec); err != nil {
				return fmt.Errorf("%w: batch %x: %w", ErrCorrupt, k, err)
			}
			if rec.Commitment.Root.Equal(root) {
				found = x.newest(rec)
				return nil
			}
		}
		return fmt.Errorf("%w: no batch with root %s", ErrNotFound, root)
	})
	return found, err
}

func (w *seqWindow) marshal() []byte {
	b := make([]byte, 0, 9+len(w.seen)*8)
	if w.started {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint64(b, w.high)
	for _, s := range w.seen {
		b = binary.BigEndian.AppendUint64(b, s)
	}
	return b
}

func (w *seqWindow) unmarshal(b []byte) error {
	if len(b) != 9+len(w.seen)*8 || b[0] > 1 {
		return errors.New("bad window encoding")
	}
	w.started = b[0] == 1
	w.high = binary.BigEndian.Uint64(b[1:])
	for i := range w.seen {
		w.seen[i] = binary.BigEndian.Uint64(b[9+8*i:])
	}
	return nil
}

// view, update and batchTx are the database's View, Update and Batch,
// with a closed database reported as ErrClosed.
func (x *index) view(f func(*bolt.Tx) error) error    { return closedAs(x.db.View(f)) }
func (x *index) update(f func(*bolt.Tx) error) error  { return closedAs(x.db.Update(f)) }
func (x *index) batchTx(f func(*bolt.Tx) error) error { return closedAs(x.db.Batch(f)) }

func closedAs(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return err
}
