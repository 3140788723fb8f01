package did

import (
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"

	"github.com/hdevalence/ed25519consensus"
	"github.com/iotrust/iotrust/internal/edkey"
)

// ed25519Scheme implements Ed25519 (see the constant's doc).
type ed25519Scheme struct{}

func (ed25519Scheme) Name() string         { return "Ed25519" }
func (ed25519Scheme) JWSAlgorithm() string { return "EdDSA" }
func (ed25519Scheme) SeedSize() int        { return ed25519.SeedSize }
func (ed25519Scheme) PublicKeySize() int   { return ed25519.PublicKeySize }
func (ed25519Scheme) SignatureSize() int   { return ed25519.SignatureSize }

func (s ed25519Scheme) GenerateKey(rand io.Reader) (PrivateKey, error) {
	seed, err := readSeed(rand, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	return s.DeriveKey(seed)
}

func (ed25519Scheme) DeriveKey(seed []byte) (PrivateKey, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%w: Ed25519 seed of %d bytes, want %d", ErrInvalidKey, len(seed), ed25519.SeedSize)
	}
	sk := ed25519.NewKeyFromSeed(seed)
	return ed25519PrivateKey{sk: sk, pk: ed25519PublicKey(sk.Public().(ed25519.PublicKey))}, nil
}

func (s ed25519Scheme) UnmarshalPrivateKey(b []byte) (PrivateKey, error) { return s.DeriveKey(b) }

func (ed25519Scheme) UnmarshalPublicKey(b []byte) (PublicKey, error) {
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: Ed25519 public key of %d bytes, want %d", ErrInvalidKey, len(b), ed25519.PublicKeySize)
	}
	if err := checkEd25519Point(b); err != nil {
		return nil, err
	}
	return ed25519PublicKey(append([]byte(nil), b...)), nil
}

// checkEd25519Point refuses what ZIP-215 verification would accept but no
// key should be: bytes that are not a point, a non-canonical encoding of a
// point (y ≥ p, or x = 0 with the sign bit set), which other verifiers
// decode differently or not at all, and a point of small order (a multiple
// of the cofactor 8 is the identity), for which the cofactored equation
// holds for a signature anyone can write down: R of small order and s = 0
// verify for every message. Mixed-order points (a full-order point plus a
// torsion part) are accepted: they are honest keys to everyone using the
// cofactored rule, and nobody can sign for them without the private key.
func checkEd25519Point(b []byte) error {
	switch err := edkey.Check(b); {
	case err == nil:
		return nil
	case errors.Is(err, edkey.ErrNonCanonical), errors.Is(err, edkey.ErrSmallOrder):
		return fmt.Errorf("%w: %w", ErrWeakKey, err)
	default:
		return fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
}

type ed25519PublicKey []byte

func (ed25519PublicKey) Scheme() Scheme  { return Ed25519 }
func (k ed25519PublicKey) Bytes() []byte { return k }

func (k ed25519PublicKey) Verify(msg, sig []byte) bool {
	if len(sig) != ed25519.SignatureSize {
		return false
	}
	// Whatever crypto/ed25519 accepts, ZIP-215 accepts too: it hashes the
	// same bytes, decodes points the same way, and its cofactorless
	// equation implies the cofactored one. The standard library is the
	// faster of the two (BenchmarkVerify), so it answers first, and only a
	// signature it rejects pays for the ZIP-215 check.
	if ed25519.Verify(ed25519.PublicKey(k), msg, sig) {
		return true
	}
	return ed25519consensus.Verify(ed25519.PublicKey(k), msg, sig)
}

func (k ed25519PublicKey) Equal(o PublicKey) bool {
	ok, is := o.(ed25519PublicKey)
	return is && string(ok) == string(k)
}

type ed25519PrivateKey struct {
	sk ed25519.PrivateKey
	pk ed25519PublicKey
}

func (k ed25519PrivateKey) Public() PublicKey { return k.pk }

func (k ed25519PrivateKey) Sign(msg []byte) ([]byte, error) { return ed25519.Sign(k.sk, msg), nil }

func (k ed25519PrivateKey) MarshalBinary() ([]byte, error) { return k.sk.Seed(), nil }

func (k ed25519PrivateKey) cryptoSigner() crypto.Signer { return k.sk }
