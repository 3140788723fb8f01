package did

import (
	"crypto"
	"fmt"
	"io"

	"github.com/cloudflare/circl/sign"
	circled25519 "github.com/cloudflare/circl/sign/ed25519"
)

// SchemeFromCircl returns the Scheme for any github.com/cloudflare/circl/sign
// scheme. The built-in circl schemes (Ed25519, ML-DSA) map to this package's
// values, so keys and DIDs stay interchangeable; other schemes (Ed448,
// hybrids) work for keys and signatures, and have no DID encoding.
func SchemeFromCircl(s sign.Scheme) Scheme {
	switch s.Name() {
	case circled25519.Scheme().Name():
		return Ed25519
	case MLDSA44.Name():
		return MLDSA44
	case MLDSA65.Name():
		return MLDSA65
	case MLDSA87.Name():
		return MLDSA87
	}
	return circlScheme{s: s}
}

// circlScheme adapts a circl scheme. Keys keep their seed, because circl's
// expanded private keys cannot give it back and the seed is the portable
// private form (it is the "priv" of an AKP JWK).
type circlScheme struct {
	s   sign.Scheme
	jws string
	id  SchemeID // the built-in scheme this is, or 0
}

// scheme returns the Scheme value keys of c report: the SchemeID of a
// built-in scheme, c itself otherwise.
func (c circlScheme) scheme() Scheme {
	if c.id != 0 {
		return c.id
	}
	return c
}

func (c circlScheme) Name() string         { return c.s.Name() }
func (c circlScheme) JWSAlgorithm() string { return c.jws }
func (c circlScheme) SeedSize() int        { return c.s.SeedSize() }
func (c circlScheme) PublicKeySize() int   { return c.s.PublicKeySize() }
func (c circlScheme) SignatureSize() int   { return c.s.SignatureSize() }

func (c circlScheme) GenerateKey(rand io.Reader) (PrivateKey, error) {
	seed, err := readSeed(rand, c.s.SeedSize())
	if err != nil {
		return nil, err
	}
	return c.DeriveKey(seed)
}

func (c circlScheme) DeriveKey(seed []byte) (PrivateKey, error) {
	if len(seed) != c.s.SeedSize() {
		return nil, fmt.Errorf("%w: %s seed of %d bytes, want %d", ErrInvalidKey, c.s.Name(), len(seed), c.s.SeedSize())
	}
	pk, sk := c.s.DeriveKey(seed)
	raw, err := pk.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalidKey, c.s.Name(), err)
	}
	return circlPrivateKey{
		seed: append([]byte(nil), seed...),
		sk:   sk,
		pk:   circlPublicKey{scheme: c, pk: pk, raw: raw},
	}, nil
}

func (c circlScheme) UnmarshalPrivateKey(b []byte) (PrivateKey, error) { return c.DeriveKey(b) }

func (c circlScheme) UnmarshalPublicKey(b []byte) (PublicKey, error) {
	// circl accepts some over-long inputs; the canonical form has one size.
	if len(b) != c.s.PublicKeySize() {
		return nil, fmt.Errorf("%w: %s public key of %d bytes, want %d", ErrInvalidKey, c.s.Name(), len(b), c.s.PublicKeySize())
	}
	pk, err := c.s.UnmarshalBinaryPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s public key: %w", ErrInvalidKey, c.s.Name(), err)
	}
	return circlPublicKey{scheme: c, pk: pk, raw: append([]byte(nil), b...)}, nil
}

type circlPublicKey struct {
	scheme circlScheme
	pk     sign.PublicKey
	raw    []byte
}

func (k circlPublicKey) Scheme() Scheme { return k.scheme.scheme() }
func (k circlPublicKey) Bytes() []byte  { return k.raw }

func (k circlPublicKey) Verify(msg, sig []byte) bool {
	if len(sig) != k.scheme.s.SignatureSize() {
		return false
	}
	return k.scheme.s.Verify(k.pk, msg, sig, nil)
}

func (k circlPublicKey) Equal(o PublicKey) bool {
	ok, is := o.(circlPublicKey)
	return is && ok.scheme.s.Name() == k.scheme.s.Name() && string(ok.raw) == string(k.raw)
}

type circlPrivateKey struct {
	seed []byte
	sk   sign.PrivateKey
	pk   circlPublicKey
}

func (k circlPrivateKey) Public() PublicKey { return k.pk }

func (k circlPrivateKey) Sign(msg []byte) ([]byte, error) {
	return k.pk.scheme.s.Sign(k.sk, msg, nil), nil
}

func (k circlPrivateKey) MarshalBinary() ([]byte, error) { return append([]byte(nil), k.seed...), nil }

func (k circlPrivateKey) cryptoSigner() crypto.Signer { return k.sk }
