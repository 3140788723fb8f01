package keyfile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/internal/atomicfile"
)

// MaxSize bounds a key file: an ML-DSA-87 public key in base64url and a
// DID of the same.
const MaxSize = 16 << 10

// ErrMalformed is returned for a key file that does not decode or does
// not hang together.
var ErrMalformed = errors.New("keyfile: malformed key file")

var (
	b64    = base64.RawURLEncoding.Strict()
	limits = canon.Limits{MaxBytes: MaxSize, MaxDepth: 1}
)

// fileJSON is the file form; members in lexicographic order.
type fileJSON struct {
	Alg  string `json:"alg,omitempty"`
	Crv  string `json:"crv,omitempty"`
	D    string `json:"d,omitempty"`
	Kid  string `json:"kid"`
	Kty  string `json:"kty"`
	Priv string `json:"priv,omitempty"`
	Pub  string `json:"pub,omitempty"`
	Use  string `json:"use,omitempty"`
	X    string `json:"x,omitempty"`
	Y    string `json:"y,omitempty"`
}

// Marshal returns the key file of k and the DID of its public key.
func Marshal(k did.PrivateKey) (file []byte, id string, err error) {
	pub := k.Public()
	id, err = did.New(pub)
	if err != nil {
		return nil, "", err
	}
	kid, err := did.VerificationMethodID(id)
	if err != nil {
		return nil, "", err
	}
	j, err := did.NewJWK(pub)
	if err != nil {
		return nil, "", err
	}
	seed, err := k.MarshalBinary()
	if err != nil {
		return nil, "", err
	}
	f := fileJSON{Alg: j.Alg, Crv: j.Crv, Kid: kid, Kty: j.Kty, Pub: j.Pub, Use: j.Use, X: j.X, Y: j.Y}
	if j.Kty == "AKP" {
		f.Priv = b64.EncodeToString(seed)
	} else {
		f.D = b64.EncodeToString(seed)
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return nil, "", err
	}
	if file, err = limits.Canonicalize(raw); err != nil {
		return nil, "", err
	}
	return append(file, '\n'), id, nil
}

// Parse reads a key file and returns its key and DID. Errors match
// ErrMalformed, and did's errors where the key itself is refused.
func Parse(raw []byte) (did.PrivateKey, string, error) {
	var f fileJSON
	if err := limits.Decode(raw, &f); err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	pub, err := did.JWK{Alg: f.Alg, Crv: f.Crv, Kty: f.Kty, Pub: f.Pub, Use: f.Use, X: f.X, Y: f.Y}.PublicKey()
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	seed64 := f.D
	if f.Kty == "AKP" {
		if f.D != "" {
			return nil, "", fmt.Errorf(`%w: an AKP key holds its seed in "priv", not "d"`, ErrMalformed)
		}
		seed64 = f.Priv
	} else if f.Priv != "" {
		return nil, "", fmt.Errorf(`%w: an %s key holds its seed in "d", not "priv"`, ErrMalformed, f.Kty)
	}
	seed, err := b64.DecodeString(seed64)
	if err != nil || len(seed) == 0 {
		return nil, "", fmt.Errorf("%w: no private seed in unpadded base64url", ErrMalformed)
	}
	k, err := pub.Scheme().UnmarshalPrivateKey(seed)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if !k.Public().Equal(pub) {
		return nil, "", fmt.Errorf("%w: the private seed is not of the public key in the file", ErrMalformed)
	}
	want, id, err := Marshal(k)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if vm, _ := did.VerificationMethodID(id); f.Kid != vm {
		return nil, "", fmt.Errorf("%w: kid %q is not the key's verification method %s", ErrMalformed, f.Kid, vm)
	}
	got, err := limits.Canonicalize(raw)
	if err != nil || !bytes.Equal(append(got, '\n'), want) {
		return nil, "", fmt.Errorf("%w: not the one form of the key file (members as did new writes them)", ErrMalformed)
	}
	return k, id, nil
}

// Write writes the key file of k to path, readable by its owner only
// (0600), refusing to overwrite an existing file. It returns the DID.
func Write(path string, k did.PrivateKey) (string, error) {
	raw, id, err := Marshal(k)
	if err != nil {
		return "", err
	}
	// Written whole or not at all: an interrupted write leaves no part of
	// a key at path to block the next attempt.
	if err := atomicfile.CreateBytes(path, 0o600, raw); err != nil {
		return "", err
	}
	return id, nil
}
