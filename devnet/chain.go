package devnet

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/iotrust/iotrust/internal/evmtx"
	"github.com/iotrust/iotrust/payment/settle"
)

// FunderKeyEnv is the environment variable programs read the funder key
// from when they run against a real node (-rpc): the hex private key of an
// account funded on that chain.
const FunderKeyEnv = "IOTRUST_FUNDER_KEY"

// ErrNoFunderKey is returned by OpenChain for a real node without a funder
// key, ErrBadFunderKey for a funder key that is not a hex secp256k1 key.
var (
	ErrNoFunderKey  = errors.New("devnet: a real chain needs a funded account's private key (hex)")
	ErrBadFunderKey = errors.New("devnet: funder key is not a hex secp256k1 private key")
)

// ChainConfig says which chain OpenChain opens.
type ChainConfig struct {
	// RPC is the JSON-RPC URL of an EVM node; empty starts go-ethereum's
	// simulated chain in this process.
	RPC string
	// FunderKey is the hex private key (an optional 0x prefix allowed) of
	// an account funded on the RPC chain. It is required with RPC and
	// ignored without it: the simulated chain makes its own funder.
	FunderKey string
	// Progress, when not nil, runs each wait for a transaction or for chain
	// time and may show that it is waiting (see Progress); nil just waits.
	Progress func(label string, wait func() error) error
	// PollInterval is how often, on the RPC chain, a wait asks the node
	// again (for a receipt, for chain time); zero or less: each wait's own
	// default (1 s for receipts and chain time, 200 ms in Mined), which
	// suits a public chain's block times. A local node that seals a block
	// every few milliseconds warrants a shorter interval. The simulated
	// chain ignores it and asks every millisecond.
	PollInterval time.Duration
}

// Chain is an EVM chain for development: the simulated chain or a node
// reached over JSON-RPC, with one funded account (the funder) that pays
// for every party. Its methods are safe for concurrent use as far as the
// underlying client is.
type Chain struct {
	sim      *simulated.Backend // nil on a real node
	client   simulated.Client   // *ethclient.Client implements it too
	chainID  *big.Int
	funder   *ecdsa.PrivateKey
	progress func(string, func() error) error
	senders  *evmtx.Senders // the funder's transfers
	every    time.Duration  // ChainConfig.PollInterval

	// On the simulated chain a goroutine seals a block whenever
	// transactions wait, and an empty one every 50 ms otherwise, as a real
	// chain would (go-ethereum finds a block's transactions by hash only
	// once blocks follow it, and senders that poll for receipts, like
	// payment/settle's, need blocks to come by themselves); sealing and
	// moving the clock take turns under mu.
	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
}

// genesisFunds is the simulated funder's balance: 1000 ether.
var genesisFunds = new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))

// OpenChain starts the simulated chain, whose funder holds 1000 ether at
// genesis, or connects to cfg.RPC with cfg.FunderKey as the funder. The
// caller closes the chain.
func OpenChain(ctx context.Context, cfg ChainConfig) (*Chain, error) {
	c := &Chain{progress: cfg.Progress, every: cfg.PollInterval}
	if c.progress == nil {
		c.progress = func(_ string, wait func() error) error { return wait() }
	}
	if cfg.RPC == "" {
		k, err := crypto.GenerateKey()
		if err != nil {
			return nil, err
		}
		c.funder = k
		// eth_getLogs can hang while blocks are sealed quickly (go-ethereum
		// #32552); log history is not kept.
		c.sim = simulated.NewBackend(types.GenesisAlloc{crypto.PubkeyToAddress(k.PublicKey): {Balance: genesisFunds}},
			func(_ *node.Config, ec *ethconfig.Config) { ec.LogNoHistory = true })
		c.client = c.sim.Client()
		c.stop, c.done = make(chan struct{}), make(chan struct{})
		go c.mine()
	} else {
		s := strings.TrimPrefix(strings.TrimSpace(cfg.FunderKey), "0x")
		if s == "" {
			return nil, ErrNoFunderKey
		}
		k, err := crypto.HexToECDSA(s)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadFunderKey, err)
		}
		c.funder = k
		cl, err := ethclient.DialContext(ctx, cfg.RPC)
		if err != nil {
			return nil, err
		}
		c.client = cl
	}
	id, err := c.client.ChainID(ctx)
	if err != nil {
		c.Close()
		return nil, err
	}
	c.chainID = id
	c.senders = evmtx.NewSenders(c.client, evmtx.Config{PollInterval: c.poll(time.Second)})
	return c, nil
}

// mine seals a block whenever transactions wait and every 50 ms, until
// Close.
func (c *Chain) mine() {
	defer close(c.done)
	last := time.Now()
	for {
		select {
		case <-c.stop:
			return
		case <-time.After(time.Millisecond):
		}
		n, err := c.client.PendingTransactionCount(context.Background())
		if err == nil && (n > 0 || time.Since(last) > 50*time.Millisecond) {
			c.commit()
			last = time.Now()
		}
	}
}

func (c *Chain) commit() {
	c.mu.Lock()
	c.sim.Commit()
	c.mu.Unlock()
}

// Close stops the simulated chain or closes the connection to the node.
func (c *Chain) Close() {
	if c.sim != nil {
		if c.stop != nil {
			close(c.stop)
			<-c.done
			c.stop = nil
		}
		_ = c.sim.Close()
	} else if cl, ok := c.client.(*ethclient.Client); ok {
		cl.Close()
	}
}

// Client is the chain's client; it implements settle.Client and the
// contract-binding interfaces.
func (c *Chain) Client() simulated.Client { return c.client }

// ChainID is the chain's EIP-155 ID.
func (c *Chain) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// Simulated reports whether the chain is the in-process simulated chain,
// on which time moves at once when asked (real chains take real time).
func (c *Chain) Simulated() bool { return c.sim != nil }

// Funder is the address of the account that funds the parties.
func (c *Chain) Funder() common.Address { return crypto.PubkeyToAddress(c.funder.PublicKey) }

// Signer returns the transaction signer of key, for payment/settle. key
// must not be nil.
func (c *Chain) Signer(key *ecdsa.PrivateKey) settle.Signer { return settle.KeySigner(key) }

// SettleConfig is how a Settler on this chain sends: polling fast on the
// simulated chain, the defaults on a real one.
func (c *Chain) SettleConfig() settle.Config {
	return settle.Config{PollInterval: c.poll(time.Second)}
}

// Mined returns tx's receipt once it is mined. On the simulated chain it
// seals a block first. It asks
// again while the node does not know the receipt yet (or is still indexing
// it), gives up after 50 other failures in a row, and stops with ctx.
func (c *Chain) Mined(ctx context.Context, tx *types.Transaction) (r *types.Receipt, err error) {
	if c.sim != nil {
		c.commit()
	}
	err = c.progress("waiting for transaction "+tx.Hash().Hex()[:10]+"… to be mined", func() error {
		for failures := 0; ; {
			r, err = c.client.TransactionReceipt(ctx, tx.Hash())
			switch {
			case err == nil:
				return nil
			case !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing"):
				if failures++; failures == 50 {
					return err
				}
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(c.poll(200 * time.Millisecond)):
			}
		}
	})
	return r, err
}

// poll is how long a wait whose default on a real node is real sleeps
// between two questions to the node.
func (c *Chain) poll(real time.Duration) time.Duration {
	if c.sim != nil {
		return time.Millisecond
	}
	if c.every > 0 {
		return c.every
	}
	return real
}

// Fund sends amount wei from the funder to each account, one mined
// transfer after another, and returns once the accounts can spend it (on
// the simulated chain, once its transaction pool has taken in the
// transfers).
func (c *Chain) Fund(ctx context.Context, amount *big.Int, accounts ...common.Address) error {
	for _, a := range accounts {
		if err := c.transfer(ctx, a, amount); err != nil {
			return fmt.Errorf("funding %s: %w", a, err)
		}
	}
	return nil
}

func (c *Chain) transfer(ctx context.Context, to common.Address, amount *big.Int) error {
	send, err := c.senders.Of(ctx, evmtx.KeySigner(c.funder))
	if err != nil {
		return err
	}
	return c.progress("waiting for the transfer to "+to.Hex()[:10]+"… to be mined", func() error {
		r, err := send.Transact(ctx, evmtx.Call{To: &to, Value: amount, Gas: 21000})
		if err == nil && r.Status != types.ReceiptStatusSuccessful {
			err = errors.New("transfer reverted")
		}
		if err == nil && c.sim != nil {
			// The pool takes in a sealed block in the background and until
			// then judges transactions by the state before it, so a
			// transaction of the account just funded would be refused for
			// insufficient funds. Sealing a block first waits for the pool.
			c.commit()
		}
		return err
	})
}

// Balance returns a's balance in wei at the latest block.
func (c *Chain) Balance(ctx context.Context, a common.Address) (*big.Int, error) {
	return c.client.BalanceAt(ctx, a, nil)
}

// Now returns the time of the chain's latest block, in UTC.
func (c *Chain) Now(ctx context.Context) (time.Time, error) {
	h, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(int64(h.Time), 0).UTC(), nil
}

// WaitUntil returns once the latest block's time is after t: the simulated
// chain moves its clock there at once, a real chain is watched until its
// blocks get there. It stops with ctx.
func (c *Chain) WaitUntil(ctx context.Context, t time.Time) error {
	now, err := c.Now(ctx)
	if err != nil || now.After(t) {
		return err
	}
	return c.progress(fmt.Sprintf("waiting for the chain's clock to pass %s", t.UTC().Format(time.TimeOnly)), func() error {
		for {
			now, err := c.Now(ctx)
			if err != nil {
				return err
			}
			if now.After(t) {
				return nil
			}
			// AdjustTime refuses while the pool still lists a mined
			// transaction, which clears at once: ask again.
			if c.sim != nil {
				c.mu.Lock()
				err := c.sim.AdjustTime(t.Sub(now) + time.Second)
				if err == nil {
					c.sim.Commit()
				}
				c.mu.Unlock()
				if err == nil {
					continue
				}
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(c.poll(time.Second)):
			}
		}
	})
}

// Advance returns once the chain's time is at least d past its latest
// block's time now (see WaitUntil).
func (c *Chain) Advance(ctx context.Context, d time.Duration) error {
	now, err := c.Now(ctx)
	if err != nil {
		return err
	}
	return c.WaitUntil(ctx, now.Add(d-time.Second))
}

// PaymentChannels returns the PaymentChannels settler at address, or, when
// address is empty, deploys the contract from deployer and returns the
// deployment's receipt too (nil when nothing was deployed).
func (c *Chain) PaymentChannels(ctx context.Context, address string, deployer *ecdsa.PrivateKey) (*settle.Settler, *types.Receipt, error) {
	var addr common.Address
	var r *types.Receipt
	if address != "" {
		if !common.IsHexAddress(address) {
			return nil, nil, fmt.Errorf("devnet: contract %q is not an address", address)
		}
		addr = common.HexToAddress(address)
	} else {
		a, rr, err := settle.Deploy(ctx, c.client, c.Signer(deployer), c.SettleConfig())
		if err != nil {
			return nil, nil, fmt.Errorf("deploying PaymentChannels: %w", err)
		}
		addr, r = a, rr
	}
	s, err := settle.New(ctx, c.client, addr, c.SettleConfig())
	return s, r, err
}
