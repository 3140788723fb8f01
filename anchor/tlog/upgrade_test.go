package tlog_test

import (
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// TestUpgradeAfterRestart: a client holds an Included receipt without a
// proof; the log restarts (forgetting everything but its files); Upgrade
// still brings the receipt to Final with a proof that verifies offline.
func TestUpgradeAfterRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	l, err := tlog.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := anchortest.Commitment("held by a client")
	r, err := l.Anchor(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	held := r
	held.State, held.Proof = anchor.Included, nil

	l = openTestLog(t, cfg)
	up, err := l.Upgrade(t.Context(), held)
	if err != nil {
		t.Fatal(err)
	}
	if up.State != anchor.Final || up.Position != r.Position || up.TxID != r.TxID {
		t.Fatalf("upgraded to %v at %d (%s), want final at %d (%s)", up.State, up.Position, up.TxID, r.Position, r.TxID)
	}
	v, err := tlog.NewVerifier(cfg.Verifier)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.VerifyReceipt(t.Context(), up); err != nil {
		t.Fatalf("upgraded receipt: %v", err)
	}
}
