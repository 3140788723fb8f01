package did

import (
	"crypto"
	cryptorand "crypto/rand"
	"errors"
	"fmt"
	"io"
)

// Scheme is a signature scheme a device or organisation key can live on. It
// is chosen by value — Ed25519, P256, MLDSA44, MLDSA65, or any circl scheme
// through SchemeFromCircl — so moving a device to a post-quantum scheme is a
// one-line change for the caller.
//
// Every key of every scheme is made from a seed of SeedSize bytes, and the
// seed is the key's private encoding: DeriveKey(seed) and
// UnmarshalPrivateKey(seed) return the same key.
type Scheme interface {
	// Name is the scheme's name: "Ed25519", "P-256", "ML-DSA-44", ...
	Name() string
	// JWSAlgorithm is the scheme's JOSE "alg" ("EdDSA", "ES256",
	// "ML-DSA-44", ...), or "" when none is registered.
	JWSAlgorithm() string
	// SeedSize is the size of seeds and of marshalled private keys.
	SeedSize() int
	// PublicKeySize is the size of PublicKey.Bytes.
	PublicKeySize() int
	// SignatureSize is the size of every signature of the scheme.
	SignatureSize() int
	// GenerateKey makes a new key from SeedSize bytes read from rand
	// (crypto/rand.Reader when rand is nil).
	GenerateKey(rand io.Reader) (PrivateKey, error)
	// DeriveKey makes the key of seed, deterministically. It fails with
	// ErrInvalidKey if seed has the wrong size (or, for P-256, is not a
	// valid scalar).
	DeriveKey(seed []byte) (PrivateKey, error)
	// UnmarshalPublicKey parses the encoding returned by PublicKey.Bytes.
	UnmarshalPublicKey(b []byte) (PublicKey, error)
	// UnmarshalPrivateKey parses the encoding returned by
	// PrivateKey.MarshalBinary (the seed).
	UnmarshalPrivateKey(b []byte) (PrivateKey, error)
}

// PublicKey is a public key of some Scheme.
type PublicKey interface {
	// Scheme returns the key's scheme.
	Scheme() Scheme
	// Bytes returns the key's canonical encoding: 32 bytes for Ed25519, the
	// 33-byte compressed point for P-256 (SEC 1), the FIPS 204 encoding for
	// ML-DSA. The caller must not modify it.
	Bytes() []byte
	// Verify reports whether sig is a valid signature of msg by this key.
	// It never panics, whatever sig holds.
	Verify(msg, sig []byte) bool
	// Equal reports whether o is the same key of the same scheme.
	Equal(o PublicKey) bool
}

// PrivateKey is a signing key of some Scheme. Its Sign method has the shape
// trustbloc/vc-go's proof creators expect of a signer (creator.WithJWTAlg,
// creator.WithLDProofType), so a PrivateKey plugs into them directly: its
// signatures are exactly the JWS signatures of Scheme().JWSAlgorithm().
//
// Implementations outside this package (a secure element, an HSM) may
// return ErrKeyNotExportable from MarshalBinary.
type PrivateKey interface {
	// Public returns the matching public key.
	Public() PublicKey
	// Sign signs msg: pure Ed25519 (RFC 8032); for P-256, ECDSA over
	// SHA-256(msg) encoded as the 64-byte r‖s of JWS ES256; pure ML-DSA
	// with an empty context (FIPS 204).
	Sign(msg []byte) ([]byte, error)
	// MarshalBinary returns the key's seed.
	MarshalBinary() ([]byte, error)
}

// Errors about keys.
var (
	// ErrInvalidKey is returned for key bytes of the wrong size or that do
	// not encode a valid key of the scheme.
	ErrInvalidKey = errors.New("did: invalid key")
	// ErrUnsupportedKeyType is returned for a scheme, multicodec, JWK key
	// type or verification method type this package does not handle.
	ErrUnsupportedKeyType = errors.New("did: unsupported key type")
	// ErrKeyNotExportable is returned by PrivateKey.MarshalBinary of keys
	// that live in hardware.
	ErrKeyNotExportable = errors.New("did: private key not exportable")
)

// SchemeByName returns the built-in scheme called name ("Ed25519", "P-256",
// "ML-DSA-44", "ML-DSA-65", "ML-DSA-87").
func SchemeByName(name string) (Scheme, error) {
	for _, s := range []Scheme{Ed25519, P256, MLDSA44, MLDSA65, MLDSA87} {
		if s.Name() == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%w: scheme %q", ErrUnsupportedKeyType, truncate(name))
}

// CryptoSigner returns k as a standard library crypto.Signer when k is one of
// this package's keys: ed25519.PrivateKey for Ed25519, *ecdsa.PrivateKey for
// P-256 (whose crypto.Signer signs a digest and returns ASN.1 DER, unlike
// PrivateKey.Sign), circl's key for circl schemes. It reports false for keys
// from elsewhere.
func CryptoSigner(k PrivateKey) (crypto.Signer, bool) {
	cs, ok := k.(interface{ cryptoSigner() crypto.Signer })
	if !ok {
		return nil, false
	}
	return cs.cryptoSigner(), true
}

// readSeed reads a fresh seed of n bytes from rand (crypto/rand when nil).
func readSeed(rand io.Reader, n int) ([]byte, error) {
	seed := make([]byte, n)
	if rand == nil {
		rand = cryptorand.Reader
	}
	if _, err := io.ReadFull(rand, seed); err != nil {
		return nil, fmt.Errorf("did: reading key seed: %w", err)
	}
	return seed, nil
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
