package contracts_test

import (
	"fmt"

	"github.com/iotrust/iotrust/escrow/contracts"
)

// The binding packs calls for any go-ethereum client: here the call data of
// expire(id), which anyone may send once a deal's deadline has passed.
func ExampleRangeEscrow_PackExpire() {
	id := [32]byte{31: 7}
	data := contracts.NewRangeEscrow().PackExpire(id)
	fmt.Printf("%d bytes: selector %x, last byte of the deal ID %d\n", len(data), data[:4], data[35])
	// Output:
	// 36 bytes: selector c6441798, last byte of the deal ID 7
}
