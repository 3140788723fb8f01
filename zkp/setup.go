package zkp

import (
	"io"

	"fmt"
	"github.com/consensys/gnark/backend/solidity"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/kzg"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	"github.com/consensys/gnark/backend/plonk"
	cs "github.com/consensys/gnark/constraint/bn254"
	"github.com/consensys/gnark/test/unsafekzg"
)

// ProvingKey proves claims of one shape with one backend. It holds the
// compiled circuit, which proving needs.
type ProvingKey struct {
	cc    *CompiledCircuit
	groth groth16.ProvingKey
	plonk plonk.ProvingKey
}

// VerifyingKey verifies proofs of one shape made with one backend.
type VerifyingKey struct {
	shape   Shape
	backend Backend
	groth   groth16.VerifyingKey
	plonk   plonk.VerifyingKey
}

// Shape returns the shape the key was made for.
func (pk *ProvingKey) Shape() Shape { return pk.cc.shape }

// Backend returns the key's proof system.
func (pk *ProvingKey) Backend() Backend { return pk.cc.backend }

// Shape returns the shape the key was made for.
func (vk *VerifyingKey) Shape() Shape { return vk.shape }

// Backend returns the key's proof system.
func (vk *VerifyingKey) Backend() Backend { return vk.backend }

// UnsafeSetup makes deterministic keys from a public seed, for tests and
// development only: anyone who knows the seed knows the setup's secrets
// and can forge proofs of false claims.
//
// Groth16 keys come from gnark's multi-party setup run with no contributor
// and the seed as the final beacon (the production path with its safety
// removed); PLONK keys from a KZG SRS whose secret is derived from the seed.
// Deterministic keys let a generated Solidity verifier be rebuilt byte for
// byte. The Groth16 path is slow for large circuits: in tests of those, use
// UnsafeRandomSetup.
func UnsafeSetup(cc *CompiledCircuit, seed []byte) (*ProvingKey, *VerifyingKey, error) {
	switch cc.backend {
	case Groth16:
		r1cs, ok := cc.ccs.(*cs.R1CS)
		if !ok {
			return nil, nil, fmt.Errorf("%w: not a BN254 R1CS", ErrShape)
		}
		commons := mpcsetup.NewPhase1(CeremonyDomainSize(cc)).Seal(seed)
		var p2 mpcsetup.Phase2
		evals := p2.Initialize(r1cs, &commons)
		pk, vk := p2.Seal(&commons, &evals, seed)
		return &ProvingKey{cc: cc, groth: pk}, &VerifyingKey{shape: cc.shape, backend: Groth16, groth: vk}, nil
	case PLONK:
		srs, lagrange, err := unsafekzg.NewSRS(cc.ccs, unsafekzg.WithToxicSeed(seed))
		if err != nil {
			return nil, nil, fmt.Errorf("zkp: unsafe SRS: %w", err)
		}
		return SetupPLONK(cc, srs, lagrange)
	}
	return nil, nil, fmt.Errorf("%w: %v", ErrShape, cc.backend)
}

// UnsafeRandomSetup makes keys with gnark's single-party setup (Groth16:
// groth16.Setup with fresh randomness; PLONK: an SRS with a random secret,
// which gnark's unsafekzg draws once per process and size, so PLONK keys
// of one circuit repeat within a process).
// It is much faster than UnsafeSetup for large Groth16 circuits, but the
// keys are only as trustworthy as the process that made them: whoever
// could read its memory could forge proofs. Use it for tests, benchmarks
// and development; production keys come from KeysFromCeremony or
// SetupPLONK with a public SRS.
func UnsafeRandomSetup(cc *CompiledCircuit) (*ProvingKey, *VerifyingKey, error) {
	switch cc.backend {
	case Groth16:
		pk, vk, err := groth16.Setup(cc.ccs)
		if err != nil {
			return nil, nil, fmt.Errorf("zkp: groth16 setup: %w", err)
		}
		return &ProvingKey{cc: cc, groth: pk}, &VerifyingKey{shape: cc.shape, backend: Groth16, groth: vk}, nil
	case PLONK:
		srs, lagrange, err := unsafekzg.NewSRS(cc.ccs)
		if err != nil {
			return nil, nil, fmt.Errorf("zkp: unsafe SRS: %w", err)
		}
		return SetupPLONK(cc, srs, lagrange)
	}
	return nil, nil, fmt.Errorf("%w: %v", ErrShape, cc.backend)
}

// SetupPLONK makes PLONK keys from a KZG SRS in canonical and Lagrange form
// (for production, one from a public powers-of-tau ceremony, large enough
// for the circuit; see gnark-crypto's kzg package for loading one).
func SetupPLONK(cc *CompiledCircuit, srs, srsLagrange kzg.SRS) (*ProvingKey, *VerifyingKey, error) {
	if cc.backend != PLONK {
		return nil, nil, fmt.Errorf("%w: PLONK setup for a %v circuit", ErrShape, cc.backend)
	}
	pk, vk, err := plonk.Setup(cc.ccs, srs, srsLagrange)
	if err != nil {
		return nil, nil, fmt.Errorf("zkp: plonk setup: %w", err)
	}
	return &ProvingKey{cc: cc, plonk: pk}, &VerifyingKey{shape: cc.shape, backend: PLONK, plonk: vk}, nil
}

// CeremonyDomainSize is the size N to start a Groth16 ceremony's phase 1
// with (mpcsetup.NewPhase1(N)) for this circuit; a phase 1 of a larger
// power of two does not fit, gnark requires the exact size.
func CeremonyDomainSize(cc *CompiledCircuit) uint64 {
	return ecc.NextPowerOfTwo(uint64(cc.ccs.GetNbConstraints()))
}

// KeysFromCeremony turns a finished Groth16 multi-party setup into keys: it
// verifies every phase-2 contribution against the phase-1 result commons,
// applies the public beacon and returns the keys. The keys are sound as long
// as one participant of each phase destroyed their secret.
//
// The production path, with gnark's backend/groth16/bn254/mpcsetup (run
// end to end in ExampleKeysFromCeremony):
//
//  1. Phase 1, shared by every circuit of this domain size: starting from
//     mpcsetup.NewPhase1(CeremonyDomainSize(cc)), each participant in turn
//     reads the previous state, contributes and publishes; the coordinator
//     verifies the contributions with mpcsetup.VerifyPhase1 and gets the
//     commons.
//  2. Phase 2, for this circuit: initialised from the circuit's constraint
//     system (ConstraintSystem) and the commons, then each participant in
//     turn contributes and publishes.
//  3. Anyone calls KeysFromCeremony with the commons, a second beacon and
//     the phase-2 contributions, and gets the same keys; publish the
//     verifying key and the transcript.
//
// The beacons are public randomness fixed after the last contribution (for
// example a future drand round), so no participant can bias the result.
func KeysFromCeremony(cc *CompiledCircuit, commons *mpcsetup.SrsCommons, beacon []byte, contributions ...*mpcsetup.Phase2) (*ProvingKey, *VerifyingKey, error) {
	r1cs, ok := cc.ccs.(*cs.R1CS)
	if cc.backend != Groth16 || !ok {
		return nil, nil, fmt.Errorf("%w: ceremony keys need a Groth16 circuit", ErrShape)
	}
	pk, vk, err := mpcsetup.VerifyPhase2(r1cs, commons, beacon, contributions...)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: ceremony transcript: %w", ErrVerify, err)
	}
	return &ProvingKey{cc: cc, groth: pk}, &VerifyingKey{shape: cc.shape, backend: Groth16, groth: vk}, nil
}

// SolidityPragma is the compiler version exported verifiers pin; it is the
// project's pinned solc (scripts/solc).
const SolidityPragma = "0.8.30"

// ExportSolidity writes a Solidity contract that verifies Groth16 proofs for
// this key: verifyProof(bytes proof, uint256[n] input) reverts unless
// proof, the 256 bytes Proof.SolidityProof returns, is valid for input, the
// circuit's public inputs in the order PublicInputs returns them. Proofs
// for it come from Prove (which targets the Solidity verifier). A key of
// another backend, or a nil or zero key, is ErrShape.
func (vk *VerifyingKey) ExportSolidity(w io.Writer) error {
	if !vk.usable() || vk.backend != Groth16 {
		return fmt.Errorf("%w: Solidity export needs a Groth16 key", ErrShape)
	}
	return vk.groth.ExportSolidity(w, solidity.WithPragmaVersion(SolidityPragma))
}
