package reading

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// The CBOR form is a map with the JSON form's member names as text keys
// and the same members present, in the core deterministic encoding of RFC
// 8949 §4.2.1 (shortest arguments, definite lengths, keys sorted by their
// encoded bytes, no tags): commitment and sig are byte strings, scale,
// seq, ts and value integers, meta a map of text to text.
type cborWire struct {
	Commitment []byte            `cbor:"commitment,omitempty"`
	Device     string            `cbor:"device"`
	Meta       map[string]string `cbor:"meta,omitempty"`
	Scale      int8              `cbor:"scale,omitempty"`
	Sensor     string            `cbor:"sensor"`
	Seq        uint64            `cbor:"seq"`
	Sig        []byte            `cbor:"sig,omitempty"`
	Topic      string            `cbor:"topic"`
	Time       int64             `cbor:"ts"`
	Unit       string            `cbor:"unit,omitempty"`
	Value      *int64            `cbor:"value,omitempty"`
}

// cborEnc writes the core deterministic encoding; cborDec reads strictly
// and with small bounds. Both are immutable and safe for concurrent use.
var (
	cborEnc = func() cbor.EncMode {
		m, err := cbor.CoreDetEncOptions().EncMode()
		if err != nil {
			panic(err)
		}
		return m
	}()
	cborDec = func() cbor.DecMode {
		m, err := cbor.DecOptions{
			DupMapKey:           cbor.DupMapKeyEnforcedAPF,
			IndefLength:         cbor.IndefLengthForbidden,
			TagsMd:              cbor.TagsForbidden,
			MaxNestedLevels:     4,
			MaxArrayElements:    16,
			MaxMapPairs:         16,
			ExtraReturnErrors:   cbor.ExtraDecErrorUnknownField,
			UTF8:                cbor.UTF8RejectInvalid,
			FieldNameMatching:   cbor.FieldNameMatchingCaseSensitive,
			FieldNameByteString: cbor.FieldNameByteStringForbidden,
		}.DecMode()
		if err != nil {
			panic(err)
		}
		return m
	}()
)

// MarshalCBOR returns the deterministic CBOR encoding of the signed
// reading. It fails with ErrMalformed for a reading that does not
// validate.
func (s Signed) MarshalCBOR() ([]byte, error) {
	w, err := s.wire()
	if err != nil {
		return nil, err
	}
	return cborEnc.Marshal(w.cbor())
}

// UnmarshalCBOR decodes the CBOR form strictly (see ParseCBOR).
func (s *Signed) UnmarshalCBOR(b []byte) error {
	v, err := ParseCBOR(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

func (w wire) cbor() cborWire {
	r := w.r
	c := cborWire{
		Commitment: r.Commitment,
		Device:     r.Device,
		Scale:      r.Scale,
		Sensor:     r.Sensor,
		Seq:        r.Seq,
		Sig:        w.sig,
		Topic:      r.Topic,
		Time:       w.ms,
		Unit:       r.Unit,
	}
	if len(r.Metadata) > 0 {
		c.Meta = r.Metadata
	}
	if r.Commitment == nil {
		v := r.Value
		c.Value = &v
	}
	return c
}

// ParseCBOR decodes a signed reading from its CBOR form and validates it.
// Only the one deterministic encoding MarshalCBOR produces is accepted:
// input over MaxSize, duplicate or unknown or case-variant keys, tags,
// indefinite lengths, invalid UTF-8, trailing bytes and any encoding that
// differs from the deterministic one (a non-minimal integer, unsorted keys,
// a zero member that is to be omitted) are refused with ErrMalformed (and
// ErrTooLarge for size), wrapping the decoder's cause.
func ParseCBOR(b []byte) (Signed, error) {
	if len(b) > MaxSize {
		return Signed{}, tooLarge("CBOR input of %d bytes, limit %d", len(b), MaxSize)
	}
	var c cborWire
	if err := cborDec.Unmarshal(b, &c); err != nil {
		return Signed{}, cborErr(err)
	}
	if c.Time < 0 || c.Time > MaxValue {
		return Signed{}, malformed("ts %d outside 0..%d", c.Time, int64(MaxValue))
	}
	s := Signed{
		Reading: Reading{
			Device:     c.Device,
			Topic:      c.Topic,
			Seq:        c.Seq,
			Time:       time.UnixMilli(c.Time).UTC(),
			Sensor:     c.Sensor,
			Scale:      c.Scale,
			Unit:       c.Unit,
			Commitment: c.Commitment,
			Metadata:   c.Meta,
		},
		Signature: c.Sig,
	}
	switch {
	case c.Value != nil && c.Commitment != nil:
		return Signed{}, malformed("both a value and a commitment")
	case c.Value != nil:
		s.Value = *c.Value
	case c.Commitment == nil:
		return Signed{}, malformed(`neither "value" nor "commitment"`)
	}
	if err := s.Validate(); err != nil {
		return Signed{}, err
	}
	// Re-encode and compare: whatever the decoder tolerated (non-minimal
	// heads, key order, a member at its omitted zero, a missing one read
	// as zero), only the deterministic bytes pass.
	again, err := cborEnc.Marshal(c)
	if err != nil {
		return Signed{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if !bytes.Equal(again, b) {
		return Signed{}, malformed("not the deterministic CBOR encoding (RFC 8949 §4.2.1) or a member missing")
	}
	return s, nil
}

// cborErr wraps a decoding error in ErrMalformed, and in ErrTooLarge when
// the decoder stopped at one of its count bounds (more map pairs, array
// elements or nesting than any reading has): such input is beyond a bound,
// as much as nine metadata entries are.
func cborErr(err error) error {
	var (
		pairs *cbor.MaxMapPairsError
		elems *cbor.MaxArrayElementsError
		depth *cbor.MaxNestedLevelError
	)
	if errors.As(err, &pairs) || errors.As(err, &elems) || errors.As(err, &depth) {
		return fmt.Errorf("%w: %w", ErrTooLarge, err)
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}
