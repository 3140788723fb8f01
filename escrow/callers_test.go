package escrow

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// TestNewRefusesAddressWithoutCode: an Escrow for an address that holds
// no contract would send Open's deposit to that address, and the
// transaction would succeed (no code, nothing to revert). New refuses it.
func TestNewRefusesAddressWithoutCode(t *testing.T) {
	c := newChain(t)
	cfg := Config{Backend: c.client, PollInterval: 2 * time.Millisecond}
	for name, addr := range map[string]common.Address{"zero": {}, "account": c.addr("stranger")} {
		cfg.Contract = addr
		e, err := New(c.ctx, cfg)
		if !errors.Is(err, ErrNoContract) {
			held := c.balance(addr)
			if err == nil {
				_, _, err = e.Open(c.ctx, c.auth("payer"), c.terms(1))
			}
			t.Fatalf("%s: New gave %v; Open then sent %v wei to %v", name, err, new(big.Int).Sub(c.balance(addr), held), addr)
		}
	}
	cfg.Contract = c.escrow.Address()
	if _, err := New(c.ctx, cfg); err != nil {
		t.Fatalf("New for the deployed escrow: %v", err)
	}
}

// TestNilSignerAndHugeAmount: a nil Signer (or KeySigner(nil)) is
// ErrNoSigner, not a panic;
// an amount past uint256 is bad terms, not packed modulo 2^256 (2^256 + 5
// used to lock 5 units of a token).
func TestNilSignerAndHugeAmount(t *testing.T) {
	c := newChain(t)
	id := c.open(1)
	cs, _ := shipment(t, 4300)
	for name, f := range map[string]func() error{
		"open":     func() error { _, _, err := c.escrow.Open(c.ctx, nil, c.terms(2)); return err },
		"attest":   func() error { _, err := c.escrow.Attest(c.ctx, nil, id, cs); return err },
		"expire":   func() error { _, err := c.escrow.Expire(c.ctx, nil, id); return err },
		"withdraw": func() error { _, err := c.escrow.Withdraw(c.ctx, nil); return err },
		"deploy":   func() error { _, _, err := Deploy(c.ctx, Config{Backend: c.client}, nil, c.verifier); return err },
		"open with KeySigner(nil)": func() error {
			_, _, err := c.escrow.Open(c.ctx, KeySigner(nil), c.terms(4))
			return err
		},
		"deploy verifier": func() error {
			_, _, err := DeployDevVerifier(c.ctx, Config{Backend: c.client}, nil)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panicked: %v", r)
					}
				}()
				err = f()
			}()
			if !errors.Is(err, ErrNoSigner) {
				t.Fatalf("got %v, want ErrNoSigner", err)
			}
		})
	}
	tm := c.terms(3)
	tm.Token = c.addr("stranger") // a token deal sends no value: only packing could catch it
	tm.Amount = new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(5))
	if _, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm); !errors.Is(err, ErrBadTerms) {
		t.Fatalf("amount 2^256+5: %v, want ErrBadTerms", err)
	}
	if _, err := VerifierSource(nil, "V"); !errors.Is(err, ErrShape) {
		t.Fatalf("VerifierSource(nil): %v", err)
	}
}
