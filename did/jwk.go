package did

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/iotrust/iotrust/canon"
)

// JWK is the public JSON Web Key (RFC 7517) form of a PublicKey: "OKP" with
// "crv":"Ed25519" (RFC 8037), "EC" with "crv":"P-256" (RFC 7518), and "AKP"
// with "alg":"ML-DSA-44"/"ML-DSA-65"/"ML-DSA-87" and the raw key in "pub"
// (draft-ietf-cose-dilithium, key type registered by IANA in 2025).
//
// Its fields are declared in lexicographic order, so encoding/json writes
// it in RFC 8785 canonical form: the did:jwk of a key is stable.
type JWK struct {
	Alg string `json:"alg,omitempty"`
	Crv string `json:"crv,omitempty"`
	// KeyOps is "key_ops" (RFC 7517 §4.3); a key that has it must allow
	// "verify".
	KeyOps []string `json:"key_ops,omitempty"`
	// Kid is "kid", the key's name for its holder; it does not change the
	// key.
	Kid string `json:"kid,omitempty"`
	Kty string `json:"kty"`
	Pub string `json:"pub,omitempty"`
	Use string `json:"use,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// jwkMembers is the one spelling of a JWK ParseJWK accepts: these member
// names exactly, nothing else. "ext" (WebCrypto's extractable flag) is
// accepted and dropped; "d" and "priv" are read only to refuse them.
type jwkMembers struct {
	Alg    string          `json:"alg"`
	Crv    string          `json:"crv"`
	Ext    *bool           `json:"ext"`
	KeyOps []string        `json:"key_ops"`
	Kid    string          `json:"kid"`
	Kty    string          `json:"kty"`
	Pub    string          `json:"pub"`
	Use    string          `json:"use"`
	X      string          `json:"x"`
	Y      string          `json:"y"`
	D      json.RawMessage `json:"d"`
	Priv   json.RawMessage `json:"priv"`
}

// isKeyOp reports whether op is a "key_ops" value RFC 7517 §4.3 registers.
func isKeyOp(op string) bool {
	switch op {
	case "sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey", "deriveKey", "deriveBits":
		return true
	}
	return false
}

// ErrInvalidJWK is returned for a JWK that is malformed, holds private key
// material, or does not describe a valid key.
var ErrInvalidJWK = errors.New("did: invalid JWK")

var b64 = base64.RawURLEncoding.Strict()

// decodeB64 decodes unpadded base64url in its one spelling: encoding/base64
// skips CR and LF even in strict mode, so "AA\nAA" would otherwise read as
// "AAAA".
func decodeB64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("line break in base64url")
	}
	return b64.DecodeString(s)
}

// NewJWK returns the public JWK of k, with "use":"sig" since every key of
// this package is a signing key. Keys of schemes without a JOSE form fail
// with ErrUnsupportedKeyType.
func NewJWK(k PublicKey) (JWK, error) {
	switch key := k.(type) {
	case ed25519PublicKey:
		return JWK{Crv: "Ed25519", Kty: "OKP", Use: "sig", X: b64.EncodeToString(key)}, nil
	case p256PublicKey:
		x, y := key.uncompressed()
		return JWK{Crv: "P-256", Kty: "EC", Use: "sig", X: b64.EncodeToString(x), Y: b64.EncodeToString(y)}, nil
	case circlPublicKey:
		if key.scheme.jws != "" {
			return JWK{Alg: key.scheme.jws, Kty: "AKP", Pub: b64.EncodeToString(key.raw), Use: "sig"}, nil
		}
	}
	return JWK{}, fmt.Errorf("%w: no JWK form for %s keys", ErrUnsupportedKeyType, k.Scheme().Name())
}

// ParseJWK parses a public JWK from an untrusted source, through
// canon.Decode: one JSON object with nothing after it, no duplicate
// members, and member names exactly as RFC 7517, 7518, 8037 and
// draft-ietf-cose-dilithium spell them. The members accepted for the key
// types "OKP", "EC" and "AKP" are alg, crv, ext, key_ops, kid, kty, pub,
// use, x and y; any other (a case variant such as "X" included, which
// encoding/json would read as "x") is refused with canon.ErrUnknownMember,
// and private key material ("d", "priv") is refused by name. "key_ops"
// must hold registered operations, each once. A JWK of another key type
// ("RSA", "oct", ...) parses to a JWK holding only its "kty", whose
// PublicKey fails with ErrUnsupportedKeyType. Every error wraps
// ErrInvalidJWK.
func ParseJWK(raw []byte) (JWK, error) {
	if len(raw) > MaxDIDLength {
		return JWK{}, fmt.Errorf("%w: %d bytes, limit %d", ErrInvalidJWK, len(raw), MaxDIDLength)
	}
	// First as a bag of members, to refuse private keys whatever their
	// type and to set foreign key types aside without judging members that
	// belong to them.
	var members map[string]json.RawMessage
	if err := canon.Decode(raw, &members); err != nil {
		return JWK{}, fmt.Errorf("%w: %w", ErrInvalidJWK, err)
	}
	if members == nil {
		return JWK{}, fmt.Errorf("%w: not a JSON object", ErrInvalidJWK)
	}
	for _, name := range []string{"d", "priv", "p", "q", "dp", "dq", "qi", "k"} {
		if _, ok := members[name]; ok {
			return JWK{}, fmt.Errorf("%w: holds private key member %q", ErrInvalidJWK, name)
		}
	}
	rawKty, ok := members["kty"]
	if !ok {
		return JWK{}, fmt.Errorf("%w: no \"kty\"", ErrInvalidJWK)
	}
	var kty string
	if err := canon.Decode(rawKty, &kty); err != nil {
		return JWK{}, fmt.Errorf("%w: \"kty\": %w", ErrInvalidJWK, err)
	}
	switch kty {
	case "OKP", "EC", "AKP":
	default:
		return JWK{Kty: kty}, nil
	}
	var m jwkMembers
	if err := canon.Decode(raw, &m); err != nil {
		return JWK{}, fmt.Errorf("%w: %w", ErrInvalidJWK, err)
	}
	if m.KeyOps != nil {
		if len(m.KeyOps) == 0 {
			return JWK{}, fmt.Errorf("%w: empty \"key_ops\"", ErrInvalidJWK)
		}
		for i, op := range m.KeyOps {
			if !isKeyOp(op) {
				return JWK{}, fmt.Errorf("%w: \"key_ops\" value %q", ErrInvalidJWK, truncate(op))
			}
			if slices.Contains(m.KeyOps[:i], op) {
				return JWK{}, fmt.Errorf("%w: \"key_ops\" lists %q twice", ErrInvalidJWK, op)
			}
		}
	}
	return JWK{Alg: m.Alg, Crv: m.Crv, KeyOps: m.KeyOps, Kid: m.Kid, Kty: m.Kty, Pub: m.Pub, Use: m.Use, X: m.X, Y: m.Y}, nil
}

// UnmarshalJSON reads a JWK as ParseJWK does, so that decoding a JWK with
// encoding/json is as strict as ParseJWK.
func (j *JWK) UnmarshalJSON(raw []byte) error {
	v, err := ParseJWK(raw)
	if err != nil {
		return err
	}
	*j = v
	return nil
}

// PublicKey returns the key j describes.
func (j JWK) PublicKey() (PublicKey, error) {
	if j.Use != "" && j.Use != "sig" {
		return nil, fmt.Errorf("%w: \"use\":%q is not a signing key", ErrInvalidJWK, truncate(j.Use))
	}
	if j.KeyOps != nil && !slices.Contains(j.KeyOps, "verify") {
		return nil, fmt.Errorf("%w: \"key_ops\" does not allow \"verify\"", ErrInvalidJWK)
	}
	// Members of another key type would not change the key, but would give
	// it a second spelling.
	switch {
	case j.Kty == "OKP" && (j.Y != "" || j.Pub != ""),
		j.Kty == "EC" && j.Pub != "",
		j.Kty == "AKP" && (j.Crv != "" || j.X != "" || j.Y != ""):
		return nil, fmt.Errorf("%w: %s key with members of another key type", ErrInvalidJWK, j.Kty)
	}
	switch j.Kty {
	case "OKP":
		if j.Crv != "Ed25519" {
			return nil, fmt.Errorf("%w: OKP curve %q", ErrUnsupportedKeyType, truncate(j.Crv))
		}
		if j.Alg != "" && j.Alg != "EdDSA" && j.Alg != "Ed25519" {
			return nil, fmt.Errorf("%w: Ed25519 key with \"alg\":%q", ErrInvalidJWK, truncate(j.Alg))
		}
		x, err := decodeB64(j.X)
		if err != nil {
			return nil, fmt.Errorf("%w: \"x\": %w", ErrInvalidJWK, err)
		}
		return Ed25519.UnmarshalPublicKey(x)
	case "EC":
		if j.Crv != "P-256" {
			return nil, fmt.Errorf("%w: EC curve %q", ErrUnsupportedKeyType, truncate(j.Crv))
		}
		if j.Alg != "" && j.Alg != "ES256" {
			return nil, fmt.Errorf("%w: P-256 key with \"alg\":%q", ErrInvalidJWK, truncate(j.Alg))
		}
		x, errX := decodeB64(j.X)
		y, errY := decodeB64(j.Y)
		if errX != nil || errY != nil || len(x) != p256ScalarSize || len(y) != p256ScalarSize {
			return nil, fmt.Errorf("%w: P-256 \"x\" and \"y\" must be %d-byte base64url values", ErrInvalidJWK, p256ScalarSize)
		}
		return p256FromXY(new(big.Int).SetBytes(x), new(big.Int).SetBytes(y))
	case "AKP":
		for _, s := range []SchemeID{MLDSA44, MLDSA65, MLDSA87} {
			if s.JWSAlgorithm() == j.Alg {
				pub, err := decodeB64(j.Pub)
				if err != nil {
					return nil, fmt.Errorf("%w: \"pub\": %w", ErrInvalidJWK, err)
				}
				return s.UnmarshalPublicKey(pub)
			}
		}
		return nil, fmt.Errorf("%w: AKP algorithm %q", ErrUnsupportedKeyType, truncate(j.Alg))
	}
	return nil, fmt.Errorf("%w: JWK key type %q", ErrUnsupportedKeyType, truncate(j.Kty))
}
