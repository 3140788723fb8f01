package escrow

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest"
)

// TestDecodeRevertKinds: every contract error maps to a sentinel, and data
// that is not a string passes through.
func TestDecodeRevertKinds(t *testing.T) {
	id := escrowABI.Errors["BadProof"].ID
	err := decodeRevert(evmtxtest.Reverted("0x" + hex.EncodeToString(id[:4])))
	if !errors.Is(err, ErrBadProof) || !errors.Is(err, ErrReverted) {
		t.Fatalf("got %v", err)
	}
	for name := range escrowABI.Errors {
		if revertKinds[name] == nil {
			t.Errorf("contract error %s has no kind", name)
		}
	}
	if err := decodeRevert(evmtxtest.Reverted(42)); err.Error() != "execution reverted" {
		t.Fatalf("non-string data: %v", err)
	}
	if decodeRevert(nil) != nil {
		t.Fatal("nil error decoded to non-nil")
	}
}
