package zkp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/iotrust/iotrust/internal/atomicfile"
)

// CachedUnsafeSetup is UnsafeSetup with its keys kept in dir, for programs
// that would otherwise repeat a slow setup on every run: when dir holds the
// keys an earlier call made for cc's shape and backend from the same seed,
// they are read back; otherwise the setup runs and its keys are saved in
// dir (each file replaced whole, so a crash leaves no half key). cached
// reports which happened. A cache entry that cannot be read, that is of
// another shape or backend, or whose two keys are of different setups
// (MatchKeys), is made again; an empty dir disables the
// cache. Everything said of UnsafeSetup holds: the keys are for development
// only.
func CachedUnsafeSetup(dir string, cc *CompiledCircuit, seed []byte) (pk *ProvingKey, vk *VerifyingKey, cached bool, err error) {
	if cc == nil {
		return nil, nil, false, fmt.Errorf("%w: nil circuit", ErrShape)
	}
	base := ""
	if dir != "" {
		sum := sha256.Sum256(seed)
		name := strings.NewReplacer("/", "-", " ", "-").Replace(fmt.Sprintf("unsafe-%v-%v-%s", cc.shape, cc.backend, hex.EncodeToString(sum[:6])))
		base = filepath.Join(dir, name)
		if pk, vk, err := readCachedKeys(base, cc); err == nil {
			return pk, vk, true, nil
		}
	}
	if pk, vk, err = UnsafeSetup(cc, seed); err != nil {
		return nil, nil, false, err
	}
	if base != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, false, fmt.Errorf("zkp: caching keys: %w", err)
		}
		for ext, w := range map[string]io.WriterTo{".pk": pk, ".vk": vk} {
			err := atomicfile.Write(base+ext, 0o600, func(f io.Writer) error { _, err := w.WriteTo(f); return err })
			if err != nil {
				return nil, nil, false, fmt.Errorf("zkp: caching keys: %w", err)
			}
		}
	}
	return pk, vk, false, nil
}

func readCachedKeys(base string, cc *CompiledCircuit) (*ProvingKey, *VerifyingKey, error) {
	pk, err := readKeyFile(base+".pk", ReadProvingKey)
	if err != nil {
		return nil, nil, err
	}
	vk, err := readKeyFile(base+".vk", ReadVerifyingKey)
	if err != nil {
		return nil, nil, err
	}
	if pk.Shape() != cc.shape || vk.Shape() != cc.shape || pk.Backend() != cc.backend || vk.Backend() != cc.backend {
		return nil, nil, fmt.Errorf("%w: cached keys of another circuit", ErrShape)
	}
	if err := MatchKeys(pk, vk); err != nil {
		return nil, nil, err
	}
	return pk, vk, nil
}

// readKeyFile reads the key in the file at path with read.
func readKeyFile[K any](path string, read func(io.Reader) (K, error)) (K, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero K
		return zero, err
	}
	defer f.Close()
	return read(f)
}
