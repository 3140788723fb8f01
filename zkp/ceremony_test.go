package zkp

import (
	"bytes"
	"errors"
	"testing"

	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	cs "github.com/consensys/gnark/constraint/bn254"
)

// TestTwoPartyCeremony runs gnark's Groth16 MPC setup with two participants
// per phase for the single-reading circuit, derives keys with
// KeysFromCeremony, and proves and verifies with them. A transcript with a
// contribution left out is rejected.
func TestTwoPartyCeremony(t *testing.T) {
	if testing.Short() {
		t.Skip("ExampleKeysFromCeremony runs a ceremony in -short mode")
	}
	cc, err := Compile(ReadingShape(16), Groth16)
	if err != nil {
		t.Fatal(err)
	}
	n := CeremonyDomainSize(cc)

	// Phase 1: each participant reads the previous state, contributes,
	// publishes.
	var phase1 []*mpcsetup.Phase1
	prev := mpcsetup.NewPhase1(n)
	for range 2 {
		var buf bytes.Buffer
		if _, err := prev.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		next := new(mpcsetup.Phase1)
		if _, err := next.ReadFrom(&buf); err != nil {
			t.Fatal(err)
		}
		next.Contribute()
		phase1 = append(phase1, next)
		prev = next
	}
	commons, err := mpcsetup.VerifyPhase1(n, []byte("beacon 1"), phase1...)
	if err != nil {
		t.Fatal(err)
	}

	// Phase 2 for this circuit.
	var phase2 []*mpcsetup.Phase2
	p2 := new(mpcsetup.Phase2)
	p2.Initialize(cc.ccs.(*cs.R1CS), &commons)
	for range 2 {
		var buf bytes.Buffer
		if _, err := p2.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		next := new(mpcsetup.Phase2)
		if _, err := next.ReadFrom(&buf); err != nil {
			t.Fatal(err)
		}
		next.Contribute()
		phase2 = append(phase2, next)
		p2 = next
	}

	// Left-out contribution: the second no longer follows the first.
	if _, _, err := KeysFromCeremony(cc, &commons, []byte("beacon 2"), phase2[1]); !errors.Is(err, ErrVerify) {
		t.Fatalf("transcript without the first contribution: %v", err)
	}
	pk, vk, err := KeysFromCeremony(cc, &commons, []byte("beacon 2"), phase2...)
	if err != nil {
		t.Fatal(err)
	}
	c, o := mustOpen(t, 4500)
	claim := ReadingClaim{Interval{4200, 4800}, c}
	proof, err := Prove(pk, claim, []Opening{o})
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(vk, proof, claim); err != nil {
		t.Fatal(err)
	}
	// Keys from the ceremony are not the development keys.
	_, devVK, err := UnsafeSetup(cc, []byte("beacon 2"))
	if err != nil {
		t.Fatal(err)
	}
	if Verify(devVK, proof, claim) == nil {
		t.Fatal("ceremony proof verifies under an unrelated key")
	}
	// A PLONK circuit cannot take Groth16 ceremony keys.
	pc, _ := Compile(ReadingShape(16), PLONK)
	if _, _, err := KeysFromCeremony(pc, &commons, nil); !errors.Is(err, ErrShape) {
		t.Fatalf("PLONK circuit: %v", err)
	}
}
