package stake

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/reading"
)

var t0 = time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)

// airBatch is one anchored batch of PM2.5 readings, µg/m³ at scale 1, from
// six devices at t0: device 0 reports 3.0 where the others report 36 to 41;
// reading 6 is device 1's value a day later, reading 7 a temperature of
// device 2, reading 8 a commitment of device 3.
type airBatch struct {
	tree     *merkle.Tree
	readings []reading.Signed
	bundles  []*evidence.Bundle
	trust    evidence.Trust
}

func newAirBatch(t *testing.T) *airBatch {
	t.Helper()
	ctx := context.Background()
	s, v, err := tlog.NewEd25519Signer("example.com/stake-test", ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	l, err := tlog.Open(ctx, tlog.Config{Dir: t.TempDir(), Signer: s, Verifier: v, CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	keys := make([]did.PrivateKey, 6)
	dids := make([]string, 6)
	for i := range keys {
		if keys[i], err = did.Ed25519.DeriveKey(bytes.Repeat([]byte{byte(i + 1)}, 32)); err != nil {
			t.Fatal(err)
		}
		if dids[i], err = did.New(keys[i].Public()); err != nil {
			t.Fatal(err)
		}
	}
	pm := func(dev int, at time.Time, value int64) reading.Reading {
		return reading.Reading{Device: dids[dev], Topic: "air/district-4/pm25", Seq: uint64(at.Unix()), Time: at,
			Sensor: "pm25", Value: value, Scale: 1, Unit: "ug/m3"}
	}
	rs := []reading.Reading{
		pm(0, t0, 30), pm(1, t0.Add(10*time.Second), 382), pm(2, t0.Add(-20*time.Second), 365),
		pm(3, t0.Add(5*time.Second), 411), pm(4, t0, 394), pm(5, t0.Add(time.Second), 372),
		pm(1, t0.Add(24*time.Hour), 380),
		{Device: dids[2], Topic: "air/district-4/temp", Seq: 1, Time: t0, Sensor: "temperature", Value: 1520, Scale: 2, Unit: "Cel"},
		{Device: dids[3], Topic: "air/district-4/pm25", Seq: 1, Time: t0, Sensor: "pm25", Scale: 1, Unit: "ug/m3", Commitment: bytes.Repeat([]byte{1}, 32)},
	}
	b := &airBatch{trust: evidence.Trust{Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: l.Origin(), Verifier: l.Verifier()}}}}
	leaves := make([][]byte, len(rs))
	for i, r := range rs {
		sr, err := reading.Sign(keys[indexOf(dids, r.Device)], r)
		if err != nil {
			t.Fatal(err)
		}
		b.readings = append(b.readings, sr)
		if leaves[i], err = sr.LeafBytes(); err != nil {
			t.Fatal(err)
		}
	}
	tree := merkle.NewTree(merkle.BLAKE3, leaves)
	b.tree = tree
	id, err := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: 0x1e, MhLength: -1}.Sum(bytes.Join(leaves, nil))
	if err != nil {
		t.Fatal(err)
	}
	c := anchor.Commitment{Root: tree.Digest(), CID: id, WindowStart: t0.Add(-time.Minute), WindowEnd: t0.Add(25 * time.Hour),
		Count: uint64(len(rs)), Topic: "air/district-4"}
	rcpt, err := l.Anchor(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if rcpt, err = l.WaitFinal(ctx, rcpt); err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		p, err := tree.InclusionProof(uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		bd, err := evidence.New(b.readings[i], p, c, []anchor.Receipt{rcpt})
		if err != nil {
			t.Fatal(err)
		}
		b.bundles = append(b.bundles, bd)
	}
	return b
}

func indexOf(s []string, x string) int {
	for i := range s {
		if s[i] == x {
			return i
		}
	}
	return -1
}

var rule = Rule{Bound: 150, MinNeighbours: 3, MaxSkew: time.Minute}

// A reading 15 µg/m³ or more away from each of five neighbours is proven
// bad; the digest names exactly these bundles in this order.
func TestMisreport(t *testing.T) {
	ctx := context.Background()
	b := newAirBatch(t)
	m := Misreport{Suspect: b.bundles[0], Neighbours: b.bundles[1:6]}
	if err := m.Check(ctx, rule, b.trust); err != nil {
		t.Fatal(err)
	}
	d1, err := m.Digest()
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := m.Digest()
	if d1 != d2 || d1.Func.String() != "blake3" {
		t.Fatalf("digest %v then %v", d1, d2)
	}
	swapped := Misreport{Suspect: b.bundles[0], Neighbours: []*evidence.Bundle{b.bundles[2], b.bundles[1], b.bundles[3]}}
	fewer := Misreport{Suspect: b.bundles[0], Neighbours: []*evidence.Bundle{b.bundles[1], b.bundles[2], b.bundles[3]}}
	ds, _ := swapped.Digest()
	df, _ := fewer.Digest()
	if ds == df || df == d1 {
		t.Fatal("digests of different misreports collide")
	}
	// A neighbour can be the suspect of nothing: device 1's reading
	// agrees with the rest.
	honest := Misreport{Suspect: b.bundles[1], Neighbours: b.bundles[2:6]}
	if err := honest.Check(ctx, rule, b.trust); !errors.Is(err, ErrNotProven) {
		t.Fatalf("an honest reading: %v", err)
	}
}

// Each way a misreport can fail to prove anything, with its error.
func TestMisreportRefuses(t *testing.T) {
	ctx := context.Background()
	b := newAirBatch(t)
	bd := b.bundles
	nb := func(idx ...int) []*evidence.Bundle {
		out := make([]*evidence.Bundle, len(idx))
		for i, x := range idx {
			out[i] = bd[x]
		}
		return out
	}
	forged := *bd[0]
	forged.Readings = []reading.Signed{bd[0].Readings[0]}
	forged.Readings[0].Value = 20 // no longer what device 0 signed
	multi, err := b.tree.MultiInclusionProof([]uint64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	set, err := evidence.NewSet(b.readings[1:3], multi, bd[1].Commitment, bd[1].Receipts)
	if err != nil {
		t.Fatal(err)
	}
	otherLog := evidence.Trust{Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: "example.com/another-log", Verifier: b.trust.Ledgers[0].Verifier}}}
	for _, tc := range []struct {
		name  string
		m     Misreport
		rule  Rule
		trust evidence.Trust
		want  error
		cause error
		why   string
	}{
		{"negative bound", Misreport{bd[0], nb(1, 2, 3)}, Rule{Bound: -1, MinNeighbours: 3}, b.trust, ErrBadParameters, nil, "rule"},
		{"no neighbours required", Misreport{bd[0], nb(1, 2, 3)}, Rule{Bound: 1}, b.trust, ErrBadParameters, nil, "rule"},
		{"negative skew", Misreport{bd[0], nb(1, 2, 3)}, Rule{Bound: 1, MinNeighbours: 1, MaxSkew: -1}, b.trust, ErrBadParameters, nil, "rule"},
		{"too few neighbours", Misreport{bd[0], nb(1, 2)}, rule, b.trust, ErrNotProven, nil, "2 neighbours"},
		{"too many neighbours", Misreport{bd[0], make([]*evidence.Bundle, MaxNeighbours+1)}, rule, b.trust, ErrNotProven, nil, "65 neighbours"},
		{"no suspect", Misreport{nil, nb(1, 2, 3)}, rule, b.trust, ErrNotProven, nil, "suspect: not a bundle"},
		{"nil neighbour", Misreport{bd[0], []*evidence.Bundle{bd[1], nil, bd[3]}}, rule, b.trust, ErrNotProven, nil, "neighbour 1: not a bundle"},
		{"suspect forged", Misreport{&forged, nb(1, 2, 3)}, rule, b.trust, ErrNotProven, reading.ErrBadSignature, "suspect: evidence"},
		{"untrusted ledger", Misreport{bd[0], nb(1, 2, 3)}, rule, otherLog, ErrNotProven, evidence.ErrNotVerified, "anchored"},
		{"set bundle", Misreport{bd[0], []*evidence.Bundle{set, bd[3], bd[4]}}, rule, b.trust, ErrNotProven, nil, "neighbour 0: not a bundle of one"},
		{"suspect as its own neighbour", Misreport{bd[0], nb(1, 0, 3)}, rule, b.trust, ErrNotProven, nil, "neighbour 1: device"},
		{"one device twice", Misreport{bd[0], nb(1, 6, 3)}, rule, b.trust, ErrNotProven, nil, "neighbour 1: device"},
		{"another sensor", Misreport{bd[0], nb(1, 3, 7)}, rule, b.trust, ErrNotProven, nil, "neighbour 2: temperature"},
		{"a commitment", Misreport{bd[0], nb(1, 2, 8)}, rule, b.trust, ErrNotProven, nil, "neighbour 2: the reading carries a commitment"},
		{"suspect a commitment", Misreport{bd[8], nb(1, 2, 4)}, rule, b.trust, ErrNotProven, nil, "suspect: the reading carries a commitment"},
		{"neighbour too late", Misreport{bd[0], nb(2, 3, 4)}, Rule{Bound: 150, MinNeighbours: 3, MaxSkew: 10 * time.Second}, b.trust, ErrNotProven, nil, "neighbour 0: taken -20s"},
		{"neighbour agrees within the bound", Misreport{bd[0], nb(1, 2, 3)}, Rule{Bound: 352, MinNeighbours: 3, MaxSkew: time.Minute}, b.trust, ErrNotProven, nil, "neighbour 0: 382 agrees"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.Check(ctx, tc.rule, tc.trust)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Check = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Fatalf("Check = %v, not about %q", err, tc.why)
			}
			if tc.cause != nil && !errors.Is(err, tc.cause) {
				t.Fatalf("Check = %v, does not wrap %v", err, tc.cause)
			}
		})
	}
	if _, err := (Misreport{Suspect: nil}).Digest(); !errors.Is(err, evidence.ErrMalformed) {
		t.Fatalf("Digest of no suspect: %v", err)
	}
}
