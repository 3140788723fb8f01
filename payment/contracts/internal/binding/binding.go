package binding

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"
)

// Contract names one contract whose binding is generated.
type Contract struct {
	// Type is the contract's name in Solidity and the Go type's name.
	Type string
	// GoFile is the file the binding is written to.
	GoFile string
}

// Contracts lists the bound contracts of package contracts.
var Contracts = []Contract{
	{Type: "PaymentChannels", GoFile: "payment_channels.go"},
	{Type: "TestToken", GoFile: "test_token.go"},
}

// Generate returns the abigen (v1 style) binding of c from c.Type.abi and
// c.Type.bin in dir.
func Generate(dir string, c Contract) ([]byte, error) {
	abi, err := os.ReadFile(filepath.Join(dir, c.Type+".abi"))
	if err != nil {
		return nil, err
	}
	bin, err := os.ReadFile(filepath.Join(dir, c.Type+".bin"))
	if err != nil {
		return nil, err
	}
	src, err := abigen.Bind([]string{c.Type}, []string{string(abi)}, []string{"0x" + strings.TrimSpace(string(bin))},
		nil, "contracts", nil, nil)
	if err != nil {
		return nil, err
	}
	return []byte(src), nil
}
