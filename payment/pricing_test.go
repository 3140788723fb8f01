package payment

import (
	"errors"
	"math/big"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func mustTariff(t *testing.T, u Unit, steps ...TariffStep) *Tariff {
	t.Helper()
	tr, err := NewTariff(u, steps...)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestTariffSplitsUsageAcrossPriceChange(t *testing.T) {
	// 0.30 per kWh until 11:00, then 0.50 per kWh (asset with 6 decimals).
	tr := mustTariff(t, KWh(),
		TariffStep{From: t0, Price: big.NewInt(300_000)},
		TariffStep{From: t0.Add(time.Hour), Price: big.NewInt(500_000)})
	cases := []struct {
		u    Usage
		want string // exact rational
	}{
		// 2 kWh evenly over 10:00–12:00: 1 kWh at each price.
		{Usage{From: t0, To: t0.Add(2 * time.Hour), Quantity: 2000}, "800000"},
		// 3 kWh over 10:45–11:30: a third before the change, two thirds after.
		{Usage{From: t0.Add(45 * time.Minute), To: t0.Add(90 * time.Minute), Quantity: 3000}, "1300000"},
		// Entirely after the change.
		{Usage{From: t0.Add(2 * time.Hour), To: t0.Add(3 * time.Hour), Quantity: 1000}, "500000"},
		// An instant reading at the change is priced at the new price.
		{Usage{From: t0.Add(time.Hour), To: t0.Add(time.Hour), Quantity: 1}, "500"},
		// 1 Wh over 10:59:59–11:00:01: half a Wh at each price, an exact fraction.
		{Usage{From: t0.Add(time.Hour - time.Second), To: t0.Add(time.Hour + time.Second), Quantity: 1}, "400"},
		// 7 Wh over 3 s with the change after 1 s: 7/3·300 + 14/3·500 smallest units per Wh/1000.
		{Usage{From: t0.Add(time.Hour - time.Second), To: t0.Add(time.Hour + 2*time.Second), Quantity: 7}, "9100/3"},
	}
	for i, c := range cases {
		got, err := tr.Cost(c.u)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := new(big.Rat).SetString(c.want)
		if got.Cmp(want) != 0 {
			t.Errorf("case %d: cost %s, want %s", i, got.RatString(), want.RatString())
		}
	}
	if _, err := tr.Cost(Usage{From: t0.Add(-time.Second), To: t0, Quantity: 1}); !errors.Is(err, ErrBadTariff) {
		t.Errorf("usage before the first price: %v", err)
	}
	if _, err := tr.Cost(Usage{From: t0.Add(time.Second), To: t0, Quantity: 1}); !errors.Is(err, ErrBadTariff) {
		t.Errorf("inverted usage: %v", err)
	}
}

// TestMeterRoundsUpOnceOnCumulativeCost states the rounding rule: the exact
// cumulative cost is rounded up, so many small usages cost what their sum
// costs, plus less than one smallest unit.
func TestMeterRoundsUpOnceOnCumulativeCost(t *testing.T) {
	tr := mustTariff(t, KWh(), TariffStep{From: t0, Price: big.NewInt(1)}) // 1 unit per kWh
	m := mustMeter(t, tr, nil)
	if m.Due().Sign() != 0 {
		t.Fatal("empty meter owes something")
	}
	for i := 0; i < 999; i++ {
		if err := m.Record(Usage{From: t0, To: t0, Quantity: 1}); err != nil {
			t.Fatal(err)
		}
		// 1..999 Wh at 1 unit/kWh: rounded up to 1, never i.
		if m.Due().Int64() != 1 {
			t.Fatalf("after %d Wh due %v", i+1, m.Due())
		}
	}
	m.Record(Usage{From: t0, To: t0, Quantity: 1})
	if m.Due().Int64() != 1 || m.Cost().Cmp(big.NewRat(1, 1)) != 0 {
		t.Fatalf("1 kWh: due %v cost %v", m.Due(), m.Cost())
	}
	m.Record(Usage{From: t0, To: t0, Quantity: 1})
	if m.Due().Int64() != 2 {
		t.Fatalf("1.001 kWh: due %v", m.Due())
	}
	if m.Quantity().Int64() != 1001 {
		t.Fatalf("quantity %v", m.Quantity())
	}
}

func TestUnitsAndQualityWeight(t *testing.T) {
	// 2 units per MB, samples at 5 each, km at 120 each.
	mb := mustMeter(t, mustTariff(t, MB(), TariffStep{From: t0, Price: big.NewInt(2)}), nil)
	mb.Record(Usage{From: t0, To: t0.Add(time.Minute), Quantity: 2_500_000})
	if mb.Due().Int64() != 5 {
		t.Errorf("2.5 MB: %v", mb.Due())
	}
	km := mustMeter(t, mustTariff(t, Km(), TariffStep{From: t0, Price: big.NewInt(120)}), nil)
	km.Record(Usage{From: t0, To: t0.Add(time.Minute), Quantity: 1_250})
	if km.Due().Int64() != 150 {
		t.Errorf("1.25 km: %v", km.Due())
	}
	// Quality hook: samples with quality below 50 are paid at 60 %.
	w := func(u Usage) (uint64, uint64) {
		if u.Quality < 50 {
			return 3, 5
		}
		return 1, 1
	}
	s := mustMeter(t, mustTariff(t, Sample(), TariffStep{From: t0, Price: big.NewInt(5)}), w)
	s.Record(Usage{From: t0, To: t0, Quantity: 10, Quality: 90})
	s.Record(Usage{From: t0, To: t0, Quantity: 3, Quality: 10})
	if s.Due().Int64() != 59 { // 50 + 3·5·3/5 = 59
		t.Errorf("weighted samples: %v", s.Due())
	}
	bad := mustMeter(t, mustTariff(t, Sample(), TariffStep{From: t0, Price: big.NewInt(5)}), func(Usage) (uint64, uint64) { return 1, 0 })
	if err := bad.Record(Usage{From: t0, To: t0, Quantity: 1}); !errors.Is(err, ErrBadTariff) {
		t.Errorf("zero denominator: %v", err)
	}
	for _, steps := range [][]TariffStep{nil, {{From: t0, Price: big.NewInt(-1)}}, {{From: t0, Price: big.NewInt(1)}, {From: t0, Price: big.NewInt(2)}}} {
		if _, err := NewTariff(KWh(), steps...); !errors.Is(err, ErrBadTariff) {
			t.Errorf("steps %v: %v", steps, err)
		}
	}
}
