package zkp

import (
	"bytes"
	"errors"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254"
)

// TestPlonkKeyLinesBoundToG2: a PLONK key whose precomputed KZG pairing
// lines differ from those of its G₂ points is malformed. Before the check,
// a flipped bit in a line slot the Miller loop skips gave a second
// encoding of a key that still verified every proof, and lines of another
// SRS were taken as they came.
func TestPlonkKeyLinesBoundToG2(t *testing.T) {
	pk, vk := testKeys(t, ReadingShape(16), PLONK)
	var vb, pb bytes.Buffer
	if _, err := vk.WriteTo(&vb); err != nil {
		t.Fatal(err)
	}
	if _, err := pk.WriteTo(&pb); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadVerifyingKey(bytes.NewReader(vb.Bytes())); err != nil {
		t.Fatalf("honest key: %v", err)
	}
	// The KZG verifying key (G₂[0], G₂[1], G₁, then 2·2·66 lines of two
	// E₂ elements of 64 bytes each) ends the PLONK verifying key, before
	// its Qcp and commitment-index slices (two empty 4-byte prefixes).
	const lineBytes = 2 * 2 * 66 * 2 * 64
	linesStart := vb.Len() - 8 - lineBytes
	flips := 0
	for off := linesStart; off < vb.Len()-8; off += 64 {
		b := bytes.Clone(vb.Bytes())
		b[off+63] ^= 1 // the low bit of an E₂ coordinate: still canonical
		_, err := ReadVerifyingKey(bytes.NewReader(b))
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("verifying key with line byte %d flipped: %v, want ErrMalformed", off+63, err)
		}
		flips++
		if flips == 8 {
			break
		}
	}
	// The same bytes inside the proving key (which starts with the
	// verifying key, header aside).
	b := bytes.Clone(pb.Bytes())
	b[linesStart+63] ^= 1
	if _, err := ReadProvingKey(bytes.NewReader(b)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("proving key with a line flipped: %v, want ErrMalformed", err)
	}
}

// TestGroth16UnusedPointsBound: a Groth16 verifying key whose [β]₁ or
// [δ]₁ (never read by verification) is another point is malformed;
// before, it decoded and verified the same proofs as the original.
func TestGroth16UnusedPointsBound(t *testing.T) {
	_, vk := testKeys(t, ReadingShape(16), Groth16)
	var vb bytes.Buffer
	if _, err := vk.WriteTo(&vb); err != nil {
		t.Fatal(err)
	}
	// header, [α]₁ (32), [β]₁ (32), [β]₂ (64), [γ]₂ (64), [δ]₁ (32)
	beta, delta := headerSize+32, headerSize+32+32+64+64
	other := g1Generator()
	for name, off := range map[string]int{"beta": beta, "delta": delta} {
		b := bytes.Clone(vb.Bytes())
		copy(b[off:off+32], other[:])
		if _, err := ReadVerifyingKey(bytes.NewReader(b)); !errors.Is(err, ErrMalformed) {
			t.Errorf("[%s]1 replaced by the generator: %v, want ErrMalformed", name, err)
		}
	}
}

// g1Generator returns the compressed encoding of BN254's G₁ generator.
func g1Generator() [32]byte {
	_, _, g1, _ := bn254.Generators()
	return g1.Bytes()
}
