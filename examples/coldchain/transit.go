package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// shipment is what the transit produced.
type shipment struct {
	logger, reefer []reading.Signed // acknowledged by the gateway
	// openings are the logger's values and salts: the carrier's secret,
	// by commitment.
	openings map[zkp.Commitment]zkp.Opening
	batches  []batch.BatchInfo // oldest first
}

// excursionAt is the reading taken with the door open, in the -excursion run.
const excursionAt = 11

// transit has both sensors sign a reading every 30 minutes — the logger a
// commitment to its value, the reefer the value itself — and the gateway
// take each leg's readings in one call; between the legs, hostile readings
// are refused. Each leg fills one batch, which the gateway seals, stores
// encrypted and anchors on the log.
func transit(ctx context.Context, p *printer, f *fleet, gw *gateway, excursion bool) (*shipment, error) {
	rng := rand.New(rand.NewPCG(42, 7)) // the same temperatures on every run
	departure := time.Now().Add(-readings * every).Truncate(time.Millisecond)
	sh := &shipment{openings: map[zkp.Commitment]zkp.Opening{}}
	for leg := 0; leg < 2; leg++ {
		var signed []reading.Signed
		for i := leg * readings / 2; i < (leg+1)*readings/2; i++ {
			at := departure.Add(time.Duration(i) * every)
			cargo, air := 440+rng.Int64N(60), 300+rng.Int64N(80) // centi-degrees
			if excursion && i == excursionAt {
				cargo, air = 935, 1020
			}
			v, err := zkp.Celsius().EncodeScaled(cargo)
			if err != nil {
				return nil, err
			}
			c, opening, err := zkp.Commit(v, nil)
			if err != nil {
				return nil, err
			}
			sh.openings[c] = opening
			l, err := reading.Sign(f.logger.key, reading.Reading{Device: f.logger.did, Topic: topic + "/logger",
				Seq: uint64(i + 1), Time: at, Sensor: "temperature", Scale: 2, Unit: "Cel", Commitment: c[:]})
			if err != nil {
				return nil, err
			}
			r, err := reading.Sign(f.reefer.key, reading.Reading{Device: f.reefer.did, Topic: topic + "/reefer",
				Seq: uint64(i + 1), Time: at.Add(time.Second), Sensor: "temperature", Value: air, Scale: 2, Unit: "Cel"})
			if err != nil {
				return nil, err
			}
			signed = append(signed, l, r)
			sh.logger, sh.reefer = append(sh.logger, l), append(sh.reefer, r)
		}
		if err := gw.take(ctx, signed); err != nil {
			return nil, fmt.Errorf("leg %d: %w", leg+1, err)
		}
		via := ""
		if gw.mqtt != nil {
			via = "published over MQTT, "
		}
		p.f("   leg %d: %d readings signed (%d committed, %d in the clear), %sverified and acknowledged by the gateway\n",
			leg+1, len(signed), len(signed)/2, len(signed)/2, via)
		if leg == 0 {
			if err := hostile(ctx, p, f, gw, sh); err != nil {
				return nil, err
			}
		}
	}
	if err := gw.pipeline.Flush(ctx); err != nil {
		return nil, err
	}
	final, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var err error
	if sh.batches, err = gw.pipeline.WaitFinal(final, 2); err != nil {
		return nil, err
	}
	for _, b := range sh.batches {
		c := b.Commitment
		p.f("   batch %d: %d readings, root %s…, stored encrypted as %s, log entry %d, %s\n",
			b.Number, c.Count, c.Root.String()[:19], short(c.CID.String()), b.Receipts[0].Position, b.Receipts[0].State)
	}
	return sh, nil
}

// hostile submits what a gateway must refuse and checks that it does.
func hostile(ctx context.Context, p *printer, f *fleet, gw *gateway, sh *shipment) error {
	forged := sh.reefer[len(sh.reefer)-1]
	forged.Value -= 250 // 2.5 °C cooler than the sensor signed
	forged.Seq += 100
	rogue, err := reading.Sign(f.rogue.key, reading.Reading{Device: f.rogue.did, Topic: topic + "/logger",
		Seq: 1, Time: time.Now().Truncate(time.Millisecond), Sensor: "temperature", Value: 450, Scale: 2, Unit: "Cel"})
	if err != nil {
		return err
	}
	for _, h := range []struct {
		what string
		s    reading.Signed
		want batch.Reason
	}{
		{"reefer reading edited after signing", forged, batch.ReasonSignature},
		{"logger reading sent again", sh.logger[0], batch.ReasonReplay},
		{"sensor without a credential", rogue, batch.ReasonUnauthorized},
	} {
		err := gw.pipeline.Submit(ctx, h.s)
		p.f("   refused: %-36s (%s)\n", h.what, batch.ReasonOf(err))
		if err == nil || batch.ReasonOf(err) != h.want {
			return fmt.Errorf("%s: got %v, want a %s refusal", h.what, err, h.want)
		}
	}
	return nil
}
