package payment

import (
	"context"
	"fmt"
	"math/big"
	"time"
)

// StreamPolicy says when a streaming payer signs the next voucher: after
// EveryUnits Base units of new usage, or Every time since the last voucher,
// whichever comes first (a zero field is off).
type StreamPolicy struct {
	EveryUnits uint64
	Every      time.Duration
}

// StreamPayer pays for a metered service as it is consumed: it meters usage
// on one lane and signs a voucher for the meter's Due amount whenever its
// policy says so.
type StreamPayer struct {
	payer   *Payer
	channel ChannelID
	lane    uint64
	meter   *Meter
	policy  StreamPolicy
	now     func() time.Time

	paidQty *big.Int
	base    *big.Int // the lane's amount when the stream was made
	paid    *big.Int
	lastAt  time.Time
}

// NewStreamPayer returns a streaming payer on lane of channel id, metering
// with meter (made by NewMeter) on the payer's clock.
//
// A stream is one session on the lane: it starts from the lane's amount
// already signed (its best voucher) and meter counts this session's usage
// only, so each voucher is that amount plus meter's Due. Give every
// session, and a session resumed after a restart, a fresh meter: usage
// from an earlier session would be charged twice.
func NewStreamPayer(p *Payer, id ChannelID, lane uint64, meter *Meter, policy StreamPolicy) (*StreamPayer, error) {
	if err := checkStream(p == nil, lane, meter); err != nil {
		return nil, err
	}
	paid := new(big.Int)
	if best, ok := p.store.Best(id, lane); ok {
		paid.Set(best.Amount)
	}
	return &StreamPayer{payer: p, channel: id, lane: lane, meter: meter, policy: policy, now: p.now,
		paidQty: meter.Quantity(), base: new(big.Int).Set(paid), paid: paid, lastAt: p.now()}, nil
}

// checkStream checks the arguments common to both stream constructors.
func checkStream(noParty bool, lane uint64, meter *Meter) error {
	switch {
	case noParty:
		return fmt.Errorf("%w: stream without a payer or payee", ErrMalformed)
	case lane >= MaxLanes:
		return fmt.Errorf("%w: lane %d, limit %d", ErrLaneOverflow, lane, MaxLanes)
	case meter == nil || meter.tariff == nil:
		return fmt.Errorf("%w: stream without a meter made by NewMeter", ErrBadTariff)
	}
	return nil
}

// ready reports a StreamPayer not made by NewStreamPayer, instead of a
// panic.
func (s *StreamPayer) ready() error {
	if s == nil || s.payer == nil || s.meter == nil || s.now == nil || s.paid == nil || s.paidQty == nil || s.base == nil {
		return fmt.Errorf("%w: stream payer not made by NewStreamPayer", ErrMalformed)
	}
	return nil
}

// Consume meters u and returns a new voucher if one is due, else nil.
func (s *StreamPayer) Consume(ctx context.Context, u Usage) (*Voucher, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if err := s.meter.Record(u); err != nil {
		return nil, err
	}
	if s.policy.EveryUnits > 0 {
		n := new(big.Int).Sub(s.meter.Quantity(), s.paidQty)
		if n.Cmp(new(big.Int).SetUint64(s.policy.EveryUnits)) >= 0 {
			return s.pay(ctx)
		}
	}
	return s.Tick(ctx)
}

// Tick returns a new voucher if the policy's interval has passed since the
// last one and usage is unpaid, else nil. Call it from a timer.
func (s *StreamPayer) Tick(ctx context.Context) (*Voucher, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if s.policy.Every > 0 && s.now().Sub(s.lastAt) >= s.policy.Every {
		return s.pay(ctx)
	}
	return nil, nil
}

// Flush signs a voucher for all usage metered so far, if any is unpaid.
func (s *StreamPayer) Flush(ctx context.Context) (*Voucher, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	return s.pay(ctx)
}

func (s *StreamPayer) pay(ctx context.Context) (*Voucher, error) {
	due := new(big.Int).Add(s.base, s.meter.Due())
	if due.Cmp(s.paid) <= 0 {
		s.lastAt = s.now()
		return nil, nil
	}
	v, err := s.payer.Issue(ctx, Payment{Channel: s.channel, Lane: s.lane, Amount: due})
	if err != nil {
		return nil, err
	}
	s.paid, s.paidQty, s.lastAt = due, s.meter.Quantity(), s.now()
	return v, nil
}

// LagBound is how far a streaming payee lets payment fall behind usage
// before it stops serving: by more than MaxAmount smallest units, or with
// usage unpaid for longer than MaxDelay (a zero field is off).
type LagBound struct {
	MaxAmount *big.Int
	MaxDelay  time.Duration
}

// StreamPayee serves a metered service on one lane of a channel and stops
// when payment lags beyond its bound.
type StreamPayee struct {
	payee   *Payee
	channel ChannelID
	lane    uint64
	meter   *Meter
	bound   LagBound
	now     func() time.Time

	base        *big.Int // the lane's amount when the stream was made
	paid        *big.Int
	unpaidSince time.Time
}

// NewStreamPayee returns a streaming payee on lane of channel id metering
// with meter (made by NewMeter, with the same tariff the payer uses) on the
// payee's clock.
//
// Like a StreamPayer, a StreamPayee is one session: it starts from the
// lane's amount already accepted (its best voucher) and expects vouchers
// for that amount plus meter's Due, so usage served in this session is
// unpaid until a voucher covers it, however much earlier sessions were
// paid, and the LagBound holds from the first unit. Give every session a
// fresh meter.
func NewStreamPayee(p *Payee, id ChannelID, lane uint64, meter *Meter, bound LagBound) (*StreamPayee, error) {
	if err := checkStream(p == nil, lane, meter); err != nil {
		return nil, err
	}
	if bound.MaxAmount != nil && bound.MaxAmount.Sign() < 0 || bound.MaxDelay < 0 {
		return nil, fmt.Errorf("%w: lag bound %v, %v", ErrMalformed, bound.MaxAmount, bound.MaxDelay)
	}
	if bound.MaxAmount != nil {
		bound.MaxAmount = new(big.Int).Set(bound.MaxAmount)
	}
	paid := new(big.Int)
	if best, ok := p.store.Best(id, lane); ok {
		paid.Set(best.Amount)
	}
	return &StreamPayee{payee: p, channel: id, lane: lane, meter: meter, bound: bound, now: p.now,
		base: new(big.Int).Set(paid), paid: paid}, nil
}

// ready reports a StreamPayee not made by NewStreamPayee, instead of a
// panic.
func (s *StreamPayee) ready() error {
	if s == nil || s.payee == nil || s.meter == nil || s.now == nil || s.paid == nil || s.base == nil {
		return fmt.Errorf("%w: stream payee not made by NewStreamPayee", ErrMalformed)
	}
	return nil
}

// Serve meters u, delivered to the payer, and reports whether service may
// go on: ErrPaymentLag when payment now lags beyond the bound.
func (s *StreamPayee) Serve(u Usage) error {
	if err := s.ready(); err != nil {
		return err
	}
	if err := s.meter.Record(u); err != nil {
		return err
	}
	if s.unpaidSince.IsZero() && s.due().Cmp(s.paid) > 0 {
		s.unpaidSince = s.now()
	}
	return s.Check()
}

// Receive accepts a voucher of the stream's lane (see Payee.Accept).
func (s *StreamPayee) Receive(ctx context.Context, v *Voucher) error {
	if err := s.ready(); err != nil {
		return err
	}
	if v == nil {
		return fmt.Errorf("%w: nil voucher", ErrMalformed)
	}
	if v.Channel != s.channel || v.Lane != s.lane {
		return fmt.Errorf("%w: voucher for %s lane %d, stream is %s lane %d", ErrUnknownChannel, v.Channel, v.Lane, s.channel, s.lane)
	}
	if _, err := s.payee.Accept(ctx, v, nil); err != nil {
		return err
	}
	s.paid = new(big.Int).Set(v.Amount)
	if s.paid.Cmp(s.due()) >= 0 {
		s.unpaidSince = time.Time{}
	}
	return nil
}

// due is the lane's amount the session's usage calls for: what the lane
// held when the stream was made plus the meter's Due.
func (s *StreamPayee) due() *big.Int { return new(big.Int).Add(s.base, s.meter.Due()) }

// Owed returns the metered amount not yet covered by a voucher.
func (s *StreamPayee) Owed() *big.Int {
	if s.ready() != nil {
		return new(big.Int)
	}
	o := new(big.Int).Sub(s.due(), s.paid)
	if o.Sign() < 0 {
		o.SetInt64(0)
	}
	return o
}

// Check reports ErrPaymentLag when the unpaid amount exceeds MaxAmount or
// usage has been unpaid for longer than MaxDelay; service must then stop
// until a voucher catches up.
func (s *StreamPayee) Check() error {
	if err := s.ready(); err != nil {
		return err
	}
	owed := s.Owed()
	if s.bound.MaxAmount != nil && owed.Cmp(s.bound.MaxAmount) > 0 {
		return fmt.Errorf("%w: %v unpaid, bound %v", ErrPaymentLag, owed, s.bound.MaxAmount)
	}
	if s.bound.MaxDelay > 0 && owed.Sign() > 0 && !s.unpaidSince.IsZero() {
		if d := s.now().Sub(s.unpaidSince); d > s.bound.MaxDelay {
			return fmt.Errorf("%w: usage unpaid for %v, bound %v", ErrPaymentLag, d, s.bound.MaxDelay)
		}
	}
	return nil
}
