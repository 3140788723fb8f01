package settle

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/merkle"
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
	r, err := c.settler.SubmitBest(c.ctx, c.from("payee"), payee.Store(), ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	g["close (1 lane)"] = r.GasUsed
	c.advance(time.Hour)
	r, err = c.settler.Collect(c.ctx, c.from("payee"), ch.ID)
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
		r, err := c.settler.Close(c.ctx, c.from("payee"), ch.ID, first)
		if err != nil {
			t.Fatal(err)
		}
		g[fmt.Sprintf("close (%d lanes)", lanes)] = r.GasUsed
		if lanes == 4 {
			best := payee.Store().BestVouchers(ch.ID)
			r, err = c.settler.Challenge(c.ctx, c.from("payee"), ch.ID, best[:1])
			if err != nil {
				t.Fatal(err)
			}
			g["challenge (1 lane)"] = r.GasUsed
			r, err = c.settler.SubmitBest(c.ctx, c.from("payee"), payee.Store(), ch.ID)
			if err != nil {
				t.Fatal(err)
			}
			g["challenge (3 lanes)"] = r.GasUsed
		}
	}
	// Recovery after expiry.
	ch2, _, _ := c.open(big.NewInt(1e18), 99)
	c.advance(25 * time.Hour)
	r, err = c.settler.Recover(c.ctx, c.from("payer"), ch2.ID)
	if err != nil {
		t.Fatal(err)
	}
	g["recover (native)"] = r.GasUsed

	// ERC-20: open (approve first), top-up, collect.
	tok := c.deployToken()
	tokAddr := tok.address
	tok.mint("payer", 1e12)
	tok.approve("payer", c.settler.Address(), 1e12)
	tch, r, err := c.settler.Open(c.ctx, c.from("payer"), OpenParams{Payee: c.addr("payee"), Signer: c.voucher.VoucherKey(),
		Token: tokAddr, Deposit: big.NewInt(1e9), Expiry: c.now().Add(48 * time.Hour), SettleDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	g["open (ERC-20)"] = r.GasUsed
	if r, err = c.settler.TopUp(c.ctx, c.from("payer"), tch, big.NewInt(1e9), time.Time{}); err != nil {
		t.Fatal(err)
	}
	g["top-up (ERC-20)"] = r.GasUsed
	tv := &payment.Voucher{Domain: tch.Domain, Channel: tch.ID, Lane: 0, Nonce: 1000, Amount: big.NewInt(123456)}
	payment.Sign(c.voucher, tv)
	if _, err = c.settler.Close(c.ctx, c.from("payee"), tch.ID, []*payment.Voucher{tv}); err != nil {
		t.Fatal(err)
	}
	c.advance(time.Hour)
	if r, err = c.settler.Collect(c.ctx, c.from("payee"), tch.ID); err != nil {
		t.Fatal(err)
	}
	g["collect (ERC-20)"] = r.GasUsed

	// Pay per verified reading: fulfil with a proof from a 1,024-leaf SHA-256 tree.
	leaves := make([][]byte, 1024)
	for i := range leaves {
		leaves[i] = fmt.Appendf(nil, "reading %d", i)
	}
	tree := merkle.NewTree(merkle.SHA256, leaves)
	proof, _ := tree.InclusionProof(777)
	r, err = c.settler.Fulfil(c.ctx, c.from("payee"), &payment.Redemption{Root: merkle.SHA256.Digest(tree.Root()), Reading: leaves[777], Proof: proof})
	if err != nil {
		t.Fatal(err)
	}
	g["fulfil (1,024-leaf tree)"] = r.GasUsed

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
		"open (ERC-20)": 200_000, "collect (ERC-20)": 90_000, "fulfil (1,024-leaf tree)": 80_000,
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
