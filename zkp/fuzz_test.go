package zkp

import (
	"bytes"
	"errors"
	"runtime"
	"slices"
	"strings"
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

// seedHostile adds the catalogue's inputs for the given decoder ops.
func seedHostile(f *testing.F, ops ...string) {
	for _, c := range hostileCatalogue(f) {
		if slices.Contains(ops, c.op) {
			f.Add(c.in)
		}
	}
}

// checkRefusal: a refused input gets ErrMalformed, naming the package once.
func checkRefusal(t *testing.T, err error) {
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("untyped error %v", err)
	}
	if strings.Count(err.Error(), "zkp:") != 1 {
		t.Fatalf("message names the package more than once: %v", err)
	}
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// FuzzParseProof: no panic, ErrMalformed for what is refused, and what is
// accepted re-encodes to exactly the input (one encoding per proof).
func FuzzParseProof(f *testing.F) {
	proofs, _, _ := fuzzSeeds(f)
	for _, p := range proofs {
		f.Add(p)
	}
	seedHostile(f, "proof", "verify")
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProof(b)
		if err != nil {
			checkRefusal(t, err)
			return
		}
		again, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("accepted proof re-encodes to other bytes:\n%x\n%x", b, again)
		}
	})
}

// FuzzReadVerifyingKey: as FuzzParseProof, and the bytes a decoding
// allocates stay within allocLimit of the input.
func FuzzReadVerifyingKey(f *testing.F) {
	_, vks, _ := fuzzSeeds(f)
	for _, vk := range vks {
		f.Add(vk)
	}
	seedHostile(f, "vk")
	f.Fuzz(func(t *testing.T, b []byte) {
		var vk *VerifyingKey
		var err error
		if n := allocated(func() { vk, err = ReadVerifyingKey(bytes.NewReader(b)) }); err != nil && n > allocLimit(len(b)) {
			t.Fatalf("refusing %d bytes allocated %d", len(b), n)
		}
		if err != nil {
			checkRefusal(t, err)
			return
		}
		var buf bytes.Buffer
		if _, err := vk.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), b) {
			t.Fatal("accepted verifying key re-encodes to other bytes")
		}
	})
}

// FuzzReadProvingKey: as FuzzReadVerifyingKey for proving keys, whose
// decoding compiles a circuit.
func FuzzReadProvingKey(f *testing.F) {
	_, _, pks := fuzzSeeds(f)
	for _, pk := range pks {
		f.Add(pk)
	}
	seedHostile(f, "pk")
	f.Fuzz(func(t *testing.T, b []byte) {
		var pk *ProvingKey
		var err error
		if n := allocated(func() { pk, err = ReadProvingKey(bytes.NewReader(b)) }); err != nil && n > allocLimit(len(b)) {
			t.Fatalf("refusing %d bytes allocated %d", len(b), n)
		}
		if err != nil {
			checkRefusal(t, err)
			return
		}
		var buf bytes.Buffer
		if _, err := pk.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), b) {
			t.Fatal("accepted proving key re-encodes to other bytes")
		}
	})
}

// FuzzParseCommitment covers the decoders of field elements: binary
// (ParseCommitment, ParseSalt) and text (Commitment.UnmarshalText). An
// accepted input is its own one encoding.
func FuzzParseCommitment(f *testing.F) {
	c, o := mustOpen(f, 1)
	f.Add(c[:])
	f.Add(o.Salt[:])
	f.Add([]byte(c.String()))
	f.Add([]byte(strings.ToUpper(c.String())))
	f.Add(frModulus())
	f.Add(bytes.Repeat([]byte{0xff}, 32))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCommitment(b)
		if err != nil {
			if !errors.Is(err, ErrNonCanonical) {
				t.Fatalf("untyped error %v", err)
			}
		} else if !bytes.Equal(c[:], b) {
			t.Fatal("parsed commitment differs from its bytes")
		}
		s, err2 := ParseSalt(b)
		if (err == nil) != (err2 == nil) || (err2 == nil && !bytes.Equal(s[:], b)) {
			t.Fatalf("ParseSalt disagrees with ParseCommitment: %v, %v", err, err2)
		}
		var ct Commitment
		if err := ct.UnmarshalText(b); err != nil {
			if !errors.Is(err, ErrNonCanonical) {
				t.Fatalf("untyped error %v", err)
			}
			if ct != (Commitment{}) {
				t.Fatal("refused text changed the commitment")
			}
			return
		}
		if text, _ := ct.MarshalText(); !bytes.Equal(text, b) {
			t.Fatalf("accepted text %q re-encodes as %q", b, text)
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
