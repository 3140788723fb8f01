// Package evmtxtest runs go-ethereum's in-process simulated chain the way
// iotrust's chain tests need it: funded accounts, a miner goroutine that
// seals blocks as a real chain would, and hooks to pause it, seal by hand,
// fork (reorganisations) and move time. Only tests import it.
package evmtxtest

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

// The miner looks for transactions every BlockTime and seals an empty
// block after IdleBlockTime without any.
const (
	BlockTime     = 2 * time.Millisecond
	IdleBlockTime = 20 * time.Millisecond
)

// Chain is a simulated chain with a miner goroutine.
type Chain struct {
	Sim    *simulated.Backend
	Client simulated.Client

	mu      sync.Mutex // serialises Commit, Fork and AdjustTime
	paused  chan struct{}
	resumed chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

// NewKey returns a fresh secp256k1 key.
func NewKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Address returns the account of key.
func Address(key *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(key.PublicKey) }

// WithoutLogIndex turns off go-ethereum 1.16's log index (filtermaps) in
// the simulated node: with it, eth_getLogs can stall forever while blocks
// are sealed quickly (go-ethereum issue #32552). Without it, log queries
// scan block blooms, as before 1.16. New applies it always.
func WithoutLogIndex(_ *node.Config, eth *ethconfig.Config) { eth.LogNoHistory = true }

// New starts a simulated chain where each of keys holds 1,000 ether, with
// the miner running; both stop when the test ends. opts configure the
// node further.
func New(t testing.TB, keys []*ecdsa.PrivateKey, opts ...func(*node.Config, *ethconfig.Config)) *Chain {
	t.Helper()
	funds := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	alloc := types.GenesisAlloc{}
	for _, k := range keys {
		alloc[Address(k)] = types.Account{Balance: funds}
	}
	c := &Chain{
		Sim:    simulated.NewBackend(alloc, append([]func(*node.Config, *ethconfig.Config){WithoutLogIndex}, opts...)...),
		paused: make(chan struct{}), resumed: make(chan struct{}),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	c.Client = c.Sim.Client()
	t.Cleanup(func() { c.Sim.Close() })
	go c.mine()
	t.Cleanup(c.Halt)
	return c
}

func (c *Chain) mine() {
	defer close(c.done)
	tick := time.NewTicker(BlockTime)
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
			n, err := c.Client.PendingTransactionCount(context.Background())
			if err != nil {
				return // chain closed
			}
			if n > 0 || time.Since(last) >= IdleBlockTime {
				c.Commit()
				last = time.Now()
			}
		}
	}
}

// Halt stops the miner for good.
func (c *Chain) Halt() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	<-c.done
}

// Pause stops sealing until Resume; Commit seals by hand meanwhile.
func (c *Chain) Pause() { c.paused <- struct{}{} }

// Resume restarts the miner after Pause.
func (c *Chain) Resume() { c.resumed <- struct{}{} }

// Commit seals a block and returns its hash.
func (c *Chain) Commit() common.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Sim.Commit()
}

// Fork makes the next blocks build on parent (see simulated.Backend.Fork).
func (c *Chain) Fork(parent common.Hash) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Sim.Fork(parent)
}

// AdjustTime moves the chain's clock by d with a new block. The simulated
// chain refuses while its pool still lists transactions, which it drops
// asynchronously after sealing them: AdjustTime retries for a bounded while
// (it waits for the pool, not for chain time).
func (c *Chain) AdjustTime(t testing.TB, d time.Duration) {
	t.Helper()
	var err error
	for range 400 {
		c.mu.Lock()
		err = c.Sim.AdjustTime(d)
		c.mu.Unlock()
		if err == nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("advancing the chain by %v: %v", d, err)
}

// Head returns the chain's latest header.
func (c *Chain) Head(t testing.TB) *types.Header {
	t.Helper()
	h, err := c.Client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
