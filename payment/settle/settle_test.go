package settle

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest"
	"github.com/iotrust/iotrust/payment"
)

var ether = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

// chain is a simulated chain (with a miner, see evmtxtest) with the
// contract deployed and four accounts.
type chain struct {
	*evmtxtest.Chain
	t       *testing.T
	client  simulated.Client
	settler *Settler
	keys    map[string]*ecdsa.PrivateKey
	voucher payment.Signer // the payer's secp256k1 voucher key
	gas     map[string]uint64
	ctx     context.Context
}

// testConfig sends fast enough for tests.
var testConfig = Config{PollInterval: 2 * time.Millisecond, RetryBackoff: time.Millisecond}

func newChain(t *testing.T) *chain {
	t.Helper()
	c := &chain{t: t, ctx: t.Context(), keys: map[string]*ecdsa.PrivateKey{}, gas: map[string]uint64{}}
	var keys []*ecdsa.PrivateKey
	for _, name := range []string{"payer", "payee", "stranger", "deployer"} {
		c.keys[name] = evmtxtest.NewKey(t)
		keys = append(keys, c.keys[name])
	}
	vk := evmtxtest.NewKey(t)
	c.voucher, _ = payment.NewEthereumSigner(vk)
	c.Chain = evmtxtest.New(t, keys)
	c.client = c.Client
	addr, r, err := Deploy(c.ctx, c.client, c.from("deployer"), testConfig)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["deploy"] = r.GasUsed
	c.settler, err = New(c.ctx, c.client, addr, testConfig)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *chain) addr(name string) common.Address { return evmtxtest.Address(c.keys[name]) }

func (c *chain) from(name string) Signer { return KeySigner(c.keys[name]) }

// now is the chain's time: the latest block's timestamp.
func (c *chain) now() time.Time {
	return time.Unix(int64(c.Head(c.t).Time), 0).UTC()
}

func (c *chain) advance(d time.Duration) { c.AdjustTime(c.t, d) }

func (c *chain) balance(name string) *big.Int {
	b, err := c.client.BalanceAt(c.ctx, c.addr(name), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return b
}

func fee(r *types.Receipt) *big.Int {
	return new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
}

// open opens a native-coin channel of deposit wei for one day, settle delay
// one hour, and returns it with a payer and a payee holding it.
func (c *chain) open(deposit *big.Int, salt byte) (*payment.Channel, *payment.Payer, *payment.Payee) {
	c.t.Helper()
	ch, r, err := c.settler.Open(c.ctx, c.from("payer"), OpenParams{
		Payee: c.addr("payee"), Signer: c.voucher.VoucherKey(), Deposit: deposit,
		Expiry: c.now().Add(24 * time.Hour), SettleDelay: time.Hour, Salt: [32]byte{salt},
	})
	if err != nil {
		c.t.Fatal(err)
	}
	c.gas["open (native)"] = r.GasUsed
	dir := c.t.TempDir()
	ps, err := payment.OpenStore(filepath.Join(dir, "payer"), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	es, err := payment.OpenStore(filepath.Join(dir, "payee"), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { ps.Close(); es.Close() })
	payer, err := payment.NewPayer(ps, c.voucher, payment.PayerConfig{Now: c.now})
	if err != nil {
		c.t.Fatal(err)
	}
	payee, _ := payment.NewPayee(es, payment.PayeeConfig{Now: c.now})
	if err := payer.Open(c.ctx, ch); err != nil {
		c.t.Fatal(err)
	}
	if err := payee.Open(c.ctx, ch); err != nil {
		c.t.Fatal(err)
	}
	return ch, payer, payee
}

// pay makes n off-chain payments of amount on lane, each accepted by payee.
func (c *chain) pay(payer *payment.Payer, payee *payment.Payee, ch *payment.Channel, lane uint64, n int, amount int64) *payment.Voucher {
	c.t.Helper()
	var v *payment.Voucher
	for i := 0; i < n; i++ {
		var err error
		v, err = payer.Pay(c.ctx, ch.ID, lane, big.NewInt(amount))
		if err != nil {
			c.t.Fatal(err)
		}
		if _, err := payee.Accept(c.ctx, v, nil); err != nil {
			c.t.Fatal(err)
		}
	}
	return v
}

func TestGoAndContractAgree(t *testing.T) {
	c := newChain(t)
	ch, payer, _ := c.open(ether, 1)
	st, err := c.settler.State(c.ctx, ch.ID)
	if err != nil || !st.Open || st.Deposit.Cmp(ether) != 0 || st.Signer != common.BytesToAddress(c.voucher.VoucherKey().Key) {
		t.Fatalf("state %+v %v (the Go channel ID must be the contract's)", st, err)
	}
	v, err := payer.Pay(c.ctx, ch.ID, 3, big.NewInt(12345))
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.settler.VoucherDigest(c.ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := v.Digest()
	if got != want {
		t.Fatalf("Go digest %s, contract %s", got, want)
	}
}

// TestCloseChallengeCollect: the payee closes with an old voucher; during
// the challenge period the newer one replaces it; stale and undercutting
// vouchers are refused; collect before the delay is refused; after it the
// payee gets the newest amount and the payer the rest.
func TestCloseChallengeCollect(t *testing.T) {
	c := newChain(t)
	deposit := new(big.Int).Mul(big.NewInt(2), ether)
	ch, payer, payee := c.open(deposit, 1)
	unit := int64(1e15) // 0.001 ether per payment
	old := c.pay(payer, payee, ch, 0, 3, unit)
	mid := c.pay(payer, payee, ch, 0, 2, unit)
	newest := c.pay(payer, payee, ch, 0, 2, unit)
	lane1 := c.pay(payer, payee, ch, 1, 4, unit)

	payeeBefore, payerBefore := c.balance("payee"), c.balance("payer")
	r, err := c.settler.Close(c.ctx, c.from("payee"), ch.ID, []*payment.Voucher{old, lane1})
	if err != nil {
		t.Fatal(err)
	}
	c.gas["close (2 lanes)"] = r.GasUsed
	payeeFees := fee(r)
	st, _ := c.settler.State(c.ctx, ch.ID)
	if st.ClosesAt.IsZero() || st.Owed.Int64() != 7*unit {
		t.Fatalf("after close: %+v", st)
	}
	if _, err := c.settler.Close(c.ctx, c.from("payer"), ch.ID, nil); !errors.Is(err, ErrAlreadyClosing) {
		t.Fatalf("second close: %v", err)
	}

	// The payer's newer voucher wins; anyone may submit it (here the payer
	// itself, which wants its channel settled at the right amount).
	r, err = c.settler.Challenge(c.ctx, c.from("payer"), ch.ID, []*payment.Voucher{newest})
	if err != nil {
		t.Fatal(err)
	}
	c.gas["challenge (1 lane)"] = r.GasUsed
	payerFees := fee(r)
	if n, a, _ := c.settler.Lane(c.ctx, ch.ID, 0); n != newest.Nonce || a.Cmp(newest.Amount) != 0 {
		t.Fatalf("lane 0 on chain: nonce %d amount %v", n, a)
	}
	// An older voucher no longer replaces it.
	var re *RevertError
	if _, err := c.settler.Challenge(c.ctx, c.from("payee"), ch.ID, []*payment.Voucher{mid}); !errors.Is(err, payment.ErrStale) || !errors.As(err, &re) || re.Name != "StaleVoucher" {
		t.Fatalf("stale challenge: %v", err)
	}
	// Nor does a payer's fresh higher-nonce voucher for less.
	under := &payment.Voucher{Domain: ch.Domain, Channel: ch.ID, Lane: 0, Nonce: newest.Nonce + 10, Amount: big.NewInt(unit)}
	if err := payment.Sign(c.voucher, under); err != nil {
		t.Fatal(err)
	}
	if _, err := c.settler.Challenge(c.ctx, c.from("payer"), ch.ID, []*payment.Voucher{under}); !errors.Is(err, payment.ErrStale) {
		t.Fatalf("undercutting voucher: %v", err)
	}
	// SubmitBest from the payee's store has nothing better to add.
	if r, err := c.settler.SubmitBest(c.ctx, c.from("payee"), payee.Store(), ch.ID); r != nil || err != nil {
		t.Fatalf("SubmitBest with the chain up to date: %v %v", r, err)
	}

	if _, err := c.settler.Collect(c.ctx, c.from("stranger"), ch.ID); !errors.Is(err, ErrTooEarly) {
		t.Fatalf("collect before the delay: %v", err)
	}
	c.advance(time.Hour)
	if _, err := c.settler.Challenge(c.ctx, c.from("payee"), ch.ID, []*payment.Voucher{newest}); !errors.Is(err, ErrChallengeOver) {
		t.Fatalf("challenge after the delay: %v", err)
	}
	r, err = c.settler.Collect(c.ctx, c.from("stranger"), ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["collect (native)"] = r.GasUsed

	owed := big.NewInt(11 * unit)
	gotPayee := new(big.Int).Sub(c.balance("payee"), payeeBefore)
	gotPayee.Add(gotPayee, payeeFees)
	if gotPayee.Cmp(owed) != 0 {
		t.Fatalf("payee received %v, want %v", gotPayee, owed)
	}
	gotPayer := new(big.Int).Sub(c.balance("payer"), payerBefore)
	gotPayer.Add(gotPayer, payerFees)
	if want := new(big.Int).Sub(deposit, owed); gotPayer.Cmp(want) != 0 {
		t.Fatalf("payer got back %v, want %v", gotPayer, want)
	}
	if st, _ := c.settler.State(c.ctx, ch.ID); st.Open {
		t.Fatal("channel still open after collect")
	}
	if _, err := c.settler.Collect(c.ctx, c.from("stranger"), ch.ID); !errors.Is(err, payment.ErrUnknownChannel) {
		t.Fatalf("second collect: %v", err)
	}
}

// TestPayerClosesPayeeAnswers: the payer ends the channel early with no
// vouchers; the payee's SubmitBest answers within the challenge period.
func TestPayerClosesPayeeAnswers(t *testing.T) {
	c := newChain(t)
	ch, payer, payee := c.open(ether, 2)
	c.pay(payer, payee, ch, 0, 5, 1000)
	c.pay(payer, payee, ch, 7, 5, 10)
	if _, err := c.settler.Close(c.ctx, c.from("payer"), ch.ID, nil); err != nil {
		t.Fatal(err)
	}
	r, err := c.settler.SubmitBest(c.ctx, c.from("payee"), payee.Store(), ch.ID)
	if err != nil || r == nil {
		t.Fatalf("payee's answer: %v", err)
	}
	if st, _ := c.settler.State(c.ctx, ch.ID); st.Owed.Int64() != 5050 {
		t.Fatalf("owed %v", st.Owed)
	}
}

// TestDefend: a payee's watchtower does nothing while the channel is open,
// answers a payer's close with its best vouchers, and does nothing after
// the challenge period.
func TestDefend(t *testing.T) {
	c := newChain(t)
	ch, payer, payee := c.open(ether, 8)
	c.pay(payer, payee, ch, 0, 4, 250)
	if r, err := c.settler.Defend(c.ctx, c.from("payee"), payee.Store(), ch.ID); r != nil || err != nil {
		t.Fatalf("defend on an open channel: %v %v", r, err)
	}
	if _, err := c.settler.Close(c.ctx, c.from("payer"), ch.ID, nil); err != nil {
		t.Fatal(err)
	}
	r, err := c.settler.Defend(c.ctx, c.from("stranger"), payee.Store(), ch.ID)
	if err != nil || r == nil {
		t.Fatalf("defend after the payer's close: %v %v", r, err)
	}
	if r, err := c.settler.Defend(c.ctx, c.from("stranger"), payee.Store(), ch.ID); r != nil || err != nil {
		t.Fatalf("second defend: %v %v", r, err)
	}
	c.pay(payer, payee, ch, 0, 1, 250) // a late voucher, after the close
	c.advance(time.Hour)
	if r, err := c.settler.Defend(c.ctx, c.from("payee"), payee.Store(), ch.ID); r != nil || err != nil {
		t.Fatalf("defend after the challenge period: %v %v", r, err)
	}
	if st, _ := c.settler.State(c.ctx, ch.ID); st.Owed.Int64() != 1000 {
		t.Fatalf("owed %v", st.Owed)
	}
}

// TestPayeeVanishesPayerRecovers: nobody closes; recovery before expiry is
// refused, after it the payer gets the whole deposit, and a late payee
// can no longer close.
func TestPayeeVanishesPayerRecovers(t *testing.T) {
	c := newChain(t)
	ch, payer, payee := c.open(ether, 3)
	c.pay(payer, payee, ch, 0, 3, 1000)
	if _, err := c.settler.Recover(c.ctx, c.from("payer"), ch.ID); !errors.Is(err, ErrTooEarly) {
		t.Fatalf("recover before expiry: %v", err)
	}
	if _, err := c.settler.Recover(c.ctx, c.from("stranger"), ch.ID); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("recover by a stranger: %v", err)
	}
	c.advance(24*time.Hour + time.Second)
	best := payee.Store().BestVouchers(ch.ID)
	if _, err := c.settler.Close(c.ctx, c.from("payee"), ch.ID, best); !errors.Is(err, payment.ErrExpired) {
		t.Fatalf("payee closing after expiry: %v", err)
	}
	before := c.balance("payer")
	r, err := c.settler.Recover(c.ctx, c.from("payer"), ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["recover (native)"] = r.GasUsed
	got := new(big.Int).Sub(c.balance("payer"), before)
	got.Add(got, fee(r))
	if got.Cmp(ether) != 0 {
		t.Fatalf("payer recovered %v, want %v", got, ether)
	}
}

// TestContractRejectsBadVouchers: wrong key, forged domain and wrong
// channel are refused by the contract itself, both at estimation and in a
// mined transaction; the chain state is unchanged.
func TestContractRejectsBadVouchers(t *testing.T) {
	c := newChain(t)
	ch, payer, payee := c.open(ether, 4)
	good := c.pay(payer, payee, ch, 0, 1, 1000)

	otherKey, _ := crypto.GenerateKey()
	other, _ := payment.NewEthereumSigner(otherKey)
	wrongKey := good.Clone()
	payment.Sign(other, wrongKey)
	// Signed for chain 1, then relabelled: the signature no longer matches.
	forged := &payment.Voucher{Domain: payment.Domain{ChainID: 1, Contract: ch.Domain.Contract}, Channel: ch.ID, Lane: 0, Nonce: 9, Amount: big.NewInt(5000)}
	payment.Sign(c.voucher, forged)
	forged.Domain = ch.Domain
	tampered := good.Clone()
	tampered.Amount = big.NewInt(999_999)

	for name, v := range map[string]*payment.Voucher{"wrong key": wrongKey, "other chain's signature": forged, "tampered amount": tampered} {
		_, err := c.settler.Close(c.ctx, c.from("payee"), ch.ID, []*payment.Voucher{v})
		var re *RevertError
		if !errors.Is(err, payment.ErrBadSignature) || !errors.As(err, &re) || re.Name != "BadSignature" {
			t.Errorf("%s: got %v, want the contract's BadSignature", name, err)
		}
	}
	// Skipping estimation, the mined transaction fails on chain.
	svs, err := c.settler.signedVouchers(ch.ID, []*payment.Voucher{wrongKey})
	if err != nil {
		t.Fatal(err)
	}
	forced := packCall(binding.TryPackClose(ch.ID, svs))
	forced.Gas = 300_000
	r, err := c.settler.transact(c.ctx, c.from("payee"), "close", forced)
	if !errors.Is(err, ErrTxFailed) || r == nil || r.Status != types.ReceiptStatusFailed {
		t.Fatalf("mined wrong-key close: %v", err)
	}
	if st, _ := c.settler.State(c.ctx, ch.ID); !st.ClosesAt.IsZero() || st.Owed.Sign() != 0 {
		t.Fatalf("state changed by rejected vouchers: %+v", st)
	}
	// The Go side refuses a voucher of another chain before sending.
	wrongChain := good.Clone()
	wrongChain.Domain.ChainID++
	if _, err := c.settler.Close(c.ctx, c.from("payee"), ch.ID, []*payment.Voucher{wrongChain}); !errors.Is(err, payment.ErrWrongChain) {
		t.Fatalf("voucher for another chain: %v", err)
	}
	// A voucher of another channel on this contract is refused by the contract.
	ch2, payer2, payee2 := c.open(ether, 5)
	v2 := c.pay(payer2, payee2, ch2, 0, 1, 1)
	svs, _ = c.settler.signedVouchers(v2.Channel, []*payment.Voucher{v2})
	if _, err := c.settler.transact(c.ctx, c.from("payee"), "close", packCall(binding.TryPackClose(ch.ID, svs))); !errors.Is(err, payment.ErrUnknownChannel) {
		t.Fatalf("voucher of another channel: %v", err)
	}
	// The payee's DID-key channels cannot go on chain at all.
	if _, _, err := c.settler.Open(c.ctx, c.from("payer"), OpenParams{Payee: c.addr("payee"),
		Signer: payment.VoucherKey{Scheme: "Ed25519", Key: make([]byte, 32)}, Deposit: ether,
		Expiry: c.now().Add(time.Hour), SettleDelay: time.Hour}); !errors.Is(err, ErrNotOnChain) {
		t.Fatalf("DID-key channel on chain: %v", err)
	}
}

// TestFinishedChannelStaysFinished: a collected channel's ID cannot be
// opened again (its old vouchers would be valid for the new one), and a
// payer who over-signed across lanes pays out exactly the deposit.
func TestFinishedChannelStaysFinished(t *testing.T) {
	c := newChain(t)
	ch, _, _ := c.open(big.NewInt(1000), 7)
	var vs []*payment.Voucher
	for lane := uint64(0); lane < 2; lane++ {
		v := &payment.Voucher{Domain: ch.Domain, Channel: ch.ID, Lane: lane, Nonce: 1, Amount: big.NewInt(800)}
		if err := payment.Sign(c.voucher, v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	if _, err := c.settler.Close(c.ctx, c.from("payee"), ch.ID, vs); err != nil {
		t.Fatal(err)
	}
	before := c.balance("payee")
	c.advance(time.Hour)
	if _, err := c.settler.Collect(c.ctx, c.from("stranger"), ch.ID); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(c.balance("payee"), before); got.Int64() != 1000 {
		t.Fatalf("payee got %v for 1600 signed over a 1000 deposit", got)
	}
	if st, _ := c.settler.State(c.ctx, ch.ID); st.Open || st.Deposit.Sign() != 0 {
		t.Fatalf("finished channel state %+v", st)
	}
	_, _, err := c.settler.Open(c.ctx, c.from("payer"), OpenParams{Payee: c.addr("payee"), Signer: c.voucher.VoucherKey(),
		Deposit: big.NewInt(1000), Expiry: c.now().Add(time.Hour), SettleDelay: time.Hour, Salt: [32]byte{7}})
	var re *RevertError
	if !errors.As(err, &re) || re.Name != "ChannelExists" {
		t.Fatalf("reopening a finished channel: %v", err)
	}
	if _, err := c.settler.Challenge(c.ctx, c.from("payee"), ch.ID, vs); !errors.Is(err, payment.ErrUnknownChannel) {
		t.Fatalf("challenge on a finished channel: %v", err)
	}
}

// TestSendPolicy: a fee cap below what the chain asks refuses to send
// (ErrFeeTooHigh), a node that cannot be reached gives ErrUnavailable, and
// a top-up without an amount is refused before anything is sent.
func TestSendPolicy(t *testing.T) {
	c := newChain(t)
	capped := testConfig
	capped.MaxFeePerGas = big.NewInt(1)
	s, err := New(c.ctx, c.client, c.settler.Address(), capped)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Open(c.ctx, c.from("payer"), OpenParams{Payee: c.addr("payee"), Signer: c.voucher.VoucherKey(),
		Deposit: ether, Expiry: c.now().Add(time.Hour), SettleDelay: time.Hour})
	if !errors.Is(err, ErrFeeTooHigh) {
		t.Fatalf("Open above the fee cap: %v, want ErrFeeTooHigh", err)
	}
	ch, _, _ := c.open(ether, 9)
	if _, err := c.settler.TopUp(c.ctx, c.from("payer"), ch, nil, time.Time{}); !errors.Is(err, payment.ErrBadChannel) {
		t.Fatalf("top-up of nil: %v, want ErrBadChannel", err)
	}
	c.Halt()
	if err := c.Sim.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.settler.Collect(c.ctx, c.from("stranger"), ch.ID); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Collect on a closed chain: %v, want ErrUnavailable", err)
	}
	if _, err := c.settler.State(c.ctx, ch.ID); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("State on a closed chain: %v, want ErrUnavailable", err)
	}
}

// TestConditionalVoucherNeverDisplacesRedeemable: after an unconditional
// voucher, the payee accepts a larger one that is time-locked (lane 0) or
// conditioned on something never fulfilled (lane 1). Neither can be
// redeemed, so both SubmitBest (closing) and Defend (challenging a close
// by the payer) settle the unconditional ones, and the payee keeps them.
func TestConditionalVoucherNeverDisplacesRedeemable(t *testing.T) {
	c := newChain(t)
	unredeemable := func(ch *payment.Channel, payer *payment.Payer, payee *payment.Payee) {
		t.Helper()
		c.pay(payer, payee, ch, 0, 1, 500)
		c.pay(payer, payee, ch, 1, 1, 300)
		for _, pm := range []payment.Payment{
			{Channel: ch.ID, Lane: 0, Amount: big.NewInt(600), NotAfter: uint64(c.now().Add(time.Minute).Unix())},
			{Channel: ch.ID, Lane: 1, Amount: big.NewInt(400), Condition: canon.Digest{Func: canon.SHA256, Sum: [32]byte{0xde, 0xad}}},
		} {
			v, err := payer.Issue(c.ctx, pm)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := payee.Accept(c.ctx, v, nil); err != nil {
				t.Fatal(err)
			}
		}
		c.advance(2 * time.Minute) // lane 0's voucher is past its NotAfter
	}
	settled := func(ch *payment.Channel) {
		t.Helper()
		for lane, want := range []int64{500, 300} {
			if _, amount, err := c.settler.Lane(c.ctx, ch.ID, uint64(lane)); err != nil || amount.Int64() != want {
				t.Errorf("lane %d on chain: %v %v, want %d", lane, amount, err, want)
			}
		}
	}

	ch, payer, payee := c.open(ether, 20)
	unredeemable(ch, payer, payee)
	if _, err := c.settler.SubmitBest(c.ctx, c.from("payee"), payee.Store(), ch.ID); err != nil {
		t.Fatalf("SubmitBest: %v", err)
	}
	settled(ch)

	ch, payer, payee = c.open(ether, 21)
	unredeemable(ch, payer, payee)
	if _, err := c.settler.Close(c.ctx, c.from("payer"), ch.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.settler.Defend(c.ctx, c.from("payee"), payee.Store(), ch.ID); err != nil {
		t.Fatalf("Defend: %v", err)
	}
	settled(ch)
}
