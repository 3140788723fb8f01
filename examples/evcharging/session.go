package main

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/reading"
)

// chargeParts is what the charging loop works with.
type chargeParts struct {
	id     *identities
	ch     *payment.Channel
	payer  *payment.Payer
	payee  *payment.Payee
	tariff *payment.Tariff
	gw     *batch.Gateway
	clk    *clock
}

// session is what charging leaves behind.
type session struct {
	billing  []canon.Digest // IDs of the meter values the bill rests on
	due      *big.Int       // what the charger metered, in the smallest unit
	readings int
}

// charge runs the session: every five minutes the meter signs its register,
// the charger uploads the reading to the CPO's gateway and hands it to the
// car, the car checks it and pays for each kWh as it goes, and the charger
// stops serving if payment falls behind by more than €1.
func charge(ctx context.Context, p printer, c chargeParts) (*session, error) {
	carMeter, err := payment.NewMeter(c.tariff, rebate)
	if err != nil {
		return nil, err
	}
	chargerMeter, err := payment.NewMeter(c.tariff, rebate)
	if err != nil {
		return nil, err
	}
	car, err := payment.NewStreamPayer(c.payer, c.ch.ID, 0, carMeter, payment.StreamPolicy{EveryUnits: 1000})
	if err != nil {
		return nil, err
	}
	charger, err := payment.NewStreamPayee(c.payee, c.ch.ID, 0, chargerMeter, payment.LagBound{MaxAmount: big.NewInt(1_000_000)})
	if err != nil {
		return nil, err
	}
	pay := func(v *payment.Voucher, at time.Time) error {
		if v == nil {
			return nil
		}
		if err := charger.Receive(ctx, v); err != nil {
			return fmt.Errorf("the charger refused voucher %d: %w", v.Nonce, err)
		}
		p.f("   %s  %6s kWh  voucher %d: %s", at.Format("15:04"), kwh(carMeter.Quantity().Uint64()), v.Nonce, money(v.Amount))
		return nil
	}

	s := &session{}
	const register = 1_234_567 // the meter's lifetime register before the session, in Wh
	var joules int64
	var prev reading.Signed
	for i := 0; ; i++ {
		at := sessionStart.Add(time.Duration(i) * every)
		if at.After(sessionEnd) {
			break
		}
		c.clk.Set(at)
		meta := map[string]string{"session": sessionID, "contract": contractID}
		if at.After(eventFrom) && !at.After(eventUntil) { // the five minutes ending now
			meta["interval"] = "grid-support"
			joules += curtailedW * int64(every/time.Second)
		} else if i > 0 {
			joules += maxPowerW * int64(every/time.Second)
		}
		r, err := reading.Sign(c.id.chargerKey, reading.Reading{
			Device: c.id.charger, Topic: meterTopic, Seq: uint64(i + 1), Time: at,
			Sensor: "energy-register", Value: register + joules/3600, Scale: 3, Unit: "kW.h", Metadata: meta,
		})
		if err != nil {
			return nil, err
		}
		if err := c.gw.Submit(ctx, r); err != nil {
			return nil, fmt.Errorf("the gateway refused meter value %d: %w", i+1, err)
		}
		s.readings++
		if at.Equal(sessionStart) || at.Equal(peakFrom) || at.Equal(eventFrom) || at.Equal(eventUntil) || at.Equal(sessionEnd) {
			id, err := r.ID()
			if err != nil {
				return nil, err
			}
			s.billing = append(s.billing, id)
		}
		if i == 0 {
			prev = r
			continue
		}
		// The car pays only for energy the charger's meter signed.
		if err := reading.Verify(ctx, did.SelfCertifying{}, r); err != nil {
			return nil, err
		}
		u := usageBetween(prev, r)
		if err := charger.Serve(u); err != nil {
			return nil, fmt.Errorf("the charger stops: %w", err)
		}
		v, err := car.Consume(ctx, u)
		if err != nil {
			return nil, err
		}
		if err := pay(v, at); err != nil {
			return nil, err
		}
		prev = r
	}
	v, err := car.Flush(ctx) // unplugged: the car pays the rest
	if err != nil {
		return nil, err
	}
	if err := pay(v, sessionEnd); err != nil {
		return nil, err
	}
	if charger.Owed().Sign() != 0 {
		return nil, fmt.Errorf("%s unpaid at the end of the session", money(charger.Owed()))
	}
	s.due = chargerMeter.Due()
	p.f("   %d meter values signed and acknowledged by the CPO's gateway; the car paid each kWh as it was metered", s.readings)
	return s, nil
}

// usageBetween is the energy between two meter values, as the tariff and
// the rebate price it: the register's difference in Wh, marked as grid
// support when the meter signed the interval as such.
func usageBetween(a, b reading.Signed) payment.Usage {
	u := payment.Usage{From: a.Time, To: b.Time, Quantity: uint64(b.Value - a.Value)}
	if b.Metadata["interval"] == "grid-support" {
		u.Quality = gridSupport
	}
	return u
}

// billingEvidence seals the session's meter values, waits until their batch
// is anchored with a final receipt, and returns the evidence bundle of the
// billing-relevant values.
func billingEvidence(ctx context.Context, p printer, gw *batch.Gateway, s *session) (*evidence.Bundle, error) {
	began := time.Now()
	if err := gw.Flush(ctx); err != nil {
		return nil, err
	}
	info, err := waitFinal(ctx, gw)
	if err != nil {
		return nil, err
	}
	r := info.Receipts[0]
	p.f("   batch %d sealed: %d readings, root %s…, log entry %d, %s after %.1f s",
		info.Number, info.Commitment.Count, info.Commitment.Root.String()[:20], r.Position, r.State, time.Since(began).Seconds())
	b, err := gw.EvidenceSet(ctx, s.billing...)
	if err != nil {
		return nil, err
	}
	times := make([]string, len(b.Readings))
	for i, r := range b.Readings {
		times[i] = r.Time.Format("15:04")
	}
	p.f("   evidence: %d signed meter values (%s) with one inclusion proof of %d hashes, the meter's credential, the log's receipt",
		len(b.Readings), strings.Join(times, ", "), len(b.MultiInclusion.Path))
	return b, nil
}

// waitFinal waits until the gateway's newest batch has final receipts.
func waitFinal(ctx context.Context, gw *batch.Gateway) (batch.BatchInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		bs, err := gw.Batches(ctx, 1)
		if err != nil {
			return batch.BatchInfo{}, err
		}
		if len(bs) == 1 && bs[0].Final {
			return bs[0], nil
		}
		select {
		case <-ctx.Done():
			return batch.BatchInfo{}, fmt.Errorf("waiting for the batch's receipt: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// bill is the session's bill, computed from the evidence bundle alone.
type bill struct {
	lines  []string
	energy uint64   // Wh
	total  *big.Int // smallest currency unit
	rebate *big.Int
	start  reading.Signed
	end    reading.Signed
}

// billFrom prices the energy between consecutive meter values of the bundle
// with the tariff and the rebate, as the payment meters did during the
// session, and rounds up once.
func billFrom(b *evidence.Bundle, tariff *payment.Tariff) (*bill, error) {
	withRebate, err := payment.NewMeter(tariff, rebate)
	if err != nil {
		return nil, err
	}
	list, err := payment.NewMeter(tariff, nil)
	if err != nil {
		return nil, err
	}
	out := &bill{start: b.Readings[0], end: b.Readings[len(b.Readings)-1]}
	for i := 1; i < len(b.Readings); i++ {
		u := usageBetween(b.Readings[i-1], b.Readings[i])
		before := withRebate.Cost()
		if err := withRebate.Record(u); err != nil {
			return nil, err
		}
		if err := list.Record(u); err != nil {
			return nil, err
		}
		price, err := tariff.Cost(payment.Usage{From: u.From, To: u.From, Quantity: 1000})
		if err != nil {
			return nil, err
		}
		cost := new(big.Rat).Sub(withRebate.Cost(), before)
		note := ""
		if u.Quality == gridSupport {
			note = " × 2/3 grid support"
		}
		out.lines = append(out.lines, fmt.Sprintf("%s–%s  %s kWh × %s/kWh%s = %s",
			u.From.Format("15:04"), u.To.Format("15:04"), kwh(u.Quantity), money(price.Num()), note, ratMoney(cost)))
		out.energy += u.Quantity
	}
	out.total = withRebate.Due()
	out.rebate = new(big.Int).Sub(list.Due(), out.total)
	return out, nil
}

// String is the bill as written beside the evidence bundle.
func (b *bill) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "Charging session %s at %s, contract %s\n", sessionID, chargerID, contractID)
	fmt.Fprintf(&s, "Meter values (signed by %s, in the evidence bundle):\n", b.start.Device)
	fmt.Fprintf(&s, "  start %s  %s kWh\n  end   %s  %s kWh\n", b.start.Time.Format(time.RFC3339), kwh(uint64(b.start.Value)),
		b.end.Time.Format(time.RFC3339), kwh(uint64(b.end.Value)))
	for _, l := range b.lines {
		fmt.Fprintf(&s, "  %s\n", l)
	}
	fmt.Fprintf(&s, "Total %s kWh: %s (grid-support rebate %s), amounts in millionths of a euro rounded up once\n",
		kwh(b.energy), money(b.total), money(b.rebate))
	return s.String()
}

// kwh formats watt-hours as kilowatt-hours.
func kwh(wh uint64) string { return fmt.Sprintf("%d.%03d", wh/1000, wh%1000) }

// ratMoney formats an exact amount; one that is not whole is shown rounded
// up, marked "+".
func ratMoney(r *big.Rat) string {
	if r.IsInt() {
		return money(r.Num())
	}
	q := new(big.Int).Quo(r.Num(), r.Denom())
	return money(q.Add(q, big.NewInt(1))) + "+"
}
