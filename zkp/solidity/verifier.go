package solidity

import (
	"bytes"
	"fmt"

	"github.com/iotrust/iotrust/zkp"
)

// DevSeed is the public seed of the development keys the committed
// ReadingVerifier embeds. Knowing it is enough to forge proofs.
const DevSeed = "iotrust.zkp.solidity.dev-reading-16.v1"

// DevShape returns the circuit of the committed verifier: one 16-bit
// reading.
func DevShape() zkp.Shape { return zkp.ReadingShape(16) }

// ContractName is the name of the generated verifier contract.
const ContractName = "ReadingVerifier"

// DevReadingKeys returns the deterministic development keys the committed
// ReadingVerifier was generated from (unsafe: see DevSeed).
func DevReadingKeys() (*zkp.ProvingKey, *zkp.VerifyingKey, error) {
	cc, err := zkp.Compile(DevShape(), zkp.Groth16)
	if err != nil {
		return nil, nil, err
	}
	return zkp.UnsafeSetup(cc, []byte(DevSeed))
}

// ReadingVerifierSource regenerates ReadingVerifier.sol: the Solidity export
// of vk, with gnark's contract renamed to ContractName.
func ReadingVerifierSource(vk *zkp.VerifyingKey) ([]byte, error) {
	var buf bytes.Buffer
	if err := vk.ExportSolidity(&buf); err != nil {
		return nil, err
	}
	const from, to = "\ncontract Verifier {\n", "\ncontract " + ContractName + " {\n"
	if bytes.Count(buf.Bytes(), []byte(from)) != 1 {
		return nil, fmt.Errorf("solidity: gnark's export no longer declares %q", from)
	}
	return bytes.Replace(buf.Bytes(), []byte(from), []byte(to), 1), nil
}
