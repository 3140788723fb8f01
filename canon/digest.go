package canon

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Digest is a 32-byte hash value together with the function that made it,
// so that a value that goes on a ledger always states its hash function.
//
// Its text form is "<func>:<lowercase hex>", e.g. "blake3:af13…"; its binary
// form is a multihash (varint code, varint length, digest). Each form has
// one spelling per digest, and the parsers accept only that one.
type Digest struct {
	Func HashFunc
	Sum  [Size]byte
}

// ErrBadDigest is returned when a digest's text or binary form is malformed.
var ErrBadDigest = errors.New("canon: malformed digest")

// NewDigest returns a Digest of function h holding sum, which must be Size bytes.
func NewDigest(h HashFunc, sum []byte) (Digest, error) {
	if !h.Valid() {
		return Digest{}, fmt.Errorf("%w: %s", ErrUnknownHash, h)
	}
	if len(sum) != Size {
		return Digest{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadDigest, len(sum), Size)
	}
	d := Digest{Func: h}
	copy(d.Sum[:], sum)
	return d, nil
}

// IsZero reports whether d is the zero Digest (no function set).
func (d Digest) IsZero() bool { return d.Func == 0 && d.Sum == [Size]byte{} }

// Valid reports whether d names a function of the suite.
func (d Digest) Valid() bool { return d.Func.Valid() }

// Equal reports whether d and o have the same function and value.
func (d Digest) Equal(o Digest) bool { return d == o }

// Bytes returns a copy of the raw digest value.
func (d Digest) Bytes() []byte { b := d.Sum; return b[:] }

// Hex returns the raw digest value in lowercase hex, without the function.
func (d Digest) Hex() string { return hex.EncodeToString(d.Sum[:]) }

// String returns "<func>:<hex>".
func (d Digest) String() string { return d.Func.String() + ":" + d.Hex() }

// Multihash returns the multihash encoding of d.
func (d Digest) Multihash() []byte {
	out := make([]byte, 0, 2+Size+2)
	out = binary.AppendUvarint(out, d.Func.MultihashCode())
	out = binary.AppendUvarint(out, Size)
	return append(out, d.Sum[:]...)
}

// ParseDigest parses the text form "<func>:<hex>" with lowercase hex, the
// one spelling String writes: upper-case hex is refused, so that a digest
// written in text has one form.
func ParseDigest(s string) (Digest, error) {
	name, hx, ok := strings.Cut(s, ":")
	if !ok {
		return Digest{}, fmt.Errorf("%w: %q has no function prefix", ErrBadDigest, truncate(s))
	}
	h, err := ParseHashFunc(name)
	if err != nil {
		return Digest{}, err
	}
	if len(hx) != 2*Size {
		return Digest{}, fmt.Errorf("%w: %d hex characters, want %d", ErrBadDigest, len(hx), 2*Size)
	}
	for i := 0; i < len(hx); i++ {
		if c := hx[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return Digest{}, fmt.Errorf("%w: byte %q at %d is not a lowercase hex digit", ErrBadDigest, c, i)
		}
	}
	var d Digest
	if _, err := hex.Decode(d.Sum[:], []byte(hx)); err != nil {
		return Digest{}, fmt.Errorf("%w: %w", ErrBadDigest, err)
	}
	d.Func = h
	return d, nil
}

// ParseMultihash parses a multihash of a function of the suite. Trailing
// bytes, a length other than Size and non-minimal varints are rejected.
func ParseMultihash(b []byte) (Digest, error) {
	code, n := binary.Uvarint(b)
	if n <= 0 || !bytes.Equal(binary.AppendUvarint(nil, code), b[:n]) {
		return Digest{}, fmt.Errorf("%w: bad multihash code varint", ErrBadDigest)
	}
	h, err := hashFuncFromMultihash(code)
	if err != nil {
		return Digest{}, err
	}
	b = b[n:]
	l, n := binary.Uvarint(b)
	if n <= 0 || !bytes.Equal(binary.AppendUvarint(nil, l), b[:n]) {
		return Digest{}, fmt.Errorf("%w: bad multihash length varint", ErrBadDigest)
	}
	b = b[n:]
	if l != Size || len(b) != Size {
		return Digest{}, fmt.Errorf("%w: multihash length %d with %d bytes, want %d", ErrBadDigest, l, len(b), Size)
	}
	return NewDigest(h, b)
}

// MarshalText implements encoding.TextMarshaler with the "<func>:<hex>" form.
func (d Digest) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("%w: %s", ErrUnknownHash, d.Func)
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Digest) UnmarshalText(b []byte) error {
	v, err := ParseDigest(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalBinary implements encoding.BinaryMarshaler with the multihash form.
func (d Digest) MarshalBinary() ([]byte, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("%w: %s", ErrUnknownHash, d.Func)
	}
	return d.Multihash(), nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler.
func (d *Digest) UnmarshalBinary(b []byte) error {
	v, err := ParseMultihash(b)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
