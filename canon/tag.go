package canon

import (
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/zeebo/blake3"
)

// Tag names the kind of object a hash or signature is about, e.g.
// "iotrust.reading.v1" or "iotrust.voucher.v1". Hashing and signing through
// a Tag makes a digest of one kind of object unequal to a digest of any
// other kind, whatever the bytes, so a signature on a reading can never be
// replayed as a signature on a voucher.
//
// A Tag is 1 to 64 bytes of printable ASCII (0x20–0x7e), conventionally
// "iotrust.<kind>.v<version>". Packages declare their tags as constants.
type Tag string

// MaxTagLen is the longest Tag accepted.
const MaxTagLen = 64

// ErrBadTag is returned for a Tag that is empty, too long or not printable ASCII.
var ErrBadTag = errors.New("canon: invalid domain-separation tag")

// Validate checks that t is a well-formed Tag.
func (t Tag) Validate() error {
	if len(t) == 0 || len(t) > MaxTagLen {
		return fmt.Errorf("%w: length %d", ErrBadTag, len(t))
	}
	for i := 0; i < len(t); i++ {
		if t[i] < 0x20 || t[i] > 0x7e {
			return fmt.Errorf("%w: byte 0x%02x at %d", ErrBadTag, t[i], i)
		}
	}
	return nil
}

// TaggedSum returns the domain-separated digest of data for objects of kind
// tag:
//
//   - BLAKE3: BLAKE3's derive-key mode with context string tag and key
//     material data (output 32 bytes). The context is hashed with its own
//     flag, so no data can collide with another tag's.
//   - SHA256: SHA-256(SHA-256(tag) ‖ SHA-256(tag) ‖ data), the tagged hash of
//     BIP-340: the 64-byte prefix fills exactly one block, and no valid data
//     of one tag produces the prefix of another.
//
// Both forms are reproducible with any standard BLAKE3 or SHA-256 library.
// On hot paths, NewTaggedHasher computes the same without allocating.
// TaggedSum returns an error only for an invalid tag or function.
func TaggedSum(h HashFunc, tag Tag, data []byte) (Digest, error) {
	if err := tag.Validate(); err != nil {
		return Digest{}, err
	}
	d := Digest{Func: h}
	switch h {
	case BLAKE3:
		blake3.DeriveKey(string(tag), data, d.Sum[:])
	case SHA256:
		th := sha256.Sum256([]byte(tag))
		s := sha256.New()
		s.Write(th[:])
		s.Write(th[:])
		s.Write(data)
		s.Sum(d.Sum[:0])
	default:
		return Digest{}, errUnknown(h)
	}
	return d, nil
}

func errUnknown(h HashFunc) error { return fmt.Errorf("%w: %s", ErrUnknownHash, h) }

// MustTaggedSum is TaggedSum for tags and functions fixed at compile time;
// it panics on an invalid tag or function.
func MustTaggedSum(h HashFunc, tag Tag, data []byte) Digest {
	d, err := TaggedSum(h, tag, data)
	if err != nil {
		panic(err)
	}
	return d
}

// SigningMessage returns the 32 bytes that a signer signs for an object of
// kind tag whose canonical bytes are canonical: the BLAKE3 TaggedSum. Every
// signature in iotrust is made over SigningMessage, so signatures are bound
// to the kind of object as well as its content, and signers see a fixed-size
// input whatever the object's size.
func SigningMessage(tag Tag, canonical []byte) ([]byte, error) {
	d, err := TaggedSum(BLAKE3, tag, canonical)
	if err != nil {
		return nil, err
	}
	return d.Sum[:], nil
}
