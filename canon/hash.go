package canon

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"

	"github.com/zeebo/blake3"
)

// HashFunc names a hash function of the suite. The zero value is invalid, so
// a Digest that was never set is never mistaken for a real one.
type HashFunc uint8

const (
	// BLAKE3 is BLAKE3 with a 256-bit output, the default of the suite.
	BLAKE3 HashFunc = 1
	// SHA256 is SHA-256 (FIPS 180-4), kept for interoperability with
	// RFC 6962 logs, Ethereum tooling and verifiers that lack BLAKE3.
	SHA256 HashFunc = 2
)

// DefaultHash is the hash function used when a caller does not choose one.
const DefaultHash = BLAKE3

// Size is the length in bytes of every digest of the suite.
const Size = 32

// Multihash codes of the suite's functions, from the multicodec table.
const (
	MultihashBLAKE3 = 0x1e
	MultihashSHA256 = 0x12
)

// ErrUnknownHash is returned for a hash function name or code outside the suite.
var ErrUnknownHash = errors.New("canon: unknown hash function")

// Valid reports whether h is a function of the suite.
func (h HashFunc) Valid() bool { return h == BLAKE3 || h == SHA256 }

// String returns the function's name as used in text forms of a Digest:
// "blake3" or "sha256".
func (h HashFunc) String() string {
	switch h {
	case BLAKE3:
		return "blake3"
	case SHA256:
		return "sha256"
	}
	return fmt.Sprintf("hash(%d)", uint8(h))
}

// MultihashCode returns the multicodec code of h, or 0 if h is invalid.
func (h HashFunc) MultihashCode() uint64 {
	switch h {
	case BLAKE3:
		return MultihashBLAKE3
	case SHA256:
		return MultihashSHA256
	}
	return 0
}

// New returns a fresh streaming hasher for h. It panics if h is invalid,
// like crypto.Hash.New: choosing a function is a programming decision, and
// functions parsed from untrusted input are validated by ParseHashFunc.
func (h HashFunc) New() hash.Hash {
	switch h {
	case BLAKE3:
		return blake3.New()
	case SHA256:
		return sha256.New()
	}
	panic("canon: New called on invalid HashFunc " + h.String())
}

// ParseHashFunc returns the function named name ("blake3" or "sha256").
func ParseHashFunc(name string) (HashFunc, error) {
	switch name {
	case "blake3":
		return BLAKE3, nil
	case "sha256":
		return SHA256, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrUnknownHash, name)
}

// hashFuncFromMultihash maps a multihash code to a function of the suite.
func hashFuncFromMultihash(code uint64) (HashFunc, error) {
	switch code {
	case MultihashBLAKE3:
		return BLAKE3, nil
	case MultihashSHA256:
		return SHA256, nil
	}
	return 0, fmt.Errorf("%w: multihash code 0x%x", ErrUnknownHash, code)
}

// Sum returns the plain (untagged) digest of data under h. Use TaggedSum for
// anything that is signed or anchored; Sum exists for content addressing and
// interoperability where the format fixes the hash input.
func Sum(h HashFunc, data []byte) Digest {
	switch h {
	case BLAKE3:
		return Digest{Func: BLAKE3, Sum: blake3.Sum256(data)}
	case SHA256:
		return Digest{Func: SHA256, Sum: sha256.Sum256(data)}
	}
	panic("canon: Sum called on invalid HashFunc " + h.String())
}
