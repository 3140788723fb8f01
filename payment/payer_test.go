package payment

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
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

// hookClock is a clock that runs hook the first time it is read (hook may
// read the clock again): tests use it to run one call in the middle of
// another, deterministically, on one goroutine.
func hookClock(clk *testClock, hook func()) func() time.Time {
	ran := false
	return func() time.Time {
		if !ran {
			ran = true
			hook()
		}
		return clk.Now()
	}
}

// TestPayAddsEveryIncrement: a Pay that runs while another is between
// reading the lane and signing must not make the other sign the same
// cumulative amount (an increment silently lost).
func TestPayAddsEveryIncrement(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 1000)
	var p *Payer
	var inner error
	now := hookClock(clk, func() { _, inner = p.Pay(ctx, c.ID, 0, big.NewInt(1)) })
	p, err := NewPayer(openStore(t, t.TempDir(), "payer.log"), s, PayerConfig{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Open(ctx, c); err != nil {
		t.Fatal(err)
	}
	v, err := p.Pay(ctx, c.ID, 0, big.NewInt(1))
	if err != nil || inner != nil {
		t.Fatalf("outer Pay: %v, inner Pay: %v", err, inner)
	}
	if v.Amount.Int64() != 2 || v.Nonce != 1 {
		t.Fatalf("two Pay(1) on a lane ended at nonce %d amount %v, want nonce 1 amount 2", v.Nonce, v.Amount)
	}
}

// TestPayConcurrent: Pays from many goroutines each add their increment.
func TestPayConcurrent(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 1000)
	p := newTestPayer(t, openStore(t, t.TempDir(), "payer.log"), s, nil, clk)
	if err := p.Open(ctx, c); err != nil {
		t.Fatal(err)
	}
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = p.Pay(ctx, c.ID, 0, big.NewInt(1)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if best, _ := p.Store().Best(c.ID, 0); best.Amount.Int64() != n || best.Nonce != n-1 {
		t.Fatalf("%d concurrent Pay(1): lane at nonce %d amount %v", n, best.Nonce, best.Amount)
	}
}

// TestPayerMarkClosedStopsIssue: once MarkClosed has returned, no voucher
// is signed, even by an Issue that started before it; and re-opening the
// closed channel does not revive it.
func TestPayerMarkClosedStopsIssue(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 1000)
	var p *Payer
	var closeErr error
	now := hookClock(clk, func() { closeErr = p.MarkClosed(ctx, c.ID) })
	p, err := NewPayer(openStore(t, t.TempDir(), "payer.log"), s, PayerConfig{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Open(ctx, c); err != nil {
		t.Fatal(err)
	}
	// The clock runs MarkClosed inside this Pay.
	if v, err := p.Pay(ctx, c.ID, 0, big.NewInt(7)); !errors.Is(err, ErrExpired) || closeErr != nil {
		t.Fatalf("Pay during MarkClosed: voucher %v, err %v (MarkClosed: %v), want ErrExpired", v, err, closeErr)
	}
	if _, ok := p.Store().Best(c.ID, 0); ok {
		t.Fatal("a voucher was stored after MarkClosed returned")
	}
	if err := p.Open(ctx, c); !errors.Is(err, ErrExpired) {
		t.Fatalf("re-Open of a closed channel: %v, want ErrExpired", err)
	}
	if _, err := p.Pay(ctx, c.ID, 0, big.NewInt(1)); !errors.Is(err, ErrExpired) {
		t.Fatalf("Pay after re-Open of a closed channel: %v, want ErrExpired", err)
	}
}

// TestCapCoversEveryAccountSpelling: a cap on an Ethereum payee holds
// whether a channel names it by its address or as a did:pkh account.
func TestCapCoversEveryAccountSpelling(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ethSigner(t, 1)
	payee := Address(crypto.PubkeyToAddress(ethKey(t, 2).PublicKey))
	pkh := "did:pkh:eip155:1:" + payee.String()
	for _, capName := range []string{payee.String(), pkh, "did:pkh:eip155:5:" + payee.String()} {
		p := newTestPayer(t, openStore(t, t.TempDir(), "payer.log"), s, []Cap{{Payee: capName, Limit: big.NewInt(100)}}, clk)
		open := func(name string, salt byte) ChannelID {
			c := &Channel{ID: ChannelID{salt}, Domain: Domain{ChainID: 1}, Payer: partyOf(s), Payee: name,
				Signer: s.VoucherKey(), Deposit: big.NewInt(1000), Expiry: clk.Now().Add(time.Hour)}
			if err := p.Open(ctx, c); err != nil {
				t.Fatal(name, err)
			}
			return c.ID
		}
		a, b := open(payee.String(), 1), open(pkh, 2)
		if _, err := p.Pay(ctx, a, 0, big.NewInt(100)); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Pay(ctx, b, 0, big.NewInt(1)); !errors.Is(err, ErrCapExceeded) {
			t.Errorf("cap named %s: paying the did:pkh spelling past it: %v, want ErrCapExceeded", capName, err)
		}
		for _, name := range []string{payee.String(), pkh} {
			if got := p.Spent(name, 0); got.Int64() != 100 {
				t.Errorf("cap named %s: Spent(%s) = %v, want 100", capName, name, got)
			}
		}
	}
	bad := []Cap{{Payee: strings.ToLower(payee.String()), Limit: big.NewInt(1)}}
	if _, err := NewPayer(openStore(t, t.TempDir(), "payer.log"), s, PayerConfig{Caps: bad}); !errors.Is(err, ErrCapExceeded) {
		t.Errorf("cap on an address not in EIP-55 form: %v, want ErrCapExceeded", err)
	}
}
