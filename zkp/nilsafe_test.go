package zkp

import (
	"bytes"
	"errors"
	"testing"
)

// TestNilAndZeroValuesAreErrors: a nil or zero key, proof or claim handed
// to the public API is ErrShape, never a panic.
func TestNilAndZeroValuesAreErrors(t *testing.T) {
	pk, vk := testKeys(t, ReadingShape(16), Groth16)
	c, o, err := Commit(5, nil)
	if err != nil {
		t.Fatal(err)
	}
	claim := ReadingClaim{Interval: Interval{0, 10}, Commitment: c}
	proof, err := Prove(pk, claim, []Opening{o})
	if err != nil {
		t.Fatal(err)
	}
	var nilReading *ReadingClaim
	for name, f := range map[string]func() error{
		"Prove nil key":            func() error { _, err := Prove(nil, claim, []Opening{o}); return err },
		"Prove zero key":           func() error { _, err := Prove(&ProvingKey{}, claim, []Opening{o}); return err },
		"Prove nil claim":          func() error { _, err := Prove(pk, nil, []Opening{o}); return err },
		"Prove nil claim pointer":  func() error { _, err := Prove(pk, nilReading, []Opening{o}); return err },
		"Verify nil key":           func() error { return Verify(nil, proof, claim) },
		"Verify zero key":          func() error { return Verify(&VerifyingKey{}, proof, claim) },
		"Verify nil proof":         func() error { return Verify(vk, nil, claim) },
		"Verify nil claim":         func() error { return Verify(vk, proof, nil) },
		"Verify nil claim pointer": func() error { return Verify(vk, proof, nilReading) },
		"PublicInputs nil claim":   func() error { _, err := PublicInputs(ReadingShape(16), nil); return err },
		"PublicInputs bad shape":   func() error { _, err := PublicInputs(ReadingShape(MaxBits+1), claim); return err },
		"MarshalBinary nil proof":  func() error { _, err := (*Proof)(nil).MarshalBinary(); return err },
		"MarshalBinary zero proof": func() error { _, err := (&Proof{}).MarshalBinary(); return err },
		"SolidityProof nil proof":  func() error { _, err := (*Proof)(nil).SolidityProof(); return err },
		"WriteTo zero vk":          func() error { _, err := (&VerifyingKey{}).WriteTo(&bytes.Buffer{}); return err },
		"WriteTo nil vk":           func() error { _, err := (*VerifyingKey)(nil).WriteTo(&bytes.Buffer{}); return err },
		"WriteTo zero pk":          func() error { _, err := (&ProvingKey{}).WriteTo(&bytes.Buffer{}); return err },
		"ExportSolidity nil vk":    func() error { return (*VerifyingKey)(nil).ExportSolidity(&bytes.Buffer{}) },
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panicked: %v", r)
					}
				}()
				err = f()
			}()
			if !errors.Is(err, ErrShape) {
				t.Fatalf("got %v, want ErrShape", err)
			}
		})
	}
	if got := (&ProvingKey{}).VerifyingKey(); got != nil {
		t.Errorf("zero ProvingKey's VerifyingKey = %v, want nil", got)
	}
}

// TestCheckIntervalBadShape: CheckInterval of a shape Validate refuses is
// ErrShape (negative Bits used to panic with a negative shift, Bits above
// MaxBits to accept any interval).
func TestCheckIntervalBadShape(t *testing.T) {
	for _, bits := range []int{-1, 0, MaxBits + 1, 200} {
		s := ReadingShape(bits)
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("bits %d: panicked: %v", bits, r)
				}
			}()
			err = s.CheckInterval(Interval{0, 5})
		}()
		if !errors.Is(err, ErrShape) {
			t.Errorf("bits %d: got %v, want ErrShape", bits, err)
		}
	}
}
