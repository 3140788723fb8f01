package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/reading"
)

// options are the command's flags.
type options struct {
	devnet.Flags // -out, -log-dir, -rpc, -key
}

func main() {
	var o options
	o.Register(flag.CommandLine, "evidence bundles")
	devnet.Main("tolling", func(ctx context.Context, w io.Writer) error { return run(ctx, o, w) })
}

// Amounts in wei: 0.0001 ETH per km, a 0.01 ETH deposit per channel.
var (
	pricePerKm = big.NewInt(1e14)
	deposit    = big.NewInt(1e16)
	gasMoney   = big.NewInt(1e18)
)

// run drives the whole system once, narrating to w.
func run(ctx context.Context, o options, w io.Writer) error {
	out := devnet.Printer{W: w}
	start := time.Now()
	env, err := devnet.OpenEnv(ctx, "tolling", o.Flags, w)
	if err != nil {
		return err
	}
	defer env.Close()
	work, ch := env.Work, env.Chain
	now := time.Now().Truncate(time.Second)
	chainName := env.ChainName
	settleDelay, expiry, shortExpiry := time.Hour, 7*24*time.Hour, 24*time.Hour
	if !ch.Simulated() {
		// Real time passes on a real chain: keep the waits short.
		settleDelay, expiry, shortExpiry = 10*time.Second, 30*time.Minute, 30*time.Second
	}
	tariff, err := payment.NewTariff(payment.Km(), payment.TariffStep{From: time.Unix(0, 0), Price: pricePerKm})
	if err != nil {
		return err
	}

	// 1. Identities: the operator issues each roadside unit a credential
	// for its segment's topic; the vehicle is an Ethereum account.
	out.Printf("1. provisioning the %s: operator, roadside units, vehicle\n", road)
	op, err := newOperator(ctx, out, work, env.LogDir, env.Out, ch, tariff, now)
	if err != nil {
		return err
	}
	defer op.Close()
	if o.MQTT != "" {
		if err := op.overMQTT(ctx, o.MQTT); err != nil {
			return err
		}
	}
	v, err := newVehicle(work, ch, tariff)
	if err != nil {
		return err
	}
	defer v.Close()
	out.Printf("   vehicle        %s\n", v.did)

	// 2. The vehicle locks a deposit for the operator in a channel.
	out.Printf("2. payment channel on %s (chain ID %s)\n", chainName, ch.ChainID())
	if err := ch.Fund(ctx, gasMoney, v.account, op.account); err != nil {
		return err
	}
	if err := op.deploy(ctx); err != nil {
		return err
	}
	channel, err := v.open(ctx, op, expiry, settleDelay, 0)
	if err != nil {
		return err
	}
	if err := op.serve(ctx, channel); err != nil {
		return err
	}
	out.Printf("   channel %s…: deposit %s, settle delay %s, expires %s\n", channel.ID.String()[:12], devnet.Ether(deposit), dur(settleDelay), channel.Expiry.Format(time.RFC3339))

	// 3. The trip. Each RSU signs the passage and sends it to the gateway
	// and, over the roadside radio link, to the vehicle, which checks it and
	// pays the segment's toll with a voucher on lane 0. In the tunnel the
	// link fails: the operator bills that passage later, on lane 1.
	out.Printf("3. the trip: %d segments, %s per km\n", len(op.rsus), devnet.Ether(pricePerKm))
	trip := now.Add(-20 * time.Minute)
	passages := make([]reading.Signed, len(op.rsus))
	vouchers := 0
	for i, u := range op.rsus {
		if passages[i], err = u.pass(v.did, trip.Add(time.Duration(i)*4*time.Minute)); err != nil {
			return err
		}
		toll, err := tariff.Cost(passageUsage(passages[i]))
		if err != nil {
			return err
		}
		lane := uint64(0)
		if u.seg.tunnel {
			lane = 1
		}
		if err := op.record(ctx, passages[i], lane); err != nil {
			return fmt.Errorf("gateway refused %s: %w", u.seg.name, err)
		}
		leg := fmt.Sprintf("%s km %5s–%5s  toll %s", u.seg.name, km(u.seg.fromM), km(u.seg.toM), devnet.Ether(toll.Num()))
		if u.seg.tunnel {
			out.Printf("   %s  passage signed and sent to the gateway; the vehicle, in the tunnel, got nothing: unpaid\n", leg)
			continue
		}
		voucher, err := v.pay(ctx, channel.ID, 0, passages[i], canon.Digest{})
		if err != nil {
			return err
		}
		if err := op.receive(ctx, voucher); err != nil {
			return err
		}
		vouchers++
		out.Printf("   %s  voucher on lane 0, cumulative %s: accepted\n", leg, devnet.Ether(voucher.Amount))
	}
	// A unit may attest only its own segment: the gateway checks the
	// credential's topic.
	stray, err := op.rsus[1].pass(v.did, trip.Add(13*time.Minute))
	if err != nil {
		return err
	}
	stray.Topic = op.rsus[3].seg.topic
	if stray, err = reading.Sign(op.rsus[1].key, stray.Reading); err != nil {
		return err
	}
	err = op.gw.Submit(ctx, stray)
	out.Printf("   RSU seg-2 attesting a passage on seg-4: refused (%s)\n", batch.ReasonOf(err))
	if !errors.Is(err, batch.ErrUnauthorized) {
		return fmt.Errorf("stray passage: %v", err)
	}

	// 4. Seal and anchor; evidence for every passage.
	out.Println("4. sealing the passages and anchoring the batch")
	bundles, err := op.seal(ctx, passages)
	if err != nil {
		return err
	}

	// 5. The dispute, settled on chain; then the payout.
	if err := dispute(ctx, op, v, channel.ID, bundles); err != nil {
		return err
	}
	vouchers++
	if err := ch.Advance(ctx, settleDelay); err != nil {
		return err
	}
	before, err := v.balance(ctx, ch)
	if err != nil {
		return err
	}
	paid, err := op.collect(ctx, channel.ID)
	if err != nil {
		return err
	}
	after, err := v.balance(ctx, ch)
	if err != nil {
		return err
	}
	refund := new(big.Int).Sub(after, before)
	out.Printf("   after %s: collected; operator paid %s, vehicle refunded %s\n", dur(settleDelay), devnet.Ether(paid), devnet.Ether(refund))
	if new(big.Int).Add(paid, refund).Cmp(deposit) != 0 {
		return fmt.Errorf("payout %s + refund %s is not the deposit", paid, refund)
	}

	// 6. The operator vanishes.
	if err := vanish(ctx, op, v, shortExpiry); err != nil {
		return err
	}

	out.Println("7. gas on chain")
	for _, l := range op.gas.Lines() {
		out.Printf("   %s\n", l)
	}
	out.Printf("done in %v: %d passages, 1 batch, %d bundles, %d vouchers, every check passed\n",
		time.Since(start).Round(time.Millisecond), len(passages), len(bundles), vouchers)
	return nil
}
