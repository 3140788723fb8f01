package contracts

import (
	"errors"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"

	"github.com/iotrust/iotrust/anchor/evm/solc"
	"github.com/iotrust/iotrust/internal/solctest"
)

// TestArtifactsMatchSource recompiles the contracts with the pinned
// compiler and fails if a committed ABI or bytecode was not regenerated
// after its source changed.
func TestArtifactsMatchSource(t *testing.T) {
	arts := solctest.Compile(t, ".", "RangeEscrow.sol", "BatchVerifier.sol")
	names := map[string]bool{}
	for _, a := range arts {
		names[a.Name] = true
	}
	for _, want := range []string{"RangeEscrow", "BatchVerifier", "IBatchVerifier", "IERC20Transfer"} {
		if !names[want] {
			t.Fatalf("compiled %v, want %s among them", names, want)
		}
	}
	if err := solc.Check(".", arts); err != nil {
		t.Fatal(err)
	}
	// The check must be able to fail: a one-byte change is a mismatch.
	for i, a := range arts {
		if a.Name != "RangeEscrow" {
			continue
		}
		tampered := append([]solc.Artifact(nil), arts...)
		b := []byte(a.Bin)
		b[len(b)-1] ^= 1
		tampered[i].Bin = string(b)
		if err := solc.Check(".", tampered); !errors.Is(err, solc.ErrMismatch) {
			t.Fatalf("Check of tampered bytecode = %v, want ErrMismatch", err)
		}
	}
}

// TestBindingsMatchArtifacts regenerates each Go binding from the committed
// ABI and bytecode with the go-ethereum version the library uses and fails
// if one is stale; the bytecode a binding deploys is the committed one.
func TestBindingsMatchArtifacts(t *testing.T) {
	for _, c := range []struct{ name, file, metaBin string }{
		{"RangeEscrow", "range_escrow.go", RangeEscrowMetaData.Bin},
		{"BatchVerifier", "batch_verifier.go", BatchVerifierMetaData.Bin},
	} {
		abiJSON, err := os.ReadFile(c.name + ".abi")
		if err != nil {
			t.Fatal(err)
		}
		bin, err := os.ReadFile(c.name + ".bin")
		if err != nil {
			t.Fatal(err)
		}
		want, err := abigen.BindV2([]string{c.name}, []string{string(abiJSON)}, []string{string(bin)}, "contracts", map[string]string{}, map[string]string{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Fatalf("%s does not match %s.abi/%s.bin: run go generate ./escrow/...", c.file, c.name, c.name)
		}
		if c.metaBin != "0x"+string(bin) {
			t.Fatalf("the %s binding deploys other bytecode than %s.bin", c.name, c.name)
		}
	}
}
