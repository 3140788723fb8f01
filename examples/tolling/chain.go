package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
)

// chain is where the contract runs: go-ethereum's in-process simulated
// chain by default, or any JSON-RPC node (-rpc) with an account funded on
// it (-key). Either way the parties' accounts are funded by transfers from
// that one account.
type chain struct {
	sim     *simulated.Backend // nil on a real node
	client  simulated.Client   // *ethclient.Client implements it too
	chainID *big.Int
	funder  *ecdsa.PrivateKey
	out     printer
}

// newChain starts the simulated chain with a funded account of its own, or
// connects to rpcURL, whose funded account's key is key.
func newChain(ctx context.Context, rpcURL, key string, out printer) (*chain, error) {
	c := &chain{out: out}
	if rpcURL == "" {
		k, err := crypto.GenerateKey()
		if err != nil {
			return nil, err
		}
		c.funder = k
		supply := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
		// eth_getLogs can hang while blocks are sealed quickly (go-ethereum
		// #32552); nothing here reads logs.
		c.sim = simulated.NewBackend(types.GenesisAlloc{crypto.PubkeyToAddress(k.PublicKey): {Balance: supply}},
			func(_ *node.Config, ec *ethconfig.Config) { ec.LogNoHistory = true })
		c.client = c.sim.Client()
	} else {
		if key == "" {
			return nil, errors.New("-rpc needs -key, a funded account's private key in hex")
		}
		k, err := crypto.HexToECDSA(key)
		if err != nil {
			return nil, fmt.Errorf("-key: %w", err)
		}
		c.funder = k
		cl, err := ethclient.DialContext(ctx, rpcURL)
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
	return c, nil
}

// fund sends each account amount wei from the funded account.
func (c *chain) fund(ctx context.Context, amount *big.Int, accounts ...common.Address) error {
	for _, a := range accounts {
		if err := c.transfer(ctx, a, amount); err != nil {
			return fmt.Errorf("funding %s: %w", a, err)
		}
	}
	return nil
}

func (c *chain) Close() {
	if c.sim != nil {
		_ = c.sim.Close()
	} else if cl, ok := c.client.(*ethclient.Client); ok {
		cl.Close()
	}
}

// mined is the settle.MinedFunc: on the simulated chain it seals a block;
// on a real node it polls for the receipt.
func (c *chain) mined() func(context.Context, *types.Transaction) (*types.Receipt, error) {
	return func(ctx context.Context, tx *types.Transaction) (r *types.Receipt, err error) {
		if c.sim != nil {
			c.sim.Commit()
		}
		err = c.out.progress("waiting for transaction "+tx.Hash().Hex()[:10]+"… to be mined", func() error {
			// Not found yet, or found but not indexed yet ("transaction
			// indexing is in progress"): ask again. Other errors get ten
			// seconds' worth of retries.
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
				case <-time.After(200 * time.Millisecond):
				}
			}
		})
		return r, err
	}
}

// auth returns transaction options signing with key.
func (c *chain) auth(key *ecdsa.PrivateKey) (*bind.TransactOpts, error) {
	return bind.NewKeyedTransactorWithChainID(key, c.chainID)
}

// now returns the time of the chain's latest block.
func (c *chain) now(ctx context.Context) (time.Time, error) {
	h, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(int64(h.Time), 0), nil
}

// advance moves the chain's clock forward by d: at once on the simulated
// chain, by waiting for blocks on a real one.
func (c *chain) advance(ctx context.Context, d time.Duration) error {
	start, err := c.now(ctx)
	if err != nil {
		return err
	}
	if c.sim != nil {
		// The simulated chain refuses while its pool still lists the
		// transaction just mined; that clears within milliseconds.
		for i := 0; c.sim.AdjustTime(d) != nil; i++ {
			if i == 1000 {
				return errors.New("simulated chain refuses to adjust its time")
			}
			time.Sleep(time.Millisecond)
		}
		return nil
	}
	return c.out.progress(fmt.Sprintf("waiting %v for the chain's clock", d), func() error {
		for {
			now, err := c.now(ctx)
			if err != nil {
				return err
			}
			if !now.Before(start.Add(d)) {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Second):
			}
		}
	})
}

// balance returns an account's balance in wei.
func (c *chain) balance(ctx context.Context, a common.Address) (*big.Int, error) {
	return c.client.BalanceAt(ctx, a, nil)
}

// transfer sends amount wei from the funder to a.
func (c *chain) transfer(ctx context.Context, to common.Address, amount *big.Int) error {
	from := crypto.PubkeyToAddress(c.funder.PublicKey)
	nonce, err := c.client.PendingNonceAt(ctx, from)
	if err != nil {
		return err
	}
	tip, err := c.client.SuggestGasTipCap(ctx)
	if err != nil {
		return err
	}
	head, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx, err := types.SignNewTx(c.funder, types.LatestSignerForChainID(c.chainID), &types.DynamicFeeTx{
		ChainID: c.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 21000, To: &to, Value: amount,
	})
	if err != nil {
		return err
	}
	if err := c.client.SendTransaction(ctx, tx); err != nil {
		return err
	}
	_, err = c.mined()(ctx, tx)
	return err
}

// gasBook records the gas of every transaction, for the closing summary;
// transactions of one kind share a line.
type gasBook struct {
	names []string
	count map[string]int
	gas   map[string]uint64
	total uint64
}

func (g *gasBook) add(what string, r *types.Receipt) uint64 {
	if g.count == nil {
		g.count, g.gas = map[string]int{}, map[string]uint64{}
	}
	if g.count[what] == 0 {
		g.names = append(g.names, what)
	}
	g.count[what]++
	g.gas[what] += r.GasUsed
	g.total += r.GasUsed
	return r.GasUsed
}

// lines returns one line per kind of transaction and the total.
func (g *gasBook) lines() []string {
	var out []string
	for _, n := range g.names {
		if c := g.count[n]; c > 1 {
			out = append(out, fmt.Sprintf("%-34s %9s  (%d, %s each)", n, thousands(g.gas[n]), c, thousands(g.gas[n]/uint64(c))))
		} else {
			out = append(out, fmt.Sprintf("%-34s %9s", n, thousands(g.gas[n])))
		}
	}
	return append(out, fmt.Sprintf("%-34s %9s", "total", thousands(g.total)))
}

// eth formats an amount of wei as ether, exactly.
func eth(wei *big.Int) string {
	q, r := new(big.Int).QuoRem(wei, big.NewInt(1e18), new(big.Int))
	frac := fmt.Sprintf("%018d", r.Abs(r))
	for len(frac) > 1 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	return q.String() + "." + frac + " ETH"
}

func thousands(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
