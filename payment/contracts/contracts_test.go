package contracts

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/anchor/evm/solc"
	"github.com/iotrust/iotrust/internal/solctest"
	"github.com/iotrust/iotrust/payment/contracts/internal/binding"
)

var sources = []string{"PaymentChannels.sol", "TestToken.sol"}

// TestArtifactsMatchSource recompiles the contracts with the pinned solc
// and fails if a committed .abi or .bin differs. CI sets
// IOTRUST_REQUIRE_SOLC so that a missing Node.js toolchain fails instead of
// skipping.
func TestArtifactsMatchSource(t *testing.T) {
	arts := solctest.Compile(t, ".", sources...)
	names := map[string]bool{}
	for _, a := range arts {
		names[a.Name] = true
	}
	if !names["PaymentChannels"] || !names["TestToken"] {
		t.Fatalf("compiled %v", names)
	}
	if err := solc.Check(".", arts); err != nil {
		t.Fatal(err)
	}
	// The comparison can fail: one changed byte is a mismatch.
	for i, a := range arts {
		if a.Name != "PaymentChannels" {
			continue
		}
		tampered := append([]solc.Artifact(nil), arts...)
		b := []byte(a.Bin)
		b[len(b)/2] ^= 1
		tampered[i].Bin = string(b)
		if err := solc.Check(".", tampered); !errors.Is(err, solc.ErrMismatch) {
			t.Fatalf("tampered bytecode: %v", err)
		}
	}
}

// TestBindingsMatchArtifacts regenerates each binding from the committed
// ABI and bytecode with go-ethereum's abigen (the go.mod version) and fails
// if the committed Go file is stale.
func TestBindingsMatchArtifacts(t *testing.T) {
	for _, c := range binding.Contracts {
		want, err := binding.Generate(".", c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(c.GoFile)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("%s is stale: run go generate ./payment/contracts", c.GoFile)
		}
		bin, _ := os.ReadFile(c.Type + ".bin")
		if !strings.Contains(string(got), strings.TrimSpace(string(bin))) {
			t.Fatalf("%s does not deploy %s.bin", c.GoFile, c.Type)
		}
	}
}
