package payment

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Store keeps a party's channels, the best voucher per lane and any
// double-signing evidence in an append-only file. Every Put writes one
// checksummed record and fsyncs before returning, so whatever a caller
// acknowledged after a Put survives a crash (SIGKILL, power loss). On open
// the file is replayed; a torn last record (a crash mid-append, never
// acknowledged) is cut off, any other damage is ErrCorruptStore.
//
// Record layout: length u32 (of type and payload), CRC-32C u32 (of type and
// payload), type u8, payload. A Store is safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	f        *os.File
	path     string
	log      *slog.Logger
	channels map[ChannelID]*Channel
	best     map[ChannelID]map[uint64]*Voucher
	evidence []Evidence
	failed   error // the write error that stopped the store, if any
}

// Evidence is a pair of vouchers with the same channel, lane and nonce but
// different terms: proof that the signer double-signed.
type Evidence struct {
	First, Second *Voucher
}

const (
	recChannel  = 1
	recVoucher  = 2
	recEvidence = 3

	recHeader = 9
	// maxRecord bounds one record: an evidence record holds two vouchers.
	maxRecord = 1 + 2 + 2*MaxVoucherSize + 8
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// OpenStore opens or creates the store file at path. log may be nil.
func OpenStore(path string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("payment: opening store: %w", err)
	}
	s := newStore(log)
	s.f, s.path = f, path
	if err := s.load(); err != nil {
		f.Close()
		return nil, err
	}
	// Make the file's directory entry durable too, for a freshly created file.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return s, nil
}

func newStore(log *slog.Logger) *Store {
	return &Store{log: log, channels: map[ChannelID]*Channel{}, best: map[ChannelID]map[uint64]*Voucher{}}
}

// load replays the file and positions it for appending.
func (s *Store) load() error {
	st, err := s.f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	good, err := s.replay(s.f, size)
	if err != nil {
		return err
	}
	if good < size {
		s.log.Warn("payment: cutting torn last record", "path", s.path, "offset", good, "bytes", size-good)
		if err := s.f.Truncate(good); err != nil {
			return err
		}
		if err := s.f.Sync(); err != nil {
			return err
		}
	}
	_, err = s.f.Seek(good, io.SeekStart)
	return err
}

// replay applies the records of r (size bytes) and returns where the intact
// records end: size, or the start of a torn last record.
func (s *Store) replay(r io.ReaderAt, size int64) (int64, error) {
	br := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 1<<16)
	var off int64
	for off < size {
		typ, payload, n, err := readRecord(br, size-off)
		if errors.Is(err, errTorn) {
			return off, nil
		}
		if err != nil {
			return 0, fmt.Errorf("%w: record at offset %d: %v", ErrCorruptStore, off, err)
		}
		if err := s.apply(typ, payload); err != nil {
			return 0, fmt.Errorf("%w: record at offset %d: %v", ErrCorruptStore, off, err)
		}
		off += n
	}
	return off, nil
}

var errTorn = errors.New("torn record")

// readRecord reads one record; left is the number of bytes up to the end of
// the file. Only the last append can be torn by a crash, so a record is torn
// when it runs past the end, when it is the last one and fails its checksum,
// or when the rest of the file is zeros (blocks allocated, never written).
// Anything else is damage.
func readRecord(r *bufio.Reader, left int64) (typ byte, payload []byte, n int64, err error) {
	if left < recHeader {
		return 0, nil, 0, errTorn
	}
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, 0, err
	}
	l := int64(binary.BigEndian.Uint32(hdr[0:]))
	sum := binary.BigEndian.Uint32(hdr[4:])
	if l < 1 || l > maxRecord {
		if l == 0 && sum == 0 && zerosToEnd(r) {
			return 0, nil, 0, errTorn
		}
		return 0, nil, 0, fmt.Errorf("record length %d", l)
	}
	if 8+l > left {
		return 0, nil, 0, errTorn
	}
	body := make([]byte, l)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, 0, err
	}
	if crc32.Checksum(body, castagnoli) != sum {
		if 8+l == left {
			return 0, nil, 0, errTorn
		}
		return 0, nil, 0, fmt.Errorf("checksum mismatch")
	}
	return body[0], body[1:], 8 + l, nil
}

func zerosToEnd(r *bufio.Reader) bool {
	for {
		b, err := r.ReadByte()
		if err != nil {
			return err == io.EOF
		}
		if b != 0 {
			return false
		}
	}
}

// apply updates the in-memory state from one record.
func (s *Store) apply(typ byte, p []byte) error {
	switch typ {
	case recChannel:
		var c Channel
		if err := json.Unmarshal(p, &c); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		s.channels[c.ID] = &c
	case recVoucher:
		if len(p) < 8 {
			return fmt.Errorf("short voucher record")
		}
		v, err := ParseVoucher(p[8:])
		if err != nil {
			return err
		}
		s.setBest(v)
	case recEvidence:
		if len(p) < 2 {
			return fmt.Errorf("short evidence record")
		}
		n := int(binary.BigEndian.Uint16(p))
		if 2+n > len(p) {
			return fmt.Errorf("evidence length %d", n)
		}
		a, err := ParseVoucher(p[2 : 2+n])
		if err != nil {
			return err
		}
		b, err := ParseVoucher(p[2+n:])
		if err != nil {
			return err
		}
		s.evidence = append(s.evidence, Evidence{First: a, Second: b})
	default:
		return fmt.Errorf("record type %d", typ)
	}
	return nil
}

func (s *Store) setBest(v *Voucher) {
	lanes := s.best[v.Channel]
	if lanes == nil {
		lanes = map[uint64]*Voucher{}
		s.best[v.Channel] = lanes
	}
	if cur := lanes[v.Lane]; cur == nil || v.Nonce > cur.Nonce {
		lanes[v.Lane] = v
	}
}

// append writes one record and fsyncs. Called with s.mu held.
func (s *Store) append(typ byte, payload []byte) error {
	if s.f == nil {
		return ErrClosed
	}
	return s.write(encodeRecord(typ, payload))
}

// write appends encoded records and fsyncs. Called with s.mu held.
//
// After a failed write or fsync the file's tail is unknown (a partial
// record, or pages the kernel dropped), so the store refuses further writes
// rather than append behind damage; reopening repairs the tail.
func (s *Store) write(body []byte) error {
	if s.f == nil {
		return ErrClosed
	}
	if s.failed != nil {
		return fmt.Errorf("%w: after an earlier write error: %v", ErrClosed, s.failed)
	}
	if _, err := s.f.Write(body); err != nil {
		s.failed = err
		return fmt.Errorf("payment: store append: %w", err)
	}
	if err := s.f.Sync(); err != nil {
		s.failed = err
		return fmt.Errorf("payment: store fsync: %w", err)
	}
	return nil
}

// encodeRecord frames one record.
func encodeRecord(typ byte, payload []byte) []byte {
	body := make([]byte, 8+1+len(payload))
	body[8] = typ
	copy(body[9:], payload)
	binary.BigEndian.PutUint32(body[0:], uint32(1+len(payload)))
	binary.BigEndian.PutUint32(body[4:], crc32.Checksum(body[8:], castagnoli))
	return body
}

// PutChannel records c durably (again, after a top-up or a change).
func (s *Store) PutChannel(c *Channel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	p, err := json.Marshal(c)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.append(recChannel, p); err != nil {
		return err
	}
	s.channels[c.ID] = c.Clone()
	return nil
}

// PutVoucher records v durably as its lane's best voucher (if its nonce is
// higher than the current best); at is when it was accepted or issued.
// The caller has checked v (Payee.Accept, Payer.Pay do).
func (s *Store) PutVoucher(v *Voucher, at time.Time) error {
	enc, err := v.MarshalBinary()
	if err != nil {
		return err
	}
	p := make([]byte, 8, 8+len(enc))
	binary.BigEndian.PutUint64(p, uint64(at.UnixNano()))
	p = append(p, enc...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.append(recVoucher, p); err != nil {
		return err
	}
	s.setBest(v.Clone())
	return nil
}

// PutBatch records vouchers and evidence durably with one write and one
// fsync (group commit); at is when they were accepted.
func (s *Store) PutBatch(vs []*Voucher, evs []Evidence, at time.Time) error {
	var buf []byte
	for _, v := range vs {
		enc, err := v.MarshalBinary()
		if err != nil {
			return err
		}
		p := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(enc)), uint64(at.UnixNano()))
		buf = append(buf, encodeRecord(recVoucher, append(p, enc...))...)
	}
	for _, e := range evs {
		p, err := evidencePayload(e)
		if err != nil {
			return err
		}
		buf = append(buf, encodeRecord(recEvidence, p)...)
	}
	if len(buf) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(buf); err != nil {
		return err
	}
	for _, v := range vs {
		s.setBest(v.Clone())
	}
	for _, e := range evs {
		s.evidence = append(s.evidence, Evidence{First: e.First.Clone(), Second: e.Second.Clone()})
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

// PutEvidence records a double-signing pair durably.
func (s *Store) PutEvidence(e Evidence) error {
	p, err := evidencePayload(e)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.append(recEvidence, p); err != nil {
		return err
	}
	s.evidence = append(s.evidence, Evidence{First: e.First.Clone(), Second: e.Second.Clone()})
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

// BestVouchers returns copies of the best voucher of every lane of channel
// id, in lane order: what a close or challenge submits.
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
	// The file only grows: read up to the current end through a handle of
	// its own, without holding the lock while fn runs.
	s.mu.Lock()
	if s.f == nil {
		s.mu.Unlock()
		return ErrClosed
	}
	end, err := s.f.Seek(0, io.SeekCurrent)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReader(io.NewSectionReader(f, 0, end))
	for off := int64(0); off < end; {
		typ, p, n, err := readRecord(r, end-off)
		if err != nil {
			return fmt.Errorf("%w: record at offset %d: %v", ErrCorruptStore, off, err)
		}
		if typ == recVoucher && len(p) >= 8 {
			v, err := ParseVoucher(p[8:])
			if err != nil {
				return fmt.Errorf("%w: record at offset %d: %v", ErrCorruptStore, off, err)
			}
			fn(time.Unix(0, int64(binary.BigEndian.Uint64(p))), v)
		}
		off += n
	}
	return nil
}

// Close closes the file. Everything Put before is already durable.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return ErrClosed
	}
	err := s.f.Close()
	s.f = nil
	return err
}
