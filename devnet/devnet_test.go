package devnet

import (
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/quiet"
)

// A log directory opened twice is one log under one key; a damaged key
// file is refused with ErrBadKeyFile.
func TestOpenLog(t *testing.T) {
	quiet.Libraries()
	ctx := context.Background()
	dir := t.TempDir()
	l, err := OpenLog(ctx, dir, "test.iotrust/devnet")
	if err != nil {
		t.Fatal(err)
	}
	key := l.VerifierKey()
	tr := TrustedLedger(l)
	if tr.Name != tlog.LedgerName || tr.Chain != "test.iotrust/devnet" || tr.Verifier == nil {
		t.Errorf("TrustedLedger = %+v", tr)
	}
	l.Close()
	fi, err := os.Stat(filepath.Join(dir, LogKeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", fi, err)
	}
	l, err = OpenLog(ctx, dir, "test.iotrust/devnet")
	if err != nil {
		t.Fatal(err)
	}
	if l.VerifierKey() != key {
		t.Errorf("reopened log has key %q, was %q", l.VerifierKey(), key)
	}
	l.Close()
	for name, content := range map[string]string{"not hex": "zz\n", "short": "abcd\n", "empty": ""} {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, LogKeyFile), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenLog(ctx, d, "x"); !errors.Is(err, ErrBadKeyFile) {
			t.Errorf("%s: err = %v, want ErrBadKeyFile", name, err)
		}
	}
}

func TestOpenChainRefusesFunderKeys(t *testing.T) {
	ctx := context.Background()
	for name, c := range map[string]struct {
		key  string
		want error
	}{
		"missing": {"", ErrNoFunderKey},
		"blank":   {"  ", ErrNoFunderKey},
		"not hex": {"0xnothex", ErrBadFunderKey},
		"short":   {"abcd", ErrBadFunderKey},
		"zero":    {"0000000000000000000000000000000000000000000000000000000000000000", ErrBadFunderKey},
	} {
		if _, err := OpenChain(ctx, ChainConfig{RPC: "http://127.0.0.1:1", FunderKey: c.key}); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
}

// On the simulated chain the funder funds fresh accounts, a contract is
// deployed and its gas recorded, and chain time moves when waited for.
func TestSimulatedChain(t *testing.T) {
	ctx := context.Background()
	c, err := OpenChain(ctx, ChainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !c.Simulated() || c.ChainID().Sign() <= 0 {
		t.Fatalf("simulated %v, chain ID %s", c.Simulated(), c.ChainID())
	}
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	a := crypto.PubkeyToAddress(k.PublicKey)
	amount := big.NewInt(3e17)
	if err := c.Fund(ctx, amount, a); err != nil {
		t.Fatal(err)
	}
	if b, err := c.Balance(ctx, a); err != nil || b.Cmp(amount) != 0 {
		t.Fatalf("balance %v, %v; want %s", b, err, amount)
	}
	if b, _ := c.Balance(ctx, c.Funder()); b.Cmp(new(big.Int).Sub(genesisFunds, amount)) >= 0 {
		t.Errorf("funder balance %s did not pay the transfer and its gas", b)
	}
	// The funded party pays for a deployment of its own.
	s, r, err := c.PaymentChannels(ctx, "", k)
	if err != nil || r == nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("deploy: %v, %v", r, err)
	}
	var g GasBook
	if got := g.Add("deploy", r); got == 0 || got != r.GasUsed {
		t.Errorf("Add = %d, receipt %d", got, r.GasUsed)
	}
	if again, r2, err := c.PaymentChannels(ctx, s.Address().Hex(), nil); err != nil || r2 != nil || again.Address() != s.Address() {
		t.Errorf("existing contract: %v, %v, %v", again, r2, err)
	}
	if _, _, err := c.PaymentChannels(ctx, "not an address", nil); err == nil {
		t.Error("a malformed contract address was accepted")
	}
	before, err := c.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Advance(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	after, _ := c.Now(ctx)
	if after.Sub(before) < time.Hour {
		t.Errorf("advanced %v, want ≥ 1h", after.Sub(before))
	}
	target := after.Add(24 * time.Hour)
	if err := c.WaitUntil(ctx, target); err != nil {
		t.Fatal(err)
	}
	if now, _ := c.Now(ctx); !now.After(target) {
		t.Errorf("chain time %v not after %v", now, target)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if err := c.WaitUntil(done, target.Add(time.Hour)); err == nil {
		t.Error("WaitUntil on a cancelled context returned nil")
	}
}

func TestGasBookAndFormats(t *testing.T) {
	var g GasBook
	g.Add("open", &types.Receipt{GasUsed: 100_000})
	g.Add("close", &types.Receipt{GasUsed: 50_000})
	g.Add("open", &types.Receipt{GasUsed: 100_002})
	g.Add("ignored", nil)
	if gas, n := g.Gas("open"); gas != 200_002 || n != 2 || g.Total() != 250_002 {
		t.Errorf("open %d×%d, total %d", gas, n, g.Total())
	}
	lines := g.Lines()
	want := []string{
		"open                                 200,002  (2, 100,001 each)",
		"close                                 50,000",
		"total                                250,002",
	}
	if len(lines) != len(want) {
		t.Fatalf("lines %q", lines)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, lines[i], want[i])
		}
	}
	for n, s := range map[uint64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567"} {
		if Thousands(n) != s {
			t.Errorf("Thousands(%d) = %q", n, Thousands(n))
		}
	}
	for wei, s := range map[int64]string{0: "0.0 ETH", 1e18: "1.0 ETH", 5e15: "0.005 ETH", 1: "0.000000000000000001 ETH", -5e17: "-0.5 ETH", -15e17: "-1.5 ETH"} {
		if got := Ether(big.NewInt(wei)); got != s {
			t.Errorf("Ether(%d) = %q, want %q", wei, got, s)
		}
	}
}

func TestClock(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewClock(at)
	if !c.Now().Equal(at) {
		t.Fatalf("Now = %v", c.Now())
	}
	c.Set(at.Add(time.Hour))
	if !c.Now().Equal(at.Add(time.Hour)) {
		t.Fatalf("after Set, Now = %v", c.Now())
	}
}
