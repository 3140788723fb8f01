package evm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/evm"
	"github.com/iotrust/iotrust/canon"
)

// Example deploys the anchor contract on go-ethereum's in-process
// simulated chain, registers a gateway, anchors a commitment, waits until
// the chain has finalized its block, and verifies the receipt offline from
// the block's hash alone. Against a real chain, replace the simulated
// backend by ethclient.Dial(url) and skip the deployment.
func Example() {
	ownerKey, _ := crypto.GenerateKey()
	gatewayKey, _ := crypto.GenerateKey()
	gateway := crypto.PubkeyToAddress(gatewayKey.PublicKey)
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	sim := simulated.NewBackend(types.GenesisAlloc{
		crypto.PubkeyToAddress(ownerKey.PublicKey): {Balance: eth},
		gateway: {Balance: eth},
	})
	defer sim.Close()
	// A simulated chain seals a block only on Commit; seal one every 10ms,
	// as a (fast) real chain would.
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
	owner, err := evm.NewOwner(ctx, sim.Client(), evm.Config{Signer: evm.KeySigner(ownerKey), PollInterval: 5 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	dep, err := owner.Deploy(ctx)
	if err != nil {
		log.Fatal(err)
	}
	if err := owner.AddGateway(ctx, gateway); err != nil {
		log.Fatal(err)
	}

	l, err := evm.Open(ctx, sim.Client(), evm.Config{
		Contract:     dep.Address,
		DeployBlock:  dep.Block,
		Signer:       evm.KeySigner(gatewayKey),
		PollInterval: 5 * time.Millisecond,
	})
	if err != nil {
		log.Fatal(err)
	}
	batch, _ := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: 0x12, MhLength: -1}.Sum([]byte("encrypted batch"))
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := anchor.Commitment{
		Root:        canon.Sum(canon.BLAKE3, []byte("merkle root of the batch")),
		CID:         batch,
		WindowStart: start,
		WindowEnd:   start.Add(time.Minute),
		Count:       1000,
		Topic:       "coldchain/truck-7/temp",
	}
	r, err := l.Anchor(ctx, c) // returns once the transaction is in a block
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Ledger, r.Chain)
	r, err = l.WaitFinal(ctx, r) // the chain's "finalized" block reached it
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.State)
	again, err := l.Anchor(ctx, c) // idempotent: the first receipt, no second write
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(again.TxID == r.TxID, l.VerifyReceipt(ctx, r) == nil)

	// An auditor trusts the hash of the finalized block (from its own
	// node, a light client, a published checkpoint) and nothing else.
	block, err := sim.Client().HeaderByNumber(ctx, new(big.Int).SetUint64(r.Position))
	if err != nil {
		log.Fatal(err)
	}
	v := evm.NewHeaderVerifier(big.NewInt(1337), dep.Address, evm.Checkpoint{r.Position: block.Hash()})
	fmt.Println(v.VerifyReceipt(ctx, r) == nil)
	forged := r
	forged.Commitment.Count++
	fmt.Println(errors.Is(v.VerifyReceipt(ctx, forged), anchor.ErrBadReceipt))
	// Output:
	// evm eip155:1337
	// final
	// true true
	// true
	// true
}
