package stake_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/stake"
)

// A device owner bonds on go-ethereum's in-process chain; the arbiter
// slashes part of the bond for a misreport (here only its digest: see
// Misreport for the evidence behind one), once; the owner cannot leave
// before the unbonding delay.
func Example() {
	ctx := context.Background()
	chain, err := devnet.OpenChain(ctx, devnet.ChainConfig{}) // go-ethereum's simulated chain
	if err != nil {
		fmt.Println(err)
		return
	}
	defer chain.Close()
	arbiterKey, _ := crypto.GenerateKey()
	ownerKey, _ := crypto.GenerateKey()
	arbiterAddr := crypto.PubkeyToAddress(arbiterKey.PublicKey)
	ownerAddr := crypto.PubkeyToAddress(ownerKey.PublicKey)
	if err := chain.Fund(ctx, big.NewInt(1e18), arbiterAddr, ownerAddr); err != nil {
		fmt.Println(err)
		return
	}
	client := chain.Client()
	arbiter, owner := stake.KeySigner(arbiterKey), stake.KeySigner(ownerKey)
	cfg := stake.Config{PollInterval: time.Millisecond} // a real chain: leave the default

	addr, _, err := stake.Deploy(ctx, client, arbiter, arbiterAddr, 7*24*time.Hour, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	pool, _ := stake.New(ctx, client, addr, cfg)
	if _, err := pool.Bond(ctx, owner, big.NewInt(10_000)); err != nil {
		fmt.Println(err)
		return
	}
	misreport := canon.Sum(canon.BLAKE3, []byte("the bundles of a misreport")) // Misreport.Digest()
	_, err = pool.Slash(ctx, arbiter, ownerAddr, big.NewInt(2_500), misreport)
	fmt.Println("slash:", err)
	_, err = pool.Slash(ctx, arbiter, ownerAddr, big.NewInt(2_500), misreport)
	fmt.Println("again:", errors.Is(err, stake.ErrAlreadySlashed))
	bond, _ := pool.BondOf(ctx, ownerAddr)
	burned, _ := pool.Burned(ctx)
	fmt.Println("bond:", bond.Amount, "burned:", burned)
	pool.Unbond(ctx, owner)
	_, err = pool.Withdraw(ctx, owner)
	fmt.Println("withdraw at once:", errors.Is(err, stake.ErrLocked))
	// Output:
	// slash: <nil>
	// again: true
	// bond: 7500 burned: 2500
	// withdraw at once: true
}
