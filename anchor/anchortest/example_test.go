package anchortest_test

import (
	"fmt"

	"github.com/iotrust/iotrust/anchor/anchortest"
)

// Commitment gives backends' own tests valid, distinct commitments.
func ExampleCommitment() {
	a, b := anchortest.Commitment("a"), anchortest.Commitment("b")
	fmt.Println(a.Validate(), a.Topic)
	fmt.Println(a.Root.Equal(b.Root))
	// Output:
	// <nil> anchortest/a
	// false
}
