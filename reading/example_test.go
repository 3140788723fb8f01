package reading_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
)

// A device signs a temperature reading and sends it as CBOR; the gateway
// parses and verifies it, and hashes its canonical JSON into its batch.
func Example() {
	ctx := context.Background()
	key, _ := did.Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32)) // a device's key
	device, _ := did.New(key.Public())

	// Device side.
	s, err := reading.Sign(key, reading.Reading{
		Device: device,
		Topic:  "coldchain/truck-7/temp",
		Seq:    42,
		Time:   time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC),
		Sensor: "temperature",
		Value:  425, Scale: 2, Unit: "Cel", // 4.25 °C
	})
	if err != nil {
		panic(err)
	}
	wire, _ := s.MarshalCBOR()

	// Gateway side.
	got, err := reading.ParseCBOR(wire)
	if err != nil {
		panic(err)
	}
	keys := did.NewKeyCache(1024, nil, 0) // resolves did:key and did:jwk devices
	fmt.Println("verify:", reading.Verify(ctx, keys, got))
	for i, err := range reading.VerifyBatch(ctx, keys, []reading.Signed{got, got}) {
		fmt.Println("batch", i, err)
	}
	leaf, _ := got.LeafBytes()
	fmt.Printf("%d bytes of CBOR, a %d-byte Merkle leaf\n", len(wire), len(leaf))
	id, _ := got.ID()
	fmt.Println("ID from", id.Func)
	// Output:
	// verify: <nil>
	// batch 0 <nil>
	// batch 1 <nil>
	// 227 bytes of CBOR, a 283-byte Merkle leaf
	// ID from blake3
}
