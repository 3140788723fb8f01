// Command devexport regenerates the development batch verifier of package
// escrow: it runs the deterministic setup from escrow.DevSeed and writes the
// verifying key and its Solidity export, with gnark's contract renamed to
// BatchVerifier.
//
//	go run ./internal/devexport contracts/BatchVerifier.sol dev-batch-16-16.vk
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/consensys/gnark/logger"

	"github.com/iotrust/iotrust/escrow"
	"github.com/iotrust/iotrust/zkp"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: devexport BatchVerifier.sol dev.vk")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "devexport:", err)
		os.Exit(1)
	}
}

func run(solPath, vkPath string) error {
	logger.Disable()
	cc, err := zkp.Compile(escrow.DevShape(), zkp.Groth16)
	if err != nil {
		return err
	}
	_, vk, err := zkp.UnsafeSetup(cc, []byte(escrow.DevSeed))
	if err != nil {
		return err
	}
	src, err := escrow.VerifierSource(vk, "BatchVerifier")
	if err != nil {
		return err
	}
	var key bytes.Buffer
	if _, err := vk.WriteTo(&key); err != nil {
		return err
	}
	if err := os.WriteFile(solPath, src, 0o644); err != nil {
		return err
	}
	return os.WriteFile(vkPath, key.Bytes(), 0o644)
}
