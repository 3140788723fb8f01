package devkeys_test

import (
	"fmt"

	"github.com/iotrust/iotrust/escrow/devkeys"
	"github.com/iotrust/iotrust/zkp"
)

// A carrier proves, with the shipped development key, that every committed
// temperature of a shipment lies within 2–8 °C, without revealing one.
func ExampleBatch() {
	pk, vk, err := devkeys.Batch()
	if err != nil {
		panic(err)
	}
	iv := zkp.Interval{Lo: 200, Hi: 800} // centi-degrees
	var claim zkp.BatchClaim
	var openings []zkp.Opening
	claim.Interval = iv
	for _, v := range []uint64{440, 512, 475} {
		c, o, err := zkp.Commit(v, nil)
		if err != nil {
			panic(err)
		}
		claim.Commitments = append(claim.Commitments, c)
		openings = append(openings, o)
	}
	proof, err := zkp.Prove(pk, claim, openings)
	if err != nil {
		panic(err)
	}
	fmt.Println("verified:", zkp.Verify(vk, proof, claim) == nil)
	// Output: verified: true
}
