package payment

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"time"
)

// Unit is a metered unit. Quantities are integers of its Base sub-unit, and
// one Unit is Scale of them: prices are quoted per Unit, meters count Base
// units, so no fraction of a kWh ever needs a float.
type Unit struct {
	// Name is the unit prices are quoted in, e.g. "kWh".
	Name string
	// Base is the sub-unit quantities are counted in, e.g. "Wh".
	Base string
	// Scale is how many Base units make one Unit (≥ 1).
	Scale uint64
}

// KWh returns the kilowatt-hour, counted in watt-hours.
func KWh() Unit { return Unit{Name: "kWh", Base: "Wh", Scale: 1000} }

// Km returns the kilometre, counted in metres.
func Km() Unit { return Unit{Name: "km", Base: "m", Scale: 1000} }

// MB returns the megabyte (10^6 bytes), counted in bytes.
func MB() Unit { return Unit{Name: "MB", Base: "byte", Scale: 1_000_000} }

// Sample returns the unit of one sample (one reading), counted as is.
func Sample() Unit { return Unit{Name: "sample", Base: "sample", Scale: 1} }

// TariffStep is a price that is in force from From on, until the next
// step's From: Price smallest units of the asset per one Unit.
type TariffStep struct {
	From  time.Time
	Price *big.Int
}

// Tariff is a price schedule for one Unit that changes over time. Make one
// with NewTariff, which checks and sorts the steps.
type Tariff struct {
	unit  Unit
	steps []TariffStep
}

// Unit returns the unit the tariff prices.
func (t *Tariff) Unit() Unit {
	if t == nil {
		return Unit{}
	}
	return t.unit
}

// Steps returns a copy of the tariff's steps, in time order.
func (t *Tariff) Steps() []TariffStep {
	if t == nil {
		return nil
	}
	out := make([]TariffStep, len(t.steps))
	for i, st := range t.steps {
		out[i] = TariffStep{From: st.From, Price: new(big.Int).Set(st.Price)}
	}
	return out
}

// NewTariff returns a tariff for unit with the given steps (sorted here).
func NewTariff(unit Unit, steps ...TariffStep) (*Tariff, error) {
	if unit.Scale == 0 {
		return nil, fmt.Errorf("%w: unit %q with scale 0", ErrBadTariff, unit.Name)
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("%w: no prices", ErrBadTariff)
	}
	s := make([]TariffStep, len(steps))
	for i, st := range steps {
		if st.Price == nil || st.Price.Sign() < 0 {
			return nil, fmt.Errorf("%w: price %v", ErrBadTariff, st.Price)
		}
		s[i] = TariffStep{From: st.From, Price: new(big.Int).Set(st.Price)}
	}
	sort.SliceStable(s, func(i, j int) bool { return s[i].From.Before(s[j].From) })
	for i := 1; i < len(s); i++ {
		if s[i].From.Equal(s[i-1].From) {
			return nil, fmt.Errorf("%w: two prices from %s", ErrBadTariff, s[i].From.UTC().Format(time.RFC3339))
		}
	}
	return &Tariff{unit: unit, steps: s}, nil
}

// Usage is Quantity Base units consumed evenly between From and To (From ==
// To for an instant, e.g. one sample). Quality is an opaque score the
// QualityWeight hook may use.
type Usage struct {
	From, To time.Time
	Quantity uint64
	Quality  int64
}

// maxSpan is the longest usage interval priced: time.Time.Sub saturates
// beyond it, which would misprice the parts of a longer one.
const maxSpan = time.Duration(math.MaxInt64)

// Cost returns the exact cost of u as a rational number of smallest units.
// Usage that spans a price change is split in proportion to the time spent
// under each price; usage before the first step, or ending before it
// starts, is ErrBadTariff.
func (t *Tariff) Cost(u Usage) (*big.Rat, error) {
	if t == nil || len(t.steps) == 0 || t.unit.Scale == 0 {
		return nil, fmt.Errorf("%w: tariff not made by NewTariff", ErrBadTariff)
	}
	if u.To.Before(u.From) {
		return nil, fmt.Errorf("%w: usage ends %s before it starts %s", ErrBadTariff, u.To, u.From)
	}
	if u.From.Before(t.steps[0].From) {
		return nil, fmt.Errorf("%w: usage from %s before the first price", ErrBadTariff, u.From.UTC().Format(time.RFC3339))
	}
	if u.To.Sub(u.From) == maxSpan {
		return nil, fmt.Errorf("%w: usage spans more than %v", ErrBadTariff, maxSpan)
	}
	q := new(big.Int).SetUint64(u.Quantity)
	scale := new(big.Int).SetUint64(t.unit.Scale)
	steps := t.steps
	// The step in force at From.
	i := sort.Search(len(steps), func(i int) bool { return steps[i].From.After(u.From) }) - 1
	if !u.To.After(u.From) {
		return new(big.Rat).SetFrac(new(big.Int).Mul(q, steps[i].Price), scale), nil
	}
	span := big.NewInt(int64(u.To.Sub(u.From)))
	// cost = Σ q · price_k · overlap_k / (span · scale): one exact fraction.
	num := new(big.Int)
	for ; i < len(steps); i++ {
		start := maxTime(u.From, steps[i].From)
		end := u.To
		if i+1 < len(steps) && steps[i+1].From.Before(end) {
			end = steps[i+1].From
		}
		if !end.After(start) {
			break
		}
		part := new(big.Int).Mul(steps[i].Price, big.NewInt(int64(end.Sub(start))))
		num.Add(num, part)
	}
	num.Mul(num, q)
	return new(big.Rat).SetFrac(num, new(big.Int).Mul(span, scale)), nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// QualityWeight scales the price of a usage by Num/Den, e.g. 9/10 for data
// of lesser quality. Den must not be 0.
type QualityWeight func(u Usage) (num, den uint64)

// Meter accumulates the cost of usage under a tariff.
//
// Rounding rule: the meter keeps the exact rational cost of all usage and
// rounds up once, in Due, to whole smallest units. Vouchers carry cumulative
// amounts, so the payee's gain from rounding is below one smallest unit over
// the whole channel, however many vouchers are signed, and the payer never
// pays for a fraction twice. No floating point is involved anywhere.
type Meter struct {
	tariff   *Tariff
	weight   QualityWeight
	quantity *big.Int
	cost     *big.Rat
}

// NewMeter returns an empty meter under tariff (made by NewTariff); weight
// may be nil (all usage at full price).
func NewMeter(tariff *Tariff, weight QualityWeight) (*Meter, error) {
	if tariff == nil || len(tariff.steps) == 0 {
		return nil, fmt.Errorf("%w: no tariff", ErrBadTariff)
	}
	return &Meter{tariff: tariff, weight: weight, quantity: new(big.Int), cost: new(big.Rat)}, nil
}

// Record adds u to the meter. A meter not made by NewMeter records nothing
// and returns ErrBadTariff.
func (m *Meter) Record(u Usage) error {
	if m == nil || m.tariff == nil || m.quantity == nil || m.cost == nil {
		return fmt.Errorf("%w: meter not made by NewMeter", ErrBadTariff)
	}
	c, err := m.tariff.Cost(u)
	if err != nil {
		return err
	}
	if m.weight != nil {
		num, den := m.weight(u)
		if den == 0 {
			return fmt.Errorf("%w: quality weight %d/0", ErrBadTariff, num)
		}
		c.Mul(c, new(big.Rat).SetFrac(new(big.Int).SetUint64(num), new(big.Int).SetUint64(den)))
	}
	m.cost.Add(m.cost, c)
	m.quantity.Add(m.quantity, new(big.Int).SetUint64(u.Quantity))
	return nil
}

// Quantity returns the Base units recorded so far.
func (m *Meter) Quantity() *big.Int {
	if m == nil || m.quantity == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(m.quantity)
}

// Cost returns the exact cost recorded so far.
func (m *Meter) Cost() *big.Rat {
	if m == nil || m.cost == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Set(m.cost)
}

// Due returns the cost so far rounded up to whole smallest units: the
// cumulative amount a voucher must carry.
func (m *Meter) Due() *big.Int { return ceilRat(m.Cost()) }

func ceilRat(r *big.Rat) *big.Int {
	q, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if rem.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}
