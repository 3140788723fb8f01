package stake

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/evidence"
)

// MaxNeighbours bounds the neighbours of one Misreport, so that checking
// one takes bounded work.
const MaxNeighbours = 64

// TagMisreport is the domain-separation tag of a Misreport's digest.
const TagMisreport canon.Tag = "iotrust.stake.misreport.v1"

// Rule says when a signed reading is provably bad: it differs by more than
// Bound from each of at least MinNeighbours readings of the same sensor
// kind, scale and unit, signed by as many other devices within MaxSkew of
// its time. MinNeighbours is therefore how many devices would have to
// collude to frame an honest one. Which devices count as neighbours (near
// enough to measure the same thing) is the programme's published choice;
// the rule does not know where devices are.
type Rule struct {
	// Bound is the largest difference, in units of the readings' Value at
	// their Scale, that still agrees with a neighbour. At least 0.
	Bound int64
	// MinNeighbours is how many neighbours must contradict the suspect,
	// 1 to MaxNeighbours.
	MinNeighbours int
	// MaxSkew bounds the time between the suspect's reading and each
	// neighbour's. At least 0.
	MaxSkew time.Duration
}

// Misreport is the evidence that a device signed a bad reading: the
// evidence bundle of that reading and the bundles of its neighbours'
// readings, each one signed reading anchored on a ledger. Anyone holding
// the bundles (as files: evidence.Parse) checks it offline with Check, and
// finds the slash it justifies on chain by its Digest.
type Misreport struct {
	Suspect    *evidence.Bundle
	Neighbours []*evidence.Bundle
}

// Check verifies the misreport against rule and trust: every bundle holds
// one reading with a value (not a commitment) and verifies (evidence.Verify,
// which also checks the anchor receipts and, given trust.Credentials, the
// devices' credentials); the neighbours are distinct devices other than the
// suspect's, of its sensor kind, scale and unit, within rule.MaxSkew of its
// time, at least rule.MinNeighbours of them; and the suspect's value differs
// from every neighbour's by more than rule.Bound. It returns nil, an error
// matching ErrNotProven and naming the first part that fails, or
// ErrBadParameters for an invalid rule.
func (m Misreport) Check(ctx context.Context, rule Rule, trust evidence.Trust) error {
	if rule.Bound < 0 || rule.MinNeighbours < 1 || rule.MinNeighbours > MaxNeighbours || rule.MaxSkew < 0 {
		return fmt.Errorf("%w: rule %+v", ErrBadParameters, rule)
	}
	if len(m.Neighbours) < rule.MinNeighbours || len(m.Neighbours) > MaxNeighbours {
		return fmt.Errorf("%w: %d neighbours, the rule needs %d (at most %d)", ErrNotProven, len(m.Neighbours), rule.MinNeighbours, MaxNeighbours)
	}
	check := func(name string, b *evidence.Bundle) error {
		if b == nil || len(b.Readings) != 1 {
			return fmt.Errorf("%w: %s: not a bundle of one reading", ErrNotProven, name)
		}
		if b.Readings[0].Commitment != nil {
			return fmt.Errorf("%w: %s: the reading carries a commitment, not a value", ErrNotProven, name)
		}
		if rep := evidence.Verify(ctx, b, trust); !rep.OK() {
			return fmt.Errorf("%w: %s: %w", ErrNotProven, name, rep.Err())
		}
		return nil
	}
	if err := check("suspect", m.Suspect); err != nil {
		return err
	}
	s := m.Suspect.Readings[0]
	seen := map[string]bool{s.Device: true}
	for i, b := range m.Neighbours {
		name := fmt.Sprintf("neighbour %d", i)
		if err := check(name, b); err != nil {
			return err
		}
		n := b.Readings[0]
		switch {
		case seen[n.Device]:
			return fmt.Errorf("%w: %s: device %s counted twice (or is the suspect)", ErrNotProven, name, n.Device)
		case n.Sensor != s.Sensor || n.Scale != s.Scale || n.Unit != s.Unit:
			return fmt.Errorf("%w: %s: %s at scale %d in %q, the suspect is %s at scale %d in %q",
				ErrNotProven, name, n.Sensor, n.Scale, n.Unit, s.Sensor, s.Scale, s.Unit)
		case absDuration(n.Time.Sub(s.Time)) > rule.MaxSkew:
			return fmt.Errorf("%w: %s: taken %v from the suspect, the rule allows %v", ErrNotProven, name, n.Time.Sub(s.Time), rule.MaxSkew)
		case absInt(n.Value-s.Value) <= rule.Bound: // |Value| ≤ 2^53-1: no overflow
			return fmt.Errorf("%w: %s: %d agrees with the suspect's %d within %d", ErrNotProven, name, n.Value, s.Value, rule.Bound)
		}
		seen[n.Device] = true
	}
	return nil
}

// Digest returns the misreport's identity, what Pool.Slash records on
// chain: the BLAKE3 TaggedSum under TagMisreport of the bundles' file forms
// (evidence.Bundle.Marshal, canonical JSON), suspect first, then the
// neighbours in order, each preceded by its length as 8 big-endian bytes.
func (m Misreport) Digest() (canon.Digest, error) {
	var data []byte
	for i, b := range append([]*evidence.Bundle{m.Suspect}, m.Neighbours...) {
		raw, err := b.Marshal()
		if err != nil {
			return canon.Digest{}, fmt.Errorf("bundle %d: %w", i, err)
		}
		data = binary.BigEndian.AppendUint64(data, uint64(len(raw)))
		data = append(data, raw...)
	}
	return canon.TaggedSum(canon.BLAKE3, TagMisreport, data)
}

func absInt(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
