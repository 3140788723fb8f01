package main

// The infrastructure the example runs on: a Tessera log, an EVM chain and a
// clock. Each part defaults to something embedded and points at the real
// thing through a flag. The file is the same in every example that settles
// on chain; nothing in it is specific to one application.

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"golang.org/x/mod/sumdb/note"
	"k8s.io/klog/v2"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/payment/settle"
)

// quietLibraries routes Tessera's klog output nowhere: a program owns the
// process's global logging, and this one prints its own narrative.
func quietLibraries() {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	_ = fs.Set("logtostderr", "false")
	klog.SetOutput(io.Discard)
}

// ledger is the transparency log batches are anchored on.
type ledger struct {
	*tlog.Log
	verifier *tlog.Verifier
	vkey     string // the note verifier key auditors check receipts with
}

// openLedger opens the Tessera log in dir, or in a directory under work
// when dir is empty. The log's signing key lives beside it in dir/log.key
// (made on first use), so a log kept with -log-dir stays one log across runs.
func openLedger(ctx context.Context, dir, work, origin string) (*ledger, error) {
	if dir == "" {
		dir = filepath.Join(work, "tlog")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	seed, err := readOrMakeSeed(filepath.Join(dir, "log.key"))
	if err != nil {
		return nil, err
	}
	key := ed25519.NewKeyFromSeed(seed)
	signer, nv, err := tlog.NewEd25519Signer(origin, key)
	if err != nil {
		return nil, err
	}
	l, err := tlog.Open(ctx, tlog.Config{Dir: filepath.Join(dir, "log"), Signer: signer, Verifier: nv,
		CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		return nil, err
	}
	v, err := tlog.NewVerifier(nv)
	if err != nil {
		l.Close()
		return nil, err
	}
	vkey, err := note.NewEd25519VerifierKey(origin, key.Public().(ed25519.PublicKey))
	if err != nil {
		l.Close()
		return nil, err
	}
	return &ledger{Log: l, verifier: v, vkey: vkey}, nil
}

// trusted is the ledger as an auditor trusts it: by its public key alone.
func (l *ledger) trusted() evidence.Ledger {
	return evidence.Ledger{Name: tlog.LedgerName, Chain: l.Origin(), Verifier: l.verifier}
}

// readOrMakeSeed reads a hex Ed25519 seed from path, or makes and stores one.
func readOrMakeSeed(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, err
		}
		return seed, os.WriteFile(path, []byte(hex.EncodeToString(seed)+"\n"), 0o600)
	}
	if err != nil {
		return nil, err
	}
	seed, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s: not a hex Ed25519 seed", path)
	}
	return seed, nil
}

// chain is the EVM chain channels are settled on: go-ethereum's simulated
// chain in this process, or any JSON-RPC endpoint.
type chain struct {
	client  settle.Backend
	sim     *simulated.Backend // nil on a real chain
	chainID *big.Int
	mined   settle.MinedFunc
	gas     []gasUse
}

// deployLabel names the contract's deployment among the gas uses.
const deployLabel = "deploy PaymentChannels"

type gasUse struct {
	what string
	gas  uint64
}

// openChain connects to rpc, or starts a simulated chain on which the
// accounts of keys hold 100 ether each. On a real chain the accounts must
// be funded already, and p shows each wait for a transaction to be mined.
func openChain(ctx context.Context, p printer, rpc string, keys ...*ecdsa.PrivateKey) (*chain, error) {
	c := &chain{}
	if rpc != "" {
		client, err := ethclient.DialContext(ctx, rpc)
		if err != nil {
			return nil, err
		}
		c.client = client
		c.mined = func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
			began := time.Now()
			p.f("   … waiting for transaction %s to be mined", short(tx.Hash().Hex()))
			r, err := bind.WaitMined(ctx, client, tx)
			if err == nil {
				p.f("   … mined in block %s after %.1f s", r.BlockNumber, time.Since(began).Seconds())
			}
			return r, err
		}
	} else {
		alloc := types.GenesisAlloc{}
		ether := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
		for _, k := range keys {
			alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(100), ether)}
		}
		c.sim = simulated.NewBackend(alloc)
		client := c.sim.Client()
		c.client = client
		// The simulated chain seals a block when asked; a real one on its own.
		c.mined = func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
			c.sim.Commit()
			return client.TransactionReceipt(ctx, tx.Hash())
		}
	}
	id, err := c.client.ChainID(ctx)
	if err != nil {
		c.close()
		return nil, err
	}
	c.chainID = id
	return c, nil
}

func (c *chain) close() {
	if c.sim != nil {
		c.sim.Close()
	}
}

// settler deploys the PaymentChannels contract from deployer, or uses the
// one at address when address is not empty.
func (c *chain) settler(ctx context.Context, address string, deployer *ecdsa.PrivateKey) (*settle.Settler, error) {
	var addr common.Address
	if address != "" {
		if !common.IsHexAddress(address) {
			return nil, fmt.Errorf("-contract %q is not an address", address)
		}
		addr = common.HexToAddress(address)
	} else {
		a, r, err := settle.Deploy(ctx, c.client, c.auth(deployer), c.mined)
		if err != nil {
			return nil, fmt.Errorf("deploying PaymentChannels: %w", err)
		}
		c.record(deployLabel, r)
		addr = a
	}
	return settle.New(ctx, c.client, addr, c.mined, nil)
}

// auth returns the transaction signer of key on this chain.
func (c *chain) auth(key *ecdsa.PrivateKey) *bind.TransactOpts {
	a, err := bind.NewKeyedTransactorWithChainID(key, c.chainID)
	if err != nil {
		panic(err) // only for a nil chain ID, which openChain never leaves
	}
	return a
}

// record notes the gas a transaction used, for the summary.
func (c *chain) record(what string, r *types.Receipt) uint64 {
	if r == nil {
		return 0
	}
	c.gas = append(c.gas, gasUse{what, r.GasUsed})
	return r.GasUsed
}

// now returns the time of the chain's latest block.
func (c *chain) now(ctx context.Context) (time.Time, error) {
	h, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(int64(h.Time), 0).UTC(), nil
}

// waitUntil returns once the chain's time has passed t: the simulated chain
// moves its clock, a real chain is watched until its blocks get there.
func (c *chain) waitUntil(ctx context.Context, t time.Time) error {
	for {
		now, err := c.now(ctx)
		if err != nil {
			return err
		}
		if now.After(t) {
			return nil
		}
		if c.sim != nil {
			// AdjustTime refuses while the pool still lists a mined
			// transaction, which clears at once: retry.
			if err := c.sim.AdjustTime(t.Sub(now) + time.Second); err == nil {
				c.sim.Commit()
				continue
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollInterval(c.sim != nil)):
		}
	}
}

func pollInterval(simulated bool) time.Duration {
	if simulated {
		return time.Millisecond
	}
	return 2 * time.Second
}

// ethereumKey returns the secp256k1 key in the environment variable env (hex)
// on a real chain, or a fresh one on the simulated chain.
func ethereumKey(env string, real bool) (*ecdsa.PrivateKey, error) {
	if !real {
		return crypto.GenerateKey()
	}
	s := strings.TrimPrefix(strings.TrimSpace(os.Getenv(env)), "0x")
	if s == "" {
		return nil, fmt.Errorf("-rpc needs a funded account's private key in %s (hex)", env)
	}
	k, err := crypto.HexToECDSA(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", env, err)
	}
	return k, nil
}

// clock is the simulated clock every party reads, so that the example
// replays an hour of operation in a second.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// printer writes the narrative.
type printer struct{ w io.Writer }

func (p printer) f(format string, a ...any) { _, _ = fmt.Fprintf(p.w, format+"\n", a...) }

// short abbreviates a long identifier for the narrative.
func short(s string) string {
	if len(s) <= 28 {
		return s
	}
	return s[:20] + "…" + s[len(s)-6:]
}

// money formats an amount of a 6-decimal currency given in its smallest
// unit.
func money(x *big.Int) string {
	q, r := new(big.Int).QuoRem(x, big.NewInt(1_000_000), new(big.Int))
	return fmt.Sprintf("€%s.%06d", q, r.Abs(r).Int64())
}

// groupDigits writes n with thousands separators.
func groupDigits(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
