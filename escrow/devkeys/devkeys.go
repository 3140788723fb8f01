package devkeys

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/iotrust/iotrust/escrow"
	"github.com/iotrust/iotrust/zkp"
)

// provingKey is the development proving key as zkp.ProvingKey.WriteTo
// writes it: escrow.SetupDevKeys's output, from escrow.DevSeed.
//
//go:embed dev-batch-16-16.pk
var provingKey []byte

// Batch returns the development keys of escrow's committed verifier
// (shape escrow.DevShape()): the shipped proving key and
// escrow.DevVerifyingKey. It runs no setup. Proofs made with the proving
// key verify with the verifying key and on the verifier that
// escrow.DeployDevVerifier deploys; anyone can forge them (see the package
// doc). Each call decodes a fresh copy of the key.
func Batch() (*zkp.ProvingKey, *zkp.VerifyingKey, error) {
	vk, err := escrow.DevVerifyingKey()
	if err != nil {
		return nil, nil, err
	}
	pk, err := zkp.ReadProvingKey(bytes.NewReader(provingKey))
	if err != nil {
		return nil, nil, fmt.Errorf("devkeys: shipped proving key: %w", err)
	}
	if pk.Shape() != escrow.DevShape() || pk.Backend() != zkp.Groth16 {
		return nil, nil, fmt.Errorf("devkeys: shipped proving key: %w: %v %v", zkp.ErrShape, pk.Shape(), pk.Backend())
	}
	return pk, vk, nil
}
