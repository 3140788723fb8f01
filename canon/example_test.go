package canon_test

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/canon"
)

func ExampleCanonicalize() {
	raw := []byte(`{ "value": 4.50, "unit": "°C", "seq": 1e0, "device": "did:key:z6Mk…" }`)
	c, err := canon.Canonicalize(raw)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(c))
	// Output: {"device":"did:key:z6Mk…","seq":1,"unit":"°C","value":4.5}
}

func ExampleTaggedSum() {
	reading := map[string]any{"seq": 1, "value": 4.5}
	b, _ := canon.JSON(reading)
	d, _ := canon.TaggedSum(canon.BLAKE3, "iotrust.example.v1", b)
	fmt.Println(string(b))
	fmt.Println(d.Func, len(d.Sum))
	back, _ := canon.ParseDigest(d.String())
	fmt.Println(back == d)
	// Output:
	// {"seq":1,"value":4.5}
	// blake3 32
	// true
}

// What a device signs: the SigningMessage of the object's canonical bytes
// under the tag naming its kind.
func ExampleSigningMessage() {
	type reading struct {
		Device string `json:"device"`
		Seq    int    `json:"seq"`
		Value  int    `json:"value"` // fixed point, 0.1 °C
	}
	b, err := canon.JSON(reading{Device: "did:key:z6Mk…", Seq: 1, Value: 45})
	if err != nil {
		panic(err)
	}
	msg, err := canon.SigningMessage("iotrust.example-reading.v1", b)
	if err != nil {
		panic(err)
	}
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)) // a device key
	sig := ed25519.Sign(key, msg)

	fmt.Println(string(b))
	fmt.Println(len(msg), ed25519.Verify(key.Public().(ed25519.PublicKey), msg, sig))
	// Output:
	// {"device":"did:key:z6Mk…","seq":1,"value":45}
	// 32 true
}

// Reading untrusted JSON: one spelling of each document, so a case variant
// of a member that encoding/json would quietly take is refused.
func ExampleDecode() {
	type voucher struct {
		Amount uint64 `json:"amount"`
	}
	var v voucher
	fmt.Println(canon.Decode([]byte(`{"amount":7}`), &v), v.Amount)

	err := canon.Decode([]byte(`{"amount":7,"AMOUNT":9}`), &v)
	fmt.Println(errors.Is(err, canon.ErrUnknownMember))
	err = canon.Decode([]byte(`{"amount":7} {"amount":9}`), &v)
	fmt.Println(errors.Is(err, canon.ErrTrailingData))
	// Output:
	// <nil> 7
	// true
	// true
}
