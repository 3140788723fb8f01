package main

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
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
	path   *mqttgw.BrokerPath // -mqtt; nil: the charger hands meter values to the gateway in process
	clk    *devnet.Clock
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
	vouchers := 0
	pay := func(v *payment.Voucher, at time.Time) error {
		if v == nil {
			return nil
		}
		if err := charger.Receive(ctx, v); err != nil {
			return fmt.Errorf("the charger refused voucher %d: %w", v.Nonce, err)
		}
		vouchers++
		p.f("   %s  %6s kWh  voucher %d, cumulative: %s", at.Format("15:04"), kwh(carMeter.Quantity().Uint64()), vouchers, money(v.Amount))
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
		if c.path != nil {
			err = c.path.Send(ctx, []reading.Signed{r})
		} else {
			err = c.gw.Submit(ctx, r)
		}
		if err != nil {
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
	p.f("   %d meter values signed and acknowledged by the CPO's gateway; %d vouchers, nothing owed at unplugging", s.readings, vouchers)
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
