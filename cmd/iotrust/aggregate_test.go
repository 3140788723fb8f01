package main

import (
	"strings"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/merkle"
)

// A reading anchored through an aggregator verifies from the log's key
// alone, is upgraded from the log's files, and is described.
func TestAggregatedReceipts(t *testing.T) {
	w := fixture(t)
	if got := w.agg.Receipts[0].Ledger; got != aggregate.LedgerName {
		t.Fatalf("fixture: receipt of %q", got)
	}
	r := iotrust(t, "", "verify", "--log-key", w.logKey, w.aggPath)
	if r.code != exitOK || !strings.Contains(r.stdout, "pass  receipt[0]: aggregate "+w.origin+" position 2\n") {
		t.Fatalf("verify: exit %d", r.code)
	}

	in := writeFile(t, "pending.evidence.json", changeBundle(t, w.agg, func(b *evidence.Bundle) {
		p, err := aggregate.OpenReceipt(b.Receipts[0])
		if err != nil {
			t.Fatal(err)
		}
		p.Inner.State, p.Inner.Proof = anchor.Included, nil
		pb, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		b.Receipts[0].State, b.Receipts[0].Proof = anchor.Included, pb
	}))
	if r := iotrust(t, "", "verify", "--log-key", w.logKey, in); r.code != exitFailed || !strings.Contains(r.stdout, "skip  receipt[0]") {
		t.Fatalf("pending aggregate receipt: exit %d", r.code)
	}
	r = iotrust(t, "", "upgrade", "--log", w.logDir, "--log-key", w.logKey, "--in-place", in)
	if r.code != exitOK || !strings.Contains(r.stderr, "included -> final (its aggregate proven in the checkpoint of 3 entries)") {
		t.Fatalf("upgrade: exit %d", r.code)
	}
	if r := iotrust(t, "", "verify", "--log-key", w.logKey, in); r.code != exitOK {
		t.Fatalf("upgraded aggregate receipt: exit %d", r.code)
	}

	// A member path that leads elsewhere fails the receipt.
	bad := writeFile(t, "bad.evidence.json", changeBundle(t, w.agg, func(b *evidence.Bundle) {
		p, _ := aggregate.OpenReceipt(b.Receipts[0])
		p.Path = merkle.InclusionProof{Hasher: p.Path.Hasher, Index: 1, Size: 2, Path: []merkle.Hash{{1}}}
		b.Receipts[0].Proof, _ = p.MarshalBinary()
	}))
	if r := iotrust(t, "", "verify", "--log-key", w.logKey, bad); r.code != exitFailed || !strings.Contains(r.stdout, "fail  receipt[0]") {
		t.Fatalf("tampered member path: exit %d", r.code)
	}

	r = iotrust(t, "", "inspect", "--log-key", w.logKey, w.aggPath)
	for _, want := range []string{"    ledger:     aggregate " + w.origin, "      member:     leaf 0 of an aggregate of 1 commitment, blake3 proof of 0 hashes",
		"      aggregate:\n        ledger:     tlog " + w.origin, "    signature:  verified with " + w.logKey} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inspect lacks %q", want)
		}
	}
	path := writeFile(t, "proof", w.agg.Receipts[0].Proof)
	if r := iotrust(t, "", "inspect", path); r.code != exitOK || !strings.HasPrefix(r.stdout, "aggregate receipt proof (binary)\n") {
		t.Errorf("inspect aggregate proof: exit %d", r.code)
	}
}
