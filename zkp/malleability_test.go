package zkp

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
)

// TestGroth16ProofsAreMalleable backs the warning on Proof: anyone can turn
// a valid proof (A, B, C) into (A/s, s·B, C), which has other bytes and
// still verifies. Proof bytes are therefore no identifier.
func TestGroth16ProofsAreMalleable(t *testing.T) {
	pk, vk := testKeys(t, ReadingShape(16), Groth16)
	c, o := mustOpen(t, 4500)
	claim := ReadingClaim{Interval{4200, 4800}, c}
	proof, err := Prove(pk, claim, []Opening{o})
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := proof.MarshalBinary()

	g := *proof.groth.(*groth16bn254.Proof)
	s := big.NewInt(7)
	sInv := new(big.Int).ModInverse(s, fr.Modulus())
	g.Ar.ScalarMultiplication(&g.Ar, sInv)
	g.Bs.ScalarMultiplication(&g.Bs, s)
	mauled := &Proof{shape: proof.shape, backend: Groth16, groth: &g}
	mauledBytes, _ := mauled.MarshalBinary()
	if bytes.Equal(orig, mauledBytes) {
		t.Fatal("mauled proof has the same bytes")
	}
	if err := Verify(vk, mauled, claim); err != nil {
		t.Fatalf("mauled proof rejected (%v): if gnark ever prevents this, update the warning", err)
	}
}

// TestProofForOtherShapeRejected: a proof carries its shape and backend,
// and a key of another shape or backend refuses it before any pairing.
func TestProofForOtherShapeRejected(t *testing.T) {
	pk, _ := testKeys(t, ReadingShape(16), Groth16)
	_, plonkVK := testKeys(t, ReadingShape(16), PLONK)
	c, o := mustOpen(t, 4500)
	claim := ReadingClaim{Interval{4200, 4800}, c}
	proof, err := Prove(pk, claim, []Opening{o})
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(plonkVK, proof, claim); !errors.Is(err, ErrShape) {
		t.Fatalf("Groth16 proof under a PLONK key: %v", err)
	}
	raw, _ := proof.MarshalBinary()
	raw[8] = 32 // bits 16 -> 32 in the header
	p2, err := ParseProof(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, vk := testKeys(t, ReadingShape(16), Groth16); !errors.Is(Verify(vk, p2, claim), ErrShape) {
		t.Fatal("proof relabelled to another shape accepted")
	}
}

func TestPlonkDecodersRejectHostileLengths(t *testing.T) {
	pk, vk := testKeys(t, ReadingShape(16), PLONK)
	c, o := mustOpen(t, 4500)
	proof, err := Prove(pk, ReadingClaim{Interval{4200, 4800}, c}, []Opening{o})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := proof.MarshalBinary()
	var vkBuf, pkBuf bytes.Buffer
	vk.WriteTo(&vkBuf)
	pk.WriteTo(&pkBuf)
	huge := func(b []byte, off int) []byte {
		b = bytes.Clone(b)
		copy(b[off:], []byte{0xff, 0xff, 0xff, 0xff})
		return b
	}
	if _, err := ParseProof(huge(raw, headerSize+8*32)); !errors.Is(err, ErrMalformed) {
		t.Errorf("claimed-value count 2^32-1: %v", err)
	}
	if _, err := ParseProof(huge(raw, len(raw)-4)); !errors.Is(err, ErrMalformed) {
		t.Errorf("BSB22 count 2^32-1: %v", err)
	}
	if _, err := ReadVerifyingKey(bytes.NewReader(huge(vkBuf.Bytes(), headerSize+plonkQcpOffset))); !errors.Is(err, ErrMalformed) {
		t.Errorf("Qcp count 2^32-1: %v", err)
	}
	if _, err := ReadVerifyingKey(bytes.NewReader(huge(vkBuf.Bytes(), vkBuf.Len()-4))); !errors.Is(err, ErrMalformed) {
		t.Errorf("commitment index count 2^32-1: %v", err)
	}
	if _, err := ReadProvingKey(bytes.NewReader(huge(pkBuf.Bytes(), vkBuf.Len()))); !errors.Is(err, ErrMalformed) {
		t.Errorf("KZG point count 2^32-1: %v", err)
	}
}
