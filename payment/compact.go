package payment

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Compact rewrites the file with only what is still needed: every channel,
// the best and the best unconditional voucher of every lane, the evidence (one pair per lane and
// nonce), and the voucher records
// stored at or after keepSince with, per lane, the last one before it (so a
// payer that passes now minus its longest cap window rebuilds the same
// spending windows). The new file is written and fsynced beside
// the old one and renamed over it, so a crash leaves one or the other,
// never a mix.
func (s *Store) Compact(keepSince time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil {
		return ErrClosed
	}
	var out [][]byte
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
		out = append(out, storeRecord(recChannel, p))
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
	for rec, err := range s.file.Records(context.Background()) {
		if err != nil {
			return storeError(err)
		}
		if len(rec) == 0 {
			continue
		}
		typ, p := rec[0], rec[1:]
		switch typ {
		case recEvidence:
			// Kept once per lane and nonce: written from s.evidence below.
		case recVoucher:
			if len(p) < 8 {
				return fmt.Errorf("%w: short voucher record", ErrCorruptStore)
			}
			v, err := ParseVoucher(p[8:])
			if err != nil {
				return fmt.Errorf("%w: %v", ErrCorruptStore, err)
			}
			at := time.Unix(0, int64(binary.BigEndian.Uint64(p)))
			best, unc := s.best[v.Channel][v.Lane], s.unconditional[v.Channel][v.Lane]
			keep := !at.Before(keepSince) || (best != nil && best.sameTerms(v)) || (unc != nil && unc.sameTerms(v))
			if at.Before(keepSince) {
				lastBefore[laneKey{v.Channel, v.Lane}] = len(recs)
			}
			recs = append(recs, record{typ, p, keep})
		}
	}
	for _, i := range lastBefore {
		recs[i].keep = true
	}
	for _, e := range s.evidence {
		p, err := evidencePayload(e)
		if err != nil {
			return err
		}
		out = append(out, storeRecord(recEvidence, p))
	}
	for _, rec := range recs {
		if rec.keep {
			out = append(out, storeRecord(rec.typ, rec.p))
		}
	}
	if err := s.file.Rewrite(context.Background(), out); err != nil {
		return storeError(err)
	}
	return nil
}
