package settle

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest"
)

func TestDecodeRevertKinds(t *testing.T) {
	id := contractABI.Errors["SettleTooEarly"].ID
	data := append(append([]byte(nil), id[:4]...), make([]byte, 32)...)
	err := decodeRevert(evmtxtest.Reverted("0x" + hex.EncodeToString(data)))
	if !errors.Is(err, ErrTooEarly) || !errors.Is(err, ErrReverted) {
		t.Fatalf("got %v", err)
	}
	for name := range contractABI.Errors {
		if revertKinds[name] == nil {
			t.Errorf("contract error %s has no kind", name)
		}
	}
	if err := decodeRevert(evmtxtest.Reverted(42)); err.Error() != "execution reverted" {
		t.Fatalf("non-string data: %v", err)
	}
}
