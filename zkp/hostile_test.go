package zkp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// hostileCase is one entry of the decoders' hostile-input catalogue: an
// input for ParseProof ("proof"), ReadVerifyingKey ("vk") or
// ReadProvingKey ("pk"), or a proof that decodes but must not verify
// ("verify"), with the error it must produce (nil: accepted).
type hostileCase struct {
	name string
	op   string
	in   []byte
	want error
	// for "verify": the key and the claim the proof is checked against
	vk    *VerifyingKey
	claim Claim
}

// encodings are real encodings of the single-reading objects of one
// backend, which the catalogue mutates.
type encodings struct {
	proof, vk, pk []byte
	vkey          *VerifyingKey
	claim         Claim
}

func realEncodings(t testing.TB, b Backend) encodings {
	t.Helper()
	pk, vk := testKeys(t, ReadingShape(16), b)
	c, o := mustOpen(t, 4500)
	claim := ReadingClaim{Interval{4200, 4800}, c}
	p, err := Prove(pk, claim, []Opening{o})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var vkBuf, pkBuf bytes.Buffer
	if _, err := vk.WriteTo(&vkBuf); err != nil {
		t.Fatal(err)
	}
	if _, err := pk.WriteTo(&pkBuf); err != nil {
		t.Fatal(err)
	}
	return encodings{raw, vkBuf.Bytes(), pkBuf.Bytes(), vk, claim}
}

// Mutators: each returns a modified copy.
func put32(b []byte, off int, v uint32) []byte {
	b = bytes.Clone(b)
	binary.BigEndian.PutUint32(b[off:], v)
	return b
}

func put64(b []byte, off int, v uint64) []byte {
	b = bytes.Clone(b)
	binary.BigEndian.PutUint64(b[off:], v)
	return b
}

func setByte(b []byte, off int, v byte) []byte {
	b = bytes.Clone(b)
	b[off] = v
	return b
}

func xorByte(b []byte, off int, v byte) []byte {
	b = bytes.Clone(b)
	b[off] ^= v
	return b
}

func splice(b []byte, off int, with []byte) []byte {
	b = bytes.Clone(b)
	copy(b[off:], with)
	return b
}

func cut(b []byte, off, n int) []byte {
	return append(bytes.Clone(b[:off]), b[off+n:]...)
}

// relabel rewrites the header's backend and shape.
func relabel(b []byte, be Backend, s Shape) []byte {
	b = bytes.Clone(b)
	b[6], b[7], b[8] = byte(be), byte(s.Kind), byte(s.Bits)
	binary.BigEndian.PutUint16(b[9:], uint16(s.Size))
	return b
}

// groth16PKOffsets walks a real Groth16 proving key (header included) and
// returns where its variable fields sit.
func groth16PKOffsets(t testing.TB, pk []byte) map[string]int {
	t.Helper()
	off := map[string]int{"domain": headerSize, "domain element": headerSize + 8, "flag": headerSize + 8 + 5*frSize}
	o := headerSize + 8 + 5*frSize + 1 + 3*g1Size
	for _, f := range []string{"A", "B", "Z", "K"} {
		off[f] = o
		o += 4 + g1Size*int(binary.BigEndian.Uint32(pk[o:]))
	}
	o += 2 * g2Size
	off["B2"] = o
	o += 4 + g2Size*int(binary.BigEndian.Uint32(pk[o:]))
	off["wires"], off["infA"], off["infB"] = o, o+8, o+16
	wires := int(binary.BigEndian.Uint64(pk[o:]))
	off["flagsA"], off["flagsB"] = o+24, o+24+wires
	off["commitments"] = o + 24 + 2*wires
	if off["commitments"]+4 != len(pk) {
		t.Fatalf("Groth16 proving key layout: %d bytes walked, %d present", off["commitments"]+4, len(pk))
	}
	return off
}

// frModulus returns r, the BN254 scalar field modulus, as 32 big-endian
// bytes: the smallest non-canonical element encoding.
func frModulus() []byte {
	b := make([]byte, frSize)
	fr.Modulus().FillBytes(b)
	return b
}

// hostileCatalogue lists the named hostile inputs of the three decoders.
func hostileCatalogue(t testing.TB) []hostileCase {
	g, p := realEncodings(t, Groth16), realEncodings(t, PLONK)
	h := headerSize
	var cs []hostileCase
	add := func(op, name string, in []byte, want error) {
		c := hostileCase{name: op + ": " + name, op: op, in: in, want: want}
		if op == "verify" {
			e := map[bool]encodings{true: g, false: p}[strings.HasPrefix(name, "groth16")]
			c.vk, c.claim = e.vkey, e.claim
		}
		cs = append(cs, c)
	}

	// Headers, for each decoder and backend.
	for _, op := range []string{"proof", "vk", "pk"} {
		for _, e := range []struct {
			be  Backend
			enc encodings
		}{{Groth16, g}, {PLONK, p}} {
			in := map[string][]byte{"proof": e.enc.proof, "vk": e.enc.vk, "pk": e.enc.pk}[op]
			n := func(s string) string { return fmt.Sprintf("%v: header: %s", e.be, s) }
			add(op, n("valid"), in, nil)
			add(op, n("empty input"), nil, ErrMalformed)
			add(op, n("ten bytes"), in[:10], ErrMalformed)
			add(op, n("header only"), in[:h], ErrMalformed)
			add(op, n("bad magic"), setByte(in, 0, 'X'), ErrMalformed)
			add(op, n("magic in lower case"), splice(in, 0, []byte("izkp")), ErrMalformed)
			add(op, n("version 0"), setByte(in, 4, 0), ErrMalformed)
			add(op, n("version 2"), setByte(in, 4, 2), ErrMalformed)
			add(op, n("backend 0"), setByte(in, 6, 0), ErrMalformed)
			add(op, n("backend 3"), setByte(in, 6, 3), ErrMalformed)
			add(op, n("other backend, same body"), setByte(in, 6, byte(3-e.be)), ErrMalformed)
			add(op, n("kind 0"), setByte(in, 7, 0), ErrMalformed)
			add(op, n("kind 5"), setByte(in, 7, 5), ErrMalformed)
			add(op, n("bits 0"), setByte(in, 8, 0), ErrMalformed)
			add(op, n("bits 65"), setByte(in, 8, 65), ErrMalformed)
			add(op, n("reading of size 2"), relabel(in, e.be, Shape{KindReading, 2, 16}), ErrMalformed)
			add(op, n("batch of 8"), relabel(in, e.be, BatchShape(8, 16)), ErrMalformed)
			add(op, n("batch of 24"), relabel(in, e.be, BatchShape(24, 16)), ErrMalformed)
			add(op, n("batch of 2048"), relabel(in, e.be, BatchShape(2048, 16)), ErrMalformed)
			add(op, n("box of 17"), relabel(in, e.be, BoxShape(17, 16)), ErrMalformed)
			add(op, n("box of 0"), relabel(in, e.be, BoxShape(0, 16)), ErrMalformed)
			// A proof's bytes do not depend on its shape: a relabelled
			// proof decodes, and Verify refuses it (ErrShape, below).
			relabelled := map[string]error{"proof": nil}[op]
			if op != "proof" {
				relabelled = ErrMalformed
			}
			add(op, n("batch of 1024 × 64 bits over a reading body"), relabel(in, e.be, BatchShape(1024, 64)), relabelled)
			add(op, n("threshold of 1024 × 64 bits over a reading body"), relabel(in, e.be, ThresholdShape(1024, 64)), relabelled)
			add(op, n("batch of 1024 × 64 bits, no body"), relabel(in[:h], e.be, BatchShape(1024, 64)), ErrMalformed)
			add(op, n("box of 16 × 64 bits over a reading body"), relabel(in, e.be, BoxShape(16, 64)), relabelled)
			add(op, n("truncated by one byte"), in[:len(in)-1], ErrMalformed)
			add(op, n("truncated to half"), in[:len(in)/2], ErrMalformed)
			add(op, n("trailing zero byte"), append(bytes.Clone(in), 0), ErrMalformed)
			add(op, n("a second copy appended"), append(bytes.Clone(in), in...), ErrMalformed)
		}
	}
	add("proof", "groth16: header: a verifying key", g.vk, ErrMalformed)
	add("proof", "groth16: header: object byte V", setByte(g.proof, 5, objVerifyingKey), ErrMalformed)
	add("vk", "groth16: header: a proof", g.proof, ErrMalformed)
	add("vk", "groth16: header: object byte K", setByte(g.vk, 5, objProvingKey), ErrMalformed)
	add("pk", "groth16: header: a verifying key", g.vk, ErrMalformed)
	add("pk", "plonk: header: a verifying key", p.vk, ErrMalformed)
	add("proof", "groth16: over the size limit", append(bytes.Clone(g.proof), make([]byte, MaxProofSize)...), ErrMalformed)
	add("vk", "groth16: over the size limit", append(bytes.Clone(g.vk), make([]byte, MaxVerifyingKeySize)...), ErrMalformed)

	// Groth16 proof: Ar (G1) | Bs (G2) | Krs (G1) | #commitments | PoK.
	gp := g.proof
	add("proof", "groth16: commitment count 2^32-1", put32(gp, h+128, 0xffffffff), ErrMalformed)
	add("proof", "groth16: commitment count 1", put32(gp, h+128, 1), ErrMalformed)
	add("proof", "groth16: commitment PoK is Ar, not infinity", splice(gp, h+132, gp[h:h+32]), ErrMalformed)
	add("proof", "groth16: commitment PoK infinity with a stray bit", xorByte(gp, h+163, 1), ErrMalformed)
	add("proof", "groth16: commitment PoK uncompressed", setByte(gp, h+132, 0), ErrMalformed)
	add("proof", "groth16: Ar uncompressed", setByte(gp, h, gp[h]&^0xc0), ErrMalformed)
	add("proof", "groth16: Bs uncompressed", setByte(gp, h+32, gp[h+32]&^0xc0), ErrMalformed)
	offG1, subG2 := offCurveG1(t), outsideSubgroupG2(t)
	add("proof", "groth16: Ar off the curve", splice(gp, h, offG1[:]), ErrMalformed)
	add("proof", "groth16: Krs off the curve", splice(gp, h+96, offG1[:]), ErrMalformed)
	add("proof", "groth16: Bs outside the subgroup", splice(gp, h+32, subG2[:]), ErrMalformed)
	add("proof", "groth16: Ar with x ≥ p", splice(gp, h, append([]byte{0xbf}, bytes.Repeat([]byte{0xff}, 31)...)), ErrMalformed)
	add("proof", "groth16: Ar infinity with a stray bit", splice(gp, h, append([]byte{0x40}, append(make([]byte, 30), 1)...)), ErrMalformed)
	add("verify", "groth16: Ar at infinity", splice(gp, h, append([]byte{0x40}, make([]byte, 31)...)), ErrVerify)
	add("verify", "groth16: Ar negated (other y)", xorByte(gp, h, 0x40), ErrVerify)
	add("verify", "groth16: Krs negated (other y)", xorByte(gp, h+96, 0x40), ErrVerify)
	add("verify", "groth16: Ar and Krs swapped", splice(splice(gp, h, gp[h+96:h+128]), h+96, gp[h:h+32]), ErrVerify)
	add("verify", "groth16: relabelled to 32 bits", relabel(gp, Groth16, ReadingShape(32)), ErrShape)
	add("verify", "groth16: relabelled to a batch of 1024", relabel(gp, Groth16, BatchShape(1024, 64)), ErrShape)
	add("verify", "groth16: relabelled to PLONK", relabel(gp, PLONK, ReadingShape(16)), ErrMalformed)
	add("verify", "groth16: valid", gp, nil)

	// PLONK proof: 8 G1 | #claimed (6) | claimed | shifted H | value | #BSB22.
	pp := p.proof
	add("proof", "plonk: claimed value count 2^32-1", put32(pp, h+256, 0xffffffff), ErrMalformed)
	add("proof", "plonk: claimed value count 5", put32(pp, h+256, 5), ErrMalformed)
	add("proof", "plonk: claimed value count 7", put32(pp, h+256, 7), ErrMalformed)
	add("proof", "plonk: claimed value count 0", put32(pp, h+256, 0), ErrMalformed)
	add("proof", "plonk: claimed value equal to r", splice(pp, h+260, frModulus()), ErrMalformed)
	add("proof", "plonk: claimed value all ones", splice(pp, h+260, bytes.Repeat([]byte{0xff}, 32)), ErrMalformed)
	add("proof", "plonk: shifted value equal to r", splice(pp, h+484, frModulus()), ErrMalformed)
	add("proof", "plonk: BSB22 count 1", put32(pp, h+516, 1), ErrMalformed)
	add("proof", "plonk: BSB22 count 2^32-1", put32(pp, h+516, 0xffffffff), ErrMalformed)
	add("proof", "plonk: L uncompressed", setByte(pp, h, pp[h]&^0xc0), ErrMalformed)
	add("proof", "plonk: Z off the curve", splice(pp, h+96, offG1[:]), ErrMalformed)
	add("proof", "plonk: one claimed value removed", cut(put32(pp, h+256, 5), h+260, 32), ErrMalformed)
	add("verify", "plonk: first claimed value changed", xorByte(pp, h+291, 1), ErrVerify)
	add("verify", "plonk: valid", pp, nil)
	add("verify", "plonk: relabelled to a box of 16", relabel(pp, PLONK, BoxShape(16, 16)), ErrShape)

	// Groth16 verifying key: 3 G1 and 3 G2 points | #K | K | #committed | #keys.
	gv := g.vk
	kOff := h + 3*g1Size + 3*g2Size
	add("vk", "groth16: K count 2^32-1", put32(gv, kOff, 0xffffffff), ErrMalformed)
	add("vk", "groth16: K count 5", put32(gv, kOff, 5), ErrMalformed)
	add("vk", "groth16: K count 3", put32(gv, kOff, 3), ErrMalformed)
	add("vk", "groth16: K count 0", put32(gv, kOff, 0), ErrMalformed)
	add("vk", "groth16: committed count 1", put32(gv, len(gv)-8, 1), ErrMalformed)
	add("vk", "groth16: committed count 2^32-1", put32(gv, len(gv)-8, 0xffffffff), ErrMalformed)
	add("vk", "groth16: commitment key count 1", put32(gv, len(gv)-4, 1), ErrMalformed)
	add("vk", "groth16: α off the curve", splice(gv, h, offG1[:]), ErrMalformed)
	add("vk", "groth16: γ outside the subgroup", splice(gv, h+2*g1Size+g2Size, subG2[:]), ErrMalformed)
	add("vk", "groth16: K[0] uncompressed", setByte(gv, kOff+4, gv[kOff+4]&^0xc0), ErrMalformed)
	add("vk", "groth16: shape relabelled to a box of 1 (same public inputs)", relabel(gv, Groth16, BoxShape(1, 16)), nil)

	// PLONK verifying key: marker, version | size | 1/size | ω | #public |
	// coset shift | S, Q points | #Qcp | KZG | #commitment indexes.
	pv := p.vk
	size := binary.BigEndian.Uint64(pv[h+plonkSizeOffset:])
	add("vk", "plonk: domain size 0", put64(pv, h+plonkSizeOffset, 0), ErrMalformed)
	add("vk", "plonk: domain size 1", put64(pv, h+plonkSizeOffset, 1), ErrMalformed)
	add("vk", "plonk: domain size 3", put64(pv, h+plonkSizeOffset, 3), ErrMalformed)
	add("vk", "plonk: domain size 2^29", put64(pv, h+plonkSizeOffset, 1<<29), ErrMalformed)
	add("vk", "plonk: domain size 2^63", put64(pv, h+plonkSizeOffset, 1<<63), ErrMalformed)
	add("vk", "plonk: domain size doubled", put64(pv, h+plonkSizeOffset, 2*size), ErrMalformed)
	add("vk", "plonk: domain size halved", put64(pv, h+plonkSizeOffset, size/2), ErrMalformed)
	add("vk", "plonk: size⁻¹ changed", xorByte(pv, h+24+31, 1), ErrMalformed)
	add("vk", "plonk: generator changed", xorByte(pv, h+56+31, 1), ErrMalformed)
	add("vk", "plonk: coset shift changed", xorByte(pv, h+96+31, 1), ErrMalformed)
	add("vk", "plonk: public input count 4", put64(pv, h+plonkPublicOffset, 4), ErrMalformed)
	add("vk", "plonk: public input count 2^63", put64(pv, h+plonkPublicOffset, 1<<63), ErrMalformed)
	add("vk", "plonk: key version 2", put64(pv, h+8, 2), ErrMalformed)
	add("vk", "plonk: cut after the version marker", pv[:h+8], ErrMalformed)
	add("vk", "plonk: Qcp count 2^32-1", put32(pv, h+plonkQcpOffset, 0xffffffff), ErrMalformed)
	add("vk", "plonk: Qcp count 1", put32(pv, h+plonkQcpOffset, 1), ErrMalformed)
	add("vk", "plonk: commitment index count 2^32-1", put32(pv, len(pv)-4, 0xffffffff), ErrMalformed)
	add("vk", "plonk: commitment index count 1", put32(pv, len(pv)-4, 1), ErrMalformed)
	add("vk", "plonk: S₁ uncompressed", setByte(pv, h+128, pv[h+128]&^0xc0), ErrMalformed)
	add("vk", "plonk: Ql off the curve", splice(pv, h+224, offG1[:]), ErrMalformed)

	// Groth16 proving key.
	gk := g.pk
	o := groth16PKOffsets(t, gk)
	domain := binary.BigEndian.Uint64(gk[o["domain"]:])
	wires := binary.BigEndian.Uint64(gk[o["wires"]:])
	add("pk", "groth16: domain 2^63", put64(gk, o["domain"], 1<<63), ErrMalformed)
	add("pk", "groth16: domain 2^64-1", put64(gk, o["domain"], 1<<64-1), ErrMalformed)
	add("pk", "groth16: domain 2^30", put64(gk, o["domain"], 1<<30), ErrMalformed)
	add("pk", "groth16: domain 2^28 (largest BN254 has) over a reading body", put64(gk, o["domain"], 1<<28), ErrMalformed)
	add("pk", "groth16: domain 0", put64(gk, o["domain"], 0), ErrMalformed)
	add("pk", "groth16: domain 3", put64(gk, o["domain"], 3), ErrMalformed)
	add("pk", "groth16: domain doubled", put64(gk, o["domain"], 2*domain), ErrMalformed)
	add("pk", "groth16: domain halved", put64(gk, o["domain"], domain/2), ErrMalformed)
	for i := range 5 {
		add("pk", fmt.Sprintf("groth16: domain element %d changed", i+1), xorByte(gk, o["domain element"]+32*i+31, 1), ErrMalformed)
	}
	add("pk", "groth16: domain element equal to r", splice(gk, o["domain element"], frModulus()), ErrMalformed)
	add("pk", "groth16: precomputation flag 0", setByte(gk, o["flag"], 0), ErrMalformed)
	add("pk", "groth16: precomputation flag 2", setByte(gk, o["flag"], 2), ErrMalformed)
	for _, f := range []string{"A", "B", "Z", "K", "B2"} {
		n := binary.BigEndian.Uint32(gk[o[f]:])
		add("pk", "groth16: "+f+" count 2^32-1", put32(gk, o[f], 0xffffffff), ErrMalformed)
		add("pk", "groth16: "+f+" count +1", put32(gk, o[f], n+1), ErrMalformed)
		add("pk", "groth16: "+f+" count -1", put32(gk, o[f], n-1), ErrMalformed)
		add("pk", "groth16: "+f+" count 0", put32(gk, o[f], 0), ErrMalformed)
		add("pk", "groth16: first "+f+" point uncompressed", setByte(gk, o[f]+4, gk[o[f]+4]&^0xc0), ErrMalformed)
	}
	add("pk", "groth16: first A point off the curve", splice(gk, o["A"]+4, offG1[:]), ErrMalformed)
	add("pk", "groth16: first B₂ point outside the subgroup", splice(gk, o["B2"]+4, subG2[:]), ErrMalformed)
	add("pk", "groth16: one Z point removed, count adjusted", cut(put32(gk, o["Z"], uint32(domain-2)), o["Z"]+4, g1Size), ErrMalformed)
	add("pk", "groth16: wire count 2^63", put64(gk, o["wires"], 1<<63), ErrMalformed)
	add("pk", "groth16: wire count 2^64-1", put64(gk, o["wires"], 1<<64-1), ErrMalformed)
	add("pk", "groth16: wire count +1", put64(gk, o["wires"], wires+1), ErrMalformed)
	add("pk", "groth16: wire count -1", put64(gk, o["wires"], wires-1), ErrMalformed)
	add("pk", "groth16: infinity count A +1", put64(gk, o["infA"], binary.BigEndian.Uint64(gk[o["infA"]:])+1), ErrMalformed)
	// gnark's own decoder accepts these, and its prover then indexes past
	// the infinity flags in a goroutine: a crash no recover can catch.
	add("pk", "groth16: infinity count A -1 (crashes gnark's prover)", put64(gk, o["infA"], binary.BigEndian.Uint64(gk[o["infA"]:])-1), ErrMalformed)
	add("pk", "groth16: infinity count B -1 (crashes gnark's prover)", put64(gk, o["infB"], binary.BigEndian.Uint64(gk[o["infB"]:])-1), ErrMalformed)
	add("pk", "groth16: infinity count B 2^64-1", put64(gk, o["infB"], 1<<64-1), ErrMalformed)
	add("pk", "groth16: infinity flag A 2", setByte(gk, o["flagsA"], 2), ErrMalformed)
	add("pk", "groth16: infinity flag B 0xff", setByte(gk, o["flagsB"], 0xff), ErrMalformed)
	add("pk", "groth16: infinity flag A flipped", xorByte(gk, o["flagsA"], 1), ErrMalformed)
	add("pk", "groth16: commitment key count 1", put32(gk, o["commitments"], 1), ErrMalformed)
	add("pk", "groth16: commitment key count 2^32-1", put32(gk, o["commitments"], 0xffffffff), ErrMalformed)
	add("pk", "groth16: header reading/64 over a reading/16 body", relabel(gk, Groth16, ReadingShape(64)), ErrMalformed)
	add("pk", "groth16: header box/1/16 (same circuit size) over a reading body", relabel(gk, Groth16, BoxShape(1, 16)), nil)

	// PLONK proving key: verifying key | #KZG | KZG | #Lagrange | Lagrange.
	pk := p.pk
	kzg := h + len(pv) - h
	nKZG := binary.BigEndian.Uint32(pk[kzg:])
	lag := kzg + 4 + g1Size*int(nKZG)
	add("pk", "plonk: KZG count 2^32-1", put32(pk, kzg, 0xffffffff), ErrMalformed)
	add("pk", "plonk: KZG count size+2", put32(pk, kzg, nKZG-1), ErrMalformed)
	add("pk", "plonk: KZG count size+4", put32(pk, kzg, nKZG+1), ErrMalformed)
	add("pk", "plonk: Lagrange count 2^32-1", put32(pk, lag, 0xffffffff), ErrMalformed)
	add("pk", "plonk: Lagrange count size-1", put32(pk, lag, uint32(size-1)), ErrMalformed)
	add("pk", "plonk: one KZG point removed, count adjusted", cut(put32(pk, kzg, nKZG-1), kzg+4, g1Size), ErrMalformed)
	add("pk", "plonk: domain size doubled", put64(pk, h+plonkSizeOffset, 2*size), ErrMalformed)
	add("pk", "plonk: domain size 2^28", put64(pk, h+plonkSizeOffset, 1<<28), ErrMalformed)
	add("pk", "plonk: first KZG point off the curve", splice(pk, kzg+4, offG1[:]), ErrMalformed)
	add("pk", "plonk: first Lagrange point uncompressed", setByte(pk, lag+4, pk[lag+4]&^0xc0), ErrMalformed)
	add("pk", "plonk: header reading/64 over a reading/16 body", relabel(pk, PLONK, ReadingShape(64)), ErrMalformed)
	return cs
}

func (c *hostileCase) run() error {
	switch c.op {
	case "proof":
		p, err := ParseProof(c.in)
		if err == nil {
			err = reencodes(c.in, func(w io.Writer) (int64, error) {
				b, err := p.MarshalBinary()
				if err != nil {
					return 0, err
				}
				n, err := w.Write(b)
				return int64(n), err
			})
		}
		return err
	case "vk":
		vk, err := ReadVerifyingKey(bytes.NewReader(c.in))
		if err == nil {
			err = reencodes(c.in, vk.WriteTo)
		}
		return err
	case "pk":
		pk, err := ReadProvingKey(bytes.NewReader(c.in))
		if err == nil {
			err = reencodes(c.in, pk.WriteTo)
		}
		return err
	default:
		p, err := ParseProof(c.in)
		if err != nil {
			return err
		}
		return Verify(c.vk, p, c.claim)
	}
}

func reencodes(in []byte, write func(io.Writer) (int64, error)) error {
	var buf bytes.Buffer
	if _, err := write(&buf); err != nil {
		return err
	}
	if !bytes.Equal(buf.Bytes(), in) {
		return errors.New("accepted input re-encodes to other bytes")
	}
	return nil
}

// TestHostileCatalogue runs every named hostile input through its decoder:
// each gets its typed error (or is accepted, where named so), with the
// package named once in the message, and no decoder allocates more than a
// small multiple of its input, whatever the header or a length prefix
// claims (bytes allocated, measured with runtime.MemStats, not time).
func TestHostileCatalogue(t *testing.T) {
	cases := hostileCatalogue(t)
	if len(cases) < 250 {
		t.Fatalf("only %d hostile cases", len(cases))
	}
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.name] {
			t.Fatalf("two cases named %q", c.name)
		}
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := c.run()
			runtime.ReadMemStats(&after)
			if c.want == nil {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("want %v, got %v", c.want, err)
			}
			if n := strings.Count(err.Error(), "zkp:"); n != 1 {
				t.Errorf("message names the package %d times: %v", n, err)
			}
			if c.op == "verify" {
				return // verification allocates what verifying needs
			}
			if got, limit := after.TotalAlloc-before.TotalAlloc, allocLimit(len(c.in)); got > limit {
				t.Errorf("refusing %d bytes allocated %d bytes, limit %d", len(c.in), got, limit)
			}
		})
	}
}

// allocLimit is what a decoder may allocate to refuse n bytes of input: a
// fixed allowance (buffers, messages, compiling the smallest circuits) plus
// a constant multiple of the input (reading it; decoding points and
// compiling a circuit, both of which the layout checks have bounded by the
// bytes present). What it must never do is grow with what a header or a
// length prefix claims.
func allocLimit(n int) uint64 { return 1<<20 + 64*uint64(n) }

// TestLargeShapeHeaderAllocatesLittle is the regression test of the
// unbounded allocation the hostile catalogue also covers: a proving-key
// header naming the largest shapes over a small or missing body used to
// compile that shape's circuit (gigabytes) before noticing the body did not
// fit. Now the body is checked first.
func TestLargeShapeHeaderAllocatesLittle(t *testing.T) {
	for _, be := range backends {
		e := realEncodings(t, be)
		for _, s := range []Shape{BatchShape(MaxBatch, MaxBits), ThresholdShape(MaxBatch, MaxBits), BatchShape(256, 16)} {
			for name, in := range map[string][]byte{
				"no body":      relabel(e.pk[:headerSize], be, s),
				"reading body": relabel(e.pk, be, s),
				"huge domain":  relabel(put64(e.pk, headerSize+plonkSizeOffset*map[Backend]int{Groth16: 0, PLONK: 1}[be], 1<<27), be, s),
			} {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				_, err := ReadProvingKey(bytes.NewReader(in))
				runtime.ReadMemStats(&after)
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("%v %v, %s: %v", be, s, name, err)
				}
				if got := after.TotalAlloc - before.TotalAlloc; got > allocLimit(len(in)) {
					t.Errorf("%v %v, %s: %d bytes allocated for %d bytes of input", be, s, name, got, len(in))
				}
			}
		}
	}
}

// failingReader returns some bytes, then an error that is not about the
// input's format.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestReadErrorsAreNotMalformed: an I/O error of the reader is reported as
// such, never as a malformed key.
func TestReadErrorsAreNotMalformed(t *testing.T) {
	e := realEncodings(t, Groth16)
	disk := errors.New("disk on fire")
	for _, n := range []int{0, 5, headerSize, 100} {
		if _, err := ReadProvingKey(&failingReader{e.pk[:n], disk}); !errors.Is(err, disk) || errors.Is(err, ErrMalformed) {
			t.Errorf("proving key, error after %d bytes: %v", n, err)
		}
		if _, err := ReadVerifyingKey(&failingReader{e.vk[:n], disk}); !errors.Is(err, disk) || errors.Is(err, ErrMalformed) {
			t.Errorf("verifying key, error after %d bytes: %v", n, err)
		}
	}
}

// TestMinConstraints holds the lower bound ReadProvingKey checks before
// compiling between a third of the compiled count and the count itself, for
// every kind and both backends (larger shapes outside -short).
func TestMinConstraints(t *testing.T) {
	shapes := []Shape{ReadingShape(1), ReadingShape(64), BoxShape(1, 1), BoxShape(16, 64), BoxShape(5, 7), BatchShape(16, 1), BatchShape(16, 64), ThresholdShape(16, 1), ThresholdShape(16, 64)}
	if !testing.Short() {
		shapes = append(shapes, BatchShape(64, 32), ThresholdShape(128, 8))
	}
	for _, be := range backends {
		for _, s := range shapes {
			cc, err := Compile(s, be)
			if err != nil {
				t.Fatal(err)
			}
			got, min := uint64(cc.Constraints()), minConstraints(s, be)
			if min > got || 3*min < got {
				t.Errorf("%v %v: bound %d for %d constraints", be, s, min, got)
			}
			// The Groth16 key's K slice (private wires) is bounded the same way.
			if be == Groth16 {
				if k := uint64(cc.ccs.GetNbSecretVariables() + cc.ccs.GetNbInternalVariables()); min > k {
					t.Errorf("%v %v: bound %d above %d private wires", be, s, min, k)
				}
			}
		}
	}
}
