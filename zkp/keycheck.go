package zkp

import (
	"bytes"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
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

// checkGroth16Unused reports, wrapping ErrMalformed, a Groth16 verifying
// key whose [β]₁ and [δ]₁ are not the G₁ twins of its [β]₂ and [δ]₂:
// e([β]₁, g₂) = e(g₁, [β]₂), likewise for δ. Verification never reads the
// two G₁ points (gnark keeps them for compatibility), so without this
// check any other valid point there gave a second encoding of a key that
// verifies exactly the same proofs. Every setup here (UnsafeSetup,
// UnsafeRandomSetup, KeysFromCeremony) makes them consistent.
func checkGroth16Unused(vk *groth16bn254.VerifyingKey) error {
	if vk == nil {
		return fmt.Errorf("%w: not a BN254 Groth16 verifying key", ErrMalformed)
	}
	_, _, g1, g2 := bn254.Generators()
	var negG1 bn254.G1Affine
	negG1.Neg(&g1)
	for _, p := range []struct {
		name string
		a    bn254.G1Affine
		b    bn254.G2Affine
	}{{"beta", vk.G1.Beta, vk.G2.Beta}, {"delta", vk.G1.Delta, vk.G2.Delta}} {
		ok, err := bn254.PairingCheck([]bn254.G1Affine{p.a, negG1}, []bn254.G2Affine{g2, p.b})
		if err != nil || !ok {
			return fmt.Errorf("%w: Groth16 verifying key: [%s]1 does not match [%s]2", ErrMalformed, p.name, p.name)
		}
	}
	return nil
}

// MatchKeys reports whether pk and vk belong together: the same shape and
// backend (else ErrShape) and the same setup (else ErrKeyMismatch), so
// that proofs made with pk verify under vk. Groth16 keys are compared by
// the points both carry ([α]₁, [β]₁, [δ]₁, [β]₂, [δ]₂, which every setup
// draws afresh); a PLONK proving key embeds its verifying key, which must
// equal vk. It costs no pairing: use it on keys read from separate files
// before proving (a proving key of another setup otherwise gives proofs
// that fail only at verification).
func MatchKeys(pk *ProvingKey, vk *VerifyingKey) error {
	if pk == nil || vk == nil || pk.cc == nil {
		return fmt.Errorf("%w: nil key", ErrShape)
	}
	if pk.Shape() != vk.Shape() || pk.Backend() != vk.Backend() {
		return fmt.Errorf("%w: proving key %v %v, verifying key %v %v", ErrShape, pk.Backend(), pk.Shape(), vk.Backend(), vk.Shape())
	}
	switch vk.Backend() {
	case Groth16:
		p, ok1 := pk.groth.(*groth16bn254.ProvingKey)
		v, ok2 := vk.groth.(*groth16bn254.VerifyingKey)
		if !ok1 || !ok2 || p == nil || v == nil {
			return fmt.Errorf("%w: not BN254 Groth16 keys", ErrShape)
		}
		if p.G1.Alpha != v.G1.Alpha || p.G1.Beta != v.G1.Beta || p.G1.Delta != v.G1.Delta ||
			p.G2.Beta != v.G2.Beta || p.G2.Delta != v.G2.Delta {
			return fmt.Errorf("%w: Groth16 [α], [β] or [δ] differ", ErrKeyMismatch)
		}
		return nil
	case PLONK:
		p, ok1 := pk.plonk.(*plonkbn254.ProvingKey)
		v, ok2 := vk.plonk.(*plonkbn254.VerifyingKey)
		if !ok1 || !ok2 || p == nil || v == nil || p.Vk == nil {
			return fmt.Errorf("%w: not BN254 PLONK keys", ErrShape)
		}
		var a, b bytes.Buffer
		if _, err := p.Vk.WriteTo(&a); err != nil {
			return fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if _, err := v.WriteTo(&b); err != nil {
			return fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			return fmt.Errorf("%w: the proving key embeds another PLONK verifying key", ErrKeyMismatch)
		}
		return nil
	}
	return fmt.Errorf("%w: backend %v", ErrShape, vk.Backend())
}
