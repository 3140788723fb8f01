package evmtx

import (
	"errors"
	"fmt"
	"testing"
)

func TestWrap(t *testing.T) {
	sentinel := errors.New("evm: sender is not a registered gateway")
	err := Wrap("evm", fmt.Errorf("%w: 0xab", sentinel), "anchor %s", "X")
	if got, want := err.Error(), "evm: anchor X: sender is not a registered gateway: 0xab"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	if !errors.Is(err, sentinel) {
		t.Error("does not match its cause")
	}
	other := Wrap("settle", errors.New("evm: something"), "open")
	if got, want := other.Error(), "settle: open: evm: something"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	closed := errors.New("anchor: ledger closed")
	for got, want := range map[error]string{
		Wrap("evm", closed, "anchor"):         "evm: anchor: ledger closed",
		Wrap("evm", closed, "anchor %s", "X"): "evm: anchor X: ledger closed",
		Wrap("evm", closed, "lookup"):         "evm: lookup: anchor: ledger closed",
	} {
		if got.Error() != want {
			t.Errorf("text %q, want %q", got, want)
		}
	}
	if Wrap("evm", nil, "x") != nil {
		t.Error("nil is not nil")
	}
}
