package canon

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestInteropNode compares Canonicalize and TaggedSum with independent
// JavaScript implementations (npm canonicalize, @noble/hashes). It runs when
// IOTRUST_NODE_MODULES names a node_modules folder holding both, as
// .ci/steps/10-canon.sh arranges; CI sets IOTRUST_REQUIRE_INTEROP so a
// missing toolchain fails instead of skipping.
func TestInteropNode(t *testing.T) {
	mods := os.Getenv("IOTRUST_NODE_MODULES")
	if mods == "" {
		if os.Getenv("IOTRUST_REQUIRE_INTEROP") != "" {
			t.Fatal("IOTRUST_REQUIRE_INTEROP is set but IOTRUST_NODE_MODULES is not")
		}
		t.Skip("set IOTRUST_NODE_MODULES to run the JavaScript cross-check (see .ci/steps/10-canon.sh)")
	}
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
	in, _ := json.Marshal(req)
	script, _ := filepath.Abs("testdata/interop/check.mjs")
	// Node resolves bare imports relative to the script, so run a copy
	// placed next to the node_modules folder.
	dir := filepath.Dir(mods)
	copyPath := filepath.Join(dir, "canon-check.mjs")
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyPath, src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", copyPath)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outBytes, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var out struct {
		Canonical []string `json:"canonical"`
		Tagged    []string `json:"tagged"`
	}
	if err := json.Unmarshal(outBytes, &out); err != nil {
		t.Fatal(err)
	}
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
