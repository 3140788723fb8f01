package contracts_test

import (
	"encoding/hex"
	"fmt"

	"github.com/iotrust/iotrust/anchor/evm/contracts"
)

// The binding packs calls for any go-ethereum client: here the call data
// of anchoredAt(root), which other contracts and clients use to ask when a
// root was anchored. Send it with eth_call to the deployed contract.
func ExampleAnchor_PackAnchoredAt() {
	var root [32]byte
	root[31] = 1
	data := contracts.NewAnchor().PackAnchoredAt(root)
	fmt.Println(len(data), "bytes: 4-byte selector + one 32-byte word")
	fmt.Println("root word:", hex.EncodeToString(data[4:]))
	// Output:
	// 36 bytes: 4-byte selector + one 32-byte word
	// root word: 0000000000000000000000000000000000000000000000000000000000000001
}
