package escrow

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// Claim returns the batch claim that every value the readings commit to
// lies in iv: the readings' commitments in one canonical order — by device,
// then sequence number — so that the attester (Attest) and the prover
// (zkp.Prove) who start from the same readings agree on the commitments
// and their Merkle root. Every reading must carry a commitment (a private
// reading: reading.Reading.Commitment) and no two may share device and
// sequence number (ErrNoCommitment); a commitment that is not a canonical
// field element fails with zkp.ErrNonCanonical.
//
// Claim checks no signature: the readings should come from evidence the
// caller verified (or from the gateway that did).
func Claim(readings []reading.Signed, iv zkp.Interval) (zkp.BatchClaim, error) {
	if len(readings) == 0 {
		return zkp.BatchClaim{}, fmt.Errorf("%w: no readings", ErrNoCommitment)
	}
	order := canonicalOrder(readings)
	rs := make([]reading.Signed, len(readings))
	for i, j := range order {
		rs[i] = readings[j]
	}
	claim := zkp.BatchClaim{Interval: iv, Commitments: make([]zkp.Commitment, len(rs))}
	for i, r := range rs {
		if r.Commitment == nil {
			return zkp.BatchClaim{}, fmt.Errorf("%w: %s seq %d carries a value", ErrNoCommitment, r.Device, r.Seq)
		}
		if i > 0 && r.Device == rs[i-1].Device && r.Seq == rs[i-1].Seq {
			return zkp.BatchClaim{}, fmt.Errorf("%w: %s seq %d twice", ErrNoCommitment, r.Device, r.Seq)
		}
		c, err := zkp.ParseCommitment(r.Commitment)
		if err != nil {
			return zkp.BatchClaim{}, fmt.Errorf("escrow: %s seq %d: %w", r.Device, r.Seq, err)
		}
		claim.Commitments[i] = c
	}
	return claim, nil
}

// canonicalOrder returns the indexes of readings in Claim's order: by
// device, then sequence number.
func canonicalOrder(readings []reading.Signed) []int {
	order := make([]int, len(readings))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := &readings[i], &readings[j]
		if c := cmp.Compare(a.Device, b.Device); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	return order
}

// ClaimOpenings is Claim for the prover, who holds each reading's opening:
// openings[i] opens readings[i]'s commitment. It returns the claim and the
// openings in the claim's order, as zkp.Prove takes them. An opening that
// does not open its reading's commitment fails with ErrOpeningMismatch.
func ClaimOpenings(readings []reading.Signed, openings []zkp.Opening, iv zkp.Interval) (zkp.BatchClaim, []zkp.Opening, error) {
	if len(openings) != len(readings) {
		return zkp.BatchClaim{}, nil, fmt.Errorf("%w: %d openings for %d readings", ErrOpeningMismatch, len(openings), len(readings))
	}
	claim, err := Claim(readings, iv)
	if err != nil {
		return zkp.BatchClaim{}, nil, err
	}
	out := make([]zkp.Opening, len(openings))
	for i, j := range canonicalOrder(readings) {
		c, err := openings[j].Commitment()
		if err != nil {
			return zkp.BatchClaim{}, nil, fmt.Errorf("%w: reading %d: %w", ErrOpeningMismatch, j, err)
		}
		if c != claim.Commitments[i] {
			return zkp.BatchClaim{}, nil, fmt.Errorf("%w: reading %d (%s seq %d)", ErrOpeningMismatch, j, readings[j].Device, readings[j].Seq)
		}
		out[i] = openings[j]
	}
	return claim, out, nil
}
