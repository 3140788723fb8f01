package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/cloudflare/circl/dh/x25519"

	"github.com/iotrust/iotrust/canon"
)

// Text prefixes of keys. The suffix is 64 lowercase hex digits: the 32-byte
// X25519 public key (RFC 7748 u-coordinate, little-endian) or the 32-byte
// HPKE private key (RFC 9180 SerializePrivateKey).
const (
	RecipientPrefix = "iotrust-store-pk-x25519:"
	IdentityPrefix  = "iotrust-store-sk-x25519:"
)

// keySize is the size of X25519 public and private keys.
const keySize = 32

// recipientTag is the domain of RecipientIDs.
const recipientTag canon.Tag = "iotrust.store.recipient.v1"

// RecipientID names a recipient inside an envelope: the BLAKE3 derive-key
// hash (canon.TaggedSum under "iotrust.store.recipient.v1") of the HPKE
// suite identifiers (KEM, KDF, AEAD as three big-endian uint16) followed by
// the public key. One public key has one ID: keys are accepted in their
// canonical encoding only.
type RecipientID [32]byte

// String returns the ID as 64 lowercase hex digits.
func (id RecipientID) String() string { return hex.EncodeToString(id[:]) }

// MarshalText implements encoding.TextMarshaler with the String form.
func (id RecipientID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; see ParseRecipientID.
func (id *RecipientID) UnmarshalText(b []byte) error {
	v, err := ParseRecipientID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// ParseRecipientID parses 64 lowercase hex digits. Any other spelling
// (uppercase, other length) fails with ErrBadKey.
func ParseRecipientID(s string) (RecipientID, error) {
	var id RecipientID
	if err := decodeLowerHex(id[:], s); err != nil {
		return RecipientID{}, fmt.Errorf("%w: recipient ID: %v", ErrBadKey, err)
	}
	return id, nil
}

// Recipient is the public half of a reader's HPKE key pair: the X25519 key
// that a blob's data key is wrapped to. Every Recipient that a function of
// this package returns has been checked (canonical encoding, not of small
// order). The zero Recipient is invalid and refused by Put and Grant.
// Recipients compare with == by key.
type Recipient struct {
	pk [keySize]byte
	id RecipientID
}

// newRecipient checks pk and returns it as a Recipient. It refuses:
//   - a u-coordinate with the top bit set or not below p = 2^255-19 (RFC
//     7748 would silently reduce these, so one key would have several
//     spellings and several RecipientIDs);
//   - points of small order (on the curve or its twist), for which every
//     X25519 shared secret is all zeros, so a data key wrapped to such a
//     "recipient" would be readable by anyone.
func newRecipient(pk []byte) (Recipient, error) {
	if len(pk) != keySize {
		return Recipient{}, fmt.Errorf("%w: public key of %d bytes, want %d", ErrBadKey, len(pk), keySize)
	}
	if !canonicalU(pk) {
		return Recipient{}, fmt.Errorf("%w: public key is not a canonical X25519 u-coordinate", ErrBadKey)
	}
	var r Recipient
	copy(r.pk[:], pk)
	// The probe scalar 2^254 + 8 is a multiple of the cofactor 8 and not of
	// the large prime orders of the curve's or the twist's subgroups, so
	// X25519(probe, u) is zero exactly when u has small order (circl also
	// compares u with its table of such points).
	var probe, out x25519.Key
	probe[0] = 0x08
	probe[31] = 0x40
	pub := x25519.Key(r.pk)
	if !x25519.Shared(&out, &probe, &pub) || out == (x25519.Key{}) {
		return Recipient{}, fmt.Errorf("%w: public key is a point of small order", ErrBadKey)
	}
	var pre [6 + keySize]byte
	copy(pre[:6], suiteIDs[:])
	copy(pre[6:], r.pk[:])
	r.id = RecipientID(canon.MustTaggedSum(canon.BLAKE3, recipientTag, pre[:]).Sum)
	return r, nil
}

// canonicalU reports whether the little-endian u is below p = 2^255-19
// (which also means its top bit is clear).
func canonicalU(u []byte) bool {
	if u[31] < 0x7f {
		return true
	}
	if u[31] > 0x7f {
		return false
	}
	for i := 30; i >= 1; i-- {
		if u[i] != 0xff {
			return true
		}
	}
	return u[0] < 0xed
}

// ParseRecipient parses RecipientPrefix followed by 64 lowercase hex
// digits and checks the key (see Recipient). Errors match ErrBadKey.
func ParseRecipient(s string) (Recipient, error) {
	rest, ok := strings.CutPrefix(s, RecipientPrefix)
	if !ok {
		return Recipient{}, fmt.Errorf("%w: recipient does not start with %q", ErrBadKey, RecipientPrefix)
	}
	var pk [keySize]byte
	if err := decodeLowerHex(pk[:], rest); err != nil {
		return Recipient{}, fmt.Errorf("%w: recipient: %v", ErrBadKey, err)
	}
	return newRecipient(pk[:])
}

// ID returns the recipient's ID, the zero RecipientID for the zero Recipient.
func (r Recipient) ID() RecipientID { return r.id }

// String returns the text form: RecipientPrefix and the key in lowercase
// hex, or "" for the zero Recipient.
func (r Recipient) String() string {
	if !r.valid() {
		return ""
	}
	return RecipientPrefix + hex.EncodeToString(r.pk[:])
}

// MarshalText implements encoding.TextMarshaler with the String form; the
// zero Recipient fails with ErrBadKey.
func (r Recipient) MarshalText() ([]byte, error) {
	if !r.valid() {
		return nil, fmt.Errorf("%w: zero Recipient", ErrBadKey)
	}
	return []byte(r.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler; see ParseRecipient.
func (r *Recipient) UnmarshalText(b []byte) error {
	v, err := ParseRecipient(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

func (r Recipient) valid() bool { return r.id != RecipientID{} }

// Identity is a reader's HPKE private key, the one that opens the data keys
// wrapped to its Recipient. Its String and GoString never show the key;
// MarshalText is the one way to get the secret text form out.
// The zero Identity is invalid: Get and Grant refuse it.
type Identity struct {
	sk [keySize]byte
	r  Recipient
}

// GenerateIdentity makes a key pair from 32 bytes of random (crypto/rand
// when random is nil) through RFC 9180's DeriveKeyPair, so a fixed input
// gives the key pair that RFC 9180's test vectors list for it.
func GenerateIdentity(random io.Reader) (Identity, error) {
	if random == nil {
		random = rand.Reader
	}
	var ikm [keySize]byte
	if _, err := io.ReadFull(random, ikm[:]); err != nil {
		return Identity{}, fmt.Errorf("store: reading randomness: %w", err)
	}
	_, sk := kemScheme.DeriveKeyPair(ikm[:])
	raw, err := sk.MarshalBinary()
	if err != nil {
		return Identity{}, fmt.Errorf("store: %w", err)
	}
	return newIdentity(raw)
}

func newIdentity(sk []byte) (Identity, error) {
	if len(sk) != keySize {
		return Identity{}, fmt.Errorf("%w: private key of %d bytes, want %d", ErrBadKey, len(sk), keySize)
	}
	var id Identity
	copy(id.sk[:], sk)
	var pub, priv x25519.Key
	priv = x25519.Key(id.sk)
	x25519.KeyGen(&pub, &priv)
	r, err := newRecipient(pub[:])
	if err != nil {
		return Identity{}, err
	}
	id.r = r
	return id, nil
}

// ParseIdentity parses IdentityPrefix followed by 64 lowercase hex digits.
// Errors match ErrBadKey and do not repeat the input.
func ParseIdentity(s string) (Identity, error) {
	rest, ok := strings.CutPrefix(s, IdentityPrefix)
	if !ok {
		return Identity{}, fmt.Errorf("%w: identity does not start with %q", ErrBadKey, IdentityPrefix)
	}
	var sk [keySize]byte
	if err := decodeLowerHex(sk[:], rest); err != nil {
		return Identity{}, fmt.Errorf("%w: identity: malformed key", ErrBadKey)
	}
	return newIdentity(sk[:])
}

// Recipient returns the public half of id.
func (id Identity) Recipient() Recipient { return id.r }

// MarshalText returns the secret text form, IdentityPrefix and the private
// key in lowercase hex. The zero Identity fails with ErrBadKey.
func (id Identity) MarshalText() ([]byte, error) {
	if !id.r.valid() {
		return nil, fmt.Errorf("%w: zero Identity", ErrBadKey)
	}
	return []byte(IdentityPrefix + hex.EncodeToString(id.sk[:])), nil
}

// UnmarshalText implements encoding.TextUnmarshaler; see ParseIdentity.
func (id *Identity) UnmarshalText(b []byte) error {
	v, err := ParseIdentity(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// String names the identity by its RecipientID without showing the key, so
// that printing or logging an Identity does not leak it.
func (id Identity) String() string { return "store.Identity(" + id.r.id.String() + ")" }

// GoString is String, for %#v.
func (id Identity) GoString() string { return id.String() }

// decodeLowerHex decodes exactly len(dst)*2 lowercase hex digits.
func decodeLowerHex(dst []byte, s string) error {
	if len(s) != 2*len(dst) {
		return fmt.Errorf("%d hex digits, want %d", len(s), 2*len(dst))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("character %d is not a lowercase hex digit", i)
		}
	}
	_, err := hex.Decode(dst, []byte(s))
	return err
}
