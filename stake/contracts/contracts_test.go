package contracts

import (
	"errors"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"

	"github.com/iotrust/iotrust/anchor/evm/solc"
	"github.com/iotrust/iotrust/internal/solctest"
)

// TestArtifactsMatchSource recompiles Stake.sol with the pinned compiler
// and fails if Stake.abi or Stake.bin were not regenerated after the source
// changed.
func TestArtifactsMatchSource(t *testing.T) {
	arts := solctest.Compile(t, ".", "Stake.sol")
	if len(arts) != 1 || arts[0].Name != "Stake" {
		t.Fatalf("compiled %d contracts, want exactly Stake", len(arts))
	}
	if err := solc.Check(".", arts); err != nil {
		t.Fatal(err)
	}
	// The check must be able to fail: a one-byte change is a mismatch.
	tampered := arts[0]
	b := []byte(tampered.Bin)
	b[len(b)/2] ^= 1
	tampered.Bin = string(b)
	if err := solc.Check(".", []solc.Artifact{tampered}); !errors.Is(err, solc.ErrMismatch) {
		t.Fatalf("Check of tampered bytecode = %v, want ErrMismatch", err)
	}
}

// TestBindingMatchesArtifacts regenerates the Go binding from the committed
// ABI and bytecode with the go-ethereum version the library uses and fails
// if stake.go is stale.
func TestBindingMatchesArtifacts(t *testing.T) {
	abiJSON, err := os.ReadFile("Stake.abi")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile("Stake.bin")
	if err != nil {
		t.Fatal(err)
	}
	want, err := abigen.BindV2([]string{"Stake"}, []string{string(abiJSON)}, []string{string(bin)}, "contracts", map[string]string{}, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("stake.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("stake.go does not match Stake.abi/Stake.bin: run go generate ./stake/contracts")
	}
	if StakeMetaData.Bin != "0x"+string(bin) {
		t.Fatal("StakeMetaData.Bin differs from Stake.bin")
	}
}
