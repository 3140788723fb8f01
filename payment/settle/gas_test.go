package settle

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/payment"
)

// TestGasReport measures the gas of every contract call on the simulated
// chain and the on-chain cost per 1,000 off-chain payments; run with -v to
// see the table. The bounds make a gas regression fail the test.
func TestGasReport(t *testing.T) {
	c := newChain(t)
	g := map[string]uint64{"deploy": c.gas["deploy"]}

	// One channel, 1,000 off-chain payments on one lane, settled on chain.
	ch, payer, payee := c.open(big.NewInt(1e18), 1)
	g["open (native)"] = c.gas["open (native)"]
	c.pay(payer, payee, ch, 0, 1000, 1e12)
	r, err := c.settler.SubmitBest(c.ctx, c.auth("payee"), payee.Store(), ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	g["close (1 lane)"] = r.GasUsed
	c.advance(time.Hour)
	r, err = c.settler.Collect(c.ctx, c.auth("payee"), ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	g["collect (native)"] = r.GasUsed
	perThousand := g["open (native)"] + g["close (1 lane)"] + g["collect (native)"]

	// Netting: close with many lanes in one transaction, then challenge.
	for _, lanes := range []int{4, 16} {
		ch, payer, payee := c.open(big.NewInt(1e18), byte(lanes))
		var first []*payment.Voucher
		for l := 0; l < lanes; l++ {
			first = append(first, c.pay(payer, payee, ch, uint64(l), 1, 1000))
			c.pay(payer, payee, ch, uint64(l), 1, 1000)
		}
		r, err := c.settler.Close(c.ctx, c.auth("payee"), ch.ID, first)
		if err != nil {
			t.Fatal(err)
		}
		g[fmt.Sprintf("close (%d lanes)", lanes)] = r.GasUsed
		if lanes == 4 {
			best := payee.Store().BestVouchers(ch.ID)
			r, err = c.settler.Challenge(c.ctx, c.auth("payee"), ch.ID, best[:1])
			if err != nil {
				t.Fatal(err)
			}
			g["challenge (1 lane)"] = r.GasUsed
			r, err = c.settler.SubmitBest(c.ctx, c.auth("payee"), payee.Store(), ch.ID)
			if err != nil {
				t.Fatal(err)
			}
			g["challenge (3 lanes)"] = r.GasUsed
		}
	}
	// Recovery after expiry.
	ch2, _, _ := c.open(big.NewInt(1e18), 99)
	c.advance(25 * time.Hour)
	r, err = c.settler.Recover(c.ctx, c.auth("payer"), ch2.ID)
	if err != nil {
		t.Fatal(err)
	}
	g["recover (native)"] = r.GasUsed

	names := make([]string, 0, len(g))
	for n := range g {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "\n| call | gas |\n|---|---:|\n")
	for _, n := range names {
		fmt.Fprintf(&b, "| %s | %d |\n", n, g[n])
	}
	fmt.Fprintf(&b, "| open + close (1 lane) + collect, per 1,000 off-chain payments | %d (%.1f per payment) |\n", perThousand, float64(perThousand)/1000)
	fmt.Fprintf(&b, "| marginal gas per extra lane in one close (16 vs 4 lanes) | %d |\n", (g["close (16 lanes)"]-g["close (4 lanes)"])/12)
	t.Log(b.String())

	bounds := map[string]uint64{
		"open (native)": 150_000, "close (1 lane)": 130_000, "challenge (1 lane)": 80_000,
		"collect (native)": 80_000, "recover (native)": 60_000,
	}
	for n, max := range bounds {
		if g[n] == 0 || g[n] > max {
			t.Errorf("%s: %d gas, bound %d", n, g[n], max)
		}
	}
	if per := (g["close (16 lanes)"] - g["close (4 lanes)"]) / 12; per > 40_000 {
		t.Errorf("marginal lane in close: %d gas", per)
	}
}
