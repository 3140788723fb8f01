package devnet

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/internal/evmtx"
)

// TestFundedAccountSpendsAtOnce: an account funded by Fund can send a
// transaction right away. The simulated chain's pool takes in a new block
// in the background; a transaction sent before it had judged the account
// by its balance before the transfer ("insufficient funds", balance 0),
// which an example once met under load.
func TestFundedAccountSpendsAtOnce(t *testing.T) {
	ctx := context.Background()
	c, err := OpenChain(ctx, ChainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sink := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	for i := range 40 {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Fund(ctx, big.NewInt(1e17), crypto.PubkeyToAddress(k.PublicKey)); err != nil {
			t.Fatal(err)
		}
		send, err := c.senders.Of(ctx, evmtx.KeySigner(k))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := send.Transact(ctx, evmtx.Call{To: &sink, Value: big.NewInt(1), Gas: 21000}); err != nil {
			t.Fatalf("transfer %d from a just-funded account: %v", i, err)
		}
	}
}
