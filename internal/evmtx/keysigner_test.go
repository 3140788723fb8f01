package evmtx

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// KeySigner(nil) is an error where it is used, not a panic.
func TestKeySignerNil(t *testing.T) {
	s := KeySigner(nil)
	if s.Address() != (common.Address{}) {
		t.Fatalf("address %s, want the zero address", s.Address())
	}
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(1337), Gas: 21000})
	if _, err := s.SignTx(tx, big.NewInt(1337)); !errors.Is(err, ErrNoKey) {
		t.Fatalf("SignTx: %v, want ErrNoKey", err)
	}
	if !NoKey(s) || NoKey(nil) {
		t.Fatal("NoKey does not tell KeySigner(nil)")
	}
}
