package did

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mr-tron/base58"
)

// Limits on untrusted input. A did:jwk of an ML-DSA-87 key is about 4.7 KB,
// the longest DID this package makes.
const (
	// MaxDIDLength is the longest DID or DID URL accepted.
	MaxDIDLength = 8 << 10
	// maxDIDKeyIDLength bounds a did:key method-specific id; the longest
	// supported key (P-256, 35 bytes with its multicodec) takes 49
	// characters. Base58 decoding is quadratic, so the bound comes first.
	maxDIDKeyIDLength = 128
)

// Multicodec codes of the public key types did:key encodes here.
const (
	MulticodecEd25519Pub = 0xed
	MulticodecP256Pub    = 0x1200
)

// Errors about DIDs.
var (
	// ErrInvalidDID is returned for a string that is not a well-formed DID
	// or DID URL, or a did:key / did:jwk whose key part does not decode.
	ErrInvalidDID = errors.New("did: invalid DID")
	// ErrUnsupportedMethod is returned for a well-formed DID of a method
	// this package cannot resolve offline (only "key" and "jwk" can).
	ErrUnsupportedMethod = errors.New("did: unsupported DID method")
	// ErrUnknownVerificationMethod is returned for a DID URL fragment that
	// names no verification method of the DID.
	ErrUnknownVerificationMethod = errors.New("did: unknown verification method")
)

// New returns the DID of k: did:key for Ed25519 and P-256 keys, did:jwk for
// keys with no registered did:key multicodec (ML-DSA).
func New(k PublicKey) (string, error) {
	switch k.(type) {
	case ed25519PublicKey, p256PublicKey:
		return NewKeyDID(k)
	}
	return NewJWKDID(k)
}

// NewKeyDID returns the did:key of k (an Ed25519 or P-256 key): "did:key:z"
// followed by base58btc of the multicodec varint and the key bytes.
func NewKeyDID(k PublicKey) (string, error) {
	mb, err := multikey(k)
	if err != nil {
		return "", err
	}
	return "did:key:" + mb, nil
}

// NewJWKDID returns the did:jwk of k: "did:jwk:" followed by the
// base64url of k's canonical JWK.
func NewJWKDID(k PublicKey) (string, error) {
	j, err := NewJWK(k)
	if err != nil {
		return "", err
	}
	raw, err := json.Marshal(j)
	if err != nil {
		return "", fmt.Errorf("did: encoding JWK: %w", err)
	}
	return "did:jwk:" + b64.EncodeToString(raw), nil
}

// multikey returns the Multikey publicKeyMultibase of k, which is also the
// method-specific id of its did:key.
func multikey(k PublicKey) (string, error) {
	var code uint64
	switch k.(type) {
	case ed25519PublicKey:
		code = MulticodecEd25519Pub
	case p256PublicKey:
		code = MulticodecP256Pub
	default:
		return "", fmt.Errorf("%w: %s has no did:key multicodec", ErrUnsupportedKeyType, k.Scheme().Name())
	}
	buf := binary.AppendUvarint(make([]byte, 0, 3+len(k.Bytes())), code)
	return "z" + base58.Encode(append(buf, k.Bytes()...)), nil
}

// parseMultikey decodes a Multikey publicKeyMultibase value.
func parseMultikey(mb string) (PublicKey, error) {
	if len(mb) > maxDIDKeyIDLength {
		return nil, fmt.Errorf("%w: multibase key of %d characters, limit %d", ErrInvalidDID, len(mb), maxDIDKeyIDLength)
	}
	if !strings.HasPrefix(mb, "z") {
		return nil, fmt.Errorf("%w: multibase key %q is not base58btc (prefix z)", ErrInvalidDID, truncate(mb))
	}
	raw, err := base58.Decode(mb[1:])
	if err != nil || len(raw) == 0 {
		return nil, fmt.Errorf("%w: multibase key %q is not base58btc", ErrInvalidDID, truncate(mb))
	}
	code, n := binary.Uvarint(raw)
	if n <= 0 || n != len(binary.AppendUvarint(nil, code)) {
		return nil, fmt.Errorf("%w: multibase key %q has a malformed multicodec varint", ErrInvalidDID, truncate(mb))
	}
	var k PublicKey
	switch code {
	case MulticodecEd25519Pub:
		k, err = Ed25519.UnmarshalPublicKey(raw[n:])
	case MulticodecP256Pub:
		k, err = P256.UnmarshalPublicKey(raw[n:])
	default:
		return nil, fmt.Errorf("%w: multicodec 0x%x", ErrUnsupportedKeyType, code)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: multibase key %q: %w", ErrInvalidDID, truncate(mb), inner(err))
	}
	return k, nil
}

// SplitURL splits a DID URL into its DID and fragment ("" when there is
// none), checking the DID's syntax (W3C DID Core §3.1): "did:", a method
// name of lowercase letters and digits, ":", and a method-specific id of
// letters, digits, ".", "-", "_", ":" and %-escapes not ending in ":";
// the fragment is of RFC 3986 fragment characters. Paths and queries are
// rejected: nothing here dereferences them. An empty fragment ("did:…#")
// is rejected too, so that one key has one name with or without a
// fragment. A DID URL that passes holds no character JSON would escape.
func SplitURL(s string) (did, fragment string, err error) {
	if len(s) > MaxDIDLength {
		return "", "", fmt.Errorf("%w: %d bytes, limit %d", ErrInvalidDID, len(s), MaxDIDLength)
	}
	did, fragment, hash := strings.Cut(s, "#")
	if _, _, err := splitDID(did); err != nil {
		return "", "", err
	}
	if hash && fragment == "" {
		return "", "", fmt.Errorf("%w: empty fragment in %q", ErrInvalidDID, truncate(s))
	}
	for i := 0; i < len(fragment); i++ {
		c := fragment[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0:
		case c == '%' && i+2 < len(fragment) && isHex(fragment[i+1]) && isHex(fragment[i+2]):
			i += 2
		default:
			return "", "", fmt.Errorf("%w: fragment byte 0x%02x in %q", ErrInvalidDID, c, truncate(s))
		}
	}
	return did, fragment, nil
}

// Method returns the method name of a DID or DID URL ("key", "jwk", ...).
func Method(s string) (string, error) {
	d, _, err := SplitURL(s)
	if err != nil {
		return "", err
	}
	m, _, _ := splitDID(d)
	return m, nil
}

func splitDID(s string) (method, id string, err error) {
	rest, ok := strings.CutPrefix(s, "did:")
	if !ok {
		return "", "", fmt.Errorf("%w: %q does not start with \"did:\"", ErrInvalidDID, truncate(s))
	}
	method, id, ok = strings.Cut(rest, ":")
	if !ok || method == "" || id == "" {
		return "", "", fmt.Errorf("%w: %q lacks a method or method-specific id", ErrInvalidDID, truncate(s))
	}
	for i := 0; i < len(method); i++ {
		if c := method[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return "", "", fmt.Errorf("%w: method name %q", ErrInvalidDID, truncate(method))
		}
	}
	if id[len(id)-1] == ':' {
		return "", "", fmt.Errorf("%w: %q ends in \":\"", ErrInvalidDID, truncate(s))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '_', c == ':':
		case c == '%' && i+2 < len(id) && isHex(id[i+1]) && isHex(id[i+2]):
			i += 2
		default:
			return "", "", fmt.Errorf("%w: byte 0x%02x in method-specific id of %q", ErrInvalidDID, c, truncate(s))
		}
	}
	return method, id, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// ResolveKey returns the public key a did:key or did:jwk DID, or a DID URL
// naming its verification method, stands for — the fast path of Resolve for
// verifiers that need only the key. A fragment must be the one the method
// gives the key (the multibase key for did:key, "0" for did:jwk).
func ResolveKey(didOrURL string) (PublicKey, error) {
	d, fragment, err := SplitURL(didOrURL)
	if err != nil {
		return nil, err
	}
	method, id, _ := splitDID(d)
	var want string
	var k PublicKey
	switch method {
	case "key":
		k, err = parseMultikey(id)
		want = id
	case "jwk":
		k, err = parseJWKID(id)
		want = "0"
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedMethod, method)
	}
	if err != nil {
		return nil, err
	}
	if fragment != "" && fragment != want {
		return nil, fmt.Errorf("%w: %q in %s", ErrUnknownVerificationMethod, truncate(fragment), truncate(d))
	}
	return k, nil
}

func parseJWKID(id string) (PublicKey, error) {
	raw, err := decodeB64(id)
	if err != nil {
		return nil, fmt.Errorf("%w: did:jwk id is not base64url: %w", ErrInvalidDID, err)
	}
	j, err := ParseJWK(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDID, inner(err))
	}
	k, err := j.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDID, inner(err))
	}
	return k, nil
}

// VerificationMethodID returns the DID URL of the verification method of a
// did:key or did:jwk DID — the value a JWT "kid" or a proof's
// verificationMethod carries.
func VerificationMethodID(did string) (string, error) {
	d, fragment, err := SplitURL(did)
	if err != nil {
		return "", err
	}
	if fragment != "" {
		return "", fmt.Errorf("%w: %q is a DID URL, not a DID", ErrInvalidDID, truncate(did))
	}
	method, id, _ := splitDID(d)
	switch method {
	case "key":
		return d + "#" + id, nil
	case "jwk":
		return d + "#0", nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnsupportedMethod, method)
}
