package contracts

import (
	"errors"
	"testing"

	"github.com/iotrust/iotrust/anchor/evm/solc"
	"github.com/iotrust/iotrust/internal/solctest"
)

// TestArtifactsMatchSource recompiles the contract with the pinned solc
// and fails if a committed .abi or .bin differs. CI sets
// IOTRUST_REQUIRE_SOLC so that a missing Node.js toolchain fails instead of
// skipping.
func TestArtifactsMatchSource(t *testing.T) {
	arts := solctest.Compile(t, ".", "PaymentChannels.sol")
	names := map[string]bool{}
	for _, a := range arts {
		names[a.Name] = true
	}
	if !names["PaymentChannels"] || !names["IERC20Minimal"] || len(names) != 2 {
		t.Fatalf("compiled %v, want PaymentChannels and the interface it calls", names)
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

// TestBindingsMatchArtifacts regenerates the binding (abigen v2) from the
// committed ABI and bytecode with the go-ethereum version in go.mod and
// fails if payment_channels.go is stale.
func TestBindingsMatchArtifacts(t *testing.T) {
	if err := solc.CheckBinding(".", "PaymentChannels", "contracts", "payment_channels.go"); err != nil {
		t.Fatal(err)
	}
}
