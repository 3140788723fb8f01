package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/iotrust/iotrust/anchor/tlog"
)

// openLog opens the city's transparency log in dir/log, with its checkpoint
// key in dir/log.key (hex, made on first use), so that a log kept with
// -log-dir stays one log across runs. It returns the log and its verifier
// key (Log.VerifierKey), the one string auditors need.
func openLog(ctx context.Context, dir, origin string) (*tlog.Log, string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", err
	}
	keyFile := filepath.Join(dir, "log.key")
	raw, err := os.ReadFile(keyFile)
	if errors.Is(err, os.ErrNotExist) {
		_, priv, gerr := ed25519.GenerateKey(nil)
		if gerr != nil {
			return nil, "", gerr
		}
		raw = []byte(hex.EncodeToString(priv.Seed()) + "\n")
		err = os.WriteFile(keyFile, raw, 0o600)
	}
	if err != nil {
		return nil, "", err
	}
	seed, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, "", fmt.Errorf("%s: not a hex Ed25519 seed", keyFile)
	}
	signer, verifier, err := tlog.NewEd25519Signer(origin, ed25519.NewKeyFromSeed(seed))
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
	return l, l.VerifierKey(), nil
}
