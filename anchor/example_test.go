package anchor_test

import (
	"fmt"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
)

// A commitment is validated, encoded canonically and identified by the
// tagged hash of that encoding.
func ExampleCommitment_ID() {
	batch, _ := cid.Decode("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy")
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	c := anchor.Commitment{
		Root:        canon.Sum(canon.BLAKE3, []byte("stand-in for a Merkle root")),
		CID:         batch,
		WindowStart: start,
		WindowEnd:   start.Add(time.Minute),
		Count:       120,
		Topic:       "coldchain/truck-7/temp",
	}
	id, err := c.ID()
	if err != nil {
		panic(err)
	}
	enc, _ := c.MarshalBinary()
	fmt.Println(len(enc), "bytes on the ledger")
	fmt.Println(id.Func)

	c.WindowEnd = start.Add(-time.Second)
	fmt.Println(c.Validate())
	// Output:
	// 122 bytes on the ledger
	// blake3
	// anchor: invalid commitment: bad time window: end 2026-03-01T07:59:59Z before start 2026-03-01T08:00:00Z
}
