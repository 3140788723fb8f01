package evm

import (
	"context"
	"crypto/ecdsa"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest"
)

// testChain is go-ethereum's in-process simulated chain (with a miner
// goroutine, see evmtxtest) with the anchor contract deployed and a
// registered gateway. Tests that need to steer the chain
// (reorganisations) pause the miner and commit by hand.
type testChain struct {
	*evmtxtest.Chain
	sim     *simulated.Backend
	client  simulated.Client
	owner   *ecdsa.PrivateKey
	gateway *ecdsa.PrivateKey
	other   *ecdsa.PrivateKey // funded, never registered
	dep     Deployment
}

func newTestChain(t testing.TB, opts ...func(*node.Config, *ethconfig.Config)) *testChain {
	t.Helper()
	c := &testChain{owner: evmtxtest.NewKey(t), gateway: evmtxtest.NewKey(t), other: evmtxtest.NewKey(t)}
	c.Chain = evmtxtest.New(t, []*ecdsa.PrivateKey{c.owner, c.gateway, c.other}, opts...)
	c.sim, c.client = c.Sim, c.Client
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	o, err := NewOwner(ctx, c.client, Config{Signer: KeySigner(c.owner), PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if c.dep, err = o.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	if err := o.AddGateway(ctx, evmtxtest.Address(c.gateway)); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *testChain) pause()                        { c.Pause() }
func (c *testChain) resume()                       { c.Resume() }
func (c *testChain) halt()                         { c.Halt() }
func (c *testChain) commit() common.Hash           { return c.Commit() }
func (c *testChain) fork(parent common.Hash) error { return c.Fork(parent) }

// config is a gateway's Config for this chain, fast enough for tests:
// final after confirmations blocks.
func (c *testChain) config(confirmations uint64) Config {
	return Config{
		Contract:      c.dep.Address,
		DeployBlock:   c.dep.Block,
		Signer:        KeySigner(c.gateway),
		Finality:      ConfirmationCount,
		Confirmations: confirmations,
		PollInterval:  2 * time.Millisecond,
		RetryBackoff:  time.Millisecond,
	}
}

func (c *testChain) ledger(t testing.TB, cfg Config) *Ledger {
	t.Helper()
	l, err := Open(context.Background(), c.client, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}
