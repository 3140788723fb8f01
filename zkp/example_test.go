package zkp_test

import (
	"fmt"

	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	cs "github.com/consensys/gnark/constraint/bn254"

	"github.com/iotrust/iotrust/zkp"
)

// A cold-chain reading of 4.5 °C is committed, and the owner proves it lay
// within 2–8 °C without revealing it.
func Example() {
	cc, err := zkp.Compile(zkp.ReadingShape(16), zkp.Groth16)
	if err != nil {
		panic(err)
	}
	// Development keys: anyone who knows the seed can forge proofs.
	pk, vk, err := zkp.UnsafeSetup(cc, []byte("example"))
	if err != nil {
		panic(err)
	}

	value, err := zkp.Celsius().Encode("4.5")
	if err != nil {
		panic(err)
	}
	commitment, opening, err := zkp.Commit(value, nil) // fresh random salt
	if err != nil {
		panic(err)
	}

	lo, _ := zkp.Celsius().Encode("2")
	hi, _ := zkp.Celsius().Encode("8")
	claim := zkp.ReadingClaim{Interval: zkp.Interval{Lo: lo, Hi: hi}, Commitment: commitment}
	proof, err := zkp.Prove(pk, claim, []zkp.Opening{opening})
	if err != nil {
		panic(err)
	}
	fmt.Println("2–8 °C:", zkp.Verify(vk, proof, claim) == nil)

	lo3, _ := zkp.Celsius().Encode("3")
	hi4, _ := zkp.Celsius().Encode("4")
	narrower := zkp.ReadingClaim{Interval: zkp.Interval{Lo: lo3, Hi: hi4}, Commitment: commitment}
	fmt.Println("3–4 °C:", zkp.Verify(vk, proof, narrower) == nil)
	// Output:
	// 2–8 °C: true
	// 3–4 °C: false
}

// A batch proof covers exactly the commitments it is verified against.
func ExampleVerify_batch() {
	cc, err := zkp.Compile(zkp.BatchShape(16, 16), zkp.Groth16)
	if err != nil {
		panic(err)
	}
	// Throw-away keys for development; production keys come from a ceremony.
	pk, vk, err := zkp.UnsafeRandomSetup(cc)
	if err != nil {
		panic(err)
	}
	var commitments []zkp.Commitment
	var openings []zkp.Opening
	for _, reading := range []string{"2.0", "3.75", "7.99", "5"} {
		v, _ := zkp.Celsius().Encode(reading)
		c, o, err := zkp.Commit(v, nil)
		if err != nil {
			panic(err)
		}
		commitments, openings = append(commitments, c), append(openings, o)
	}
	claim := zkp.BatchClaim{Interval: zkp.Interval{Lo: 4200, Hi: 4800}, Commitments: commitments}
	proof, err := zkp.Prove(pk, claim, openings)
	if err != nil {
		panic(err)
	}
	fmt.Println("all four:", zkp.Verify(vk, proof, claim) == nil)
	claim.Commitments = commitments[:3]
	fmt.Println("first three only:", zkp.Verify(vk, proof, claim) == nil)
	// Output:
	// all four: true
	// first three only: false
}

// A Groth16 ceremony with one participant per phase (a real one has many,
// each on their own machine, and publishes every contribution): the keys
// are sound as long as one participant per phase destroyed their secret.
func ExampleKeysFromCeremony() {
	cc, err := zkp.Compile(zkp.ReadingShape(16), zkp.Groth16)
	if err != nil {
		panic(err)
	}
	// Phase 1: participants pass the state along; each contributes.
	phase1 := mpcsetup.NewPhase1(zkp.CeremonyDomainSize(cc))
	phase1.Contribute()
	commons, err := mpcsetup.VerifyPhase1(zkp.CeremonyDomainSize(cc), []byte("public beacon 1"), phase1)
	if err != nil {
		panic(err)
	}
	// Phase 2, for this circuit.
	var phase2 mpcsetup.Phase2
	phase2.Initialize(cc.ConstraintSystem().(*cs.R1CS), &commons)
	phase2.Contribute()
	pk, vk, err := zkp.KeysFromCeremony(cc, &commons, []byte("public beacon 2"), &phase2)
	if err != nil {
		panic(err)
	}

	c, opening, err := zkp.Commit(4500, nil)
	if err != nil {
		panic(err)
	}
	claim := zkp.ReadingClaim{Interval: zkp.Interval{Lo: 4200, Hi: 4800}, Commitment: c}
	proof, err := zkp.Prove(pk, claim, []zkp.Opening{opening})
	if err != nil {
		panic(err)
	}
	fmt.Println(zkp.Verify(vk, proof, claim))
	// Output: <nil>
}
