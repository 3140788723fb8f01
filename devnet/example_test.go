package devnet_test

import (
	"context"
	"fmt"
	"math/big"
	"os"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/quiet"
)

// A program opens a log in a directory and a chain (simulated here; a node
// with ChainConfig{RPC: url, FunderKey: os.Getenv(devnet.FunderKeyEnv)}),
// and funds a party's fresh account from the funder.
func Example() {
	quiet.Libraries()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "devnet-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	log, err := devnet.OpenLog(ctx, dir, "example.iotrust/devnet")
	if err != nil {
		panic(err)
	}
	defer log.Close()
	fmt.Println("log", log.Origin(), "trusted as", devnet.TrustedLedger(log).Name)

	chain, err := devnet.OpenChain(ctx, devnet.ChainConfig{})
	if err != nil {
		panic(err)
	}
	defer chain.Close()
	party, err := crypto.GenerateKey()
	if err != nil {
		panic(err)
	}
	account := crypto.PubkeyToAddress(party.PublicKey)
	if err := chain.Fund(ctx, big.NewInt(1e17), account); err != nil {
		panic(err)
	}
	balance, err := chain.Balance(ctx, account)
	if err != nil {
		panic(err)
	}
	fmt.Println("party holds", devnet.Ether(balance))
	// Output:
	// log example.iotrust/devnet trusted as tlog
	// party holds 0.1 ETH
}
