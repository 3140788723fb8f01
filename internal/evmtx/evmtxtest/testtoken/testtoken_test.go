package testtoken

import (
	"testing"

	"github.com/iotrust/iotrust/anchor/evm/solc"
	"github.com/iotrust/iotrust/internal/solctest"
)

// TestArtifactsMatchSource recompiles TestToken.sol with the pinned solc;
// TestBindingMatchesArtifacts regenerates the binding.
func TestArtifactsMatchSource(t *testing.T) {
	arts := solctest.Compile(t, ".", "TestToken.sol")
	if len(arts) != 1 || arts[0].Name != "TestToken" {
		t.Fatalf("compiled %d contracts, want exactly TestToken", len(arts))
	}
	if err := solc.Check(".", arts); err != nil {
		t.Fatal(err)
	}
}

func TestBindingMatchesArtifacts(t *testing.T) {
	if err := solc.CheckBinding(".", "TestToken", "testtoken", "test_token.go"); err != nil {
		t.Fatal(err)
	}
}
