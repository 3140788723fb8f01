package main

import (
	"context"
	"fmt"
	"math/big"
	"os"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/logger"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/transparency-dev/tessera/storage/posix"
	"github.com/trustbloc/did-go/method/key"
	"github.com/trustbloc/vc-go/verifiable"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc"
)

type square struct {
	X frontend.Variable
	Y frontend.Variable `gnark:",public"`
}

func (c *square) Define(api frontend.API) error {
	api.AssertIsEqual(api.Mul(c.X, c.X), c.Y)
	return nil
}

func main() {
	logger.Disable()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "alldeps:", err)
		os.Exit(1)
	}
	fmt.Println("ok")
}

func run() error {
	ctx := context.Background()

	// gnark: a one-constraint Groth16 proof.
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &square{})
	if err != nil {
		return err
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		return err
	}
	w, err := frontend.NewWitness(&square{X: 3, Y: 9}, ecc.BN254.ScalarField())
	if err != nil {
		return err
	}
	proof, err := groth16.Prove(ccs, pk, w)
	if err != nil {
		return err
	}
	pub, _ := w.Public()
	if err := groth16.Verify(proof, vk, pub); err != nil {
		return err
	}

	// go-ethereum: the in-process simulated chain.
	sim := simulated.NewBackend(types.GenesisAlloc{})
	defer sim.Close()
	id, err := sim.Client().ChainID(ctx)
	if err != nil || id.Cmp(big.NewInt(1337)) != 0 {
		return fmt.Errorf("simulated chain id %v: %v", id, err)
	}

	// Tessera: POSIX storage driver.
	dir, err := os.MkdirTemp("", "alldeps")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if _, err := posix.New(ctx, posix.Config{Path: dir}); err != nil {
		return err
	}

	// did-go and vc-go, directly and through package vc.
	_ = key.New()
	if _, err := verifiable.CreateCredential(verifiable.CredentialContents{}, nil); err != nil {
		return err
	}
	k, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return err
	}
	is, err := vc.NewIssuer(k)
	if err != nil {
		return err
	}
	_ = is.DID()
	return nil
}
