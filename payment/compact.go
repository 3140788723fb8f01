package payment

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Compact rewrites the file with only what is still needed: every channel,
// the best voucher of every lane, all evidence, and the voucher records
// stored at or after keepSince with, per lane, the last one before it (so a
// payer that passes now minus its longest cap window rebuilds the same
// spending windows). The new file is written and fsynced beside
// the old one and renamed over it, so a crash leaves one or the other,
// never a mix.
func (s *Store) Compact(keepSince time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return ErrClosed
	}
	if s.failed != nil {
		return fmt.Errorf("%w: after an earlier write error: %v", ErrClosed, s.failed)
	}
	end, err := s.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	var out []byte
	ids := make([]ChannelID, 0, len(s.channels))
	for id := range s.channels {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return string(ids[i][:]) < string(ids[j][:]) })
	for _, id := range ids {
		p, err := json.Marshal(s.channels[id])
		if err != nil {
			return err
		}
		out = append(out, encodeRecord(recChannel, p)...)
	}
	// Keep, per lane, the last voucher before keepSince too: the baseline
	// from which the increments of the kept recent vouchers are computed.
	type laneKey struct {
		id   ChannelID
		lane uint64
	}
	type record struct {
		typ  byte
		p    []byte
		keep bool
	}
	var recs []record
	lastBefore := map[laneKey]int{}
	r := bufio.NewReader(io.NewSectionReader(s.f, 0, end))
	for off := int64(0); off < end; {
		typ, p, n, err := readRecord(r, end-off)
		if err != nil {
			return fmt.Errorf("%w: record at offset %d: %v", ErrCorruptStore, off, err)
		}
		off += n
		switch typ {
		case recEvidence:
			recs = append(recs, record{typ, p, true})
		case recVoucher:
			v, err := ParseVoucher(p[8:])
			if err != nil {
				return fmt.Errorf("%w: %v", ErrCorruptStore, err)
			}
			at := time.Unix(0, int64(binary.BigEndian.Uint64(p)))
			best := s.best[v.Channel][v.Lane]
			keep := !at.Before(keepSince) || (best != nil && best.Nonce == v.Nonce && best.sameTerms(v))
			if at.Before(keepSince) {
				lastBefore[laneKey{v.Channel, v.Lane}] = len(recs)
			}
			recs = append(recs, record{typ, p, keep})
		}
	}
	for _, i := range lastBefore {
		recs[i].keep = true
	}
	for _, rec := range recs {
		if rec.keep {
			out = append(out, encodeRecord(rec.typ, rec.p)...)
		}
	}
	tmp := s.path + ".compact"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(out); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, s.path); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(s.path)); err == nil {
		d.Sync()
		d.Close()
	}
	s.f.Close()
	s.f = f
	_, err = s.f.Seek(0, io.SeekEnd)
	return err
}
