package errchain_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/iotrust/iotrust/anchor/internal/errchain"
)

func TestWrap(t *testing.T) {
	outer := errors.New("anchor: receipt does not verify")
	reason := errors.New("anchor: bad root digest")
	inner := fmt.Errorf("%w: all zero", reason)
	err := errchain.Wrap(outer, inner)
	if !errors.Is(err, outer) || !errors.Is(err, reason) {
		t.Fatalf("%v does not match both", err)
	}
	if got, want := err.Error(), "anchor: receipt does not verify: bad root digest: all zero"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	other := errchain.Wrap(outer, errors.New("tlog: bad checkpoint"))
	if got, want := other.Error(), "anchor: receipt does not verify: tlog: bad checkpoint"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	var target *testError
	if !errors.As(errchain.Wrap(outer, &testError{}), &target) {
		t.Error("errors.As does not reach the inner error")
	}
}

type testError struct{}

func (*testError) Error() string { return "x" }
