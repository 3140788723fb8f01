package evm

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
)

// testChain is go-ethereum's in-process simulated chain with the anchor
// contract deployed, a registered gateway, and a miner goroutine that seals
// a block every blockTime, like a real chain does. Tests that need to
// steer the chain (reorganisations) pause the miner and commit by hand.
type testChain struct {
	sim     *simulated.Backend
	client  simulated.Client
	owner   *ecdsa.PrivateKey
	gateway *ecdsa.PrivateKey
	other   *ecdsa.PrivateKey // funded, never registered
	dep     Deployment

	mu      sync.Mutex // serialises Commit and Fork
	paused  chan struct{}
	resumed chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

// The miner looks for transactions every testBlockTime and seals an empty
// block after testIdleBlockTime without any.
const (
	testBlockTime     = 2 * time.Millisecond
	testIdleBlockTime = 20 * time.Millisecond
)

func newKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// withoutLogIndex turns off go-ethereum 1.16's log index (filtermaps) in
// the simulated node: with it, eth_getLogs can stall forever while blocks
// are sealed quickly (go-ethereum issue #32552, open for v1.16.x). Without
// it, log queries scan block blooms, which is what they did before 1.16.
func withoutLogIndex(_ *node.Config, eth *ethconfig.Config) { eth.LogNoHistory = true }

func newTestChain(t testing.TB) *testChain {
	t.Helper()
	c := &testChain{owner: newKey(t), gateway: newKey(t), other: newKey(t)}
	funds := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{c.owner, c.gateway, c.other} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: funds}
	}
	c.sim = simulated.NewBackend(alloc, withoutLogIndex)
	t.Cleanup(func() { c.sim.Close() })
	c.client = c.sim.Client()
	c.paused, c.resumed = make(chan struct{}), make(chan struct{})
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	go c.mine()
	t.Cleanup(c.halt)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	o, err := NewOwner(ctx, c.client, Config{Signer: KeySigner(c.owner), PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if c.dep, err = o.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	if err := o.AddGateway(ctx, crypto.PubkeyToAddress(c.gateway.PublicKey)); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *testChain) mine() {
	defer close(c.done)
	tick := time.NewTicker(testBlockTime)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-c.stop:
			return
		case <-c.paused:
			select {
			case <-c.resumed:
			case <-c.stop:
				return
			}
		case <-tick.C:
			// Seal at once when transactions wait, otherwise now and then
			// so that confirmations accrue: sealing costs ~10ms of CPU.
			n, err := c.client.PendingTransactionCount(context.Background())
			if err != nil {
				return // chain closed
			}
			if n > 0 || time.Since(last) >= testIdleBlockTime {
				c.commit()
				last = time.Now()
			}
		}
	}
}

// halt stops the miner for good.
func (c *testChain) halt() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	<-c.done
}

// pause stops sealing until resume; commit seals by hand meanwhile.
func (c *testChain) pause()  { c.paused <- struct{}{} }
func (c *testChain) resume() { c.resumed <- struct{}{} }

func (c *testChain) commit() common.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sim.Commit()
}

func (c *testChain) fork(parent common.Hash) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sim.Fork(parent)
}

// config is a gateway's Config for this chain, fast enough for tests.
func (c *testChain) config(confirmations uint64) Config {
	return Config{
		Contract:      c.dep.Address,
		DeployBlock:   c.dep.Block,
		Signer:        KeySigner(c.gateway),
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
