package zkp

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzSeeds returns real encodings of a Groth16 and a PLONK proof, verifying
// key and proving key for the single-reading circuit.
func fuzzSeeds(f *testing.F) (proofs, vks, pks [][]byte) {
	for _, b := range backends {
		pk, vk := testKeys(f, ReadingShape(16), b)
		c, o := mustOpen(f, 4500)
		p, err := Prove(pk, ReadingClaim{Interval{4200, 4800}, c}, []Opening{o})
		if err != nil {
			f.Fatal(err)
		}
		raw, err := p.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		var vkBuf, pkBuf bytes.Buffer
		vk.WriteTo(&vkBuf)
		pk.WriteTo(&pkBuf)
		proofs, vks, pks = append(proofs, raw), append(vks, vkBuf.Bytes()), append(pks, pkBuf.Bytes())
	}
	return proofs, vks, pks
}

func FuzzParseProof(f *testing.F) {
	proofs, _, _ := fuzzSeeds(f)
	for _, p := range proofs {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProof(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		p2, err := ParseProof(again)
		if err != nil {
			t.Fatalf("re-encoded proof does not parse: %v", err)
		}
		if third, _ := p2.MarshalBinary(); !bytes.Equal(third, again) {
			t.Fatal("encoding is not stable")
		}
	})
}

func FuzzReadVerifyingKey(f *testing.F) {
	_, vks, _ := fuzzSeeds(f)
	for _, vk := range vks {
		f.Add(vk)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		vk, err := ReadVerifyingKey(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if _, err := vk.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadVerifyingKey(&buf); err != nil {
			t.Fatalf("re-encoded key does not load: %v", err)
		}
	})
}

func FuzzReadProvingKey(f *testing.F) {
	_, _, pks := fuzzSeeds(f)
	for _, pk := range pks {
		f.Add(pk)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := ReadProvingKey(bytes.NewReader(b)); err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrShape) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func FuzzParseCommitment(f *testing.F) {
	c, _ := mustOpen(f, 1)
	f.Add(c[:])
	f.Add(bytes.Repeat([]byte{0xff}, 32))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCommitment(b)
		if err != nil {
			if !errors.Is(err, ErrNonCanonical) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !bytes.Equal(c[:], b) {
			t.Fatal("parsed commitment differs from its bytes")
		}
	})
}

func FuzzEncode(f *testing.F) {
	for _, s := range []string{"4.5", "-40", "615.35", "0.125", "-0.005", "1e3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Celsius().Encode(s)
		if err != nil {
			if !errors.Is(err, ErrEncoding) && !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		text, err := Celsius().Decode(v)
		if err != nil {
			t.Fatalf("Decode(%d): %v", v, err)
		}
		if back, err := Celsius().Encode(text); err != nil || back != v {
			t.Fatalf("%q -> %d -> %q -> %d, %v", s, v, text, back, err)
		}
	})
}
