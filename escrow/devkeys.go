package escrow

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/internal/atomicfile"

	"github.com/iotrust/iotrust/zkp"
)

// DevSeed is the public seed of the development keys the committed
// BatchVerifier contract embeds (zkp.UnsafeSetup). Knowing it is enough to
// forge proofs: the development verifier is for examples, tests and test
// networks. For real money, run a ceremony (zkp.KeysFromCeremony), export
// its verifying key with zkp.VerifyingKey.ExportSolidity and pass the
// deployed verifier's address to Deploy.
const DevSeed = "iotrust.escrow.dev-batch-16-16.v1"

// DevShape returns the circuit of the development verifier: a batch of up to
// 16 readings of 16 bits (zkp.Celsius's width).
func DevShape() zkp.Shape { return zkp.BatchShape(16, 16) }

// devVerifyingKey is the verifying key of the development keys, as
// zkp.VerifyingKey.WriteTo writes it; the committed BatchVerifier.sol is its
// Solidity export. go generate rewrites both.
//
//go:embed dev-batch-16-16.vk
var devVerifyingKey []byte

// DevVerifyingKey returns the verifying key the development verifier
// contract embeds. It needs no setup.
func DevVerifyingKey() (*zkp.VerifyingKey, error) {
	return zkp.ReadVerifyingKey(bytes.NewReader(devVerifyingKey))
}

// devProvingKeyFile names the cached proving key after the verifying key
// it belongs to, so that a regenerated verifier never meets a stale key.
func devProvingKeyFile(dir string) string {
	sum := sha256.Sum256(devVerifyingKey)
	return filepath.Join(dir, "escrow-dev-batch-16-16-"+hex.EncodeToString(sum[:6])+".pk")
}

// LoadDevKeys returns the development keys of the committed verifier with
// the proving key read from dir, where SetupDevKeys saved it. The error
// matches fs.ErrNotExist when dir holds no such key, and zkp.ErrKeyMismatch
// when the key there is not of the committed verifier's setup: call
// SetupDevKeys.
func LoadDevKeys(dir string) (*zkp.ProvingKey, *zkp.VerifyingKey, error) {
	vk, err := DevVerifyingKey()
	if err != nil {
		return nil, nil, err
	}
	if dir == "" {
		return nil, nil, fmt.Errorf("escrow: no cache directory: %w", fs.ErrNotExist)
	}
	f, err := os.Open(devProvingKeyFile(dir))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	pk, err := zkp.ReadProvingKey(f)
	if err != nil {
		return nil, nil, fmt.Errorf("escrow: cached proving key %s: %w", f.Name(), err)
	}
	if pk.Shape() != DevShape() || pk.Backend() != zkp.Groth16 {
		return nil, nil, fmt.Errorf("escrow: cached proving key %s: %w: %v", f.Name(), zkp.ErrShape, pk.Shape())
	}
	if err := zkp.MatchKeys(pk, vk); err != nil {
		return nil, nil, fmt.Errorf("escrow: cached proving key %s: %w", f.Name(), err)
	}
	return pk, vk, nil
}

// SetupDevKeys makes the development keys of the committed verifier from
// DevSeed — a slow, deterministic setup (seconds for 16 readings) — and,
// when dir is not empty, saves the proving key there for LoadDevKeys. It
// fails if the keys it makes are not the ones the committed verifier
// embeds.
func SetupDevKeys(dir string) (*zkp.ProvingKey, *zkp.VerifyingKey, error) {
	pk, vk, err := setupDevKeys()
	if err != nil {
		return nil, nil, err
	}
	var got bytes.Buffer
	if _, err := vk.WriteTo(&got); err != nil {
		return nil, nil, err
	}
	if !bytes.Equal(got.Bytes(), devVerifyingKey) {
		return nil, nil, errors.New("escrow: the development setup no longer gives the committed verifying key: run go generate ./escrow/...")
	}
	if dir != "" {
		if err := saveProvingKey(pk, devProvingKeyFile(dir)); err != nil {
			return nil, nil, fmt.Errorf("escrow: caching the proving key: %w", err)
		}
	}
	return pk, vk, nil
}

func setupDevKeys() (*zkp.ProvingKey, *zkp.VerifyingKey, error) {
	cc, err := zkp.Compile(DevShape(), zkp.Groth16)
	if err != nil {
		return nil, nil, err
	}
	return zkp.UnsafeSetup(cc, []byte(DevSeed))
}

// saveProvingKey writes pk to path atomically: a reader finds the whole key
// or none.
func saveProvingKey(pk *zkp.ProvingKey, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		_, err := pk.WriteTo(w)
		return err
	})
}
