package payment

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"
)

func TestPayerNeverSignsBeyondDepositOrCaps(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 1000)
	dir := t.TempDir()
	caps := []Cap{
		{Payee: c.Payee, Window: time.Hour, Limit: big.NewInt(300)},
		{Payee: c.Payee, Window: 0, Limit: big.NewInt(800)},
	}
	p := newTestPayer(t, openStore(t, dir, "payer.log"), s, caps, clk)
	if err := p.Open(ctx, c); err != nil {
		t.Fatal(err)
	}
	v, err := p.Pay(ctx, c.ID, 0, big.NewInt(200))
	if err != nil || v.Nonce != 0 || v.Amount.Int64() != 200 {
		t.Fatalf("first payment: %+v %v", v, err)
	}
	v, err = p.Pay(ctx, c.ID, 0, big.NewInt(100))
	if err != nil || v.Nonce != 1 || v.Amount.Int64() != 300 {
		t.Fatalf("second payment: %+v %v", v, err)
	}
	if _, err := p.Pay(ctx, c.ID, 1, big.NewInt(1)); !errors.Is(err, ErrCapExceeded) {
		t.Fatalf("hourly cap: %v", err)
	}
	// The window slides: an hour later 300 more are allowed.
	clk.Advance(time.Hour + time.Second)
	if _, err := p.Pay(ctx, c.ID, 1, big.NewInt(300)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour + time.Second)
	if _, err := p.Pay(ctx, c.ID, 1, big.NewInt(201)); !errors.Is(err, ErrCapExceeded) {
		t.Fatalf("lifetime cap: %v", err)
	}
	if got := p.Spent(c.Payee, 0); got.Int64() != 600 {
		t.Fatalf("spent %v", got)
	}

	// A restarted payer rebuilds its windows and continues the nonces.
	p.Store().Close()
	p2 := newTestPayer(t, openStore(t, dir, "payer.log"), s, caps, clk)
	if got := p2.Spent(c.Payee, 0); got.Int64() != 600 {
		t.Fatalf("spent after restart %v", got)
	}
	if _, err := p2.Pay(ctx, c.ID, 1, big.NewInt(201)); !errors.Is(err, ErrCapExceeded) {
		t.Fatalf("lifetime cap after restart: %v", err)
	}
	v, err = p2.Pay(ctx, c.ID, 1, big.NewInt(200))
	if err != nil || v.Nonce != 1 || v.Amount.Int64() != 500 {
		t.Fatalf("after restart: %+v %v", v, err)
	}

	// Deposit: a payer without caps still stops at the deposit.
	p3 := newTestPayer(t, openStore(t, t.TempDir(), "p3.log"), s, nil, clk)
	p3.Open(ctx, c)
	if _, err := p3.Pay(ctx, c.ID, 0, big.NewInt(600)); err != nil {
		t.Fatal(err)
	}
	if _, err := p3.Pay(ctx, c.ID, 1, big.NewInt(401)); !errors.Is(err, ErrOverspend) {
		t.Fatalf("deposit: %v", err)
	}
	if _, err := p3.Issue(ctx, Payment{Channel: c.ID, Lane: 0, Amount: big.NewInt(599)}); !errors.Is(err, ErrStale) {
		t.Fatalf("lower amount: %v", err)
	}
	if _, err := p3.Pay(ctx, c.ID, MaxLanes, big.NewInt(1)); !errors.Is(err, ErrLaneOverflow) {
		t.Fatalf("lane: %v", err)
	}
	clk.Advance(24 * time.Hour)
	if _, err := p3.Pay(ctx, c.ID, 0, big.NewInt(1)); !errors.Is(err, ErrExpired) {
		t.Fatalf("expired: %v", err)
	}
}

func TestPayerVouchersAcceptedByPayee(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	for _, s := range []Signer{ed25519Signer(t, 1), ethSigner(t, 1)} {
		c := testChannel(s, clk, 1000)
		payer := newTestPayer(t, openStore(t, t.TempDir(), "payer"), s, nil, clk)
		payee := newTestPayee(t, openStore(t, t.TempDir(), "payee"), clk)
		if err := payer.Open(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := payee.Open(ctx, c); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 10; i++ {
			v, err := payer.Pay(ctx, c.ID, uint64(i%3), big.NewInt(7))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := v.MarshalBinary()
			if _, err := payee.AcceptBytes(ctx, b, nil); err != nil {
				t.Fatalf("%s voucher %d: %v", s.VoucherKey().Scheme, i, err)
			}
		}
		if got := payee.Store().Total(c.ID); got.Int64() != 70 {
			t.Fatalf("total %v", got)
		}
	}
}

func TestPayerRejectsForeignChannel(t *testing.T) {
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(ed25519Signer(t, 2), clk, 10)
	p := newTestPayer(t, openStore(t, t.TempDir(), "p"), s, nil, clk)
	if err := p.Open(context.Background(), c); !errors.Is(err, ErrBadChannel) {
		t.Fatalf("got %v", err)
	}
	if _, err := p.Pay(context.Background(), c.ID, 0, big.NewInt(1)); !errors.Is(err, ErrUnknownChannel) {
		t.Fatalf("got %v", err)
	}
}
