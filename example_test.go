package iotrust_test

import (
	"fmt"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
)

// The core of iotrust in a few lines: a device signs its readings'
// canonical bytes under a domain tag, a gateway verifies them and commits
// to them with one Merkle root, and anyone later proves one reading
// against that root.
func Example() {
	device, _ := did.Ed25519.GenerateKey(nil)
	deviceDID, _ := did.New(device.Public())

	var leaves [][]byte
	for seq := 1; seq <= 5; seq++ {
		body, _ := canon.JSON(map[string]any{"device": deviceDID, "seq": seq, "centiC": 400 + seq})
		msg, _ := canon.SigningMessage("iotrust.example.reading.v1", body)
		sig, _ := device.Sign(msg)

		// Gateway: the DID alone names the key to check against.
		pub, _ := did.ResolveKey(deviceDID)
		if !pub.Verify(msg, sig) {
			panic("bad signature")
		}
		leaves = append(leaves, body)
	}
	tree := merkle.NewTree(merkle.BLAKE3, leaves)
	root := merkle.BLAKE3.Digest(tree.Root()) // what goes on a ledger
	fmt.Println("root hash function:", root.Func)

	proof, _ := tree.InclusionProof(2)
	fmt.Println("reading 3 included:", proof.Verify(merkle.BLAKE3.HashLeaf(leaves[2]), tree.Root()) == nil)
	fmt.Println("reading 4 passed off as 3:", proof.Verify(merkle.BLAKE3.HashLeaf(leaves[3]), tree.Root()) == nil)
	// Output:
	// root hash function: blake3
	// reading 3 included: true
	// reading 4 passed off as 3: false
}
