package reading

import (
	"bytes"
	"errors"
	"testing"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
)

// fuzzSeeds returns valid signed readings of every shape: each scheme,
// value and commitment, with and without unit, scale and metadata.
func fuzzSeeds(f *testing.F) []Signed {
	var out []Signed
	for i, sch := range schemes {
		d := newDevice(f, sch, byte(i+1))
		r := sample(d.did, uint64(i))
		out = append(out, mustSign(f, d, r))
		p := r
		p.Value, p.Scale, p.Unit = 0, 0, ""
		p.Commitment = bytes.Repeat([]byte{byte(i)}, CommitmentSize)
		p.Metadata = map[string]string{"k": "v\u2028\"\x01", "shipment": "日本"}
		out = append(out, mustSign(f, d, p))
	}
	vm, _ := did.VerificationMethodID(out[0].Device)
	r := out[0].Reading
	r.Device, r.Value, r.Scale = vm, -MaxValue, -128
	out = append(out, Signed{Reading: r, Signature: []byte{1}})
	return out
}

// FuzzParseJSON: ParseJSON never panics; what it accepts validates, has
// the input's RFC 8785 form as its canonical JSON, and survives both
// encodings unchanged.
func FuzzParseJSON(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		j, err := s.MarshalJSON()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(j)
		f.Add(bytes.ReplaceAll(j, []byte(","), []byte(",\n  ")))
	}
	f.Add([]byte(`{"device":"did:key:z","Device":"x"}`))
	f.Add([]byte(`{"seq":1,"seq":1}`))
	f.Add([]byte(`{"value":1e2,"scale":null}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := ParseJSON(in)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted an invalid reading: %v", err)
		}
		j, err := s.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON of an accepted reading: %v", err)
		}
		c, err := canon.Canonicalize(in)
		if err != nil || !bytes.Equal(c, j) {
			t.Fatalf("accepted input whose canonical form differs:\n in %q\nout %q (%v)", c, j, err)
		}
		roundTrip(t, s, j)
	})
}

// FuzzParseCBOR: ParseCBOR never panics; what it accepts validates, is
// byte for byte what MarshalCBOR makes of it, and survives both encodings.
func FuzzParseCBOR(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		c, err := s.MarshalCBOR()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c)
	}
	f.Add([]byte{0xa1, 0x62, 't', 's', 0x1a, 0, 0, 0, 1})
	f.Add([]byte{0xbf, 0xff})
	f.Add([]byte{0xd9, 0xd9, 0xf7, 0xa0})
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := ParseCBOR(in)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted an invalid reading: %v", err)
		}
		c, err := s.MarshalCBOR()
		if err != nil || !bytes.Equal(c, in) {
			t.Fatalf("accepted non-deterministic CBOR:\n in %x\nout %x (%v)", in, c, err)
		}
		j, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, s, j)
	})
}

// roundTrip checks that s, whose canonical JSON is j, decodes back to the
// same reading from both of its encodings.
func roundTrip(t *testing.T, s Signed, j []byte) {
	t.Helper()
	fromJ, err := ParseJSON(j)
	if err != nil {
		t.Fatalf("ParseJSON(MarshalJSON) = %v for %q", err, j)
	}
	c, err := s.MarshalCBOR()
	if err != nil {
		t.Fatal(err)
	}
	fromC, err := ParseCBOR(c)
	if err != nil {
		t.Fatalf("ParseCBOR(MarshalCBOR) = %v for %x", err, c)
	}
	for _, got := range []Signed{fromJ, fromC} {
		gj, err := got.MarshalJSON()
		if err != nil || !bytes.Equal(gj, j) {
			t.Fatalf("round trip changed the reading:\n%q\n%q", gj, j)
		}
	}
}
