package stake

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest"
)

var ether = big.NewInt(1e18)

// chain is a simulated chain with accounts "arbiter", "owner", "other".
type chain struct {
	t      *testing.T
	ctx    context.Context
	chain  *evmtxtest.Chain
	client simulated.Client
	keys   map[string]*ecdsa.PrivateKey
	gas    map[string]uint64
}

func newChain(t *testing.T) *chain {
	t.Helper()
	c := &chain{t: t, ctx: context.Background(), keys: map[string]*ecdsa.PrivateKey{}, gas: map[string]uint64{}}
	var keys []*ecdsa.PrivateKey
	for _, name := range []string{"arbiter", "owner", "other"} {
		c.keys[name] = evmtxtest.NewKey(t)
		keys = append(keys, c.keys[name])
	}
	c.chain = evmtxtest.New(t, keys)
	c.client = c.chain.Client
	return c
}

// cfg polls for receipts as fast as the simulated chain seals blocks.
var cfg = Config{PollInterval: 2 * time.Millisecond}

func (c *chain) auth(name string) Signer { return KeySigner(c.keys[name]) }

func (c *chain) addr(name string) common.Address {
	return crypto.PubkeyToAddress(c.keys[name].PublicKey)
}

func (c *chain) balance(name string) *big.Int {
	b, err := c.client.BalanceAt(c.ctx, c.addr(name), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return b
}

// advance moves the chain's clock by d.
func (c *chain) advance(d time.Duration) { c.chain.AdjustTime(c.t, d) }

func (c *chain) deploy(delay time.Duration) *Pool {
	c.t.Helper()
	addr, r, err := Deploy(c.ctx, c.client, c.auth("arbiter"), c.addr("arbiter"), delay, cfg)
	if err != nil {
		c.t.Fatal(err)
	}
	c.gas["deploy"] = r.GasUsed
	p, err := New(c.ctx, c.client, addr, cfg)
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

func digestOf(s string) canon.Digest { return canon.Sum(canon.BLAKE3, []byte(s)) }

// A bond's whole life: bonded, slashed while unbonding (so leaving does not
// outrun a slash), the slash burned and recorded, the rest withdrawn after
// the delay; and every refusal of the contract, each with its error.
func TestPoolLifecycle(t *testing.T) {
	c := newChain(t)
	ctx := c.ctx
	p := c.deploy(time.Hour)
	if a, err := p.Arbiter(ctx); err != nil || a != c.addr("arbiter") {
		t.Fatalf("arbiter %s, %v", a, err)
	}
	owner, other, arbiter := c.auth("owner"), c.auth("other"), c.auth("arbiter")
	stake := new(big.Int).Div(ether, big.NewInt(100))

	expect := func(name string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Fatalf("%s: error %v, want %v", name, err, want)
		}
	}
	_, err := p.Unbond(ctx, owner)
	expect("unbond without a bond", err, ErrNothingBonded)
	_, err = p.Withdraw(ctx, owner)
	expect("withdraw without unbonding", err, ErrNotUnbonding)
	_, err = p.Bond(ctx, owner, big.NewInt(0))
	expect("bond of nothing", err, ErrZeroAmount)

	r, err := p.Bond(ctx, owner, stake)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["bond (first)"] = r.GasUsed
	if r, err = p.Bond(ctx, owner, stake); err != nil {
		t.Fatal(err)
	}
	c.gas["bond (top-up)"] = r.GasUsed
	twice := new(big.Int).Mul(stake, big.NewInt(2))
	if b, err := p.BondOf(ctx, c.addr("owner")); err != nil || b.Amount.Cmp(twice) != 0 || !b.UnlocksAt.IsZero() {
		t.Fatalf("bond %+v, %v", b, err)
	}

	ev := digestOf("misreport 1")
	_, err = p.Slash(ctx, other, c.addr("owner"), stake, ev)
	expect("slash by another account", err, ErrNotArbiter)
	_, err = p.Slash(ctx, arbiter, c.addr("owner"), new(big.Int).Add(twice, big.NewInt(1)), ev)
	expect("slash beyond the bond", err, ErrInsufficientBond)
	_, err = p.Slash(ctx, arbiter, c.addr("owner"), big.NewInt(0), ev)
	expect("slash of nothing", err, ErrZeroAmount)

	if r, err = p.Unbond(ctx, owner); err != nil {
		t.Fatal(err)
	}
	c.gas["unbond"] = r.GasUsed
	_, err = p.Unbond(ctx, owner)
	expect("unbond twice", err, ErrUnbonding)
	_, err = p.Bond(ctx, owner, stake)
	expect("bond while unbonding", err, ErrUnbonding)
	_, err = p.Withdraw(ctx, owner)
	expect("withdraw before the delay", err, ErrLocked)

	if r, err = p.Slash(ctx, arbiter, c.addr("owner"), stake, ev); err != nil {
		t.Fatal(err)
	}
	c.gas["slash"] = r.GasUsed
	_, err = p.Slash(ctx, arbiter, c.addr("owner"), big.NewInt(1), ev)
	expect("the same evidence twice", err, ErrAlreadySlashed)
	if done, err := p.Slashed(ctx, ev); err != nil || !done {
		t.Fatalf("Slashed = %v, %v", done, err)
	}
	if done, err := p.Slashed(ctx, digestOf("misreport 2")); err != nil || done {
		t.Fatalf("Slashed of other evidence = %v, %v", done, err)
	}
	if burned, err := p.Burned(ctx); err != nil || burned.Cmp(stake) != 0 {
		t.Fatalf("burned %v, %v", burned, err)
	}

	c.advance(time.Hour)
	before := c.balance("owner")
	if r, err = p.Withdraw(ctx, owner); err != nil {
		t.Fatal(err)
	}
	c.gas["withdraw"] = r.GasUsed
	fee := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	got := new(big.Int).Sub(new(big.Int).Add(c.balance("owner"), fee), before)
	if got.Cmp(stake) != 0 {
		t.Fatalf("withdrew %s, want what was left: %s", got, stake)
	}
	if b, err := p.BondOf(ctx, c.addr("owner")); err != nil || b.Amount.Sign() != 0 {
		t.Fatalf("bond after withdrawal %+v, %v", b, err)
	}
	_, err = p.Withdraw(ctx, owner)
	expect("withdraw twice", err, ErrNotUnbonding)
}

// Deploy and New refuse what cannot work.
func TestDeployRefuses(t *testing.T) {
	c := newChain(t)
	if _, _, err := Deploy(c.ctx, c.client, c.auth("arbiter"), common.Address{}, time.Hour, cfg); !errors.Is(err, ErrBadParameters) {
		t.Fatalf("no arbiter: %v", err)
	}
	if _, _, err := Deploy(c.ctx, c.client, c.auth("arbiter"), c.addr("arbiter"), time.Millisecond, cfg); !errors.Is(err, ErrBadParameters) {
		t.Fatalf("sub-second delay: %v", err)
	}
	if _, err := New(c.ctx, c.client, c.addr("other"), cfg); !errors.Is(err, ErrNoContract) {
		t.Fatalf("New at an account: %v", err)
	}
}

// TestGas reports the gas of each operation (go test -run TestGas -v).
func TestGas(t *testing.T) {
	c := newChain(t)
	p := c.deploy(time.Hour)
	owner := c.auth("owner")
	stake := big.NewInt(1e16)
	for _, step := range []struct {
		name string
		f    func() (*types.Receipt, error)
	}{
		{"bond (first)", func() (*types.Receipt, error) { return p.Bond(c.ctx, owner, stake) }},
		{"bond (top-up)", func() (*types.Receipt, error) { return p.Bond(c.ctx, owner, stake) }},
		{"slash", func() (*types.Receipt, error) {
			return p.Slash(c.ctx, c.auth("arbiter"), c.addr("owner"), stake, digestOf("gas"))
		}},
		{"unbond", func() (*types.Receipt, error) { return p.Unbond(c.ctx, owner) }},
		{"withdraw", func() (*types.Receipt, error) { c.advance(time.Hour); return p.Withdraw(c.ctx, owner) }},
	} {
		r, err := step.f()
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		c.gas[step.name] = r.GasUsed
	}
	for _, n := range []string{"deploy", "bond (first)", "bond (top-up)", "slash", "unbond", "withdraw"} {
		t.Logf("%-14s %8d gas", n, c.gas[n])
		if c.gas[n] < 21000 {
			t.Errorf("%s used %d gas, less than a transaction costs", n, c.gas[n])
		}
	}
}
