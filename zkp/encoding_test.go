package zkp

import (
	"errors"
	"testing"
)

func TestCelsiusEncode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
	}{
		{"-40", 0},
		{"-40.00", 0},
		{"0", 4000},
		{"+2", 4200},
		{"8", 4800},
		{"25.5", 6550},
		{".5", 4050},
		{"0.125", 4012},  // tie, 12 is even
		{"0.135", 4014},  // tie, 14 is even
		{"0.1251", 4013}, // above the tie
		{"-0.125", 3988}, // tie on the negative side, -12 is even
		{"-0.135", 3986},
		{"615.35", 65535},
		{"615.354", 65535},
		{"-39.999", 0},
		{"-40.005", 0}, // tie: -4000.5 rounds to the even -4000
	} {
		got, err := Celsius().Encode(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Encode(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestEncodeRejects(t *testing.T) {
	for _, in := range []string{"615.36", "615.355", "-40.01", "-40.006", "99999999999999999999999999"} {
		if _, err := Celsius().Encode(in); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("Encode(%q) error = %v, want ErrOutOfRange", in, err)
		}
	}
	for _, in := range []string{"", "-", "+", ".", "1.", "1e3", " 1", "1 ", "1.2.3", "+-1", "--1", "0x10", "١", "NaN", string(make([]byte, 100))} {
		if _, err := Celsius().Encode(in); !errors.Is(err, ErrEncoding) {
			t.Errorf("Encode(%q) error = %v, want ErrEncoding", in, err)
		}
	}
	if _, err := (Encoding{Decimals: 19, Bits: 16}).Encode("1"); !errors.Is(err, ErrEncoding) {
		t.Errorf("19 decimals accepted: %v", err)
	}
	if _, err := (Encoding{Bits: 65}).Encode("1"); !errors.Is(err, ErrEncoding) {
		t.Errorf("65 bits accepted: %v", err)
	}
}

// Every 16-bit value decodes to text that encodes back to it.
func TestCelsiusRoundTrip(t *testing.T) {
	for v := uint64(0); v < 1<<16; v++ {
		s, err := Celsius().Decode(v)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Celsius().Encode(s)
		if err != nil || back != v {
			t.Fatalf("Encode(Decode(%d) = %q) = %d, %v", v, s, back, err)
		}
	}
	if s, _ := Celsius().Decode(3999); s != "-0.01" {
		t.Errorf("Decode(3999) = %q, want -0.01", s)
	}
	if _, err := Celsius().Decode(1 << 16); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Decode(65536) error = %v", err)
	}
}

func TestEncodeScaled(t *testing.T) {
	if v, err := Celsius().EncodeScaled(-4000); err != nil || v != 0 {
		t.Errorf("EncodeScaled(-4000) = %d, %v", v, err)
	}
	if v, err := Celsius().EncodeScaled(250); err != nil || v != 4250 {
		t.Errorf("EncodeScaled(250) = %d, %v", v, err)
	}
	if _, err := Celsius().EncodeScaled(-4001); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("EncodeScaled(-4001) error = %v", err)
	}
	wide := Encoding{Decimals: 6, Offset: 180_000_000, Bits: 29} // longitude in micro-degrees
	if v, err := wide.Encode("-180"); err != nil || v != 0 {
		t.Errorf("longitude -180 = %d, %v", v, err)
	}
	if v, err := wide.Encode("180.000000"); err != nil || v != 360_000_000 {
		t.Errorf("longitude 180 = %d, %v", v, err)
	}
}
