package payment

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"sort"
	"sync"
	"time"

	"github.com/iotrust/iotrust/internal/recordlog"
)

// Store keeps a party's channels, the best voucher per lane (and the best
// unconditional one, see Unconditional) and any
// double-signing evidence in an append-only file, a record log
// (internal/recordlog). Every Put writes its records and fsyncs before
// returning, so whatever a caller acknowledged after a Put survives a crash
// (SIGKILL, power loss). On open the file is replayed; a torn last record
// (a crash mid-append, never acknowledged) is cut off, any other damage is
// ErrCorruptStore. One Store at a time has the file open: another
// OpenStore of it, from this process or another, fails with
// ErrStoreLocked, so two payers never hand out the same nonce.
//
// A record is a type byte and its payload. A Store is safe for concurrent
// use.
type Store struct {
	mu       sync.Mutex
	file     *recordlog.Log // nil once closed
	path     string
	log      *slog.Logger
	channels map[ChannelID]*Channel
	best     map[ChannelID]map[uint64]*Voucher
	// unconditional holds, per lane, the best voucher redeemable at any
	// time: no condition, no NotAfter (see Unconditional).
	unconditional map[ChannelID]map[uint64]*Voucher
	evidence      []Evidence
	// evidenceKeys holds the lanes and nonces evidence is held for.
	evidenceKeys map[evidenceKey]struct{}
}

// Evidence is a pair of vouchers with the same channel, lane and nonce but
// different terms: proof that the signer double-signed. A Store keeps one
// pair per channel, lane and nonce (the first it was given), so replaying
// double-signed vouchers does not grow it.
type Evidence struct {
	First, Second *Voucher
}

// ErrStoreLocked is returned by OpenStore for a file that another Store,
// of this process or another, has open.
var ErrStoreLocked = errors.New("payment: store file in use by another store")

const (
	recChannel  = 1
	recVoucher  = 2
	recEvidence = 3

	// storeKind names the store's records in the file header.
	storeKind = "payment-store.v1"
	// maxRecord bounds one record: an evidence record holds two vouchers.
	maxRecord = 1 + 2 + 2*MaxVoucherSize + 8
)

// OpenStore opens or creates the store file at path. log may be nil.
func OpenStore(path string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f, err := recordlog.Open(path, recordlog.Options{Kind: storeKind, MaxRecordSize: maxRecord, Logger: log})
	switch {
	case errors.Is(err, recordlog.ErrLocked):
		return nil, fmt.Errorf("%w: %s", ErrStoreLocked, path)
	case errors.Is(err, recordlog.ErrNotLog):
		return nil, fmt.Errorf("%w: %w (store files written before the record log format are not read)", ErrCorruptStore, err)
	case err != nil:
		return nil, storeError(err)
	}
	s := newStore(log)
	i := 0
	for rec, err := range f.Records(context.Background()) {
		if err == nil {
			if err = s.apply(rec); err != nil {
				err = fmt.Errorf("%w: record %d: %w", ErrCorruptStore, i, err)
			}
		} else {
			err = storeError(err)
		}
		if err != nil {
			f.Close()
			return nil, err
		}
		i++
	}
	s.file, s.path = f, path
	return s, nil
}

// storeError maps an error of the record log to the store's.
func storeError(err error) error {
	switch {
	case errors.Is(err, recordlog.ErrCorrupt):
		return fmt.Errorf("%w: %w", ErrCorruptStore, err)
	case errors.Is(err, recordlog.ErrClosed), errors.Is(err, recordlog.ErrFailed):
		// After a failed fsync the file's tail is unknown: the store takes
		// no more writes; reopening reads what is on disk.
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return fmt.Errorf("payment: store: %w", err)
}

func newStore(log *slog.Logger) *Store {
	return &Store{log: log, channels: map[ChannelID]*Channel{}, best: map[ChannelID]map[uint64]*Voucher{},
		unconditional: map[ChannelID]map[uint64]*Voucher{}, evidenceKeys: map[evidenceKey]struct{}{}}
}

// decodedRecord is one record of the file, decoded: exactly one field is set.
type decodedRecord struct {
	channel  *Channel
	voucher  *Voucher
	evidence *Evidence
}

// decodeRecord decodes one record as OpenStore reads it. Every put decodes
// the record it is about to write first, so the store never acknowledges
// a record it could not read back.
func decodeRecord(rec []byte) (decodedRecord, error) {
	if len(rec) == 0 {
		return decodedRecord{}, fmt.Errorf("empty record")
	}
	typ, p := rec[0], rec[1:]
	switch typ {
	case recChannel:
		var c Channel
		if err := json.Unmarshal(p, &c); err != nil {
			return decodedRecord{}, err
		}
		if err := c.Validate(); err != nil {
			return decodedRecord{}, err
		}
		return decodedRecord{channel: &c}, nil
	case recVoucher:
		if len(p) < 8 {
			return decodedRecord{}, fmt.Errorf("short voucher record")
		}
		v, err := ParseVoucher(p[8:])
		if err != nil {
			return decodedRecord{}, err
		}
		return decodedRecord{voucher: v}, nil
	case recEvidence:
		if len(p) < 2 {
			return decodedRecord{}, fmt.Errorf("short evidence record")
		}
		n := int(binary.BigEndian.Uint16(p))
		if 2+n > len(p) {
			return decodedRecord{}, fmt.Errorf("evidence length %d", n)
		}
		a, err := ParseVoucher(p[2 : 2+n])
		if err != nil {
			return decodedRecord{}, err
		}
		b, err := ParseVoucher(p[2+n:])
		if err != nil {
			return decodedRecord{}, err
		}
		return decodedRecord{evidence: &Evidence{First: a, Second: b}}, nil
	}
	return decodedRecord{}, fmt.Errorf("record type %d", typ)
}

// readBack decodes recs, records about to be written, as OpenStore will:
// an error (ErrMalformed wrapping the cause) means that writing them would
// make the file unreadable.
func readBack(recs ...[]byte) ([]decodedRecord, error) {
	out := make([]decodedRecord, len(recs))
	for i, rec := range recs {
		d, err := decodeRecord(rec)
		if err != nil {
			return nil, fmt.Errorf("%w: store: record would not read back: %w", ErrMalformed, err)
		}
		out[i] = d
	}
	return out, nil
}

// apply updates the in-memory state from one record.
func (s *Store) apply(rec []byte) error {
	d, err := decodeRecord(rec)
	if err != nil {
		return err
	}
	s.applyDecoded(d)
	return nil
}

// applyDecoded updates the in-memory state from one decoded record. Called
// with s.mu held, or before the Store is shared.
func (s *Store) applyDecoded(d decodedRecord) {
	switch {
	case d.channel != nil:
		s.channels[d.channel.ID] = d.channel
	case d.voucher != nil:
		s.setBest(d.voucher)
	case d.evidence != nil:
		s.addEvidence(*d.evidence)
	}
}

// evidenceKey is what evidence is deduplicated by: one pair per channel,
// lane and nonce proves the double-signing, however often it is replayed.
type evidenceKey struct {
	channel     ChannelID
	lane, nonce uint64
}

func keyOf(e Evidence) evidenceKey {
	return evidenceKey{e.First.Channel, e.First.Lane, e.First.Nonce}
}

// addEvidence keeps e unless evidence for its lane and nonce is held
// already; it reports whether e was new.
func (s *Store) addEvidence(e Evidence) bool {
	k := keyOf(e)
	if _, ok := s.evidenceKeys[k]; ok {
		return false
	}
	s.evidenceKeys[k] = struct{}{}
	s.evidence = append(s.evidence, e)
	return true
}

func (s *Store) setBest(v *Voucher) {
	setHighest(s.best, v)
	if unconditional(v) {
		setHighest(s.unconditional, v)
	}
}

// setHighest makes v its lane's voucher in m if its nonce is higher.
func setHighest(m map[ChannelID]map[uint64]*Voucher, v *Voucher) {
	lanes := m[v.Channel]
	if lanes == nil {
		lanes = map[uint64]*Voucher{}
		m[v.Channel] = lanes
	}
	if cur := lanes[v.Lane]; cur == nil || v.Nonce > cur.Nonce {
		lanes[v.Lane] = v
	}
}

// unconditional reports whether v, once accepted (NotBefore passed), can be
// redeemed at any time: it has no condition and no NotAfter.
func unconditional(v *Voucher) bool {
	return v.Condition.IsZero() && v.NotAfter == 0
}

// append writes records and fsyncs (one write, one fsync). Called with
// s.mu held.
func (s *Store) append(recs ...[]byte) error {
	if s.file == nil {
		return ErrClosed
	}
	if err := s.file.Append(context.Background(), recs...); err != nil {
		return storeError(err)
	}
	return nil
}

// storeRecord frames one record: its type, then its payload.
func storeRecord(typ byte, payload []byte) []byte {
	return append(append(make([]byte, 0, 1+len(payload)), typ), payload...)
}

// putChannel records c durably (again, after a top-up or a change).
func (s *Store) putChannel(c *Channel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	p, err := json.Marshal(c)
	if err != nil {
		return err
	}
	rec := storeRecord(recChannel, p)
	d, err := readBack(rec)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.append(rec); err != nil {
		return err
	}
	// What the file holds (times in UTC), as a reopened store will have it.
	s.applyDecoded(d[0])
	return nil
}

// voucherRecord frames a voucher record: its type, when it was stored (Unix
// nanoseconds, saturated to the int64 range), then its binary encoding.
func voucherRecord(v *Voucher, at time.Time) ([]byte, error) {
	enc, err := v.MarshalBinary()
	if err != nil {
		return nil, err
	}
	p := binary.BigEndian.AppendUint64(append(make([]byte, 0, 9+len(enc)), recVoucher), uint64(unixNano(at)))
	return append(p, enc...), nil
}

// unixNano is at.UnixNano, saturated: UnixNano is undefined for times
// outside about 1678 to 2262, which an injected clock may give.
func unixNano(at time.Time) int64 {
	switch {
	case at.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	case at.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return at.UnixNano()
}

// putVoucher records v durably as its lane's best voucher (if its nonce is
// higher than the current best); at is when it was accepted or issued.
// The caller has checked v (Payee.Accept, Payer.Pay do).
func (s *Store) putVoucher(v *Voucher, at time.Time) error {
	rec, err := voucherRecord(v, at)
	if err != nil {
		return err
	}
	d, err := readBack(rec)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.append(rec); err != nil {
		return err
	}
	s.applyDecoded(d[0])
	return nil
}

// putBatch records vouchers and evidence durably with one write and one
// fsync (group commit); at is when they were accepted. Evidence for a lane
// and nonce already held is not written again.
func (s *Store) putBatch(vs []*Voucher, evs []Evidence, at time.Time) error {
	recs := make([][]byte, 0, len(vs)+len(evs))
	for _, v := range vs {
		rec, err := voucherRecord(v, at)
		if err != nil {
			return err
		}
		recs = append(recs, rec)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[evidenceKey]bool{}
	for _, e := range evs {
		if _, held := s.evidenceKeys[keyOf(e)]; held || seen[keyOf(e)] {
			continue
		}
		seen[keyOf(e)] = true
		p, err := evidencePayload(e)
		if err != nil {
			return err
		}
		recs = append(recs, storeRecord(recEvidence, p))
	}
	if len(recs) == 0 {
		return nil
	}
	ds, err := readBack(recs...)
	if err != nil {
		return err
	}
	if err := s.append(recs...); err != nil {
		return err
	}
	for _, d := range ds {
		s.applyDecoded(d)
	}
	return nil
}

func evidencePayload(e Evidence) ([]byte, error) {
	a, err := e.First.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b, err := e.Second.MarshalBinary()
	if err != nil {
		return nil, err
	}
	p := binary.BigEndian.AppendUint16(nil, uint16(len(a)))
	return append(append(p, a...), b...), nil
}

// putEvidence records a double-signing pair durably, unless evidence for
// its lane and nonce is held already.
func (s *Store) putEvidence(e Evidence) error {
	p, err := evidencePayload(e)
	if err != nil {
		return err
	}
	rec := storeRecord(recEvidence, p)
	d, err := readBack(rec)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, held := s.evidenceKeys[keyOf(e)]; held {
		return nil
	}
	if err := s.append(rec); err != nil {
		return err
	}
	s.applyDecoded(d[0])
	return nil
}

// Channel returns a copy of the channel with id.
func (s *Store) Channel(id ChannelID) (*Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[id]
	if !ok {
		return nil, false
	}
	return c.Clone(), true
}

// Channels returns copies of all channels, in ID order.
func (s *Store) Channels() []*Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Channel, 0, len(s.channels))
	for _, c := range s.channels {
		out = append(out, c.Clone())
	}
	sort.Slice(out, func(i, j int) bool { return string(out[i].ID[:]) < string(out[j].ID[:]) })
	return out
}

// Best returns a copy of the best voucher of lane in channel id.
func (s *Store) Best(id ChannelID, lane uint64) (*Voucher, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.best[id][lane]
	if !ok {
		return nil, false
	}
	return v.Clone(), true
}

// Unconditional returns a copy of the best voucher of lane in channel id
// that can be redeemed at any time: the one with the highest nonce among
// those without a condition or a NotAfter. It is the lane's Best unless a
// later voucher is conditional or time-locked, which may never be
// redeemable; settling falls back on it then (payment/settle's SubmitBest
// and Defend), so such a voucher never costs the payee what it held.
func (s *Store) Unconditional(id ChannelID, lane uint64) (*Voucher, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.unconditional[id][lane]
	if !ok {
		return nil, false
	}
	return v.Clone(), true
}

// BestVouchers returns copies of the best voucher (highest nonce) of every
// lane of channel id, in lane order. What a close or challenge can submit
// is, per lane, this voucher if it is redeemable, else the lane's
// Unconditional one.
func (s *Store) BestVouchers(id ChannelID) []*Voucher {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Voucher, 0, len(s.best[id]))
	for _, v := range s.best[id] {
		out = append(out, v.Clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Lane < out[j].Lane })
	return out
}

// Total returns the sum of the best amounts over all lanes of channel id.
func (s *Store) Total(id ChannelID) *big.Int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.totalLocked(id)
}

func (s *Store) totalLocked(id ChannelID) *big.Int {
	t := new(big.Int)
	for _, v := range s.best[id] {
		t.Add(t, v.Amount)
	}
	return t
}

// Evidence returns copies of the recorded double-signing evidence.
func (s *Store) Evidence() []Evidence {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Evidence, len(s.evidence))
	for i, e := range s.evidence {
		out[i] = Evidence{First: e.First.Clone(), Second: e.Second.Clone()}
	}
	return out
}

// History calls fn for every voucher record in the file, oldest first, with
// the time it was stored: a payer rebuilds its spending windows from it.
func (s *Store) History(fn func(at time.Time, v *Voucher)) error {
	// The file only grows: read up to its current end without holding the
	// lock while fn runs.
	s.mu.Lock()
	f := s.file
	s.mu.Unlock()
	if f == nil {
		return ErrClosed
	}
	i := 0
	for rec, err := range f.Records(context.Background()) {
		if err != nil {
			return storeError(err)
		}
		if len(rec) >= 9 && rec[0] == recVoucher {
			v, err := ParseVoucher(rec[9:])
			if err != nil {
				return fmt.Errorf("%w: record %d: %w", ErrCorruptStore, i, err)
			}
			fn(time.Unix(0, int64(binary.BigEndian.Uint64(rec[1:]))), v)
		}
		i++
	}
	return nil
}

// Close closes the file and releases it for another OpenStore. Everything
// Put before is already durable.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil {
		return ErrClosed
	}
	err := s.file.Close()
	s.file = nil
	if err != nil {
		return fmt.Errorf("payment: store: %w", err)
	}
	return nil
}
