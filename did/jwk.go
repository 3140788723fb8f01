package did

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
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
	Kty string `json:"kty"`
	Pub string `json:"pub,omitempty"`
	Use string `json:"use,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// ErrInvalidJWK is returned for a JWK that is malformed, holds private key
// material, or does not describe a valid key.
var ErrInvalidJWK = errors.New("did: invalid JWK")

var b64 = base64.RawURLEncoding.Strict()

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

// ParseJWK parses a public JWK, ignoring members it does not use ("kid",
// "key_ops", ...). It rejects private key material ("d", "priv"), keys
// marked for encryption only, and duplicate members.
func ParseJWK(raw []byte) (JWK, error) {
	if len(raw) > MaxDIDLength {
		return JWK{}, fmt.Errorf("%w: %d bytes, limit %d", ErrInvalidJWK, len(raw), MaxDIDLength)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return JWK{}, fmt.Errorf("%w: %v", ErrInvalidJWK, err)
	}
	if _, ok := members["d"]; ok {
		return JWK{}, fmt.Errorf("%w: holds private key member \"d\"", ErrInvalidJWK)
	}
	if _, ok := members["priv"]; ok {
		return JWK{}, fmt.Errorf("%w: holds private key member \"priv\"", ErrInvalidJWK)
	}
	if err := rejectDuplicateKeys(raw); err != nil {
		return JWK{}, fmt.Errorf("%w: %v", ErrInvalidJWK, err)
	}
	var j JWK
	if err := json.Unmarshal(raw, &j); err != nil {
		return JWK{}, fmt.Errorf("%w: %v", ErrInvalidJWK, err)
	}
	return j, nil
}

// PublicKey returns the key j describes.
func (j JWK) PublicKey() (PublicKey, error) {
	if j.Use != "" && j.Use != "sig" {
		return nil, fmt.Errorf("%w: \"use\":%q is not a signing key", ErrInvalidJWK, truncate(j.Use))
	}
	switch j.Kty {
	case "OKP":
		if j.Crv != "Ed25519" {
			return nil, fmt.Errorf("%w: OKP curve %q", ErrUnsupportedKeyType, truncate(j.Crv))
		}
		if j.Alg != "" && j.Alg != "EdDSA" && j.Alg != "Ed25519" {
			return nil, fmt.Errorf("%w: Ed25519 key with \"alg\":%q", ErrInvalidJWK, truncate(j.Alg))
		}
		x, err := b64.DecodeString(j.X)
		if err != nil {
			return nil, fmt.Errorf("%w: \"x\": %v", ErrInvalidJWK, err)
		}
		return Ed25519.UnmarshalPublicKey(x)
	case "EC":
		if j.Crv != "P-256" {
			return nil, fmt.Errorf("%w: EC curve %q", ErrUnsupportedKeyType, truncate(j.Crv))
		}
		if j.Alg != "" && j.Alg != "ES256" {
			return nil, fmt.Errorf("%w: P-256 key with \"alg\":%q", ErrInvalidJWK, truncate(j.Alg))
		}
		x, errX := b64.DecodeString(j.X)
		y, errY := b64.DecodeString(j.Y)
		if errX != nil || errY != nil || len(x) != p256ScalarSize || len(y) != p256ScalarSize {
			return nil, fmt.Errorf("%w: P-256 \"x\" and \"y\" must be %d-byte base64url values", ErrInvalidJWK, p256ScalarSize)
		}
		return p256FromXY(new(big.Int).SetBytes(x), new(big.Int).SetBytes(y))
	case "AKP":
		for _, s := range []Scheme{MLDSA44, MLDSA65, MLDSA87} {
			if s.JWSAlgorithm() == j.Alg {
				pub, err := b64.DecodeString(j.Pub)
				if err != nil {
					return nil, fmt.Errorf("%w: \"pub\": %v", ErrInvalidJWK, err)
				}
				return s.UnmarshalPublicKey(pub)
			}
		}
		return nil, fmt.Errorf("%w: AKP algorithm %q", ErrUnsupportedKeyType, truncate(j.Alg))
	}
	return nil, fmt.Errorf("%w: JWK key type %q", ErrUnsupportedKeyType, truncate(j.Kty))
}

// rejectDuplicateKeys fails on an object with a repeated member name at top
// level: encoding/json keeps the last one, other parsers the first, and a
// key whose meaning depends on the parser must not be accepted.
func rejectDuplicateKeys(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := t.(string)
		if seen[name] {
			return fmt.Errorf("duplicate member %q", truncate(name))
		}
		seen[name] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}
