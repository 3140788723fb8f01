package devnet_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/devnet"
)

// TestRPCNode: a program reaches the node by URL with its funder key,
// asking it again every block, sees the funds, funds a party (a
// transaction mined by the node's own blocks), and loses the node when it
// closes.
func TestRPCNode(t *testing.T) {
	funds := big.NewInt(5e18)
	n, err := devnet.StartRPCNode(devnet.RPCNodeConfig{Funds: funds})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if n.BlockInterval() != 50*time.Millisecond {
		t.Fatalf("block interval %v, want the default 50ms", n.BlockInterval())
	}
	// Without a poll interval a real node is asked at public-chain pace.
	slow, err := devnet.OpenChain(ctx, devnet.ChainConfig{RPC: n.URL(), FunderKey: n.FunderKey()})
	if err != nil {
		t.Fatal(err)
	}
	if got := slow.SettleConfig().PollInterval; got != time.Second {
		t.Fatalf("default poll interval %v, want 1s", got)
	}
	slow.Close()
	c, err := devnet.OpenChain(ctx, devnet.ChainConfig{RPC: n.URL(), FunderKey: n.FunderKey(), PollInterval: n.BlockInterval()})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.SettleConfig().PollInterval; got != n.BlockInterval() {
		t.Fatalf("poll interval %v, want %v", got, n.BlockInterval())
	}
	if c.Simulated() || c.ChainID().Int64() != 1337 {
		t.Fatalf("simulated %v, chain ID %v", c.Simulated(), c.ChainID())
	}
	if got, err := c.Balance(ctx, c.Funder()); err != nil || got.Cmp(funds) != 0 {
		t.Fatalf("funder holds %v, %v; want %v", got, err, funds)
	}
	k, _ := crypto.GenerateKey()
	party := crypto.PubkeyToAddress(k.PublicKey)
	if err := c.Fund(ctx, big.NewInt(1e15), party); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Balance(ctx, party); err != nil || got.Int64() != 1e15 {
		t.Fatalf("party holds %v, %v", got, err)
	}
	c.Close()
	c.Close() // a second Close of either does nothing
	n.Close()
	n.Close()
	if _, err := devnet.OpenChain(ctx, devnet.ChainConfig{RPC: n.URL(), FunderKey: n.FunderKey()}); err == nil {
		t.Fatal("node reachable after Close")
	}
}
