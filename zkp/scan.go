package zkp

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"

	plonkbn254 "github.com/consensys/gnark/backend/plonk/bn254"
)

// layout walks gnark's compressed encodings ahead of gnark's decoder; see
// wire.go for why.
type layout struct {
	b   []byte
	off int
	err error
}

const (
	g1Size = 32 // compressed G1 point
	g2Size = 64 // compressed G2 point
	frSize = 32
)

func (l *layout) fail(format string, args ...any) {
	if l.err == nil {
		l.err = fmt.Errorf("%w: at byte %d: %s", ErrMalformed, l.off, fmt.Sprintf(format, args...))
	}
}

func (l *layout) skip(n uint64, what string) {
	if l.err != nil {
		return
	}
	if n > uint64(len(l.b)-l.off) {
		l.fail("%s needs %d bytes, %d left", what, n, len(l.b)-l.off)
		return
	}
	l.off += int(n)
}

func (l *layout) u32(what string) uint64 {
	start := l.off
	l.skip(4, what)
	if l.err != nil {
		return 0
	}
	return uint64(binary.BigEndian.Uint32(l.b[start:]))
}

func (l *layout) u64(what string) uint64 {
	start := l.off
	l.skip(8, what)
	if l.err != nil {
		return 0
	}
	return binary.BigEndian.Uint64(l.b[start:])
}

// points skips n compressed points of the given size, insisting on the
// compressed flag so that gnark reads exactly as many bytes as assumed here.
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

// pointSlice checks a uint32 length prefix followed by that many points.
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

// Groth16 proof: Ar | Bs | Krs | []Commitments | CommitmentPok. The circuits
// here have no BSB22 commitment, so the slice is empty.
func scanGroth16Proof(b []byte) error {
	l := &layout{b: b}
	l.points(1, g1Size, "Ar")
	l.points(1, g2Size, "Bs")
	l.points(1, g1Size, "Krs")
	l.expect(l.u32("commitment count"), 0, "commitment count")
	l.points(1, g1Size, "commitment PoK")
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

// Groth16 proving key: domain | α₁ β₁ δ₁ | []A []B []Z []K | β₂ δ₂ | []B₂ |
// nbWires, nbInfinityA, nbInfinityB | InfinityA InfinityB (nbWires bytes
// each) | #commitment keys.
func scanGroth16ProvingKey(b []byte, domain, wires uint64) error {
	l := &layout{b: b}
	l.expect(l.u64("domain size"), domain, "domain size")
	l.skip(5*frSize+1, "domain")
	l.points(3, g1Size, "α/β/δ")
	for _, what := range []string{"A", "B", "Z", "K"} {
		l.pointSlice(g1Size, what)
	}
	l.points(2, g2Size, "β/δ")
	l.pointSlice(g2Size, "B₂")
	l.expect(l.u64("wire count"), wires, "wire count")
	l.u64("infinity count A")
	l.u64("infinity count B")
	l.skip(2*wires, "infinity flags")
	l.expect(l.u32("commitment key count"), 0, "commitment key count")
	return l.end()
}

// PLONK proof: LRO Z H[3] | batched H | []claimed values | shifted H, value |
// []BSB22 commitments.
func scanPlonkProof(b []byte) error {
	l := &layout{b: b}
	l.points(8, g1Size, "commitments")
	n := l.u32("claimed value count")
	if l.err == nil && n > 32 {
		l.fail("%d claimed values", n)
	}
	l.skip(n*frSize, "claimed values")
	l.points(1, g1Size, "shifted opening")
	l.skip(frSize, "shifted value")
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

// plonkQcpOffset is where the Qcp length prefix sits in a PLONK verifying
// key: marker, version, size (3×8), size⁻¹, generator (2×32), #public (8),
// coset shift, S₁..S₃, Ql Qr Qm Qo Qk (9×32).
const plonkQcpOffset = 3*8 + 2*frSize + 8 + 9*frSize

func scanPlonkVerifyingKeyPrefix(b []byte) (int, error) {
	t := plonkVKTemplate()
	if len(b) < len(t) || !bytes.Equal(b[:16], t[:16]) {
		return 0, fmt.Errorf("%w: PLONK verifying key version", ErrMalformed)
	}
	if binary.BigEndian.Uint32(b[plonkQcpOffset:]) != 0 || binary.BigEndian.Uint32(b[len(t)-4:]) != 0 {
		return 0, fmt.Errorf("%w: PLONK verifying key with BSB22 commitments", ErrMalformed)
	}
	return len(t), nil
}

func scanPlonkVerifyingKey(b []byte) error {
	n, err := scanPlonkVerifyingKeyPrefix(b)
	if err != nil {
		return err
	}
	if n != len(b) {
		return fmt.Errorf("%w: PLONK verifying key of %d bytes, want %d", ErrMalformed, len(b), n)
	}
	return nil
}

// PLONK proving key: verifying key | KZG []G1 | Lagrange KZG []G1.
func scanPlonkProvingKey(b []byte) error {
	n, err := scanPlonkVerifyingKeyPrefix(b)
	if err != nil {
		return err
	}
	l := &layout{b: b, off: n}
	l.pointSlice(g1Size, "KZG")
	l.pointSlice(g1Size, "Lagrange KZG")
	return l.end()
}
