package escrow

import (
	"encoding/hex"
	"errors"
	"testing"
)

// rpcError is an error carrying revert data, as JSON-RPC clients return it.
type rpcError struct{ data any }

func (e rpcError) Error() string  { return "execution reverted" }
func (e rpcError) ErrorData() any { return e.data }

// TestDecodeRevertKinds: every contract error maps to a sentinel, and data
// that is not a string passes through.
func TestDecodeRevertKinds(t *testing.T) {
	id := escrowABI.Errors["BadProof"].ID
	err := decodeRevert(rpcError{"0x" + hex.EncodeToString(id[:4])})
	if !errors.Is(err, ErrBadProof) || !errors.Is(err, ErrReverted) {
		t.Fatalf("got %v", err)
	}
	for name := range escrowABI.Errors {
		if revertKinds[name] == nil {
			t.Errorf("contract error %s has no kind", name)
		}
	}
	if err := decodeRevert(rpcError{42}); err.Error() != "execution reverted" {
		t.Fatalf("non-string data: %v", err)
	}
	if decodeRevert(nil) != nil {
		t.Fatal("nil error decoded to non-nil")
	}
}
