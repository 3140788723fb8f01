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
	rs := slices.Clone(readings)
	slices.SortStableFunc(rs, func(a, b reading.Signed) int {
		if c := cmp.Compare(a.Device, b.Device); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
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
