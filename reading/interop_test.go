package reading

import (
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/internal/jsinterop"
)

// TestInteropNode compares MarshalCBOR and ParseCBOR with cborg, an
// independent JavaScript CBOR implementation, in both directions: cborg's
// RFC 8949 §4.2.1 encoding of each reading's JSON must be MarshalCBOR's
// bytes, and cborg's strict decoding of those bytes must give back the
// reading's canonical JSON. It runs when IOTRUST_NODE_MODULES names a
// node_modules folder holding cborg, as .ci/steps/65-reading.sh arranges;
// IOTRUST_REQUIRE_INTEROP makes a missing toolchain fail instead of skip.
func TestInteropNode(t *testing.T) {
	mods := jsinterop.Modules(t, "IOTRUST_NODE_MODULES", ".ci/steps/65-reading.sh")
	r := rand.New(rand.NewPCG(2026, 9))
	var req struct {
		JSON []string `json:"json"`
		CBOR []string `json:"cbor"`
	}
	var cbors [][]byte
	devs := []device{newDevice(t, did.Ed25519, 1), newDevice(t, did.P256, 2), newDevice(t, did.MLDSA44, 3)}
	for i := 0; i < 3000; i++ {
		d := devs[i%len(devs)]
		s := Signed{Reading: randomReading(r, d.did), Signature: randBytes(r, 1+r.IntN(d.key.Public().Scheme().SignatureSize()))}
		if i%10 == 0 {
			s = mustSign(t, d, s.Reading)
		}
		j, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.MarshalCBOR()
		if err != nil {
			t.Fatal(err)
		}
		req.JSON = append(req.JSON, string(j))
		req.CBOR = append(req.CBOR, hex.EncodeToString(c))
		cbors = append(cbors, c)
	}
	var out struct {
		Encoded []string `json:"encoded"`
		Decoded []string `json:"decoded"`
	}
	jsinterop.Run(t, mods, "testdata/interop/check.mjs", req, &out)
	if len(out.Encoded) != len(req.JSON) || len(out.Decoded) != len(req.CBOR) {
		t.Fatalf("node answered %d/%d items for %d", len(out.Encoded), len(out.Decoded), len(req.JSON))
	}
	bad := 0
	for i := range req.JSON {
		if out.Encoded[i] != req.CBOR[i] {
			bad++
			t.Errorf("reading %d: cborg encodes\n%s\nGo encodes\n%s\nfor %s", i, out.Encoded[i], req.CBOR[i], req.JSON[i])
		}
		if out.Decoded[i] != req.JSON[i] {
			bad++
			t.Errorf("reading %d: cborg decodes Go's CBOR to\n%s\nwant\n%s", i, out.Decoded[i], req.JSON[i])
		}
		if _, err := ParseCBOR(cbors[i]); err != nil {
			t.Errorf("reading %d: ParseCBOR: %v", i, err)
		}
		if bad > 5 {
			t.Fatal("too many differences")
		}
	}
	t.Logf("interop: %d readings agree with cborg in both directions", len(req.JSON))
}
