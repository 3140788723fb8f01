package payment

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

func newPayeeFixture(t *testing.T, deposit int64) (*Payee, Signer, *Channel, *testClock, string) {
	t.Helper()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, deposit)
	dir := t.TempDir()
	p := newTestPayee(t, openStore(t, dir, "payee.log"), clk)
	if err := p.Open(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return p, s, c, clk, dir
}

func TestPayeeAcceptsAndRejects(t *testing.T) {
	ctx := context.Background()
	p, s, c, clk, _ := newPayeeFixture(t, 100)

	inc, err := p.Accept(ctx, signed(t, s, c, 0, 1, 10), nil)
	if err != nil || inc.Int64() != 10 {
		t.Fatalf("first voucher: %v %v", inc, err)
	}
	inc, err = p.Accept(ctx, signed(t, s, c, 0, 2, 25), big.NewInt(25))
	if err != nil || inc.Int64() != 15 {
		t.Fatalf("second voucher: %v %v", inc, err)
	}
	if _, err := p.Accept(ctx, signed(t, s, c, 1, 1, 50), nil); err != nil {
		t.Fatalf("lane 1: %v", err)
	}

	wrongChain := *c
	wrongChain.Domain.ChainID = 1
	otherContract := *c
	otherContract.Domain.Contract = Address(common.HexToAddress("0x01"))
	unknown := *c
	unknown.ID[0] ^= 0xff
	cases := []struct {
		name string
		v    *Voucher
		due  *big.Int
		want error
	}{
		{"replay", signed(t, s, c, 0, 2, 25), nil, ErrReplay},
		{"stale nonce", signed(t, s, c, 0, 1, 30), nil, ErrStale},
		{"amount goes down", signed(t, s, c, 0, 3, 20), nil, ErrStale},
		{"overspend across lanes", signed(t, s, c, 0, 3, 51), nil, ErrOverspend},
		{"underpaid", signed(t, s, c, 0, 3, 30), big.NewInt(31), ErrUnderpaid},
		{"wrong chain", signed(t, s, &wrongChain, 0, 3, 30), nil, ErrWrongChain},
		{"wrong contract", signed(t, s, &otherContract, 0, 3, 30), nil, ErrWrongChain},
		{"wrong channel", signed(t, s, &unknown, 0, 3, 30), nil, ErrUnknownChannel},
		{"wrong key", signed(t, ed25519Signer(t, 9), c, 0, 3, 30), nil, ErrBadSignature},
		{"lane overflow", &Voucher{Domain: c.Domain, Channel: c.ID, Lane: MaxLanes, Nonce: 1, Amount: big.NewInt(1), Signature: []byte{1}}, nil, ErrLaneOverflow},
		{"time locked", func() *Voucher {
			v := &Voucher{Domain: c.Domain, Channel: c.ID, Lane: 2, Nonce: 1, Amount: big.NewInt(1), NotBefore: uint64(clk.Now().Unix() + 60)}
			Sign(s, v)
			return v
		}(), nil, ErrTimeLocked},
		{"double-signed", signed(t, s, c, 0, 2, 26), nil, ErrDoubleSigned},
	}
	for _, tc := range cases {
		if _, err := p.Accept(ctx, tc.v, tc.due); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// Nothing accepted was lost or changed by the rejected vouchers.
	if b, _ := p.Store().Best(c.ID, 0); b.Nonce != 2 || b.Amount.Int64() != 25 {
		t.Fatalf("lane 0 best is nonce %d amount %v", b.Nonce, b.Amount)
	}
	if got := p.Store().Total(c.ID); got.Int64() != 75 {
		t.Fatalf("total %v", got)
	}
	ev := p.Store().Evidence()
	if len(ev) != 1 || ev[0].First.Amount.Int64() != 25 || ev[0].Second.Amount.Int64() != 26 {
		t.Fatalf("evidence %+v", ev)
	}
	// The evidence is two valid signatures by the channel's key.
	ver, _ := c.Signer.Verifier()
	if Verify(ver, ev[0].First) != nil || Verify(ver, ev[0].Second) != nil {
		t.Fatal("evidence does not verify")
	}

	clk.Advance(24 * time.Hour)
	if _, err := p.Accept(ctx, signed(t, s, c, 0, 3, 30), nil); !errors.Is(err, ErrExpired) {
		t.Fatalf("after expiry: %v", err)
	}
}

func TestPayeeStateSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	p, s, c, clk, dir := newPayeeFixture(t, 100)
	for n := uint64(1); n <= 5; n++ {
		if _, err := p.Accept(ctx, signed(t, s, c, n%2, n, int64(n*3)), nil); err != nil {
			t.Fatal(err)
		}
	}
	p.Accept(ctx, signed(t, s, c, 1, 5, 16), nil) // double-signed
	p.Store().Close()

	st := openStore(t, dir, "payee.log")
	q := newTestPayee(t, st, clk)
	best := st.BestVouchers(c.ID)
	if len(best) != 2 || best[0].Nonce != 4 || best[1].Nonce != 5 || best[1].Amount.Int64() != 15 {
		t.Fatalf("best after reopen: %+v", best)
	}
	if len(st.Evidence()) != 1 {
		t.Fatalf("evidence after reopen: %d", len(st.Evidence()))
	}
	if _, err := q.Accept(ctx, signed(t, s, c, 1, 5, 15), nil); !errors.Is(err, ErrReplay) {
		t.Fatalf("replay after reopen: %v", err)
	}
	if _, err := q.Accept(ctx, signed(t, s, c, 1, 6, 20), nil); err != nil {
		t.Fatal(err)
	}
}

func TestPayeeReopenWithOtherSigner(t *testing.T) {
	p, _, c, _, _ := newPayeeFixture(t, 100)
	d := c.Clone()
	other := ed25519Signer(t, 7)
	d.Signer, d.Payer = other.VoucherKey(), partyOf(other)
	if err := p.Open(context.Background(), d); !errors.Is(err, ErrBadChannel) {
		t.Fatalf("got %v", err)
	}
}

func TestAcceptBatch(t *testing.T) {
	ctx := context.Background()
	p, s, c, _, _ := newPayeeFixture(t, 1_000_000)
	var vs []*Voucher
	for n := uint64(1); n <= 64; n++ {
		vs = append(vs, signed(t, s, c, n%4, n, int64(n)))
	}
	bad := signed(t, s, c, 5, 1, 1)
	bad.Signature[0] ^= 1
	vs = append(vs, bad, signed(t, s, c, 0, 4, 4)) // the last is a replay of n=4
	errs := p.AcceptBatch(ctx, vs)
	for i := 0; i < 64; i++ {
		if errs[i] != nil {
			t.Fatalf("voucher %d: %v", i, errs[i])
		}
	}
	if !errors.Is(errs[64], ErrBadSignature) || !errors.Is(errs[65], ErrStale) {
		t.Fatalf("bad ones: %v, %v", errs[64], errs[65])
	}
	if b, _ := p.Store().Best(c.ID, 0); b.Nonce != 64 {
		t.Fatalf("lane 0 best nonce %d", b.Nonce)
	}
	// Double-signing inside one batch is caught and kept as evidence, and
	// everything accepted in a batch survives a reopen.
	a, b := signed(t, s, c, 9, 1, 5), signed(t, s, c, 9, 1, 6)
	errs = p.AcceptBatch(ctx, []*Voucher{a, b, signed(t, s, c, 9, 2, 7)})
	if errs[0] != nil || !errors.Is(errs[1], ErrDoubleSigned) || errs[2] != nil {
		t.Fatalf("batch with a double-signed voucher: %v", errs)
	}
	path, want := p.Store().path, p.Store().Total(c.ID)
	p.Store().Close()
	st, err := OpenStore(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, _ := st.Best(c.ID, 9); v == nil || v.Nonce != 2 || len(st.Evidence()) != 1 || st.Total(c.ID).Cmp(want) != 0 {
		t.Fatalf("after reopen: best %+v, evidence %d", v, len(st.Evidence()))
	}
}

// TestReopenOnlyTopUp: re-opening a channel records a top-up and nothing
// else, on both sides; a refused re-open leaves the channel as it was.
func TestReopenOnlyTopUp(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 1000)
	dir := t.TempDir()
	payer := newTestPayer(t, openStore(t, dir, "payer.log"), s, nil, clk)
	payee := newTestPayee(t, openStore(t, dir, "payee.log"), clk)
	parties := map[string]interface {
		Open(context.Context, *Channel) error
		Store() *Store
	}{"payer": payer, "payee": payee}
	for name, p := range parties {
		if err := p.Open(ctx, c); err != nil {
			t.Fatal(name, err)
		}
	}
	v, err := payer.Pay(ctx, c.ID, 0, big.NewInt(800))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := payee.Accept(ctx, v, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		mod  func(*Channel)
	}{
		{"smaller deposit", func(c *Channel) { c.Deposit = big.NewInt(10) }},
		{"earlier expiry", func(c *Channel) { c.Expiry = c.Expiry.Add(-time.Second) }},
		{"other asset", func(c *Channel) { c.Asset = Address{1} }},
		{"other settle delay", func(c *Channel) { c.SettleDelay = 0 }},
	} {
		for name, p := range parties {
			re := c.Clone()
			tc.mod(re)
			if err := p.Open(ctx, re); !errors.Is(err, ErrNotTopUp) {
				t.Errorf("%s: re-open with %s: %v, want ErrNotTopUp", name, tc.name, err)
			}
			if got, _ := p.Store().Channel(c.ID); got.Deposit.Cmp(c.Deposit) != 0 || !got.Expiry.Equal(c.Expiry) || got.Asset != c.Asset {
				t.Errorf("%s: re-open with %s changed the channel to %+v", name, tc.name, got)
			}
		}
	}
	up := c.Clone()
	up.Deposit = big.NewInt(2000)
	up.Expiry = up.Expiry.Add(time.Hour)
	for name, p := range parties {
		if err := p.Open(ctx, up); err != nil {
			t.Errorf("%s: top-up: %v", name, err)
		}
		if got, _ := p.Store().Channel(c.ID); got.Deposit.Int64() != 2000 || !got.Expiry.Equal(up.Expiry) {
			t.Errorf("%s: top-up stored %v, %v", name, got.Deposit, got.Expiry)
		}
	}
}
