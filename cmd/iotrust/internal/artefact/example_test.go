package artefact_test

import (
	"os"

	"github.com/iotrust/iotrust/cmd/iotrust/internal/artefact"
	"github.com/iotrust/iotrust/merkle"
)

// A file of unknown kind recognised and described.
func Example() {
	tree := merkle.NewTree(merkle.SHA256, [][]byte{[]byte("a"), []byte("b"), []byte("c")})
	proof, _ := tree.InclusionProof(2)
	file, _ := proof.MarshalJSON()

	a, err := artefact.Detect(file)
	if err != nil {
		panic(err)
	}
	artefact.Describe(os.Stdout, a, nil)
	// Output:
	// Merkle inclusion proof (JSON)
	//   hasher:     sha256
	//   leaf:       2 of a tree of 3 leaves
	//   path:       1 hash
	//     [0]:      b137985ff484fb600db93107c77b0365c80d78f5b429ded0fd97361d077999eb
}
