package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/settle"
)

// dispute settles the segment the vehicle did not pay for. The operator
// bills it with the passage's evidence bundle; the vehicle checks the
// bundle and pays with a voucher whose condition names that passage under
// the anchored root, so the operator can redeem it only by showing the
// contract the RSU-signed passage and its inclusion proof. The operator
// then closes the channel with the best voucher of both lanes.
func dispute(ctx context.Context, op *operator, v *vehicle, channel payment.ChannelID, bundles []*evidence.Bundle) error {
	out := op.out
	var u *rsu
	var b *evidence.Bundle
	for i := range op.rsus {
		if op.rsus[i].seg.tunnel {
			u, b = op.rsus[i], bundles[i]
		}
	}
	out.Printf("5. dispute: the operator bills %s with its evidence bundle\n", u.seg.name)

	// The vehicle's side: the bundle must verify (RSU signature and
	// credential, inclusion, the log's signed checkpoint) and be a passage
	// of this vehicle on the billed segment.
	p := b.Readings[0]
	if rep := evidence.Verify(ctx, b, op.trust); !rep.OK() {
		return fmt.Errorf("the vehicle rejects the bundle: %w", rep.Err())
	}
	if p.Topic != u.seg.topic {
		return errors.New("the bundle is not a passage on the billed segment")
	}
	leaf, err := p.LeafBytes()
	if err != nil {
		return err
	}
	cond, err := payment.ReadingConditionFor(b.Commitment.Root, leaf)
	if err != nil {
		return err
	}
	voucher, err := v.pay(ctx, channel, 1, p, cond)
	if err != nil {
		return err
	}
	if err := op.receive(ctx, voucher); err != nil {
		return err
	}
	out.Printf("   vehicle: bundle verified; pays %s on lane 1, redeemable only against passage %s… under root %s…\n",
		devnet.Ether(voucher.Amount), cond.String()[:16], b.Commitment.Root.String()[:16])

	// The operator's side. Closing with a conditional voucher whose
	// condition nobody fulfilled reverts, and so does a doctored passage.
	_, err = op.settler.SubmitBest(ctx, op.auth, op.store, channel)
	out.Printf("   operator closes without the proof: %s\n", reverted(err))
	if !errors.Is(err, payment.ErrConditionUnmet) {
		return fmt.Errorf("close before fulfil: want the condition refused, got %v", err)
	}
	red := &payment.Redemption{Root: b.Commitment.Root, Reading: leaf, Proof: *b.Inclusion}
	forged := *red
	forged.Reading = bytes.Replace(leaf, fmt.Appendf(nil, `"value":%d`, p.Value), fmt.Appendf(nil, `"value":%d`, 2*p.Value), 1)
	_, err = op.settler.Fulfil(ctx, op.auth, &forged)
	out.Printf("   fulfil with the passage doctored to twice the length: %s\n", reverted(err))
	if !errors.Is(err, settle.ErrBadProof) {
		return fmt.Errorf("doctored fulfil: want the proof refused, got %v", err)
	}
	r, err := op.settler.Fulfil(ctx, op.auth, red)
	if err != nil {
		return fmt.Errorf("fulfil: %w", err)
	}
	out.Printf("   fulfil with the passage and its %d-hash inclusion proof: condition met (%s gas)\n",
		len(red.Proof.Path), devnet.Thousands(op.gas.Add("fulfil (RFC 6962 inclusion proof)", r)))
	if r, err = op.settler.SubmitBest(ctx, op.auth, op.store, channel); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	op.gas.Add("close with 2 lanes", r)
	st, err := op.settler.State(ctx, channel)
	if err != nil {
		return err
	}
	out.Printf("   operator closes with both lanes: %s owed, challenge period until %s\n", devnet.Ether(st.Owed), st.ClosesAt.UTC().Format(time.TimeOnly))
	return nil
}

// vanish opens a second channel for the next month's trips; the operator
// goes out of business and never closes it. The vehicle cannot take the
// deposit back before expiry, and takes all of it back after.
func vanish(ctx context.Context, op *operator, v *vehicle, expiry time.Duration) error {
	op.out.Println("6. the vehicle funds next month's channel; the operator vanishes")
	c, err := v.open(ctx, op, expiry, time.Hour, 1)
	if err != nil {
		return err
	}
	_, err = op.settler.Recover(ctx, v.auth, c.ID)
	op.out.Printf("   vehicle recovers at once: %s\n", reverted(err))
	if !errors.Is(err, settle.ErrTooEarly) {
		return fmt.Errorf("recover before expiry: want too early, got %v", err)
	}
	if err := op.chain.Advance(ctx, expiry); err != nil {
		return err
	}
	before, err := v.balance(ctx, op.chain)
	if err != nil {
		return err
	}
	r, err := op.settler.Recover(ctx, v.auth, c.ID)
	if err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	op.gas.Add("recover after expiry", r)
	after, err := v.balance(ctx, op.chain)
	if err != nil {
		return err
	}
	fee := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	back := new(big.Int).Add(new(big.Int).Sub(after, before), fee)
	op.out.Printf("   after the expiry (%s): deposit recovered, %s back to the vehicle\n", dur(expiry), devnet.Ether(back))
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
