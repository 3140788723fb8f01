package zkp

import (
	"bytes"
	"encoding/binary"
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
// Decoding reads at most a fixed number of bytes, then walks gnark's layout
// and checks every length prefix against what the header's shape requires
// (or, for slices of points, against the bytes actually present) before
// gnark allocates anything, so a hostile length cannot make the decoder
// allocate more than a small multiple of its input. gnark's decoder then
// checks that every point is on the curve and in the prime-order subgroup.

const (
	headerSize  = 11
	wireVersion = 1

	objProvingKey   = 'K'
	objVerifyingKey = 'V'
	objProof        = 'P'

	// MaxProofSize bounds a serialized proof (Groth16: 175 bytes, PLONK:
	// under 1 KiB).
	MaxProofSize = 4 << 10
	// MaxVerifyingKeySize bounds a serialized verifying key.
	MaxVerifyingKeySize = 256 << 10
	// MaxProvingKeySize bounds a serialized proving key (a batch of 1024
	// readings needs about 100 MiB).
	MaxProvingKeySize = 1 << 30
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
	if err := s.Validate(); err != nil {
		return Shape{}, 0, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return s, b, nil
}

// readBounded reads all of r, failing past max bytes.
func readBounded(r io.Reader, max int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrMalformed, max)
	}
	return b, nil
}

// gnarkDecode runs a gnark decoder on exactly body, translating panics and
// trailing bytes into ErrMalformed.
func gnarkDecode(body []byte, rf io.ReaderFrom) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrMalformed, r)
		}
	}()
	n, err := rf.ReadFrom(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if n != int64(len(body)) {
		return fmt.Errorf("%w: %d trailing bytes", ErrMalformed, int64(len(body))-n)
	}
	return nil
}

// MarshalBinary encodes the proof (compressed points).
func (p *Proof) MarshalBinary() ([]byte, error) {
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

// ParseProof decodes a proof made by MarshalBinary.
func ParseProof(b []byte) (*Proof, error) {
	if len(b) > MaxProofSize {
		return nil, fmt.Errorf("%w: %d-byte proof", ErrMalformed, len(b))
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

// WriteTo writes the verifying key (compressed points).
func (vk *VerifyingKey) WriteTo(w io.Writer) (int64, error) {
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
// most MaxVerifyingKeySize bytes.
func ReadVerifyingKey(r io.Reader) (*VerifyingKey, error) {
	b, err := readBounded(r, MaxVerifyingKeySize)
	if err != nil {
		return nil, err
	}
	s, be, err := parseHeader(b, objVerifyingKey)
	if err != nil {
		return nil, err
	}
	body := b[headerSize:]
	vk := &VerifyingKey{shape: s, backend: be}
	if be == Groth16 {
		if err := scanGroth16VerifyingKey(body, publicCount(s)); err != nil {
			return nil, err
		}
		vk.groth = groth16.NewVerifyingKey(ecc.BN254)
		if err := gnarkDecode(body, vk.groth); err != nil {
			return nil, err
		}
	} else {
		if err := scanPlonkVerifyingKey(body); err != nil {
			return nil, err
		}
		vk.plonk = plonk.NewVerifyingKey(ecc.BN254)
		if err := gnarkDecode(body, vk.plonk); err != nil {
			return nil, err
		}
		if got := vk.plonk.(*plonkbn254.VerifyingKey).NbPublicVariables; got != uint64(publicCount(s)) {
			return nil, fmt.Errorf("%w: %d public inputs, shape %v has %d", ErrMalformed, got, s, publicCount(s))
		}
	}
	return vk, nil
}

// WriteTo writes the proving key (compressed points). The compiled circuit
// is not written: ReadProvingKey recompiles it from the shape.
func (pk *ProvingKey) WriteTo(w io.Writer) (int64, error) {
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
// circuit fit together.
func ReadProvingKey(r io.Reader) (*ProvingKey, error) {
	b, err := readBounded(r, MaxProvingKeySize)
	if err != nil {
		return nil, err
	}
	s, be, err := parseHeader(b, objProvingKey)
	if err != nil {
		return nil, err
	}
	cc, err := Compile(s, be)
	if err != nil {
		return nil, err
	}
	body := b[headerSize:]
	pk := &ProvingKey{cc: cc}
	if be == Groth16 {
		wires := cc.ccs.GetNbPublicVariables() + cc.ccs.GetNbSecretVariables() + cc.ccs.GetNbInternalVariables()
		if err := scanGroth16ProvingKey(body, CeremonyDomainSize(cc), uint64(wires)); err != nil {
			return nil, err
		}
		pk.groth = groth16.NewProvingKey(ecc.BN254)
		if err := gnarkDecode(body, pk.groth); err != nil {
			return nil, err
		}
		g := pk.groth.(*groth16bn254.ProvingKey)
		if len(g.InfinityA) != wires || len(g.G1.K) != cc.ccs.GetNbSecretVariables()+cc.ccs.GetNbInternalVariables() {
			return nil, fmt.Errorf("%w: key does not fit circuit %v", ErrMalformed, s)
		}
	} else {
		if err := scanPlonkProvingKey(body); err != nil {
			return nil, err
		}
		pk.plonk = plonk.NewProvingKey(ecc.BN254)
		if err := gnarkDecode(body, pk.plonk); err != nil {
			return nil, err
		}
		p := pk.plonk.(*plonkbn254.ProvingKey)
		if p.Vk == nil || p.Vk.NbPublicVariables != uint64(publicCount(s)) || p.Vk.Size != plonkDomainSize(cc) {
			return nil, fmt.Errorf("%w: key does not fit circuit %v", ErrMalformed, s)
		}
	}
	return pk, nil
}

// VerifyingKey returns the verifying key that belongs to pk (PLONK keys
// embed it; for Groth16 it is not derivable and this returns nil).
func (pk *ProvingKey) VerifyingKey() *VerifyingKey {
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
