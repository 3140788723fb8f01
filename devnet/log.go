package devnet

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/evidence"
)

// ErrBadKeyFile is returned when a log's key file exists but does not hold
// a hex Ed25519 seed.
var ErrBadKeyFile = errors.New("devnet: key file is not a hex Ed25519 seed")

// LogKeyFile is the name of the file, in the directory given to OpenLog,
// that holds the log's checkpoint-signing seed in hex.
const LogKeyFile = "log.key"

// OpenLog opens the Tessera log with the given origin kept in dir/log,
// creating dir if needed. Its checkpoint-signing key is read from
// dir/log.key (hex Ed25519 seed, mode 0600), which is made on first use, so
// a directory opened again is the same log under the same key. Auditors
// need only the log's VerifierKey; TrustedLedger gives the evidence.Ledger
// that checks receipts with it. The log checkpoints at
// tlog.MinCheckpointInterval, so anchors become final quickly.
func OpenLog(ctx context.Context, dir, origin string) (*tlog.Log, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	seed, err := readOrMakeSeed(filepath.Join(dir, LogKeyFile))
	if err != nil {
		return nil, err
	}
	signer, verifier, err := tlog.NewEd25519Signer(origin, ed25519.NewKeyFromSeed(seed))
	if err != nil {
		return nil, err
	}
	return tlog.Open(ctx, tlog.Config{
		Dir: filepath.Join(dir, "log"), Signer: signer, Verifier: verifier,
		CheckpointInterval: tlog.MinCheckpointInterval,
	})
}

// TrustedLedger is l as an auditor trusts it: receipts of l's origin are
// checked with l's public key alone.
func TrustedLedger(l *tlog.Log) evidence.Ledger {
	return evidence.Ledger{Name: tlog.LedgerName, Chain: l.Origin(), Verifier: l.Verifier()}
}

// readOrMakeSeed reads a hex Ed25519 seed from path, or makes and stores one.
func readOrMakeSeed(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, err
		}
		return seed, os.WriteFile(path, []byte(hex.EncodeToString(seed)+"\n"), 0o600)
	}
	if err != nil {
		return nil, err
	}
	seed, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%w: %s", ErrBadKeyFile, path)
	}
	return seed, nil
}
