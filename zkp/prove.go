package zkp

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/plonk"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/frontend"
)

// Proof is a zero-knowledge proof of a Claim.
//
// Proofs are malleable: from one valid Groth16 proof anyone can derive other
// valid proofs of the same claim without any secret. Never use proof bytes as
// an identifier or a replay guard; identify a proof by its claim (shape,
// intervals, commitments) instead.
type Proof struct {
	shape   Shape
	backend Backend
	groth   groth16.Proof
	plonk   plonk.Proof
}

// Shape returns the shape of the circuit the proof was made with.
func (p *Proof) Shape() Shape { return p.shape }

// Backend returns the proof system of the proof.
func (p *Proof) Backend() Backend { return p.backend }

// The Solidity-target options make the Go prover and verifier hash exactly
// like the exported Solidity verifier, so the EVM accepts what Go accepts.
// For the circuits here (no BSB22 commitment) they change nothing else.
func proverOptions(b Backend) backend.ProverOption {
	return solidity.WithProverTargetSolidityVerifier(backendID(b))
}

func verifierOptions(b Backend) backend.VerifierOption {
	return solidity.WithVerifierTargetSolidityVerifier(backendID(b))
}

func backendID(b Backend) backend.ID {
	if b == PLONK {
		return backend.PLONK
	}
	return backend.GROTH16
}

// Prove proves claim with the openings of its commitments (in the same
// order). It checks natively first, so a false claim or a wrong opening gets a
// typed error (ErrOutOfRange, ErrOpening, ErrShape) instead of a solver
// failure.
func Prove(pk *ProvingKey, claim Claim, openings []Opening) (*Proof, error) {
	if !pk.usable() {
		return nil, fmt.Errorf("%w: nil or empty proving key", ErrShape)
	}
	s := pk.cc.shape
	if err := checkClaimKind(s, claim); err != nil {
		return nil, err
	}
	if openings == nil {
		openings = []Opening{}
	}
	a, err := claim.assignment(s, openings)
	if err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("zkp: witness: %w", err)
	}
	p := &Proof{shape: s, backend: pk.cc.backend}
	switch pk.cc.backend {
	case Groth16:
		p.groth, err = groth16.Prove(pk.cc.ccs, pk.groth, w, proverOptions(Groth16))
	case PLONK:
		p.plonk, err = plonk.Prove(pk.cc.ccs, pk.plonk, w, proverOptions(PLONK))
	}
	if err != nil {
		return nil, fmt.Errorf("zkp: proving %v: %w", s, err)
	}
	return p, nil
}

// publicWitness recomputes the circuit's public inputs from the claim.
func publicWitness(s Shape, claim Claim) (witness.Witness, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := checkClaimKind(s, claim); err != nil {
		return nil, err
	}
	a, err := claim.assignment(s, nil)
	if err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		return nil, fmt.Errorf("zkp: public witness: %w", err)
	}
	return w, nil
}

// Verify checks proof against claim. The public inputs (intervals, count,
// threshold, commitments and, for batches, the Merkle root with its padding)
// are recomputed here from the claim; a caller who has checked the
// commitments' signatures and their inclusion in an anchored batch needs
// nothing else. It returns nil or an error wrapping ErrVerify, ErrShape
// (also for a nil key, proof or claim) or ErrOutOfRange.
func Verify(vk *VerifyingKey, proof *Proof, claim Claim) error {
	if !vk.usable() || !proof.usable() {
		return fmt.Errorf("%w: nil or empty verifying key or proof", ErrShape)
	}
	if proof.shape != vk.shape || proof.backend != vk.backend {
		return fmt.Errorf("%w: %v/%v proof, %v/%v key", ErrShape, proof.shape, proof.backend, vk.shape, vk.backend)
	}
	w, err := publicWitness(vk.shape, claim)
	if err != nil {
		return err
	}
	switch vk.backend {
	case Groth16:
		err = groth16.Verify(proof.groth, vk.groth, w, verifierOptions(Groth16))
	case PLONK:
		err = plonk.Verify(proof.plonk, vk.plonk, w, verifierOptions(PLONK))
	default:
		err = fmt.Errorf("unknown backend %v", vk.backend)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrVerify, err)
	}
	return nil
}

// checkClaimKind reports, wrapping ErrShape, a claim that is nil (also a
// nil pointer to one of the claim types) or of another kind than s.
func checkClaimKind(s Shape, claim Claim) error {
	nilClaim := claim == nil
	switch c := claim.(type) {
	case *ReadingClaim:
		nilClaim = c == nil
	case *BatchClaim:
		nilClaim = c == nil
	case *BoxClaim:
		nilClaim = c == nil
	case *ThresholdClaim:
		nilClaim = c == nil
	}
	if nilClaim {
		return fmt.Errorf("%w: nil claim", ErrShape)
	}
	if claim.kind() != s.Kind {
		return fmt.Errorf("%w: %v claim with a %v key", ErrShape, claim.kind(), s)
	}
	return nil
}

// usable reports whether pk holds a key of its backend (not nil, not the
// zero ProvingKey).
func (pk *ProvingKey) usable() bool {
	if pk == nil || pk.cc == nil {
		return false
	}
	return (pk.cc.backend == Groth16 && pk.groth != nil) || (pk.cc.backend == PLONK && pk.plonk != nil)
}

// usable reports whether vk holds a key of its backend.
func (vk *VerifyingKey) usable() bool {
	return vk != nil && ((vk.backend == Groth16 && vk.groth != nil) || (vk.backend == PLONK && vk.plonk != nil))
}

// usable reports whether p holds a proof of its backend.
func (p *Proof) usable() bool {
	return p != nil && ((p.backend == Groth16 && p.groth != nil) || (p.backend == PLONK && p.plonk != nil))
}

// PublicInputs returns the circuit's public inputs for claim, in the order
// the Solidity verifier takes them; like Verify it derives them from the
// claim (root included).
func PublicInputs(s Shape, claim Claim) ([]*big.Int, error) {
	w, err := publicWitness(s, claim)
	if err != nil {
		return nil, err
	}
	vec, ok := w.Vector().(fr.Vector)
	if !ok {
		return nil, fmt.Errorf("%w: unexpected witness type", ErrShape)
	}
	out := make([]*big.Int, len(vec))
	for i := range vec {
		out[i] = vec[i].BigInt(new(big.Int))
	}
	return out, nil
}

// SolidityProof returns a Groth16 proof in the form the exported Solidity
// verifier's verifyProof(bytes proof, uint256[n] input) takes: the points
// A, B, C in EIP-197 order, 256 bytes.
func (p *Proof) SolidityProof() ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: nil proof", ErrShape)
	}
	g, ok := p.groth.(*groth16bn254.Proof)
	if p.backend != Groth16 || !ok {
		return nil, fmt.Errorf("%w: Solidity export needs a Groth16 proof", ErrShape)
	}
	b := g.MarshalSolidity()
	if len(b) != 8*32 {
		return nil, fmt.Errorf("%w: %d-byte Solidity proof", ErrMalformed, len(b))
	}
	return b, nil
}
