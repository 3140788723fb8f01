package zkp

import (
	"fmt"

	"github.com/consensys/gnark/frontend"
)

// Interval is a closed range [Lo, Hi] of encoded values.
type Interval struct {
	Lo, Hi uint64
}

// CheckInterval reports, wrapping ErrOutOfRange, an interval that no proof
// of shape s can state: Lo above Hi, or a bound that does not fit in the
// shape's Bits (Hi ≥ 2^Bits). Prove refuses such a claim by the same rule;
// a party that fixes an interval before anyone proves (an escrow's terms)
// checks it here first. A shape that Validate refuses has no proofs at
// all: its error (ErrShape) is returned.
func (s Shape) CheckInterval(iv Interval) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return iv.check(s.Bits)
}

func (iv Interval) check(bits int) error {
	if iv.Lo > iv.Hi || (bits < 64 && iv.Hi >= 1<<bits) {
		return fmt.Errorf("%w: interval [%d, %d] with %d bits", ErrOutOfRange, iv.Lo, iv.Hi, bits)
	}
	return nil
}

func (iv Interval) contains(v uint64) bool { return iv.Lo <= v && v <= iv.Hi }

// Claim is what a proof states, in public terms only: intervals and the
// commitments the statement is about. Verify recomputes every public input
// of the circuit from a Claim, so nothing a prover hands over besides the
// proof is taken on trust. The implementations are ReadingClaim,
// BatchClaim, BoxClaim and ThresholdClaim.
type Claim interface {
	kind() Kind
	// assignment returns the circuit assignment; with openings nil only the
	// public part is meaningful.
	assignment(s Shape, openings []Opening) (frontend.Circuit, error)
}

// ReadingClaim: the value committed in Commitment lies in Interval.
type ReadingClaim struct {
	Interval
	Commitment Commitment
}

// BatchClaim: every value committed in Commitments lies in Interval. The
// proof covers exactly these commitments, in this order: the circuit's root
// is recomputed from them with PaddingLeaf up to the shape's capacity.
type BatchClaim struct {
	Interval
	Commitments []Commitment
}

// BoxClaim: the value committed in Commitments[i] lies in Intervals[i], for
// every i.
type BoxClaim struct {
	Intervals   []Interval
	Commitments []Commitment
}

// ThresholdClaim: at most MaxOutside of the values committed in Commitments
// lie outside Interval.
type ThresholdClaim struct {
	Interval
	MaxOutside  uint64
	Commitments []Commitment
}

func (ReadingClaim) kind() Kind   { return KindReading }
func (BatchClaim) kind() Kind     { return KindBatch }
func (BoxClaim) kind() Kind       { return KindBox }
func (ThresholdClaim) kind() Kind { return KindThreshold }

// checkOpenings verifies that the openings open the commitments.
func checkOpenings(cs []Commitment, openings []Opening) error {
	if openings == nil {
		return nil
	}
	if len(openings) != len(cs) {
		return fmt.Errorf("%w: %d openings for %d commitments", ErrOpening, len(openings), len(cs))
	}
	for i, o := range openings {
		c, err := o.Commitment()
		if err != nil {
			return fmt.Errorf("opening %d: %w", i, err)
		}
		if c != cs[i] {
			return fmt.Errorf("%w: index %d, commitment %v", ErrOpening, i, cs[i])
		}
	}
	return nil
}

func (c ReadingClaim) assignment(s Shape, openings []Opening) (frontend.Circuit, error) {
	if err := c.Interval.check(s.Bits); err != nil {
		return nil, err
	}
	if _, err := ParseCommitment(c.Commitment[:]); err != nil {
		return nil, err
	}
	a := &ReadingCircuit{Lo: c.Lo, Hi: c.Hi, Commitment: bigOf(c.Commitment), Value: 0, Salt: 0}
	if openings != nil {
		if err := checkOpenings([]Commitment{c.Commitment}, openings); err != nil {
			return nil, err
		}
		if !c.contains(openings[0].Value) {
			return nil, fmt.Errorf("%w: value %d not in [%d, %d]", ErrOutOfRange, openings[0].Value, c.Lo, c.Hi)
		}
		a.Value, a.Salt = openings[0].Value, bigOf(openings[0].Salt)
	}
	return a, nil
}

// batchPrivate fills values, salts and the live mask of a padded batch.
func batchPrivate(n int, openings []Opening) (values, salts, live []frontend.Variable) {
	values, salts, live = vars(n), vars(n), vars(n)
	for i := range n {
		values[i], salts[i], live[i] = 0, 0, 0
		if i < len(openings) {
			values[i], salts[i], live[i] = openings[i].Value, bigOf(openings[i].Salt), 1
		}
	}
	return values, salts, live
}

func batchRoot(s Shape, cs []Commitment) (Root, error) {
	if len(cs) < 1 || len(cs) > s.Size {
		return Root{}, fmt.Errorf("%w: %d commitments for a %v circuit", ErrShape, len(cs), s)
	}
	return MerkleRoot(cs, s.Size)
}

func (c BatchClaim) assignment(s Shape, openings []Opening) (frontend.Circuit, error) {
	if err := c.Interval.check(s.Bits); err != nil {
		return nil, err
	}
	root, err := batchRoot(s, c.Commitments)
	if err != nil {
		return nil, err
	}
	if err := checkOpenings(c.Commitments, openings); err != nil {
		return nil, err
	}
	for i, o := range openings {
		if !c.contains(o.Value) {
			return nil, fmt.Errorf("%w: value %d at index %d not in [%d, %d]", ErrOutOfRange, o.Value, i, c.Lo, c.Hi)
		}
	}
	a := &BatchCircuit{Lo: c.Lo, Hi: c.Hi, Count: len(c.Commitments), Root: bigOf(root)}
	a.Values, a.Salts, a.Live = batchPrivate(s.Size, openings)
	return a, nil
}

func (c BoxClaim) assignment(s Shape, openings []Opening) (frontend.Circuit, error) {
	k := s.Size
	if len(c.Intervals) != k || len(c.Commitments) != k {
		return nil, fmt.Errorf("%w: %d intervals and %d commitments for a %v circuit", ErrShape, len(c.Intervals), len(c.Commitments), s)
	}
	if err := checkOpenings(c.Commitments, openings); err != nil {
		return nil, err
	}
	a := &BoxCircuit{Lo: vars(k), Hi: vars(k), Commitments: vars(k), Values: vars(k), Salts: vars(k)}
	for i, iv := range c.Intervals {
		if err := iv.check(s.Bits); err != nil {
			return nil, fmt.Errorf("dimension %d: %w", i, err)
		}
		if _, err := ParseCommitment(c.Commitments[i][:]); err != nil {
			return nil, fmt.Errorf("dimension %d: %w", i, err)
		}
		a.Lo[i], a.Hi[i], a.Commitments[i], a.Values[i], a.Salts[i] = iv.Lo, iv.Hi, bigOf(c.Commitments[i]), 0, 0
		if openings != nil {
			if !iv.contains(openings[i].Value) {
				return nil, fmt.Errorf("%w: value %d of dimension %d not in [%d, %d]", ErrOutOfRange, openings[i].Value, i, iv.Lo, iv.Hi)
			}
			a.Values[i], a.Salts[i] = openings[i].Value, bigOf(openings[i].Salt)
		}
	}
	return a, nil
}

func (c ThresholdClaim) assignment(s Shape, openings []Opening) (frontend.Circuit, error) {
	if err := c.Interval.check(s.Bits); err != nil {
		return nil, err
	}
	if c.MaxOutside >= 1<<countBits(s.Size) {
		return nil, fmt.Errorf("%w: at most %d outside of at most %d readings", ErrOutOfRange, c.MaxOutside, s.Size)
	}
	root, err := batchRoot(s, c.Commitments)
	if err != nil {
		return nil, err
	}
	if err := checkOpenings(c.Commitments, openings); err != nil {
		return nil, err
	}
	a := &ThresholdCircuit{Lo: c.Lo, Hi: c.Hi, Count: len(c.Commitments), MaxOutside: c.MaxOutside, Root: bigOf(root)}
	a.Values, a.Salts, a.Live = batchPrivate(s.Size, openings)
	a.Inside = vars(s.Size)
	outside := uint64(0)
	for i := range a.Inside {
		a.Inside[i] = 0
		if i < len(openings) {
			if c.contains(openings[i].Value) {
				a.Inside[i] = 1
			} else {
				outside++
			}
		}
	}
	if outside > c.MaxOutside {
		return nil, fmt.Errorf("%w: %d readings outside [%d, %d], at most %d allowed", ErrOutOfRange, outside, c.Lo, c.Hi, c.MaxOutside)
	}
	return a, nil
}
