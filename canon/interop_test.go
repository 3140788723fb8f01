package canon

import (
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/iotrust/iotrust/internal/jsinterop"
)

// TestInteropNode compares Canonicalize and TaggedSum with independent
// JavaScript implementations (npm canonicalize, @noble/hashes). It runs when
// IOTRUST_NODE_MODULES names a node_modules folder holding both, as
// .ci/steps/10-canon.sh arranges; CI sets IOTRUST_REQUIRE_INTEROP so a
// missing toolchain fails instead of skipping.
func TestInteropNode(t *testing.T) {
	mods := jsinterop.Modules(t, "IOTRUST_NODE_MODULES", ".ci/steps/10-canon.sh")
	r := rand.New(rand.NewPCG(2026, 11))
	type tagged struct {
		Tag  string `json:"tag"`
		Data string `json:"data"`
	}
	var req struct {
		Documents []string `json:"documents"`
		Tagged    []tagged `json:"tagged"`
	}
	for i := 0; i < 5000; i++ {
		raw, err := json.MarshalIndent(randomJSON(r, 0), "", " ")
		if err != nil {
			t.Fatal(err)
		}
		req.Documents = append(req.Documents, string(raw))
	}
	for i := 0; i < 200; i++ {
		data := vectorInput(r.IntN(3000))
		req.Tagged = append(req.Tagged, tagged{Tag: "iotrust.interop.v" + string(rune('0'+i%10)), Data: hex.EncodeToString(data)})
	}
	var out struct {
		Canonical []string `json:"canonical"`
		Tagged    []string `json:"tagged"`
	}
	jsinterop.Run(t, mods, "testdata/interop/check.mjs", req, &out)
	if len(out.Canonical) != len(req.Documents) || len(out.Tagged) != len(req.Tagged) {
		t.Fatalf("node answered %d/%d items", len(out.Canonical), len(out.Tagged))
	}
	for i, raw := range req.Documents {
		got, err := Canonicalize([]byte(raw))
		if err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		if string(got) != out.Canonical[i] {
			t.Fatalf("document %d differs:\n go   %s\n node %s", i, got, out.Canonical[i])
		}
	}
	for i, tg := range req.Tagged {
		data, _ := hex.DecodeString(tg.Data)
		if got := MustTaggedSum(BLAKE3, Tag(tg.Tag), data).Hex(); got != out.Tagged[i] {
			t.Fatalf("tagged %d: go %s, noble %s", i, got, out.Tagged[i])
		}
	}
	t.Logf("%d documents and %d tagged hashes agree with node", len(req.Documents), len(req.Tagged))
}
