package did

import (
	"crypto"
	cryptorand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
)

// Scheme is a signature scheme a device or organisation key can live on. It
// is chosen by value — one of the SchemeID constants Ed25519, P256,
// MLDSA44, MLDSA65, MLDSA87, or any circl scheme through SchemeFromCircl —
// so moving a device to a post-quantum scheme is a one-line change for the
// caller.
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
	// UnmarshalPublicKey parses the encoding returned by PublicKey.Bytes,
	// and only that encoding: it is where a key from outside enters, so it
	// checks the key before anything trusts it. For the built-in schemes:
	// Ed25519 refuses bytes that are not a point (ErrInvalidKey),
	// non-canonical encodings and points of small order (ErrWeakKey);
	// P-256 refuses points off the curve and non-canonical coordinates;
	// ML-DSA refuses keys of the wrong size. Every failure wraps
	// ErrInvalidKey. Every did:key, did:jwk, DID document and registry
	// entry reaches its key through this method (P-256 JWK coordinates
	// through the same checks).
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
	// ErrWeakKey is returned for an Ed25519 public key that is a point of
	// small order (for which, under the cofactored verification rule of
	// ZIP-215, anyone can make a signature that verifies) or a
	// non-canonical encoding of a point (which other verifiers read
	// differently). It wraps ErrInvalidKey.
	ErrWeakKey = fmt.Errorf("%w: weak key", ErrInvalidKey)
	// ErrUnsupportedKeyType is returned for a scheme, multicodec, JWK key
	// type or verification method type this package does not handle.
	ErrUnsupportedKeyType = errors.New("did: unsupported key type")
	// ErrKeyNotExportable is returned by PrivateKey.MarshalBinary of keys
	// that live in hardware.
	ErrKeyNotExportable = errors.New("did: private key not exportable")
)

// SchemeID names one of the built-in schemes. Its values are the constants
// below, which implement Scheme: being constants, they cannot be replaced
// by anyone, and they compare equal to the Scheme a key reports
// (k.Scheme() == did.Ed25519).
type SchemeID uint8

// The built-in schemes. The zero SchemeID is no scheme: its methods return
// zero sizes and fail with ErrUnsupportedKeyType.
const (
	// Ed25519 is the default scheme: EdDSA on edwards25519 (RFC 8032),
	// 32-byte public keys and seeds, 64-byte signatures. Verification
	// follows ZIP-215 (cofactored, as ed25519consensus implements it), the
	// rule batch verification needs: a signature is accepted alone if and
	// only if it is accepted in a batch, and every signature made by an
	// RFC 8032 signer verifies. Public keys of small order and
	// non-canonical encodings are refused when parsed (ErrWeakKey), since
	// under the cofactored rule anyone can sign for a small-order key.
	Ed25519 SchemeID = 1 + iota
	// P256 is ECDSA on NIST P-256 with SHA-256 (FIPS 186-5), the scheme
	// secure elements offer. Public keys are 33-byte compressed points (as
	// did:key encodes them) checked to lie on the curve, seeds are the
	// 32-byte big-endian private scalar, and signatures are the 64-byte
	// r‖s of JWS ES256 (RFC 7518 §3.4), so a signature made here is an
	// ES256 JWS signature and vice versa.
	P256
	// MLDSA44 is ML-DSA-44 (FIPS 204) on circl, for post-quantum devices.
	// ML-DSA keys have no registered did:key multicodec, so their DIDs are
	// did:jwk with the JOSE key type "AKP" of draft-ietf-cose-dilithium.
	MLDSA44
	// MLDSA65 is ML-DSA-65 (FIPS 204); see MLDSA44.
	MLDSA65
	// MLDSA87 is ML-DSA-87 (FIPS 204); see MLDSA44.
	MLDSA87
)

// impl returns the implementation behind s.
func (s SchemeID) impl() Scheme {
	switch s {
	case Ed25519:
		return ed25519Scheme{}
	case P256:
		return p256Scheme{}
	case MLDSA44:
		return circlScheme{s: mldsa44.Scheme(), jws: "ML-DSA-44", id: MLDSA44}
	case MLDSA65:
		return circlScheme{s: mldsa65.Scheme(), jws: "ML-DSA-65", id: MLDSA65}
	case MLDSA87:
		return circlScheme{s: mldsa87.Scheme(), jws: "ML-DSA-87", id: MLDSA87}
	}
	return noScheme{s}
}

// Name is the scheme's name: "Ed25519", "P-256", "ML-DSA-44", ...
func (s SchemeID) Name() string { return s.impl().Name() }

// String returns Name.
func (s SchemeID) String() string { return s.impl().Name() }

// JWSAlgorithm is the scheme's JOSE "alg".
func (s SchemeID) JWSAlgorithm() string { return s.impl().JWSAlgorithm() }

// SeedSize is the size of seeds and of marshalled private keys.
func (s SchemeID) SeedSize() int { return s.impl().SeedSize() }

// PublicKeySize is the size of PublicKey.Bytes.
func (s SchemeID) PublicKeySize() int { return s.impl().PublicKeySize() }

// SignatureSize is the size of every signature of the scheme.
func (s SchemeID) SignatureSize() int { return s.impl().SignatureSize() }

// GenerateKey makes a new key from SeedSize bytes read from rand
// (crypto/rand.Reader when rand is nil).
func (s SchemeID) GenerateKey(rand io.Reader) (PrivateKey, error) { return s.impl().GenerateKey(rand) }

// DeriveKey makes the key of seed, deterministically.
func (s SchemeID) DeriveKey(seed []byte) (PrivateKey, error) { return s.impl().DeriveKey(seed) }

// UnmarshalPublicKey parses and checks the encoding returned by
// PublicKey.Bytes (see Scheme).
func (s SchemeID) UnmarshalPublicKey(b []byte) (PublicKey, error) {
	return s.impl().UnmarshalPublicKey(b)
}

// UnmarshalPrivateKey parses the encoding returned by
// PrivateKey.MarshalBinary (the seed).
func (s SchemeID) UnmarshalPrivateKey(b []byte) (PrivateKey, error) {
	return s.impl().UnmarshalPrivateKey(b)
}

// noScheme is what an invalid SchemeID stands for.
type noScheme struct{ id SchemeID }

func (n noScheme) Name() string                                   { return fmt.Sprintf("SchemeID(%d)", uint8(n.id)) }
func (noScheme) JWSAlgorithm() string                             { return "" }
func (noScheme) SeedSize() int                                    { return 0 }
func (noScheme) PublicKeySize() int                               { return 0 }
func (noScheme) SignatureSize() int                               { return 0 }
func (n noScheme) err() error                                     { return fmt.Errorf("%w: %s", ErrUnsupportedKeyType, n.Name()) }
func (n noScheme) GenerateKey(io.Reader) (PrivateKey, error)      { return nil, n.err() }
func (n noScheme) DeriveKey([]byte) (PrivateKey, error)           { return nil, n.err() }
func (n noScheme) UnmarshalPublicKey([]byte) (PublicKey, error)   { return nil, n.err() }
func (n noScheme) UnmarshalPrivateKey([]byte) (PrivateKey, error) { return nil, n.err() }

// SchemeByName returns the built-in scheme called name ("Ed25519", "P-256",
// "ML-DSA-44", "ML-DSA-65", "ML-DSA-87").
func SchemeByName(name string) (Scheme, error) {
	for _, s := range []SchemeID{Ed25519, P256, MLDSA44, MLDSA65, MLDSA87} {
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

// nested is an error of this package wrapped inside another one of this
// package: it prints without its own "did: " prefix, so that messages name
// the package once ("did: invalid DID: invalid key: ..."), while errors.Is
// still finds every sentinel in the chain.
type nested struct{ err error }

func (n nested) Error() string { return strings.TrimPrefix(n.err.Error(), "did: ") }
func (n nested) Unwrap() error { return n.err }

// inner prepares err to be wrapped with %w by another error of this package.
func inner(err error) error {
	if err == nil || !strings.HasPrefix(err.Error(), "did: ") {
		return err
	}
	return nested{err}
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
