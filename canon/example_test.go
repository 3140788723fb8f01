package canon_test

import (
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
