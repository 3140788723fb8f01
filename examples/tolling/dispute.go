package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/settle"
)

// disputeParties is what the dispute of one segment involves.
type disputeParties struct {
	out        printer
	ch         *chain
	gas        *gasBook
	settler    *settle.Settler
	channel    payment.ChannelID
	payer      *payment.Payer
	payee      *payment.Payee
	payeeStore *payment.Store
	opAuth     *bind.TransactOpts
	vehicleDID string
	trust      evidence.Trust
	meter      func(who string, lane uint64, s segment, at time.Time) (*big.Int, error)
}

// dispute settles the segment the vehicle did not pay for. The operator
// bills it with the passage's evidence bundle; the vehicle checks the
// bundle and pays with a voucher whose condition names that passage under
// the anchored root, so the operator can redeem it only by showing the
// contract the RSU-signed passage and its inclusion proof. The operator
// then closes the channel with the best voucher of both lanes.
func dispute(ctx context.Context, p disputeParties, rsus []*rsu, bundles []*evidence.Bundle) error {
	out := p.out
	var u *rsu
	var b *evidence.Bundle
	for i := range rsus {
		if rsus[i].seg.tunnel {
			u, b = rsus[i], bundles[i]
		}
	}
	out.Printf("5. dispute: the operator bills %s with its evidence bundle\n", u.seg.name)
	s := b.Readings[0]
	if rep := evidence.Verify(ctx, b, p.trust); !rep.OK() {
		return fmt.Errorf("the vehicle rejects the bundle: %w", rep.Err())
	}
	if s.Metadata["vehicle"] != p.vehicleDID || s.Topic != u.seg.topic {
		return errors.New("the bundle is not a passage of this vehicle on the billed segment")
	}
	leaf, err := s.LeafBytes()
	if err != nil {
		return err
	}
	cond, err := payment.ReadingConditionFor(b.Commitment.Root, leaf)
	if err != nil {
		return err
	}
	due, err := p.meter("vehicle", 1, u.seg, s.Time)
	if err != nil {
		return err
	}
	v, err := p.payer.Issue(ctx, payment.Payment{Channel: p.channel, Lane: 1, Amount: due, Condition: cond})
	if err != nil {
		return err
	}
	opDue, err := p.meter("operator", 1, u.seg, s.Time)
	if err != nil {
		return err
	}
	if _, err := p.payee.Accept(ctx, v, opDue); err != nil {
		return err
	}
	out.Printf("   vehicle: bundle verified; pays %s on lane 1, redeemable only against passage %s… under root %s…\n",
		eth(v.Amount), cond.String()[:16], b.Commitment.Root.String()[:16])

	// Closing with a conditional voucher whose condition nobody fulfilled
	// reverts.
	_, err = p.settler.SubmitBest(ctx, p.opAuth, p.payeeStore, p.channel)
	out.Printf("   operator closes without the proof: %s\n", reverted(err))
	if !errors.Is(err, payment.ErrConditionUnmet) {
		return fmt.Errorf("close before fulfil: want the condition refused, got %v", err)
	}
	red := &payment.Redemption{Root: b.Commitment.Root, Reading: leaf, Proof: *b.Inclusion}
	// A doctored passage is not in the anchored batch.
	forged := *red
	forged.Reading = bytes.Replace(leaf, fmt.Appendf(nil, `"value":%d`, s.Value), fmt.Appendf(nil, `"value":%d`, 2*s.Value), 1)
	_, err = p.settler.Fulfil(ctx, p.opAuth, &forged)
	out.Printf("   fulfil with the passage doctored to twice the length: %s\n", reverted(err))
	if !errors.Is(err, settle.ErrBadProof) {
		return fmt.Errorf("doctored fulfil: want the proof refused, got %v", err)
	}
	r, err := p.settler.Fulfil(ctx, p.opAuth, red)
	if err != nil {
		return fmt.Errorf("fulfil: %w", err)
	}
	out.Printf("   fulfil with the passage and its %d-hash inclusion proof: condition met (%s gas)\n",
		len(red.Proof.Path), thousands(p.gas.add("fulfil (RFC 6962 inclusion proof)", r)))
	if r, err = p.settler.SubmitBest(ctx, p.opAuth, p.payeeStore, p.channel); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	p.gas.add("close with 2 lanes", r)
	st, err := p.settler.State(ctx, p.channel)
	if err != nil {
		return err
	}
	out.Printf("   operator closes with both lanes: %s owed, challenge period until %s\n", eth(st.Owed), st.ClosesAt.UTC().Format(time.TimeOnly))
	return nil
}

// vanish opens a second channel for the next month's trips; the operator
// goes out of business and never closes it. The vehicle cannot take the
// deposit back before expiry, and takes all of it back after.
func vanish(ctx context.Context, ch *chain, gas *gasBook, settler *settle.Settler, vehicleKey *ecdsa.PrivateKey,
	vehicleAuth *bind.TransactOpts, opAddr common.Address, opDID string, expiry time.Duration, out printer) error {
	out.Println("6. the vehicle funds next month's channel; the operator vanishes")
	voucherKey, err := payment.NewEthereumSigner(vehicleKey)
	if err != nil {
		return err
	}
	now, err := ch.now(ctx)
	if err != nil {
		return err
	}
	c, r, err := settler.Open(ctx, vehicleAuth, settle.OpenParams{
		Payee: opAddr, PayeeName: opDID, Signer: voucherKey.VoucherKey(),
		Deposit: deposit, Expiry: now.Add(expiry), SettleDelay: time.Hour, Salt: [32]byte{1},
	})
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	gas.add("open second channel", r)
	_, err = settler.Recover(ctx, vehicleAuth, c.ID)
	out.Printf("   vehicle recovers at once: %s\n", reverted(err))
	if !errors.Is(err, settle.ErrTooEarly) {
		return fmt.Errorf("recover before expiry: want too early, got %v", err)
	}
	if err := ch.advance(ctx, expiry); err != nil {
		return err
	}
	before, err := ch.balance(ctx, vehicleAuth.From)
	if err != nil {
		return err
	}
	if r, err = settler.Recover(ctx, vehicleAuth, c.ID); err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	gas.add("recover after expiry", r)
	after, err := ch.balance(ctx, vehicleAuth.From)
	if err != nil {
		return err
	}
	fee := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	back := new(big.Int).Add(new(big.Int).Sub(after, before), fee)
	out.Printf("   after the expiry (%s): deposit recovered, %s back to the vehicle\n", dur(expiry), eth(back))
	if back.Cmp(deposit) != 0 {
		return fmt.Errorf("recovered %s, deposited %s", back, deposit)
	}
	return nil
}

// reverted names the contract error a transaction was refused with.
func reverted(err error) string {
	var re *settle.RevertError
	if errors.As(err, &re) {
		return "refused by the contract (" + re.Name + ")"
	}
	return fmt.Sprint(err)
}
