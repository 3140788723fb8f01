package zkp

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/fft"
	plonkbn254 "github.com/consensys/gnark/backend/plonk/bn254"
)

// layout walks gnark's compressed encodings ahead of gnark's decoder: every
// length prefix is checked against the bytes that follow it (and, where the
// shape fixes it, against the exact value) before gnark allocates anything,
// and every field whose value is implied by others is checked to have that
// value, so that an accepted input has exactly one encoding.
type layout struct {
	b   []byte
	off int
	err error
}

const (
	g1Size = 32 // compressed G1 point
	g2Size = 64 // compressed G2 point
	frSize = fr.Bytes

	// maxDomain is the largest evaluation domain BN254's scalar field has
	// (its two-adicity is 28).
	maxDomain = 1 << 28
)

func (l *layout) fail(format string, args ...any) {
	if l.err == nil {
		l.err = fmt.Errorf("%w: at byte %d: %s", ErrMalformed, l.off, fmt.Sprintf(format, args...))
	}
}

// take returns the next n bytes, or nil (and an error) if fewer are left.
func (l *layout) take(n uint64, what string) []byte {
	if l.err != nil {
		return nil
	}
	if n > uint64(len(l.b)-l.off) {
		l.fail("%s needs %d bytes, %d left", what, n, len(l.b)-l.off)
		return nil
	}
	out := l.b[l.off : l.off+int(n)]
	l.off += int(n)
	return out
}

func (l *layout) u32(what string) uint64 {
	if b := l.take(4, what); b != nil {
		return uint64(binary.BigEndian.Uint32(b))
	}
	return 0
}

func (l *layout) u64(what string) uint64 {
	if b := l.take(8, what); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

// points skips n compressed points of the given size, insisting on the
// compressed flag so that gnark reads exactly as many bytes as assumed here.
// The count is checked against the bytes left before anything is read.
func (l *layout) points(n uint64, size int, what string) {
	if l.err != nil {
		return
	}
	if n > uint64(len(l.b)-l.off)/uint64(size) {
		l.fail("%d %s need more bytes than the %d left", n, what, len(l.b)-l.off)
		return
	}
	for i := uint64(0); i < n; i++ {
		if l.b[l.off]>>6 == 0 {
			l.fail("%s %d is not compressed", what, i)
			return
		}
		l.off += size
	}
}

// pointSlice checks a uint32 length prefix followed by that many points and
// returns the length.
func (l *layout) pointSlice(size int, what string) uint64 {
	n := l.u32(what + " count")
	l.points(n, size, what)
	return n
}

func (l *layout) expect(got, want uint64, what string) {
	if l.err == nil && got != want {
		l.fail("%s is %d, want %d", what, got, want)
	}
}

func (l *layout) end() error {
	if l.err == nil && l.off != len(l.b) {
		l.fail("%d trailing bytes", len(l.b)-l.off)
	}
	return l.err
}

// checkDomainSize refuses evaluation domains that are not a power of two
// in [2, maxDomain]; gnark-crypto cannot build larger ones.
func (l *layout) checkDomainSize(n uint64, what string) {
	if l.err == nil && (n < 2 || n > maxDomain || n&(n-1) != 0) {
		l.fail("%s %d is not a power of two in [2, 2^28]", what, n)
	}
}

// canonicalDomain returns the field elements that gnark-crypto derives
// from a domain size n (a valid domain size): 1/n, the generator ω of the
// subgroup of order n, 1/ω, the coset shift g and 1/g.
func canonicalDomain(n uint64) [5][frSize]byte {
	d := fft.NewDomain(n, fft.WithoutPrecompute())
	return [5][frSize]byte{d.CardinalityInv.Bytes(), d.Generator.Bytes(), d.GeneratorInv.Bytes(), d.FrMultiplicativeGen.Bytes(), d.FrMultiplicativeGenInv.Bytes()}
}

// element checks that the next field element is exactly want.
func (l *layout) element(want [frSize]byte, what string) {
	if b := l.take(frSize, what); b != nil && !bytes.Equal(b, want[:]) {
		l.fail("%s does not match the domain size", what)
	}
}

// Groth16 proof: Ar | Bs | Krs | []Commitments | CommitmentPok. The circuits
// here have no BSB22 commitment, so the slice is empty and the proof of
// knowledge of the commitments is the point at infinity: any other point
// would be ignored by the verifier, i.e. a second encoding of one proof.
func scanGroth16Proof(b []byte) error {
	l := &layout{b: b}
	l.points(1, g1Size, "Ar")
	l.points(1, g2Size, "Bs")
	l.points(1, g1Size, "Krs")
	l.expect(l.u32("commitment count"), 0, "commitment count")
	// The compressed point at infinity is flag bits 01, then zeros.
	if pok := l.take(g1Size, "commitment PoK"); pok != nil && (pok[0] != 0x40 || !allZero(pok[1:])) {
		l.fail("commitment PoK is not the point at infinity")
	}
	return l.end()
}

// Groth16 verifying key: α₁ β₁ β₂ γ₂ δ₁ δ₂ | []K | [][]uint64 | #commitment keys.
func scanGroth16VerifyingKey(b []byte, public int) error {
	l := &layout{b: b}
	l.points(2, g1Size, "α/β")
	l.points(2, g2Size, "β/γ")
	l.points(1, g1Size, "δ")
	l.points(1, g2Size, "δ")
	l.expect(l.pointSlice(g1Size, "K"), uint64(public)+1, "K count")
	l.expect(l.u32("committed count"), 0, "committed count")
	l.expect(l.u32("commitment key count"), 0, "commitment key count")
	return l.end()
}

// groth16PK is what the layout of a Groth16 proving key declares.
type groth16PK struct {
	domain uint64 // evaluation domain size
	k      uint64 // points of K: the circuit's secret and internal wires
	wires  uint64 // all wires
}

// scanGroth16ProvingKey checks a Groth16 proving key without knowing its
// circuit:
//
//	domain: size n, 1/n, ω, 1/ω, g, 1/g, precomputed flag |
//	α₁ β₁ δ₁ | []A []B []Z []K | β₂ δ₂ | []B₂ |
//	#wires, #A at infinity, #B at infinity | A and B infinity flags (#wires
//	bytes each) | #commitment keys
//
// Every count is bounded by the bytes present and consistent with the
// others (Z has n−1 points; A and B have a point per wire not at infinity,
// as the flags say; B₂ matches B), and the domain's elements are the ones
// its size implies. ReadProvingKey then checks the declared sizes against
// the circuit.
func scanGroth16ProvingKey(b []byte) (groth16PK, error) {
	var g groth16PK
	l := &layout{b: b}
	g.domain = l.u64("domain size")
	l.checkDomainSize(g.domain, "domain size")
	if l.err == nil {
		for i, e := range canonicalDomain(g.domain) {
			l.element(e, fmt.Sprintf("domain element %d", i+1))
		}
	}
	if flag := l.take(1, "domain flag"); flag != nil && flag[0] != 1 {
		l.fail("domain precomputation flag %d, want 1", flag[0])
	}
	l.points(3, g1Size, "α/β/δ")
	a := l.pointSlice(g1Size, "A")
	bb := l.pointSlice(g1Size, "B")
	z := l.pointSlice(g1Size, "Z")
	g.k = l.pointSlice(g1Size, "K")
	l.points(2, g2Size, "β/δ")
	b2 := l.pointSlice(g2Size, "B₂")
	g.wires = l.u64("wire count")
	infA := l.u64("infinity count A")
	infB := l.u64("infinity count B")
	flagsA := l.take(g.wires, "infinity flags A")
	flagsB := l.take(g.wires, "infinity flags B")
	l.expect(l.u32("commitment key count"), 0, "commitment key count")
	if err := l.end(); err != nil {
		return g, err
	}
	l.expect(z, g.domain-1, "Z count")
	l.expect(countFlags(l, flagsA, "A"), infA, "infinity count A")
	l.expect(countFlags(l, flagsB, "B"), infB, "infinity count B")
	if l.err == nil {
		l.expect(a, g.wires-infA, "A count")
		l.expect(bb, g.wires-infB, "B count")
		l.expect(b2, bb, "B₂ count")
	}
	return g, l.err
}

// countFlags counts the set flags, refusing bytes other than 0 and 1 (gnark
// reads any non-zero byte as true, which would be a second encoding).
func countFlags(l *layout, flags []byte, what string) uint64 {
	n := uint64(0)
	for i, f := range flags {
		if f > 1 {
			l.fail("infinity flag %s[%d] is %d", what, i, f)
			return 0
		}
		n += uint64(f)
	}
	return n
}

// plonkClaimedValues is the number of claimed values in a PLONK proof of
// these circuits: the linearised polynomial, l, r, o, σ₁ and σ₂ opened at ζ
// (one more per BSB22 commitment, which these circuits do not have).
const plonkClaimedValues = 6

// PLONK proof: L R O Z H[3] | batched H | []claimed values | shifted H,
// value | []BSB22 commitments.
func scanPlonkProof(b []byte) error {
	l := &layout{b: b}
	l.points(8, g1Size, "commitments")
	n := l.u32("claimed value count")
	l.expect(n, plonkClaimedValues, "claimed value count")
	l.take(n*frSize, "claimed values")
	l.points(1, g1Size, "shifted opening")
	l.take(frSize, "shifted value")
	l.expect(l.u32("BSB22 count"), 0, "BSB22 count")
	return l.end()
}

// plonkVKTemplate is the encoding of an empty PLONK verifying key: every
// fixed-size field in place and both slices (Qcp, commitment indexes) empty,
// which is what the circuits here have.
var plonkVKTemplate = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	vk := new(plonkbn254.VerifyingKey)
	if _, err := vk.WriteTo(&buf); err != nil {
		panic("zkp: encoding an empty PLONK key: " + err.Error())
	}
	return buf.Bytes()
})

// Offsets in a PLONK verifying key: marker and version (2×8), size (8),
// size⁻¹, generator (2×32), #public (8), coset shift, S₁..S₃, Ql Qr Qm Qo Qk
// (9×32), then the Qcp length prefix.
const (
	plonkSizeOffset   = 2 * 8
	plonkPublicOffset = 3*8 + 2*frSize
	plonkQcpOffset    = 3*8 + 2*frSize + 8 + 9*frSize
)

// plonkVK is what the layout of a PLONK verifying key declares.
type plonkVK struct {
	size   uint64 // evaluation domain size
	public uint64 // number of public inputs
}

// scanPlonkVerifyingKeyPrefix checks the verifying key at the start of b
// and returns its length and declared sizes: the version, a valid domain
// size whose derived elements (1/n, ω, coset shift) are the ones stored,
// compressed points, and no BSB22 commitments.
func scanPlonkVerifyingKeyPrefix(b []byte) (int, plonkVK, error) {
	t := plonkVKTemplate()
	if len(b) < len(t) || !bytes.Equal(b[:plonkSizeOffset], t[:plonkSizeOffset]) {
		return 0, plonkVK{}, fmt.Errorf("%w: PLONK verifying key version", ErrMalformed)
	}
	l := &layout{b: b[:len(t)], off: plonkSizeOffset}
	v := plonkVK{size: l.u64("domain size")}
	l.checkDomainSize(v.size, "domain size")
	if l.err == nil {
		d := canonicalDomain(v.size)
		l.element(d[0], "size⁻¹")
		l.element(d[1], "generator")
		v.public = l.u64("public input count")
		l.element(d[3], "coset shift")
	}
	l.points(8, g1Size, "S/Q commitments")
	l.expect(l.u32("Qcp count"), 0, "Qcp count")
	if l.err == nil && binary.BigEndian.Uint32(b[len(t)-4:]) != 0 {
		l.off = len(t) - 4
		l.fail("PLONK verifying key with BSB22 commitment indexes")
	}
	return len(t), v, l.err
}

func scanPlonkVerifyingKey(b []byte) (plonkVK, error) {
	n, v, err := scanPlonkVerifyingKeyPrefix(b)
	if err != nil {
		return v, err
	}
	if n != len(b) {
		return v, fmt.Errorf("%w: PLONK verifying key of %d bytes, want %d", ErrMalformed, len(b), n)
	}
	return v, nil
}

// PLONK proving key: verifying key | KZG []G1 (size + 3 points) | Lagrange
// KZG []G1 (size points).
func scanPlonkProvingKey(b []byte) (plonkVK, error) {
	n, v, err := scanPlonkVerifyingKeyPrefix(b)
	if err != nil {
		return v, err
	}
	l := &layout{b: b, off: n}
	l.expect(l.pointSlice(g1Size, "KZG"), v.size+3, "KZG point count")
	l.expect(l.pointSlice(g1Size, "Lagrange KZG"), v.size, "Lagrange KZG point count")
	return v, l.end()
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
