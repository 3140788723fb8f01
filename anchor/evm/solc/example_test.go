package solc_test

import (
	"context"
	"fmt"
	"log"

	"github.com/iotrust/iotrust/anchor/evm/solc"
)

// Recompiling a package's contracts with the pinned compiler and checking
// the committed artifacts, as each contract package's test does (it needs
// Node.js; see Available).
func ExampleCheck() {
	root, err := solc.RepoRoot(".")
	if err != nil {
		log.Fatal(err)
	}
	if err := solc.Available(root); err != nil {
		log.Fatal(err)
	}
	arts, warnings, err := solc.Compile(context.Background(), root, "../contracts", "Anchor.sol")
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range warnings {
		fmt.Println("warning:", w)
	}
	if err := solc.Check("../contracts", arts); err != nil {
		log.Fatal(err) // the committed Anchor.abi / Anchor.bin are stale
	}
	fmt.Println("artifacts match the source")
}
