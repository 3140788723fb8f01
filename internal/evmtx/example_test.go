package evmtx_test

import (
	"context"
	"fmt"
	"log"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/iotrust/iotrust/internal/evmtx"
)

// Example sends a transfer on go-ethereum's simulated chain and waits for
// its receipt; a stuck transaction would be replaced at a higher fee after
// BumpAfter blocks.
func Example() {
	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	to := common.Address{0xaa}
	sim := simulated.NewBackend(types.GenesisAlloc{from: {Balance: big.NewInt(1e18)}})
	defer sim.Close()
	// The simulated chain seals a block on Commit; seal one every 10ms.
	// The sealing goroutine is waited for before the chain closes (the
	// deferred calls run in reverse): a Commit on a closed chain panics.
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for t := time.NewTicker(10 * time.Millisecond); ; {
			select {
			case <-stop:
				return
			case <-t.C:
				sim.Commit()
			}
		}
	}()
	defer func() { close(stop); <-stopped }()

	ctx := context.Background()
	s, err := evmtx.NewSender(ctx, sim.Client(), evmtx.KeySigner(key), evmtx.Config{PollInterval: 5 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	r, err := s.Transact(ctx, evmtx.Call{To: &to, Value: big.NewInt(1000)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Status == types.ReceiptStatusSuccessful, r.GasUsed)
	// Output: true 21000
}
