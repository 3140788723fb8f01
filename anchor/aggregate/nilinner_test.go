package aggregate_test

import (
	"errors"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// TestNilInner: Open and NewVerifier refuse an inner ledger or verifier
// that is a nil pointer behind the interface (Open used to accept it, and
// its anchoring goroutine then panicked, taking the process down), and a
// Verifier not made by NewVerifier refuses receipts instead of panicking.
func TestNilInner(t *testing.T) {
	var inner *tlog.Log
	if a, err := aggregate.Open(t.Context(), testConfig(inner, t.TempDir())); err == nil {
		a.Close()
		t.Error("Open with a nil *tlog.Log as Inner succeeded")
	}
	var v *tlog.Verifier
	if _, err := aggregate.NewVerifier(v); err == nil {
		t.Error("NewVerifier with a nil *tlog.Verifier succeeded")
	}
	l := openLog(t, t.TempDir())
	a := openAggregator(t, testConfig(l, t.TempDir()))
	r, err := a.Anchor(t.Context(), anchortest.Commitment("nil inner"))
	if err != nil {
		t.Fatal(err)
	}
	var zero aggregate.Verifier
	if err := zero.VerifyReceipt(t.Context(), r); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("zero Verifier: %v, want ErrBadReceipt", err)
	}
}
