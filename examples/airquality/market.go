package main

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/payment"
)

// market is the city paying sensors: one payment channel per sensor, the
// city's DID as payer and the sensor's DID as payee, vouchers signed with
// the key of the city's DID. These channels are settled off chain: the
// sensor's assurance is the city's signature over a cumulative amount,
// which it can present to the city (or a court); an on-chain channel
// (examples/tolling) makes the deposit enforceable instead.
type market struct {
	payer   *payment.Payer
	store   *payment.Store
	tariff  *payment.Tariff
	sellers map[string]*seller // by sensor DID
}

// seller is one sensor's side: its own voucher store and channel.
type seller struct {
	payee   *payment.Payee
	store   *payment.Store
	channel payment.ChannelID
	meter   *payment.Meter // the city's count of what it owes
	paid    int
}

func openMarket(ctx context.Context, dir string, cityKey did.PrivateKey, cityDID string, sensors []*sensor, now time.Time) (*market, error) {
	signer, err := payment.NewDIDSigner(cityKey)
	if err != nil {
		return nil, err
	}
	m := &market{sellers: map[string]*seller{}}
	if m.store, err = payment.OpenStore(filepath.Join(dir, "city.vouchers"), nil); err != nil {
		return nil, err
	}
	if m.payer, err = payment.NewPayer(m.store, signer, payment.PayerConfig{}); err != nil {
		m.Close()
		return nil, err
	}
	if m.tariff, err = payment.NewTariff(payment.Sample(), payment.TariffStep{From: time.Unix(0, 0), Price: pricePerSample}); err != nil {
		m.Close()
		return nil, err
	}
	for _, s := range sensors {
		id, err := payment.NewChannelID()
		if err != nil {
			m.Close()
			return nil, err
		}
		ch := &payment.Channel{
			ID: id, Payer: cityDID, Payee: s.did, Signer: signer.VoucherKey(),
			Deposit: budget, Expiry: now.Add(30 * 24 * time.Hour),
		}
		sl := &seller{channel: id}
		m.sellers[s.did] = sl
		if sl.store, err = payment.OpenStore(filepath.Join(dir, s.name+".vouchers"), nil); err != nil {
			m.Close()
			return nil, err
		}
		// The sensor accepts the channel only if its voucher key is the
		// key of the city's DID (resolved here from the did:key itself).
		if sl.payee, err = payment.NewPayee(sl.store, payment.PayeeConfig{}); err != nil {
			m.Close()
			return nil, err
		}
		if sl.meter, err = payment.NewMeter(m.tariff, nil); err != nil {
			m.Close()
			return nil, err
		}
		if err := m.payer.Open(ctx, ch); err != nil {
			m.Close()
			return nil, err
		}
		if err := sl.payee.Open(ctx, ch); err != nil {
			m.Close()
			return nil, err
		}
	}
	return m, nil
}

// pay pays s for one verified sample taken at at: the city meters it and
// signs a voucher for the new cumulative amount; the sensor receives the
// voucher's bytes and accepts them.
func (m *market) pay(ctx context.Context, s *sensor, at time.Time) error {
	sl := m.sellers[s.did]
	if err := sl.meter.Record(payment.Usage{From: at, To: at, Quantity: 1}); err != nil {
		return err
	}
	v, err := m.payer.Issue(ctx, payment.Payment{Channel: sl.channel, Amount: sl.meter.Due()})
	if err != nil {
		return err
	}
	wire, err := v.MarshalBinary()
	if err != nil {
		return err
	}
	if _, err := sl.payee.AcceptBytes(ctx, wire, nil); err != nil {
		return fmt.Errorf("%s refuses the city's voucher: %w", s.name, err)
	}
	sl.paid++
	return nil
}

// received returns how many samples s was paid for and the amount its
// best voucher carries.
func (m *market) received(s *sensor) (int, *big.Int, error) {
	sl := m.sellers[s.did]
	total := sl.store.Total(sl.channel)
	if want := new(big.Int).Mul(pricePerSample, big.NewInt(int64(sl.paid))); total.Cmp(want) != 0 {
		return 0, nil, fmt.Errorf("%s holds vouchers for %s, paid for %d samples", s.name, total, sl.paid)
	}
	return sl.paid, total, nil
}

// Close closes every store.
func (m *market) Close() {
	for _, sl := range m.sellers {
		if sl.store != nil {
			sl.store.Close()
		}
	}
	if m.store != nil {
		m.store.Close()
	}
}
