package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"time"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/stake"
)

// collect has every enrolled sensor sample PM2.5 every slot for an hour
// ending at end, seals and anchors the readings, and returns their evidence
// bundles by slot, then sensor. sensor-4 misreports once.
func (c *city) collect(ctx context.Context, enrolled []*sensor, end time.Time) ([][]*evidence.Bundle, error) {
	c.out.Printf("4. an hour of readings: %d sensors, one sample every %s\n", len(enrolled), dur(slot))
	rng := rand.New(rand.NewPCG(4, 2))
	first := end.Add(-time.Duration(slots) * slot)
	samples := make([][]reading.Signed, slots)
	for k := range slots {
		level := 360 + int64(k)*4 // tenths of µg/m³, rising through the hour
		for i, s := range enrolled {
			value := level + int64(rng.IntN(41)) - 20
			if s.name == "sensor-4" && k == badSlot {
				value = 30 // 3.0 µg/m³: a stuck, or tampered, sensor
			}
			r, err := s.sample(first.Add(time.Duration(k)*slot+time.Duration(i)*7*time.Second), value)
			if err != nil {
				return nil, err
			}
			samples[k] = append(samples[k], r)
		}
		if err := c.submit(ctx, samples[k]); err != nil {
			return nil, err
		}
	}
	info, err := c.seal(ctx)
	if err != nil {
		return nil, err
	}
	c.out.Printf("   batch %d: %d readings, root %s…, log entry %d, %s\n", info.Number, info.Commitment.Count,
		info.Commitment.Root.String()[:22], info.Receipts[0].Position, info.Receipts[0].State)
	bundles := make([][]*evidence.Bundle, slots)
	for k := range samples {
		for _, r := range samples[k] {
			b, err := c.evidence(ctx, r)
			if err != nil {
				return nil, err
			}
			bundles[k] = append(bundles[k], b)
		}
	}
	return bundles, nil
}

// buy pays for every sample that verifies and does not contradict its
// neighbours under the programme's rule, and returns the misreports: the
// samples that do.
func (c *city) buy(ctx context.Context, m *market, enrolled []*sensor, bundles [][]*evidence.Bundle) ([]stake.Misreport, *big.Int, error) {
	c.out.Printf("5. the city pays %s per verified sample, on a DID-bound channel per sensor\n", devnet.Ether(pricePerSample))
	var misreports []stake.Misreport
	for k := range bundles {
		for i, s := range enrolled {
			b := bundles[k][i]
			at := b.Readings[0].Time
			if err := c.verify(ctx, s.name+" at "+at.Format(time.TimeOnly), b); err != nil {
				return nil, nil, err
			}
			mr := stake.Misreport{Suspect: b, Neighbours: without(bundles[k], i)}
			switch err := mr.Check(ctx, rule, c.trust); {
			case err == nil:
				misreports = append(misreports, mr)
				continue
			case !errors.Is(err, stake.ErrNotProven):
				return nil, nil, err
			}
			if err := m.pay(ctx, s, at); err != nil {
				return nil, nil, err
			}
			if err := c.keep(fmt.Sprintf("samples/%s-%s.evidence.json", s.name, at.Format("1504")), b); err != nil {
				return nil, nil, err
			}
		}
	}
	total := new(big.Int)
	for _, s := range enrolled {
		n, amount, err := m.received(s)
		if err != nil {
			return nil, nil, err
		}
		total.Add(total, amount)
		note := ""
		for _, mr := range misreports {
			if r := mr.Suspect.Readings[0]; r.Device == s.did {
				note = fmt.Sprintf("; %s %s µg/m³ contradicts its neighbours: unpaid", r.Time.Format("15:04"), tenths(r.Value))
			}
		}
		c.out.Printf("   %s  %2d samples paid, %2d vouchers, %s%s\n", s.name, n, n, devnet.Ether(amount), note)
	}
	return misreports, total, nil
}

func without(bs []*evidence.Bundle, i int) []*evidence.Bundle {
	out := make([]*evidence.Bundle, 0, len(bs)-1)
	out = append(out, bs[:i]...)
	return append(out, bs[i+1:]...)
}
