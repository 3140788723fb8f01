package evmtx

import (
	"errors"
	"math/big"
	"testing"
)

// accepted is go-ethereum's replacement rule (core/txpool/legacypool,
// list.Add) written out independently: both the fee cap and the tip must
// rise strictly and reach old*(100+bump)/100.
func accepted(old, repl fees, bump int64) bool {
	ok := func(o, n *big.Int) bool {
		threshold := new(big.Int).Quo(new(big.Int).Mul(o, big.NewInt(100+bump)), big.NewInt(100))
		return n.Cmp(o) > 0 && n.Cmp(threshold) >= 0
	}
	if old.legacy() {
		return ok(old.feeCap, repl.feeCap)
	}
	return ok(old.feeCap, repl.feeCap) && ok(old.tip, repl.tip)
}

func TestReplacementFees(t *testing.T) {
	n := big.NewInt
	cases := []struct {
		name                    string
		old                     fees
		baseFee, suggested, max *big.Int
		wantTip, wantCap        *big.Int // nil: only the rule is checked
		wantErr                 error
	}{
		{name: "below the base fee, market takes over", old: fees{tip: n(1), feeCap: n(1)}, baseFee: n(1000), suggested: n(50),
			wantTip: n(50), wantCap: n(2050)},
		{name: "market unchanged: the minimum bump", old: fees{tip: n(100), feeCap: n(2100)}, baseFee: n(1000), suggested: n(100),
			wantTip: n(111), wantCap: n(2311)},
		{name: "rounding: 10% of 9 is 0", old: fees{tip: n(9), feeCap: n(9)}, baseFee: n(0), suggested: n(0),
			wantTip: n(10), wantCap: n(10)},
		{name: "large values", old: fees{tip: new(big.Int).Lsh(n(1), 200), feeCap: new(big.Int).Lsh(n(1), 201)}, baseFee: n(7), suggested: n(1)},
		{name: "capped at max", old: fees{tip: n(1), feeCap: n(1)}, baseFee: n(1000), suggested: n(50), max: n(1500),
			wantTip: n(50), wantCap: n(1500)},
		{name: "cap squeezes the tip", old: fees{tip: n(1), feeCap: n(1)}, baseFee: n(1000), suggested: n(400), max: n(1100),
			wantTip: n(100), wantCap: n(1100)},
		{name: "cap below base fee plus tip", old: fees{tip: n(1), feeCap: n(1)}, baseFee: n(1000), suggested: n(50), max: n(1001),
			wantErr: ErrFeeTooHigh},
		{name: "cap already reached", old: fees{tip: n(10), feeCap: n(3000)}, baseFee: n(1000), suggested: n(10), max: n(3000),
			wantErr: ErrFeeTooHigh},
		{name: "legacy: minimum bump", old: fees{feeCap: n(1000)}, suggested: n(900), wantCap: n(1101)},
		{name: "legacy: market", old: fees{feeCap: n(1000)}, suggested: n(5000), wantCap: n(5000)},
		{name: "legacy: capped", old: fees{feeCap: n(1000)}, suggested: n(5000), max: n(2000), wantCap: n(2000)},
		{name: "legacy: no room", old: fees{feeCap: n(1000)}, suggested: n(5000), max: n(1100), wantErr: ErrFeeTooHigh},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := replacementFees(tc.old, tc.baseFee, tc.suggested, tc.max)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("got %v, %v; want %v", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !accepted(tc.old, got, PriceBump) {
				t.Errorf("%v does not replace %v under a %d%% bump", got, tc.old, PriceBump)
			}
			if got.legacy() != tc.old.legacy() {
				t.Errorf("replacement of %v changed kind: %v", tc.old, got)
			}
			if !got.legacy() && got.tip.Cmp(got.feeCap) > 0 {
				t.Errorf("tip above fee cap: %v", got)
			}
			if tc.max != nil && got.feeCap.Cmp(tc.max) > 0 {
				t.Errorf("fee cap %v above the maximum %v", got.feeCap, tc.max)
			}
			if tc.wantTip != nil && got.tip.Cmp(tc.wantTip) != 0 {
				t.Errorf("tip %v, want %v", got.tip, tc.wantTip)
			}
			if tc.wantCap != nil && got.feeCap.Cmp(tc.wantCap) != 0 {
				t.Errorf("fee cap %v, want %v", got.feeCap, tc.wantCap)
			}
		})
	}
	// The rule check itself can fail: a 9% rise is refused.
	if accepted(fees{tip: n(100), feeCap: n(100)}, fees{tip: n(109), feeCap: n(200)}, PriceBump) {
		t.Fatal("accepted a 9% tip rise")
	}
}

func TestInitialFees(t *testing.T) {
	n := big.NewInt
	f, err := initialFees(n(1000), n(50), nil)
	if err != nil || f.tip.Int64() != 50 || f.feeCap.Int64() != 2050 {
		t.Fatalf("uncapped: %v %v", f, err)
	}
	if f, err = initialFees(n(1000), n(50), n(1500)); err != nil || f.feeCap.Int64() != 1500 {
		t.Fatalf("capped: %v %v", f, err)
	}
	if _, err = initialFees(n(1000), n(50), n(1049)); !errors.Is(err, ErrFeeTooHigh) {
		t.Fatalf("cap below base fee plus tip: %v", err)
	}
	if f, err = initialFees(nil, n(70), nil); err != nil || !f.legacy() || f.feeCap.Int64() != 70 {
		t.Fatalf("legacy: %v %v", f, err)
	}
	if _, err = initialFees(nil, n(70), n(69)); !errors.Is(err, ErrFeeTooHigh) {
		t.Fatalf("legacy above cap: %v", err)
	}
}
