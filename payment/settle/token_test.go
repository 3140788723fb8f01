package settle

import (
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/evmtx"
	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest/testtoken"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/payment"
)

// token is the test ERC-20, deployed on the chain.
type token struct {
	c       *chain
	address common.Address
}

var tokenABI = testtoken.NewTestToken()

// sendAs sends a transaction from name's account with a Sender of its own
// (not the Settler's) and waits for it.
func (c *chain) sendAs(name string, to *common.Address, data []byte) *types.Receipt {
	c.t.Helper()
	s, err := evmtx.NewSender(c.ctx, c.client, c.from(name), testConfig.txConfig())
	if err != nil {
		c.t.Fatal(err)
	}
	r, err := s.Transact(c.ctx, evmtx.Call{To: to, Data: data})
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		c.t.Fatalf("transaction from %s: %v", name, err)
	}
	return r
}

func (c *chain) deployToken() token {
	c.t.Helper()
	r := c.sendAs("deployer", nil, common.FromHex(testtoken.TestTokenMetaData.Bin))
	return token{c: c, address: r.ContractAddress}
}

func (tk token) mint(to string, amount int64) {
	tk.c.sendAs("deployer", &tk.address, tokenABI.PackMint(tk.c.addr(to), big.NewInt(amount)))
}

func (tk token) approve(owner string, spender common.Address, amount int64) {
	tk.c.sendAs(owner, &tk.address, tokenABI.PackApprove(spender, big.NewInt(amount)))
}

func (tk token) balance(name string) *big.Int {
	tk.c.t.Helper()
	out, err := tk.c.client.CallContract(tk.c.ctx, ethereum.CallMsg{To: &tk.address, Data: tokenABI.PackBalanceOf(tk.c.addr(name))}, nil)
	if err != nil {
		tk.c.t.Fatal(err)
	}
	b, err := tokenABI.UnpackBalanceOf(out)
	if err != nil {
		tk.c.t.Fatal(err)
	}
	return b
}

// TestERC20Channel: open in a token, top up, pay off chain on three lanes,
// close all lanes in one transaction, collect: token balances are exact.
func TestERC20Channel(t *testing.T) {
	c := newChain(t)
	tok := c.deployToken()
	tokAddr := tok.address
	tok.mint("payer", 10_000_000)
	tok.approve("payer", c.settler.Address(), 10_000_000)

	// Without enough allowance the deposit cannot be pulled.
	if _, _, err := c.settler.Open(c.ctx, c.from("payer"), OpenParams{Payee: c.addr("payee"), Signer: c.voucher.VoucherKey(),
		Token: tokAddr, Deposit: big.NewInt(20_000_000), Expiry: c.now().Add(time.Hour), SettleDelay: time.Minute}); err == nil {
		t.Fatal("open beyond the allowance succeeded")
	}
	ch, r, err := c.settler.Open(c.ctx, c.from("payer"), OpenParams{Payee: c.addr("payee"), Signer: c.voucher.VoucherKey(),
		Token: tokAddr, Deposit: big.NewInt(1_000_000), Expiry: c.now().Add(time.Hour), SettleDelay: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	c.gas["open (ERC-20)"] = r.GasUsed
	r, err = c.settler.TopUp(c.ctx, c.from("payer"), ch, big.NewInt(500_000), c.now().Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c.gas["top-up (ERC-20)"] = r.GasUsed
	if _, err := c.settler.TopUp(c.ctx, c.from("payee"), ch, big.NewInt(1), time.Time{}); !errors.Is(err, ErrNotAllowed) {
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
	r, err = c.settler.SubmitBest(c.ctx, c.from("payee"), payeeStore, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["close (3 lanes, ERC-20)"] = r.GasUsed
	c.advance(time.Minute)
	r, err = c.settler.Collect(c.ctx, c.from("payee"), ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["collect (ERC-20)"] = r.GasUsed
	if got := tok.balance("payee"); got.Int64() != 60_000 {
		t.Fatalf("payee tokens %v, want 60000", got)
	}
	if got := tok.balance("payer"); got.Int64() != 10_000_000-60_000 {
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
	if _, err := c.settler.Close(c.ctx, c.from("payee"), ch.ID, []*payment.Voucher{v}); !errors.Is(err, payment.ErrConditionUnmet) {
		t.Fatalf("unfulfilled condition: %v", err)
	}
	proof, _ := tree.InclusionProof(6)
	wrong, _ := tree.InclusionProof(5)
	if _, err := c.settler.Fulfil(c.ctx, c.from("payee"), &payment.Redemption{Root: root, Reading: rs[6], Proof: wrong}); !errors.Is(err, ErrBadProof) {
		t.Fatalf("wrong proof: %v", err)
	}
	red := &payment.Redemption{Root: root, Reading: rs[6], Proof: proof}
	if err := payment.Redeemable(v, red); err != nil {
		t.Fatal(err)
	}
	r, err := c.settler.Fulfil(c.ctx, c.from("payee"), red)
	if err != nil {
		t.Fatal(err)
	}
	c.gas[fmt.Sprintf("fulfil (%d-leaf tree)", len(rs))] = r.GasUsed
	if _, err := c.settler.Close(c.ctx, c.from("payee"), ch.ID, []*payment.Voucher{v}); err != nil {
		t.Fatalf("fulfilled condition: %v", err)
	}
	if st, _ := c.settler.State(c.ctx, ch.ID); st.Owed.Int64() != 777 {
		t.Fatalf("owed %v", st.Owed)
	}
	// BLAKE3 trees are checked off chain only.
	b3 := merkle.NewTree(merkle.BLAKE3, rs)
	bp, _ := b3.InclusionProof(1)
	if _, err := c.settler.Fulfil(c.ctx, c.from("payee"), &payment.Redemption{Root: merkle.BLAKE3.Digest(b3.Root()), Reading: rs[1], Proof: bp}); !errors.Is(err, ErrNotOnChain) {
		t.Fatalf("BLAKE3 fulfil: %v", err)
	}
	bv := &payment.Voucher{Domain: ch.Domain, Channel: ch.ID, Lane: 2, Amount: big.NewInt(1), Condition: canon.Digest{Func: canon.BLAKE3, Sum: [32]byte{1}}}
	payment.Sign(c.voucher, bv)
	if _, err := c.settler.Challenge(c.ctx, c.from("payee"), ch.ID, []*payment.Voucher{bv}); !errors.Is(err, ErrNotOnChain) {
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
