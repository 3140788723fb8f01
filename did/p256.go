package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	cryptorand "crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/big"
)

const (
	p256ScalarSize = 32
	p256PublicSize = 1 + p256ScalarSize
	p256SigSize    = 2 * p256ScalarSize
)

// p256Scheme implements P256 (see the constant's doc).
type p256Scheme struct{}

func (p256Scheme) Name() string         { return "P-256" }
func (p256Scheme) JWSAlgorithm() string { return "ES256" }
func (p256Scheme) SeedSize() int        { return p256ScalarSize }
func (p256Scheme) PublicKeySize() int   { return p256PublicSize }
func (p256Scheme) SignatureSize() int   { return p256SigSize }

func (s p256Scheme) GenerateKey(rand io.Reader) (PrivateKey, error) {
	// A random 32-byte string is a valid scalar except with probability
	// about 2^-32; draw again in that case, as FIPS 186-5 A.2.2 does.
	for range 64 {
		seed, err := readSeed(rand, p256ScalarSize)
		if err != nil {
			return nil, err
		}
		if k, err := s.DeriveKey(seed); err == nil {
			return k, nil
		}
	}
	return nil, errors.New("did: P-256 key generation: random source yields no valid scalar")
}

func (p256Scheme) DeriveKey(seed []byte) (PrivateKey, error) {
	if len(seed) != p256ScalarSize {
		return nil, fmt.Errorf("%w: P-256 private key of %d bytes, want %d", ErrInvalidKey, len(seed), p256ScalarSize)
	}
	sk, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), seed)
	if err != nil {
		return nil, fmt.Errorf("%w: P-256 private key: %w", ErrInvalidKey, err)
	}
	pk, err := newP256PublicKey(&sk.PublicKey)
	if err != nil {
		return nil, err
	}
	return p256PrivateKey{sk: sk, pk: pk}, nil
}

func (s p256Scheme) UnmarshalPrivateKey(b []byte) (PrivateKey, error) { return s.DeriveKey(b) }

func (p256Scheme) UnmarshalPublicKey(b []byte) (PublicKey, error) {
	if len(b) != p256PublicSize || (b[0] != 2 && b[0] != 3) {
		return nil, fmt.Errorf("%w: P-256 public key must be a %d-byte compressed point, got %d bytes", ErrInvalidKey, p256PublicSize, len(b))
	}
	x, y := elliptic.UnmarshalCompressed(elliptic.P256(), b)
	if x == nil {
		return nil, fmt.Errorf("%w: P-256 public key is not a curve point", ErrInvalidKey)
	}
	return p256FromXY(x, y)
}

// p256FromXY makes a key from affine coordinates, checking them on the curve.
func p256FromXY(x, y *big.Int) (PublicKey, error) {
	if x.Sign() < 0 || y.Sign() < 0 || x.BitLen() > 256 || y.BitLen() > 256 {
		return nil, fmt.Errorf("%w: P-256 coordinates out of range", ErrInvalidKey)
	}
	raw := make([]byte, 1+2*p256ScalarSize)
	raw[0] = 4
	x.FillBytes(raw[1 : 1+p256ScalarSize])
	y.FillBytes(raw[1+p256ScalarSize:])
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return nil, fmt.Errorf("%w: P-256 public key: %w", ErrInvalidKey, err)
	}
	return newP256PublicKey(pub)
}

func newP256PublicKey(pub *ecdsa.PublicKey) (p256PublicKey, error) {
	raw, err := pub.Bytes()
	if err != nil {
		return p256PublicKey{}, fmt.Errorf("%w: P-256 public key: %w", ErrInvalidKey, err)
	}
	if len(raw) != 1+2*p256ScalarSize {
		return p256PublicKey{}, fmt.Errorf("%w: P-256 public key of %d bytes uncompressed", ErrInvalidKey, len(raw))
	}
	k := p256PublicKey{pub: pub}
	k.compressed[0] = 2 | raw[len(raw)-1]&1
	copy(k.compressed[1:], raw[1:1+p256ScalarSize])
	return k, nil
}

type p256PublicKey struct {
	pub        *ecdsa.PublicKey
	compressed [p256PublicSize]byte
}

func (p256PublicKey) Scheme() Scheme { return P256 }

func (k p256PublicKey) Bytes() []byte { return k.compressed[:] }

// uncompressed returns the x and y coordinates, 32 bytes each.
func (k p256PublicKey) uncompressed() (x, y []byte) {
	raw, _ := k.pub.Bytes() // cannot fail: checked in newP256PublicKey
	return raw[1 : 1+p256ScalarSize], raw[1+p256ScalarSize:]
}

func (k p256PublicKey) Verify(msg, sig []byte) bool {
	if len(sig) != p256SigSize {
		return false
	}
	h := sha256.Sum256(msg)
	r := new(big.Int).SetBytes(sig[:p256ScalarSize])
	s := new(big.Int).SetBytes(sig[p256ScalarSize:])
	return ecdsa.Verify(k.pub, h[:], r, s)
}

func (k p256PublicKey) Equal(o PublicKey) bool {
	ok, is := o.(p256PublicKey)
	return is && ok.compressed == k.compressed
}

type p256PrivateKey struct {
	sk *ecdsa.PrivateKey
	pk p256PublicKey
}

func (k p256PrivateKey) Public() PublicKey { return k.pk }

func (k p256PrivateKey) Sign(msg []byte) ([]byte, error) {
	h := sha256.Sum256(msg)
	r, s, err := ecdsa.Sign(cryptorand.Reader, k.sk, h[:])
	if err != nil {
		return nil, fmt.Errorf("did: P-256 signing: %w", err)
	}
	// (r, s) and (r, n−s) both verify: the low one is the one form
	// CanonicalSignature admits.
	if s.Cmp(p256HalfOrder) > 0 {
		s.Sub(elliptic.P256().Params().N, s)
	}
	sig := make([]byte, p256SigSize)
	r.FillBytes(sig[:p256ScalarSize])
	s.FillBytes(sig[p256ScalarSize:])
	return sig, nil
}

// p256HalfOrder is ⌊n/2⌋ for P-256's group order n.
var p256HalfOrder = new(big.Int).Rsh(elliptic.P256().Params().N, 1)

// CanonicalSignature reports whether sig is in the one form of a
// signature by k that cannot be altered without the private key. For
// P-256 that is s ≤ n/2: an ECDSA signature (r, s) also verifies as
// (r, n−s), so anyone could give a signed object a second signature.
// Sign makes only low-s signatures; signers elsewhere (a secure element,
// WebCrypto) replace a high s by n−s before sending. Signatures of the
// other schemes have one form already (Ed25519 under ZIP-215 refuses
// s ≥ L; ML-DSA is strongly unforgeable), and CanonicalSignature reports
// true for them. It does not verify sig; callers that commit to a
// signature's bytes (a Merkle leaf that includes it) check both.
func CanonicalSignature(k PublicKey, sig []byte) bool {
	if _, ok := k.(p256PublicKey); !ok {
		return true
	}
	if len(sig) != p256SigSize {
		return false
	}
	return new(big.Int).SetBytes(sig[p256ScalarSize:]).Cmp(p256HalfOrder) <= 0
}

func (k p256PrivateKey) MarshalBinary() ([]byte, error) { return k.sk.Bytes() }

func (k p256PrivateKey) cryptoSigner() crypto.Signer { return k.sk }
