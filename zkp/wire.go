package zkp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/plonk"
	plonkbn254 "github.com/consensys/gnark/backend/plonk/bn254"
)

// Serialized keys and proofs are a header followed by gnark's compressed
// encoding:
//
//	"IZKP" | version 1 | object (K proving key, V verifying key, P proof) |
//	backend | kind | bits | size (uint16, big-endian)
//
// A decoder reads the header first and at most the declared maximum after
// it, then walks gnark's layout (scan.go) and checks every length prefix
// against the bytes present and, where the shape fixes it, against the
// exact value, before gnark allocates anything or the circuit is compiled.
// The memory a decoder uses is therefore bounded by a constant multiple of
// the bytes it was given, whatever the header and the length prefixes
// claim. gnark's decoder then checks that every point is on the curve and
// in the prime-order subgroup, and that every field element is canonical.

const (
	headerSize  = 11
	wireVersion = 1

	objProvingKey   = 'K'
	objVerifyingKey = 'V'
	objProof        = 'P'

	// MaxProofSize bounds a serialized proof (the header and a Groth16
	// proof take 175 bytes; a PLONK proof, 11 + 10·32 + 6·32 + 8).
	MaxProofSize = 4 << 10
	// MaxVerifyingKeySize bounds a serialized verifying key.
	MaxVerifyingKeySize = 256 << 10
	// MaxProvingKeySize bounds a serialized proving key; the largest
	// shapes (batches of MaxBatch readings) fit with room to spare.
	MaxProvingKeySize = 256 << 20
)

var magic = [4]byte{'I', 'Z', 'K', 'P'}

func writeHeader(w io.Writer, obj byte, s Shape, b Backend) (int64, error) {
	var h [headerSize]byte
	copy(h[:], magic[:])
	h[4], h[5], h[6], h[7], h[8] = wireVersion, obj, byte(b), byte(s.Kind), byte(s.Bits)
	binary.BigEndian.PutUint16(h[9:], uint16(s.Size))
	n, err := w.Write(h[:])
	return int64(n), err
}

func parseHeader(h []byte, obj byte) (Shape, Backend, error) {
	if len(h) < headerSize || !bytes.Equal(h[:4], magic[:]) || h[4] != wireVersion || h[5] != obj {
		return Shape{}, 0, fmt.Errorf("%w: bad header", ErrMalformed)
	}
	b := Backend(h[6])
	s := Shape{Kind: Kind(h[7]), Bits: int(h[8]), Size: int(binary.BigEndian.Uint16(h[9:]))}
	if b != Groth16 && b != PLONK {
		return Shape{}, 0, fmt.Errorf("%w: backend %d", ErrMalformed, h[6])
	}
	if s.Validate() != nil {
		return Shape{}, 0, fmt.Errorf("%w: unsupported shape %v in header", ErrMalformed, s)
	}
	return s, b, nil
}

// readHeader reads and parses the header of an object of kind obj.
func readHeader(r io.Reader, obj byte) (Shape, Backend, error) {
	var h [headerSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return Shape{}, 0, fmt.Errorf("%w: input shorter than the %d-byte header", ErrMalformed, headerSize)
		}
		return Shape{}, 0, fmt.Errorf("zkp: reading header: %w", err)
	}
	return parseHeader(h[:], obj)
}

// readBounded reads all of r, failing past max bytes. Memory grows with
// the bytes actually read, not with any declared length.
func readBounded(r io.Reader, max int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return nil, fmt.Errorf("zkp: reading: %w", err)
	}
	if len(b) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrMalformed, max)
	}
	return b, nil
}

// gnarkDecode runs a gnark decoder on exactly body, translating errors and
// trailing bytes into ErrMalformed. The layout checks (scan.go) run first
// and are what keeps gnark's decoders within bounds; the recover below is
// a last resort, in case a gnark decoder panics on some input the checks
// let through, so that such a bug is an error and not a crash.
func gnarkDecode(body []byte, rf io.ReaderFrom) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: gnark decoder panicked: %v", ErrMalformed, r)
		}
	}()
	n, err := rf.ReadFrom(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if n != int64(len(body)) {
		return fmt.Errorf("%w: %d trailing bytes", ErrMalformed, int64(len(body))-n)
	}
	return nil
}

// MarshalBinary encodes the proof (compressed points). A nil or zero Proof
// is ErrShape.
func (p *Proof) MarshalBinary() ([]byte, error) {
	if !p.usable() {
		return nil, fmt.Errorf("%w: nil or empty proof", ErrShape)
	}
	var buf bytes.Buffer
	if _, err := writeHeader(&buf, objProof, p.shape, p.backend); err != nil {
		return nil, err
	}
	var err error
	if p.backend == Groth16 {
		_, err = p.groth.WriteTo(&buf)
	} else {
		_, err = p.plonk.WriteTo(&buf)
	}
	return buf.Bytes(), err
}

// ParseProof decodes a proof made by MarshalBinary: at most MaxProofSize
// bytes, exactly one encoding per proof (MarshalBinary of the result gives
// b back). Errors wrap ErrMalformed.
func ParseProof(b []byte) (*Proof, error) {
	if len(b) > MaxProofSize {
		return nil, fmt.Errorf("%w: %d-byte proof, limit %d", ErrMalformed, len(b), MaxProofSize)
	}
	s, be, err := parseHeader(b, objProof)
	if err != nil {
		return nil, err
	}
	body := b[headerSize:]
	p := &Proof{shape: s, backend: be}
	if be == Groth16 {
		if err := scanGroth16Proof(body); err != nil {
			return nil, err
		}
		p.groth = groth16.NewProof(ecc.BN254)
		err = gnarkDecode(body, p.groth)
	} else {
		if err := scanPlonkProof(body); err != nil {
			return nil, err
		}
		p.plonk = plonk.NewProof(ecc.BN254)
		err = gnarkDecode(body, p.plonk)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// WriteTo writes the verifying key (compressed points). A nil or zero
// VerifyingKey is ErrShape, and nothing is written.
func (vk *VerifyingKey) WriteTo(w io.Writer) (int64, error) {
	if !vk.usable() {
		return 0, fmt.Errorf("%w: nil or empty verifying key", ErrShape)
	}
	n, err := writeHeader(w, objVerifyingKey, vk.shape, vk.backend)
	if err != nil {
		return n, err
	}
	var m int64
	if vk.backend == Groth16 {
		m, err = vk.groth.WriteTo(w)
	} else {
		m, err = vk.plonk.WriteTo(w)
	}
	return n + m, err
}

// ReadVerifyingKey decodes a verifying key written by WriteTo, reading at
// most MaxVerifyingKeySize bytes; WriteTo of the result writes the same
// bytes. Malformed input gives an error wrapping ErrMalformed; an error of
// r is returned wrapped, not as ErrMalformed.
func ReadVerifyingKey(r io.Reader) (*VerifyingKey, error) {
	s, be, err := readHeader(r, objVerifyingKey)
	if err != nil {
		return nil, err
	}
	body, err := readBounded(r, MaxVerifyingKeySize-headerSize)
	if err != nil {
		return nil, err
	}
	vk := &VerifyingKey{shape: s, backend: be}
	if be == Groth16 {
		if err := scanGroth16VerifyingKey(body, publicCount(s)); err != nil {
			return nil, err
		}
		vk.groth = groth16.NewVerifyingKey(ecc.BN254)
		if err := gnarkDecode(body, vk.groth); err != nil {
			return nil, err
		}
		g, _ := vk.groth.(*groth16bn254.VerifyingKey)
		if err := checkGroth16Unused(g); err != nil {
			return nil, err
		}
		return vk, nil
	}
	v, err := scanPlonkVerifyingKey(body)
	if err != nil {
		return nil, err
	}
	if err := checkPlonkSizes(s, v); err != nil {
		return nil, err
	}
	vk.plonk = plonk.NewVerifyingKey(ecc.BN254)
	if err := gnarkDecode(body, vk.plonk); err != nil {
		return nil, err
	}
	v2, _ := vk.plonk.(*plonkbn254.VerifyingKey)
	if err := checkPlonkLines(v2); err != nil {
		return nil, err
	}
	return vk, nil
}

// checkPlonkSizes checks a PLONK key's declared public input count against
// the shape, and its domain size against a lower bound of the shape's.
func checkPlonkSizes(s Shape, v plonkVK) error {
	if v.public != uint64(publicCount(s)) {
		return fmt.Errorf("%w: %d public inputs, shape %v has %d", ErrMalformed, v.public, s, publicCount(s))
	}
	if min := minConstraints(s, PLONK); v.size < min {
		return fmt.Errorf("%w: domain of %d for shape %v, which needs more than %d constraints", ErrMalformed, v.size, s, min)
	}
	return nil
}

// WriteTo writes the proving key (compressed points). The compiled circuit
// is not written: ReadProvingKey recompiles it from the shape. A nil or
// zero ProvingKey is ErrShape, and nothing is written.
func (pk *ProvingKey) WriteTo(w io.Writer) (int64, error) {
	if !pk.usable() {
		return 0, fmt.Errorf("%w: nil or empty proving key", ErrShape)
	}
	n, err := writeHeader(w, objProvingKey, pk.cc.shape, pk.cc.backend)
	if err != nil {
		return n, err
	}
	var m int64
	if pk.cc.backend == Groth16 {
		m, err = pk.groth.WriteTo(w)
	} else {
		m, err = pk.plonk.WriteTo(w)
	}
	return n + m, err
}

// ReadProvingKey decodes a proving key written by WriteTo, reading at most
// MaxProvingKeySize bytes, recompiles its circuit and checks that key and
// circuit fit together; WriteTo of the result writes the same bytes.
//
// The key's layout is checked before the circuit is compiled: every length
// against the bytes present, and the evaluation domain the key declares
// against a lower bound of what its shape needs. A header naming a large
// shape over a small body is refused without compiling, so neither
// compiling nor decoding uses memory out of proportion to the input.
// Malformed input gives an error wrapping ErrMalformed; an error of r is
// returned wrapped, not as ErrMalformed.
func ReadProvingKey(r io.Reader) (*ProvingKey, error) {
	s, be, err := readHeader(r, objProvingKey)
	if err != nil {
		return nil, err
	}
	body, err := readBounded(r, MaxProvingKeySize-headerSize)
	if err != nil {
		return nil, err
	}
	min := minConstraints(s, be)
	if be == Groth16 {
		g, err := scanGroth16ProvingKey(body)
		if err != nil {
			return nil, err
		}
		if g.domain < ecc.NextPowerOfTwo(min) || g.k < min {
			return nil, fmt.Errorf("%w: domain of %d and %d K points for shape %v, which needs more than %d constraints", ErrMalformed, g.domain, g.k, s, min)
		}
		cc, err := Compile(s, be)
		if err != nil {
			return nil, err
		}
		private := uint64(cc.ccs.GetNbSecretVariables() + cc.ccs.GetNbInternalVariables())
		wires := uint64(cc.ccs.GetNbPublicVariables()) + private
		if g.domain != CeremonyDomainSize(cc) || g.wires != wires || g.k != private {
			return nil, fmt.Errorf("%w: key (domain %d, %d wires, %d private) does not fit circuit %v (domain %d, %d wires, %d private)",
				ErrMalformed, g.domain, g.wires, g.k, s, CeremonyDomainSize(cc), wires, private)
		}
		pk := &ProvingKey{cc: cc, groth: groth16.NewProvingKey(ecc.BN254)}
		if err := gnarkDecode(body, pk.groth); err != nil {
			return nil, err
		}
		return pk, nil
	}
	v, err := scanPlonkProvingKey(body)
	if err != nil {
		return nil, err
	}
	if err := checkPlonkSizes(s, v); err != nil {
		return nil, err
	}
	cc, err := Compile(s, be)
	if err != nil {
		return nil, err
	}
	if v.size != plonkDomainSize(cc) {
		return nil, fmt.Errorf("%w: key of domain %d does not fit circuit %v (domain %d)", ErrMalformed, v.size, s, plonkDomainSize(cc))
	}
	pk := &ProvingKey{cc: cc, plonk: plonk.NewProvingKey(ecc.BN254)}
	if err := gnarkDecode(body, pk.plonk); err != nil {
		return nil, err
	}
	var pvk *plonkbn254.VerifyingKey
	if p, ok := pk.plonk.(*plonkbn254.ProvingKey); ok {
		pvk = p.Vk
	}
	if err := checkPlonkLines(pvk); err != nil {
		return nil, err
	}
	return pk, nil
}

// VerifyingKey returns the verifying key that belongs to pk (PLONK keys
// embed it; for Groth16 it is not derivable and this returns nil, as it
// does for a nil or zero ProvingKey).
func (pk *ProvingKey) VerifyingKey() *VerifyingKey {
	if !pk.usable() {
		return nil
	}
	if p, ok := pk.plonk.(*plonkbn254.ProvingKey); ok && p.Vk != nil {
		return &VerifyingKey{shape: pk.cc.shape, backend: PLONK, plonk: p.Vk}
	}
	return nil
}

func plonkDomainSize(cc *CompiledCircuit) uint64 {
	return ecc.NextPowerOfTwo(uint64(cc.ccs.GetNbConstraints() + cc.ccs.GetNbPublicVariables()))
}

// publicCount is the number of public inputs of a shape's circuit.
func publicCount(s Shape) int {
	switch s.Kind {
	case KindReading:
		return 3
	case KindBatch:
		return 4
	case KindBox:
		return 3 * s.Size
	default:
		return 5
	}
}
