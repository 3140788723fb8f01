package contracts

import (
	"errors"
	"os"
	"testing"

	"github.com/iotrust/iotrust/anchor/evm/solc"
	"github.com/iotrust/iotrust/internal/solctest"
)

// TestArtifactsMatchSource recompiles Anchor.sol with the pinned compiler
// and fails if Anchor.abi or Anchor.bin were not regenerated after the
// source changed.
func TestArtifactsMatchSource(t *testing.T) {
	arts := solctest.Compile(t, ".", "Anchor.sol")
	if len(arts) != 1 || arts[0].Name != "Anchor" {
		t.Fatalf("compiled %d contracts, want exactly Anchor", len(arts))
	}
	if err := solc.Check(".", arts); err != nil {
		t.Fatal(err)
	}
	// The check must be able to fail: a one-byte change is a mismatch.
	tampered := arts[0]
	tampered.Bin = tampered.Bin[:len(tampered.Bin)-1] + "0"
	if tampered.Bin == arts[0].Bin {
		tampered.Bin = tampered.Bin[:len(tampered.Bin)-1] + "1"
	}
	if err := solc.Check(".", []solc.Artifact{tampered}); !errors.Is(err, solc.ErrMismatch) {
		t.Fatalf("Check of tampered bytecode = %v, want ErrMismatch", err)
	}
}

// TestBindingMatchesArtifacts regenerates the Go binding from the committed
// ABI and bytecode with the go-ethereum version the library uses and fails
// if anchor.go is stale.
func TestBindingMatchesArtifacts(t *testing.T) {
	if err := solc.CheckBinding(".", "Anchor", "contracts", "anchor.go"); err != nil {
		t.Fatal(err)
	}
}

// TestDeployedBytecodeIsBinding checks that the bytecode the binding deploys
// is the committed Anchor.bin.
func TestDeployedBytecodeIsBinding(t *testing.T) {
	bin, err := os.ReadFile("Anchor.bin")
	if err != nil {
		t.Fatal(err)
	}
	if AnchorMetaData.Bin != "0x"+string(bin) {
		t.Fatal("AnchorMetaData.Bin differs from Anchor.bin")
	}
}
