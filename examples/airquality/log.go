package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor/tlog"
)

// openLog opens the city's transparency log in dir, with a checkpoint key
// kept beside it so that the same log can be reopened (-log-dir). It
// returns the log and its verifier key in note form (origin+hash+base64),
// which auditors are given.
func openLog(ctx context.Context, dir, origin string) (*tlog.Log, string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", err
	}
	keyFile := filepath.Join(dir, "checkpoint.key")
	seed, err := os.ReadFile(keyFile)
	if os.IsNotExist(err) {
		_, priv, gerr := ed25519.GenerateKey(nil)
		if gerr != nil {
			return nil, "", gerr
		}
		seed = priv.Seed()
		err = os.WriteFile(keyFile, seed, 0o600)
	}
	if err != nil {
		return nil, "", err
	}
	if len(seed) != ed25519.SeedSize {
		return nil, "", fmt.Errorf("%s: not an Ed25519 seed", keyFile)
	}
	key := ed25519.NewKeyFromSeed(seed)
	vkey, err := note.NewEd25519VerifierKey(origin, key.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, "", err
	}
	signer, verifier, err := tlog.NewEd25519Signer(origin, key)
	if err != nil {
		return nil, "", err
	}
	l, err := tlog.Open(ctx, tlog.Config{
		Dir: filepath.Join(dir, "log"), Signer: signer, Verifier: verifier,
		CheckpointInterval: tlog.MinCheckpointInterval,
	})
	if err != nil {
		return nil, "", err
	}
	return l, vkey, nil
}
