package payment

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"
)

// TestStreamingPayeeStopsWhenPaymentLags runs a charging session on an
// injected clock: the payer pays every 500 Wh; the payee serves 100 Wh a
// minute and stops as soon as payment lags by more than 0.20 or for more
// than 10 minutes.
func TestStreamingPayeeStopsWhenPaymentLags(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 10_000_000)
	tariff := mustTariff(t, KWh(), TariffStep{From: clk.Now().Add(-time.Hour), Price: big.NewInt(300_000)})
	payer := newTestPayer(t, openStore(t, t.TempDir(), "payer"), s, nil, clk)
	payee := newTestPayee(t, openStore(t, t.TempDir(), "payee"), clk)
	if err := payer.Open(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := payee.Open(ctx, c); err != nil {
		t.Fatal(err)
	}

	sp, err := NewStreamPayer(payer, c.ID, 0, mustMeter(t, tariff, nil), StreamPolicy{EveryUnits: 500})
	if err != nil {
		t.Fatal(err)
	}
	se, err := NewStreamPayee(payee, c.ID, 0, mustMeter(t, tariff, nil), LagBound{MaxAmount: big.NewInt(200_000), MaxDelay: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}

	minute := func() Usage {
		from := clk.Now()
		clk.Advance(time.Minute)
		return Usage{From: from, To: clk.Now(), Quantity: 100}
	}
	vouchers := 0
	for i := 0; i < 30; i++ {
		u := minute()
		if err := se.Serve(u); err != nil {
			t.Fatalf("minute %d: honest payer cut off: %v", i, err)
		}
		v, err := sp.Consume(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if v != nil {
			vouchers++
			if err := se.Receive(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if vouchers != 6 {
		t.Fatalf("%d vouchers for 3000 Wh at one per 500 Wh", vouchers)
	}
	if se.Owed().Sign() != 0 {
		t.Fatalf("owed %v after a full voucher", se.Owed())
	}

	// The payer stops paying: 0.03 accrues per minute; 0.20 is passed in the
	// 7th minute.
	stopped := -1
	for i := 0; i < 20; i++ {
		if err := se.Serve(minute()); err != nil {
			if !errors.Is(err, ErrPaymentLag) {
				t.Fatal(err)
			}
			stopped = i
			break
		}
	}
	if stopped != 6 {
		t.Fatalf("service stopped after %d unpaid minutes, want 7", stopped+1)
	}
	// A voucher catching up restores service. (The payer stopped paying,
	// so it pays what the payee metered.)
	v, err := sp.Flush(ctx)
	if err != nil || v != nil {
		t.Fatalf("flush with nothing unpaid on the payer's meter: %v %v", v, err)
	}
	v, err = payer.Issue(ctx, Payment{Channel: c.ID, Lane: 0, Amount: se.meter.Due()})
	if err != nil {
		t.Fatal(err)
	}
	if err := se.Receive(ctx, v); err != nil {
		t.Fatal(err)
	}
	if err := se.Check(); err != nil {
		t.Fatalf("after catching up: %v", err)
	}

	// Time bound: a small debt left unpaid for over 10 minutes also stops service.
	if err := se.Serve(Usage{From: clk.Now(), To: clk.Now(), Quantity: 1}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * time.Minute)
	if err := se.Check(); err != nil {
		t.Fatalf("at exactly the bound: %v", err)
	}
	clk.Advance(time.Second)
	if err := se.Check(); !errors.Is(err, ErrPaymentLag) {
		t.Fatalf("after the time bound: %v", err)
	}
}

func TestStreamPayerTimePolicy(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 10_000_000)
	tariff := mustTariff(t, Sample(), TariffStep{From: clk.Now().Add(-time.Hour), Price: big.NewInt(10)})
	payer := newTestPayer(t, openStore(t, t.TempDir(), "payer"), s, nil, clk)
	if err := payer.Open(ctx, c); err != nil {
		t.Fatal(err)
	}
	sp, err := NewStreamPayer(payer, c.ID, 2, mustMeter(t, tariff, nil), StreamPolicy{Every: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for i := 0; i < 12; i++ { // a sample every 10 s for 2 minutes
		clk.Advance(10 * time.Second)
		v, err := sp.Consume(ctx, Usage{From: clk.Now(), To: clk.Now(), Quantity: 1})
		if err != nil {
			t.Fatal(err)
		}
		if v != nil {
			got = append(got, v.Amount.Int64())
		}
	}
	want := []int64{30, 60, 90, 120}
	if len(got) != len(want) {
		t.Fatalf("vouchers %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("vouchers %v, want %v", got, want)
		}
	}
	// Nothing new to pay: Tick signs nothing.
	clk.Advance(time.Minute)
	if v, err := sp.Tick(ctx); v != nil || err != nil {
		t.Fatalf("tick without usage: %v %v", v, err)
	}
}

// TestStreamSecondSessionPays: a second session on a lane (or one resumed
// after a restart) starts from what the lane already holds: the payer pays
// for the new usage on top of it, and the payee stops serving as soon as
// the new usage goes unpaid beyond the bound.
func TestStreamSecondSessionPays(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 100_000_000)
	tariff := mustTariff(t, KWh(), TariffStep{From: clk.Now().Add(-time.Hour), Price: big.NewInt(300_000)})
	dir := t.TempDir()
	payer := newTestPayer(t, openStore(t, dir, "payer"), s, nil, clk)
	payee := newTestPayee(t, openStore(t, dir, "payee"), clk)
	if err := payer.Open(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := payee.Open(ctx, c); err != nil {
		t.Fatal(err)
	}
	kWh := Usage{From: clk.Now(), To: clk.Now(), Quantity: 1000}
	session := func(pays bool) (served int, err error) {
		sp, err := NewStreamPayer(payer, c.ID, 0, mustMeter(t, tariff, nil), StreamPolicy{EveryUnits: 1000})
		if err != nil {
			t.Fatal(err)
		}
		se, err := NewStreamPayee(payee, c.ID, 0, mustMeter(t, tariff, nil), LagBound{MaxAmount: big.NewInt(300_000)})
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			if err := se.Serve(kWh); err != nil {
				return served, err
			}
			served++
			if !pays {
				continue
			}
			v, err := sp.Consume(ctx, kWh)
			if err != nil || v == nil {
				t.Fatalf("consume: voucher %v, err %v", v, err)
			}
			if err := se.Receive(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		return served, nil
	}
	if served, err := session(true); served != 5 || err != nil {
		t.Fatalf("first session: served %d kWh, %v", served, err)
	}
	if served, err := session(true); served != 5 || err != nil {
		t.Fatalf("second session, paying: served %d kWh, %v", served, err)
	}
	if best, _ := payee.Store().Best(c.ID, 0); best.Amount.Int64() != 10*300_000 {
		t.Fatalf("after two paid sessions of 5 kWh the lane holds %v, want %d", best.Amount, 10*300_000)
	}
	if served, err := session(false); served != 1 || !errors.Is(err, ErrPaymentLag) {
		t.Fatalf("third session, not paying: served %d kWh, %v; want 1 kWh (the lag bound) then ErrPaymentLag", served, err)
	}
}
