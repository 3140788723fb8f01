package solidity_test

import (
	"fmt"
	"math/big"

	"github.com/iotrust/iotrust/zkp"
	"github.com/iotrust/iotrust/zkp/solidity"
)

// A reading proof prepared for the on-chain verifier: the proof in the
// EIP-197 layout verifyProof takes, and the public inputs recomputed from
// the claim. Send the packed call to the deployed ReadingVerifier; it
// reverts unless the proof holds.
func Example() {
	pk, _, err := solidity.DevReadingKeys() // development keys: publicly forgeable
	if err != nil {
		panic(err)
	}
	value, _ := zkp.Celsius().Encode("4.5")
	commitment, opening, _ := zkp.Commit(value, nil)
	lo, _ := zkp.Celsius().Encode("2")
	hi, _ := zkp.Celsius().Encode("8")
	claim := zkp.ReadingClaim{Interval: zkp.Interval{Lo: lo, Hi: hi}, Commitment: commitment}
	proof, err := zkp.Prove(pk, claim, []zkp.Opening{opening})
	if err != nil {
		panic(err)
	}
	raw, _ := proof.SolidityProof()
	inputs, _ := zkp.PublicInputs(solidity.DevShape(), claim)
	call := solidity.NewReadingVerifier().PackVerifyProof(raw, [3]*big.Int(inputs))
	fmt.Println("proof bytes:", len(raw))
	fmt.Println("public inputs:", len(inputs), "- lo and hi:", inputs[0], inputs[1])
	fmt.Println("call data bytes:", len(call))
	// Output:
	// proof bytes: 256
	// public inputs: 3 - lo and hi: 4200 4800
	// call data bytes: 420
}
