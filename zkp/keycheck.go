package zkp

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	plonkbn254 "github.com/consensys/gnark/backend/plonk/bn254"
)

// checkPlonkLines reports, wrapping ErrMalformed, a PLONK verifying key
// whose precomputed KZG pairing lines are not the ones of its G₂ points.
// The KZG check pairs against the lines alone, so lines of another SRS
// would make a key that verifies with a secret its G₂ points do not show,
// and the line slots the Miller loop skips would give one key many
// encodings. gnark's decoder reads the lines as they come; here they must
// equal PrecomputeLines of the decoded G₂ points.
func checkPlonkLines(vk *plonkbn254.VerifyingKey) error {
	if vk == nil {
		return fmt.Errorf("%w: PLONK key without a verifying key", ErrMalformed)
	}
	for i := range vk.Kzg.G2 {
		if bn254.PrecomputeLines(vk.Kzg.G2[i]) != vk.Kzg.Lines[i] {
			return fmt.Errorf("%w: PLONK verifying key: KZG pairing lines %d do not belong to its G2 point", ErrMalformed, i)
		}
	}
	return nil
}
