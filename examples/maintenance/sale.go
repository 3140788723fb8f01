package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/settle"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
	"github.com/iotrust/iotrust/vc"
)

// saleParts is what the sale works with.
type saleParts struct {
	log            *tlog.Log
	eth            *devnet.Env
	settler        *settle.Settler
	gw             *batch.Gateway
	store          *store.Store
	operator       store.Identity // the operator's store key, which every batch is sealed to
	batch          batch.BatchInfo
	buyerWallet    *ecdsa.PrivateKey
	operatorWallet *ecdsa.PrivateKey
	sensor         *sensor
	work           string
	clk            *devnet.Clock
}

// sale is a paid sale, ready to be redeemed.
type sale struct {
	saleParts
	ch          *payment.Channel
	payer       *payment.Payer
	payee       *payment.Payee
	redemptions []payment.Redemption // the operator's, one per reading sold
}

func (s *sale) close() {
	s.payer.Store().Close()
	s.payee.Store().Close()
}

// sell runs the sale of one batch: the operator's offer, the buyer's checks
// of it against the log, a channel on chain, one conditional voucher per
// reading, and once paid, the grant of the encrypted batch.
func sell(ctx context.Context, p printer, sp saleParts) (*sale, error) {
	c, receipt := sp.batch.Commitment, sp.batch.Receipts[0]

	// The offer: the anchored commitment, its receipt and the leaf hashes,
	// which the operator reads from its own copy of the batch.
	plain, err := sp.store.Get(ctx, c.CID, sp.operator)
	if err != nil {
		return nil, err
	}
	rs, err := batch.ParseBatch(plain, c)
	if err != nil {
		return nil, err
	}
	leaves := make([][]byte, len(rs))
	hashes := make([]merkle.Hash, len(rs))
	for i, r := range rs {
		if leaves[i], err = r.LeafBytes(); err != nil {
			return nil, err
		}
		hashes[i] = merkle.SHA256.HashLeaf(leaves[i])
	}

	// The buyer checks the offer against the log: the receipt verifies with
	// the log's key and is for this commitment, whose root the hashes make.
	if err := sp.log.Verifier().VerifyReceipt(ctx, receipt); err != nil {
		return nil, err
	}
	root, err := merkle.SHA256.FromDigest(c.Root)
	if err != nil {
		return nil, err
	}
	if !receipt.Commitment.Equal(c) || merkle.SHA256.RootFromLeafHashes(hashes) != root || uint64(len(hashes)) != c.Count {
		return nil, errors.New("the offer does not match the anchored batch")
	}
	p.f("   offer: batch %d, %d readings, root %s…; the buyer checks its receipt (log entry %d) and leaf hashes against the log",
		sp.batch.Number, c.Count, c.Root.String()[:19], receipt.Position)

	s := &sale{saleParts: sp}
	if err := s.openChannel(ctx, p); err != nil {
		return nil, err
	}

	// One voucher per reading, each for the cumulative amount so far and
	// conditioned on that reading: redeemable only with the reading and its
	// inclusion proof under the anchored root.
	vouchers := make([]*payment.Voucher, len(hashes))
	for i, h := range hashes {
		cond, err := payment.ReadingCondition(c.Root, h)
		if err != nil {
			return nil, err
		}
		if vouchers[i], err = s.payer.Issue(ctx, payment.Payment{
			Channel: s.ch.ID, Amount: big.NewInt(int64(i+1) * pricePer), Condition: cond,
		}); err != nil {
			return nil, err
		}
	}
	// The operator takes a voucher only if it can redeem it.
	tree := merkle.NewTree(merkle.SHA256, leaves)
	s.redemptions = make([]payment.Redemption, len(leaves))
	for i := range leaves {
		proof, err := tree.InclusionProof(uint64(i))
		if err != nil {
			return nil, err
		}
		s.redemptions[i] = payment.Redemption{Root: c.Root, Reading: leaves[i], Proof: proof}
		if err := payment.Redeemable(vouchers[i], &s.redemptions[i]); err != nil {
			return nil, err
		}
	}
	for i, err := range s.payee.AcceptBatch(ctx, vouchers) {
		if err != nil {
			return nil, fmt.Errorf("voucher %d: %w", i, err)
		}
	}
	elsewhere, err := payment.ReadingCondition(c.Root, merkle.SHA256.HashLeaf([]byte("a reading of another batch")))
	if err != nil {
		return nil, err
	}
	unmet := payment.Redeemable(&payment.Voucher{Condition: elsewhere}, &s.redemptions[0])
	if !errors.Is(unmet, payment.ErrConditionUnmet) {
		return nil, fmt.Errorf("a voucher for a reading outside the batch was redeemable: %v", unmet)
	}
	paid := s.payee.Store().Total(s.ch.ID)
	p.f("   buyer signs %d vouchers, one per reading, each conditioned on H(root ‖ leaf): %s in all", len(vouchers), money(paid))
	p.f("   operator accepts each after checking it can redeem it; one naming a reading outside the batch could not be")

	// Paid: the operator grants the buyer's store key the encrypted batch.
	buyer, err := store.GenerateIdentity(nil)
	if err != nil {
		return nil, err
	}
	if _, err := sp.store.Get(ctx, c.CID, buyer); !errors.Is(err, store.ErrNotRecipient) {
		return nil, fmt.Errorf("the buyer read the batch before the grant: %v", err)
	}
	if err := sp.store.Grant(ctx, c.CID, sp.operator, buyer.Recipient()); err != nil {
		return nil, err
	}
	p.f("   paid: the operator grants the buyer's key the batch %s (before: not a recipient)", short(c.CID.String()))
	if err := s.receive(ctx, p, buyer); err != nil {
		return nil, err
	}
	return s, nil
}

// receive is the buyer's side of delivery: decrypt the granted batch, check
// it against the anchored commitment, the sensor's signatures and the OEM's
// credential.
func (s *sale) receive(ctx context.Context, p printer, buyer store.Identity) error {
	c := s.batch.Commitment
	plain, err := s.store.Get(ctx, c.CID, buyer)
	if err != nil {
		return err
	}
	rs, err := batch.ParseBatch(plain, c)
	if err != nil {
		return err
	}
	for i, err := range reading.VerifyBatch(ctx, did.SelfCertifying{}, rs) {
		if err != nil {
			return fmt.Errorf("bought reading %d: %w", i, err)
		}
	}
	cred, err := vc.NewVerifier(vc.VerifierConfig{
		TrustedIssuers: []string{s.sensor.oem.DID()}, Now: func() time.Time { return c.WindowEnd },
	}).Verify(ctx, []byte(s.sensor.cred))
	if err != nil {
		return err
	}
	var peak int64
	for _, r := range rs {
		if r.Device != cred.Subject {
			return fmt.Errorf("reading %d is from %s, not the certified sensor", r.Seq, r.Device)
		}
		peak = max(peak, r.Value)
	}
	p.f("   buyer decrypts %d readings: they make the anchored root, all signed by the OEM-certified sensor; peak %s mm/s",
		len(rs), centi(peak))
	return nil
}

// openChannel has the buyer's account open a channel on chain to the
// operator's account; the operator checks it on the contract.
func (s *sale) openChannel(ctx context.Context, p printer) error {
	signer, err := payment.NewEthereumSigner(s.buyerWallet)
	if err != nil {
		return err
	}
	head, err := s.eth.Now(ctx)
	if err != nil {
		return err
	}
	delay := time.Hour
	if !s.eth.Simulated() {
		delay = time.Minute // on a real chain the example waits it out
	}
	operatorAddr := crypto.PubkeyToAddress(s.operatorWallet.PublicKey)
	ch, r, err := s.settler.Open(ctx, s.eth.Signer(s.buyerWallet), settle.OpenParams{
		Payee: operatorAddr, Signer: signer.VoucherKey(), Deposit: big.NewInt(5_000_000),
		Expiry: head.Add(24 * time.Hour), SettleDelay: delay,
	})
	if err != nil {
		return fmt.Errorf("opening the channel: %w", err)
	}
	gas := s.eth.Gas.Add("open channel", r)
	if _, err := s.settler.CheckChannel(ctx, ch); err != nil {
		return err
	}
	p.f("   buyer's account opens channel %s to the operator's: deposit %s, %s gas", short(ch.ID.String()), money(ch.Deposit), devnet.Thousands(gas))
	payerStore, err := payment.OpenStore(filepath.Join(s.work, "buyer.payments"), nil)
	if err != nil {
		return err
	}
	payeeStore, err := payment.OpenStore(filepath.Join(s.work, "operator.payments"), nil)
	if err != nil {
		payerStore.Close()
		return err
	}
	s.ch = ch
	if s.payer, err = payment.NewPayer(payerStore, signer, payment.PayerConfig{Now: s.clk.Now}); err == nil {
		err = s.payer.Open(ctx, ch)
	}
	if err == nil {
		if s.payee, err = payment.NewPayee(payeeStore, payment.PayeeConfig{Now: s.clk.Now}); err == nil {
			err = s.payee.Open(ctx, ch)
		}
	}
	if err != nil {
		payerStore.Close()
		payeeStore.Close()
	}
	return err
}

// redeem settles the sale: the operator shows the contract the reading of
// the best voucher with its inclusion proof, closes with that voucher and
// collects after the settle delay.
func redeem(ctx context.Context, p printer, s *sale) error {
	operator := s.eth.Signer(s.operatorWallet)
	_, err := s.settler.SubmitBest(ctx, operator, s.payee.Store(), s.ch.ID)
	if !errors.Is(err, payment.ErrConditionUnmet) {
		return fmt.Errorf("closing before the condition was fulfilled: %v", err)
	}
	p.f("   closing before the reading is shown on chain: refused by the contract (ConditionUnmet)")
	best, ok := s.payee.Store().Best(s.ch.ID, 0)
	if !ok {
		return errors.New("no voucher to redeem")
	}
	last := s.redemptions[len(s.redemptions)-1]
	if err := payment.Redeemable(best, &last); err != nil {
		return err
	}
	r, err := s.settler.Fulfil(ctx, operator, &last)
	if err != nil {
		return fmt.Errorf("fulfilling the condition: %w", err)
	}
	p.f("   operator shows the contract the last reading and its %d-hash proof: condition met, %s gas",
		len(last.Proof.Path), devnet.Thousands(s.eth.Gas.Add("fulfil", r)))
	if r, err = s.settler.SubmitBest(ctx, operator, s.payee.Store(), s.ch.ID); err != nil {
		return fmt.Errorf("closing: %w", err)
	}
	p.f("   closes with the best voucher (nonce %d, %s; cumulative, so one condition redeems all): %s gas",
		best.Nonce, money(best.Amount), devnet.Thousands(s.eth.Gas.Add("close channel", r)))
	st, err := s.settler.State(ctx, s.ch.ID)
	if err != nil {
		return err
	}
	if !s.eth.Simulated() {
		p.f("   waiting for the chain to pass %s (settle delay %v)…", st.ClosesAt.Format(time.TimeOnly), s.ch.SettleDelay)
	}
	if err := s.eth.WaitUntil(ctx, st.ClosesAt); err != nil {
		return err
	}
	if r, err = s.settler.Collect(ctx, operator, s.ch.ID); err != nil {
		return fmt.Errorf("collecting: %w", err)
	}
	if st.Owed.Cmp(best.Amount) != 0 {
		return fmt.Errorf("the contract paid %s for a voucher of %s", money(st.Owed), money(best.Amount))
	}
	p.f("   after the settle delay (%v), collect: operator paid %s, buyer refunded %s: %s gas", s.ch.SettleDelay,
		money(st.Owed), money(new(big.Int).Sub(st.Deposit, st.Owed)), devnet.Thousands(s.eth.Gas.Add("collect", r)))
	return nil
}
