package merkle_test

import (
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
)

func Example() {
	leaves := [][]byte{[]byte("r0"), []byte("r1"), []byte("r2"), []byte("r3"), []byte("r4")}
	tree := merkle.NewTree(merkle.BLAKE3, leaves)

	proof, err := tree.InclusionProof(3)
	if err != nil {
		panic(err)
	}
	err = proof.Verify(merkle.BLAKE3.HashLeaf(leaves[3]), tree.Root())
	fmt.Println("leaf 3 included:", err == nil, "path length:", len(proof.Path))

	err = proof.Verify(merkle.BLAKE3.HashLeaf([]byte("forged")), tree.Root())
	fmt.Println("forged leaf:", err)
	// Output:
	// leaf 3 included: true path length: 3
	// forged leaf: merkle: root mismatch: inclusion proof of leaf 3 in size 5
}

func ExampleSHA256() {
	// The SHA256 hasher is RFC 6962: this root equals Certificate
	// Transparency's for the same leaves.
	root := merkle.SHA256.Root([][]byte{{}, {0x00}, {0x10}})
	fmt.Println(root)
	// Output: aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77
}

func ExampleBuilder() {
	// A gateway appends readings as they arrive and seals at any size.
	b := merkle.NewBuilder(merkle.BLAKE3)
	for _, r := range []string{"r0", "r1", "r2", "r3", "r4"} {
		if _, err := b.Append([]byte(r)); err != nil {
			panic(err) // only at 2^64−1 leaves
		}
	}
	root := b.Root()
	fmt.Println(b.Size(), merkle.BLAKE3.Digest(root).Func)
	fmt.Println(root == merkle.BLAKE3.Root([][]byte{[]byte("r0"), []byte("r1"), []byte("r2"), []byte("r3"), []byte("r4")}))
	// Output:
	// 5 blake3
	// true
}

func ExampleTree_ConsistencyProof() {
	leaves := [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("d"), []byte("e"), []byte("f")}
	tree := merkle.NewTree(merkle.SHA256, leaves)
	oldRoot, _ := tree.RootAt(3) // published when the log had 3 entries

	proof, _ := tree.ConsistencyProof(3, 6)
	fmt.Println(proof.Verify(oldRoot, tree.Root()))
	// Output: <nil>
}

func ExampleInclusionProof_MarshalJSON() {
	tree := merkle.NewTree(merkle.SHA256, [][]byte{{}, {0x00}, {0x10}})
	proof, _ := tree.InclusionProof(2)
	js, _ := proof.MarshalJSON()
	fmt.Println(string(js))

	var back merkle.InclusionProof
	fmt.Println(back.UnmarshalJSON(js), len(back.Path))
	// Output:
	// {"type":"inclusion","hasher":"sha256","index":2,"size":3,"path":["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]}
	// <nil> 1
}

func ExampleInclusionProof_UnmarshalJSON() {
	// The decoder reads exactly one spelling: a member name that differs
	// only in case is refused, not matched to "index".
	var p merkle.InclusionProof
	err := p.UnmarshalJSON([]byte(`{"type":"inclusion","hasher":"sha256","INDEX":0,"size":1,"path":[]}`))
	fmt.Println(errors.Is(err, merkle.ErrMalformedProof), errors.Is(err, canon.ErrUnknownMember))

	err = p.UnmarshalJSON([]byte(`{"type":"inclusion","hasher":"sha256","index":0,"size":1,"path":[]}`))
	fmt.Println(err, p.Index, p.Size)
	// Output:
	// true true
	// <nil> 0 1
}
