package settle

import (
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/contracts"
)

func (c *chain) deployToken() (common.Address, *contracts.TestToken) {
	c.t.Helper()
	opts := c.auth("deployer")
	addr, tx, tok, err := contracts.DeployTestToken(opts, c.client)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.mined(c.ctx, tx); err != nil {
		c.t.Fatal(err)
	}
	return addr, tok
}

func (c *chain) tokenBalance(tok *contracts.TestToken, name string) *big.Int {
	b, err := tok.BalanceOf(&bind.CallOpts{Context: c.ctx}, c.addr(name))
	if err != nil {
		c.t.Fatal(err)
	}
	return b
}

// TestERC20Channel: open in a token, top up, pay off chain on three lanes,
// close all lanes in one transaction, collect: token balances are exact.
func TestERC20Channel(t *testing.T) {
	c := newChain(t)
	tokAddr, tok := c.deployToken()
	tx, err := tok.Mint(c.auth("payer"), c.addr("payer"), big.NewInt(10_000_000))
	if err != nil {
		t.Fatal(err)
	}
	c.mined(c.ctx, tx)
	tx, _ = tok.Approve(c.auth("payer"), c.settler.Address(), big.NewInt(10_000_000))
	c.mined(c.ctx, tx)

	// Without enough allowance the deposit cannot be pulled.
	if _, _, err := c.settler.Open(c.ctx, c.auth("payer"), OpenParams{Payee: c.addr("payee"), Signer: c.voucher.VoucherKey(),
		Token: tokAddr, Deposit: big.NewInt(20_000_000), Expiry: c.now().Add(time.Hour), SettleDelay: time.Minute}); err == nil {
		t.Fatal("open beyond the allowance succeeded")
	}
	ch, r, err := c.settler.Open(c.ctx, c.auth("payer"), OpenParams{Payee: c.addr("payee"), Signer: c.voucher.VoucherKey(),
		Token: tokAddr, Deposit: big.NewInt(1_000_000), Expiry: c.now().Add(time.Hour), SettleDelay: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	c.gas["open (ERC-20)"] = r.GasUsed
	r, err = c.settler.TopUp(c.ctx, c.auth("payer"), ch, big.NewInt(500_000), c.now().Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c.gas["top-up (ERC-20)"] = r.GasUsed
	if _, err := c.settler.TopUp(c.ctx, c.auth("payee"), ch, big.NewInt(1), time.Time{}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("top-up by the payee: %v", err)
	}
	st, _ := c.settler.State(c.ctx, ch.ID)
	if st.Deposit.Int64() != 1_500_000 {
		t.Fatalf("deposit after top-up %v", st.Deposit)
	}
	ch.Deposit = st.Deposit
	ch.Expiry = st.Expiry

	payerStore, payeeStore := openStores(t)
	payer, _ := payment.NewPayer(payerStore, c.voucher, payment.PayerConfig{Now: c.now})
	payee, _ := payment.NewPayee(payeeStore, payment.PayeeConfig{Now: c.now})
	payer.Open(c.ctx, ch)
	payee.Open(c.ctx, ch)
	for lane := uint64(0); lane < 3; lane++ {
		c.pay(payer, payee, ch, lane, 10, 1000*int64(lane+1))
	}
	// Overspending the deposit is refused off chain.
	if _, err := payer.Pay(c.ctx, ch.ID, 0, big.NewInt(1_500_000)); !errors.Is(err, payment.ErrOverspend) {
		t.Fatalf("overspend: %v", err)
	}
	r, err = c.settler.SubmitBest(c.ctx, c.auth("payee"), payeeStore, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["close (3 lanes, ERC-20)"] = r.GasUsed
	c.advance(time.Minute)
	r, err = c.settler.Collect(c.ctx, c.auth("payee"), ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["collect (ERC-20)"] = r.GasUsed
	if got := c.tokenBalance(tok, "payee"); got.Int64() != 60_000 {
		t.Fatalf("payee tokens %v, want 60000", got)
	}
	if got := c.tokenBalance(tok, "payer"); got.Int64() != 10_000_000-60_000 {
		t.Fatalf("payer tokens %v", got)
	}
}

// TestConditionalVoucherOnChain: a voucher paying for one reading of a
// SHA-256 (RFC 6962) batch counts on chain only after fulfil shows the
// reading's inclusion proof.
func TestConditionalVoucherOnChain(t *testing.T) {
	c := newChain(t)
	ch, payer, payee := c.open(ether, 6)
	rs := make([][]byte, 11)
	for i := range rs {
		rs[i] = fmt.Appendf(nil, "reading %d: 4.%d C", i, i)
	}
	tree := merkle.NewTree(merkle.SHA256, rs)
	root := merkle.SHA256.Digest(tree.Root())
	cond, err := payment.ReadingConditionFor(root, rs[6])
	if err != nil {
		t.Fatal(err)
	}
	v, err := payer.Issue(c.ctx, payment.Payment{Channel: ch.ID, Lane: 1, Amount: big.NewInt(777), Condition: cond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := payee.Accept(c.ctx, v, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.settler.Close(c.ctx, c.auth("payee"), ch.ID, []*payment.Voucher{v}); !errors.Is(err, payment.ErrConditionUnmet) {
		t.Fatalf("unfulfilled condition: %v", err)
	}
	proof, _ := tree.InclusionProof(6)
	wrong, _ := tree.InclusionProof(5)
	if _, err := c.settler.Fulfil(c.ctx, c.auth("payee"), &payment.Redemption{Root: root, Reading: rs[6], Proof: wrong}); !errors.Is(err, ErrBadProof) {
		t.Fatalf("wrong proof: %v", err)
	}
	red := &payment.Redemption{Root: root, Reading: rs[6], Proof: proof}
	if err := payment.Redeemable(v, red); err != nil {
		t.Fatal(err)
	}
	r, err := c.settler.Fulfil(c.ctx, c.auth("payee"), red)
	if err != nil {
		t.Fatal(err)
	}
	c.gas[fmt.Sprintf("fulfil (%d-leaf tree)", len(rs))] = r.GasUsed
	if _, err := c.settler.Close(c.ctx, c.auth("payee"), ch.ID, []*payment.Voucher{v}); err != nil {
		t.Fatalf("fulfilled condition: %v", err)
	}
	if st, _ := c.settler.State(c.ctx, ch.ID); st.Owed.Int64() != 777 {
		t.Fatalf("owed %v", st.Owed)
	}
	// BLAKE3 trees are checked off chain only.
	b3 := merkle.NewTree(merkle.BLAKE3, rs)
	bp, _ := b3.InclusionProof(1)
	if _, err := c.settler.Fulfil(c.ctx, c.auth("payee"), &payment.Redemption{Root: merkle.BLAKE3.Digest(b3.Root()), Reading: rs[1], Proof: bp}); !errors.Is(err, ErrNotOnChain) {
		t.Fatalf("BLAKE3 fulfil: %v", err)
	}
	bv := &payment.Voucher{Domain: ch.Domain, Channel: ch.ID, Lane: 2, Amount: big.NewInt(1), Condition: canon.Digest{Func: canon.BLAKE3, Sum: [32]byte{1}}}
	payment.Sign(c.voucher, bv)
	if _, err := c.settler.Challenge(c.ctx, c.auth("payee"), ch.ID, []*payment.Voucher{bv}); !errors.Is(err, ErrNotOnChain) {
		t.Fatalf("BLAKE3 condition on chain: %v", err)
	}
}

func openStores(t *testing.T) (*payment.Store, *payment.Store) {
	dir := t.TempDir()
	a, err := payment.OpenStore(dir+"/payer", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := payment.OpenStore(dir+"/payee", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}
