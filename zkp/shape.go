package zkp

import (
	"fmt"
	"math/bits"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/frontend/cs/scs"
)

// Kind names one of the four statements the package proves.
type Kind uint8

const (
	// KindReading: one committed value lies in [lo, hi].
	KindReading Kind = 1
	// KindBatch: the first count of N committed values lie in [lo, hi].
	KindBatch Kind = 2
	// KindBox: k committed values lie in k intervals of their own.
	KindBox Kind = 3
	// KindThreshold: at most m of the first count of N committed values lie
	// outside [lo, hi].
	KindThreshold Kind = 4
)

// Size limits of the shapes.
const (
	MinBatch = 16   // smallest batch capacity N
	MaxBatch = 1024 // largest batch capacity N
	MaxBox   = 16   // largest number of box dimensions k
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindReading:
		return "reading"
	case KindBatch:
		return "batch"
	case KindBox:
		return "box"
	case KindThreshold:
		return "threshold"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Shape fixes a circuit: its kind, its size (1 for a reading, the capacity N
// for a batch or a threshold, the dimension k for a box) and the bit width of
// the values it range-checks. Keys are made for one shape and one backend.
type Shape struct {
	Kind Kind
	Size int
	Bits int
}

// ReadingShape returns the shape of the single-reading circuit.
func ReadingShape(bits int) Shape { return Shape{Kind: KindReading, Size: 1, Bits: bits} }

// BatchShape returns the shape of the batch circuit of capacity n.
func BatchShape(n, bits int) Shape { return Shape{Kind: KindBatch, Size: n, Bits: bits} }

// BoxShape returns the shape of the box circuit of dimension k.
func BoxShape(k, bits int) Shape { return Shape{Kind: KindBox, Size: k, Bits: bits} }

// ThresholdShape returns the shape of the threshold circuit of capacity n.
func ThresholdShape(n, bits int) Shape { return Shape{Kind: KindThreshold, Size: n, Bits: bits} }

// Validate reports whether the shape is supported.
func (s Shape) Validate() error {
	if s.Bits < 1 || s.Bits > MaxBits {
		return fmt.Errorf("%w: %d bits, want 1..%d", ErrShape, s.Bits, MaxBits)
	}
	switch s.Kind {
	case KindReading:
		if s.Size == 1 {
			return nil
		}
	case KindBatch, KindThreshold:
		if s.Size >= MinBatch && s.Size <= MaxBatch && bits.OnesCount(uint(s.Size)) == 1 {
			return nil
		}
	case KindBox:
		if s.Size >= 1 && s.Size <= MaxBox {
			return nil
		}
	}
	return fmt.Errorf("%w: %v of size %d", ErrShape, s.Kind, s.Size)
}

// String describes the shape, e.g. "batch/256/16".
func (s Shape) String() string { return fmt.Sprintf("%v/%d/%d", s.Kind, s.Size, s.Bits) }

// Circuit returns the empty circuit of this shape, ready to compile.
func (s Shape) Circuit() (frontend.Circuit, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	n := s.Size
	switch s.Kind {
	case KindReading:
		return &ReadingCircuit{Bits: s.Bits}, nil
	case KindBatch:
		return &BatchCircuit{Values: vars(n), Salts: vars(n), Live: vars(n), Bits: s.Bits}, nil
	case KindBox:
		return &BoxCircuit{Lo: vars(n), Hi: vars(n), Commitments: vars(n), Values: vars(n), Salts: vars(n), Bits: s.Bits}, nil
	default:
		return &ThresholdCircuit{Values: vars(n), Salts: vars(n), Live: vars(n), Inside: vars(n), Bits: s.Bits}, nil
	}
}

func vars(n int) []frontend.Variable { return make([]frontend.Variable, n) }

// Constraints of the gadgets the circuits are made of, as gnark v0.16.1
// compiles them: one Poseidon2 Compress, and api.ToBinary per bit (at
// least one constraint per bit for both backends).
const (
	compressR1CS = 186
	compressSCS  = 301
)

// minConstraints is a lower bound, computed without compiling, on the
// constraint count of the circuit of s for backend b: half of what its
// Poseidon2 compressions and range checks alone cost. ReadProvingKey
// compares it with the domain size a key declares before it compiles the
// circuit, so that the work of compiling is bounded by the bytes of the
// key, not by the shape its header names. TestMinConstraints holds it
// between a third of the compiled count and the count itself.
func minConstraints(s Shape, b Backend) uint64 {
	compress := uint64(compressR1CS)
	if b == PLONK {
		compress = compressSCS
	}
	n := uint64(s.Size)
	var hashes, ranges uint64
	switch s.Kind {
	case KindReading, KindBox:
		hashes, ranges = n, 4*n
	default: // batch and threshold: a leaf and a tree node per reading
		hashes, ranges = 2*n-1, 2*n+2
	}
	return (hashes*compress + ranges*uint64(s.Bits)) / 2
}

// Backend is the proof system.
type Backend uint8

const (
	// Groth16 on BN254: 164-byte proofs, cheapest to verify on chain, a
	// circuit-specific trusted setup.
	Groth16 Backend = 1
	// PLONK on BN254 with KZG: a universal setup (one SRS serves every
	// shape up to its size), larger proofs.
	PLONK Backend = 2
)

// String names the backend.
func (b Backend) String() string {
	switch b {
	case Groth16:
		return "groth16"
	case PLONK:
		return "plonk"
	}
	return fmt.Sprintf("backend(%d)", uint8(b))
}

// CompiledCircuit is a shape compiled for a backend: the constraint system
// that setup, proving and key loading work on. Compilation is deterministic.
type CompiledCircuit struct {
	shape   Shape
	backend Backend
	ccs     constraint.ConstraintSystem
}

// Compile compiles the circuit of a shape for a backend.
func Compile(s Shape, b Backend) (*CompiledCircuit, error) {
	c, err := s.Circuit()
	if err != nil {
		return nil, err
	}
	var builder frontend.NewBuilder
	switch b {
	case Groth16:
		builder = r1cs.NewBuilder
	case PLONK:
		builder = scs.NewBuilder
	default:
		return nil, fmt.Errorf("%w: %v", ErrShape, b)
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), builder, c)
	if err != nil {
		return nil, fmt.Errorf("zkp: compiling %v for %v: %w", s, b, err)
	}
	return &CompiledCircuit{shape: s, backend: b, ccs: ccs}, nil
}

// Shape returns the compiled shape.
func (c *CompiledCircuit) Shape() Shape { return c.shape }

// Backend returns the backend compiled for.
func (c *CompiledCircuit) Backend() Backend { return c.backend }

// Constraints returns the number of constraints.
func (c *CompiledCircuit) Constraints() int { return c.ccs.GetNbConstraints() }

// ConstraintSystem exposes the compiled system, for gnark tooling such as a
// setup ceremony (see KeysFromCeremony).
func (c *CompiledCircuit) ConstraintSystem() constraint.ConstraintSystem { return c.ccs }
