package escrow

import (
	"bytes"
	"fmt"

	"github.com/iotrust/iotrust/zkp"
)

// VerifierSource returns the Solidity source of a batch verifier contract
// named name for vk, a Groth16 key of a batch shape (zkp.BatchShape): the
// export of zkp.VerifyingKey.ExportSolidity with gnark's contract renamed.
// Compile it with the project's pinned solc (package anchor/evm/solc) and
// pass the deployed contract's address to Deploy. The committed
// development verifier is this function's output for DevVerifyingKey.
func VerifierSource(vk *zkp.VerifyingKey, name string) ([]byte, error) {
	if vk == nil {
		return nil, fmt.Errorf("%w: no verifying key", ErrShape)
	}
	if vk.Backend() != zkp.Groth16 || vk.Shape().Kind != zkp.KindBatch {
		return nil, fmt.Errorf("%w: %v %v: the escrow needs a Groth16 batch verifier", ErrShape, vk.Backend(), vk.Shape())
	}
	if !validIdentifier(name) {
		return nil, fmt.Errorf("%w: %q", ErrContractName, name)
	}
	var buf bytes.Buffer
	if err := vk.ExportSolidity(&buf); err != nil {
		return nil, err
	}
	const from = "\ncontract Verifier {\n"
	if bytes.Count(buf.Bytes(), []byte(from)) != 1 {
		return nil, fmt.Errorf("escrow: gnark's export no longer declares %q", from)
	}
	return bytes.Replace(buf.Bytes(), []byte(from), []byte("\ncontract "+name+" {\n"), 1), nil
}

func validIdentifier(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
