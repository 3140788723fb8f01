package reading

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/iotrust/iotrust/canon"
)

// The JSON form (RFC 8785 canonical when produced here). Members, in the
// canonical order:
//
//	commitment  base64url (no padding) of the 32-byte commitment, if private
//	device      the device's DID or DID URL
//	meta        object of string values, if any metadata
//	scale       integer −128..127, omitted when 0
//	sensor      sensor kind
//	seq         integer 0..2^53−1
//	sig         base64url (no padding) of the signature (signed form only)
//	topic       topic
//	ts          integer Unix milliseconds
//	unit        unit, omitted when empty
//	value       integer −(2^53−1)..2^53−1, absent when commitment is set

// b64 is the one binary-to-text encoding of the JSON form: base64url
// without padding, decoded strictly (no padding, no stray bits).
var b64 = base64.RawURLEncoding.Strict()

// jsonIn is the strict decoding mirror of the JSON form: pointers tell a
// missing member from a zero one.
type jsonIn struct {
	Commitment *string            `json:"commitment"`
	Device     *string            `json:"device"`
	Meta       *map[string]string `json:"meta"`
	Scale      *int8              `json:"scale"`
	Sensor     *string            `json:"sensor"`
	Seq        *uint64            `json:"seq"`
	Sig        *string            `json:"sig"`
	Topic      *string            `json:"topic"`
	Time       *int64             `json:"ts"`
	Unit       *string            `json:"unit"`
	Value      *int64             `json:"value"`
}

// wire is a validated reading ready to encode in either form.
type wire struct {
	r  *Reading
	ms int64
	// sig is nil for the unsigned form.
	sig []byte
	// room is capacity canonicalSplit leaves beyond its estimate, for a
	// signature member withSig inserts later.
	room int
}

func (r *Reading) wire() (wire, error) {
	if err := r.Validate(); err != nil {
		return wire{}, err
	}
	ms, _ := unixMilli(r.Time)
	return wire{r: r, ms: ms}, nil
}

func (s *Signed) wire() (wire, error) {
	if err := s.Validate(); err != nil {
		return wire{}, err
	}
	ms, _ := unixMilli(s.Time)
	return wire{r: &s.Reading, ms: ms, sig: s.Signature}, nil
}

// canonical writes the RFC 8785 form directly: member names are fixed
// ASCII, so their order is known; numbers are integers within ±2^53; only
// strings need escaping. Tests check it against canon.Canonicalize.
func (w wire) canonical() ([]byte, error) {
	b, _ := w.canonicalSplit()
	return b, nil
}

// canonicalSplit is canonical, and also returns where the "sig" member is
// or would be: right after the "seq" member, which every reading has.
func (w wire) canonicalSplit() ([]byte, int) {
	r := w.r
	b := make([]byte, 0, 160+len(r.Device)+len(w.sig)*4/3+w.room)
	b = append(b, '{')
	if r.Commitment != nil {
		b = append(b, `"commitment":"`...)
		b = b64.AppendEncode(b, r.Commitment)
		b = append(b, `",`...)
	}
	b = append(b, `"device":`...)
	b = canon.AppendString(b, r.Device)
	if len(r.Metadata) > 0 {
		b = append(b, `,"meta":{`...)
		keys := make([]string, 0, len(r.Metadata))
		for k := range r.Metadata {
			keys = append(keys, k)
		}
		// Keys are ASCII, so byte order is RFC 8785's UTF-16 order.
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = canon.AppendString(b, k)
			b = append(b, ':')
			b = canon.AppendString(b, r.Metadata[k])
		}
		b = append(b, '}')
	}
	if r.Scale != 0 {
		b = append(b, `,"scale":`...)
		b = strconv.AppendInt(b, int64(r.Scale), 10)
	}
	b = append(b, `,"sensor":`...)
	b = canon.AppendString(b, r.Sensor)
	b = append(b, `,"seq":`...)
	b = strconv.AppendUint(b, r.Seq, 10)
	at := len(b)
	if w.sig != nil {
		b = append(b, `,"sig":"`...)
		b = b64.AppendEncode(b, w.sig)
		b = append(b, '"')
	}
	b = append(b, `,"topic":`...)
	b = canon.AppendString(b, r.Topic)
	b = append(b, `,"ts":`...)
	b = strconv.AppendInt(b, w.ms, 10)
	if r.Unit != "" {
		b = append(b, `,"unit":`...)
		b = canon.AppendString(b, r.Unit)
	}
	if r.Commitment == nil {
		b = append(b, `,"value":`...)
		b = strconv.AppendInt(b, r.Value, 10)
	}
	return append(b, '}'), at
}

// sigMember is the size of the "sig" member withSig inserts for a
// signature of n bytes.
func sigMember(n int) int { return len(`,"sig":""`) + b64.EncodedLen(n) }

// withSig returns c, the canonical JSON of a reading without its
// signature whose "sig" member goes at offset at (canonicalSplit), with
// the member for sig inserted: the signed reading's canonical JSON. When
// c has the capacity, the member is inserted in place and c's bytes are
// overwritten.
func withSig(c []byte, at int, sig []byte) []byte {
	const open, end = `,"sig":"`, `"`
	n := len(c) + sigMember(len(sig))
	var b []byte
	if cap(c) >= n {
		b = c[:n]
		copy(b[n-(len(c)-at):], c[at:])
	} else {
		b = make([]byte, n)
		copy(b, c[:at])
		copy(b[n-(len(c)-at):], c[at:])
	}
	m := b[at:at]
	m = append(m, open...)
	m = b64.AppendEncode(m, sig)
	_ = append(m, end...)
	return b
}

// MarshalJSON returns the canonical JSON of the reading without a
// signature (CanonicalJSON).
func (r Reading) MarshalJSON() ([]byte, error) { return r.CanonicalJSON() }

// UnmarshalJSON decodes the unsigned JSON form strictly, like ParseJSON
// but refusing a "sig" member.
func (r *Reading) UnmarshalJSON(b []byte) error {
	s, err := parseJSON(b, false)
	if err != nil {
		return err
	}
	*r = s.Reading
	return nil
}

// MarshalJSON returns the RFC 8785 canonical JSON of the signed reading,
// the bytes of its Merkle leaf. It fails with ErrMalformed for a reading
// that does not validate.
func (s Signed) MarshalJSON() ([]byte, error) {
	w, err := s.wire()
	if err != nil {
		return nil, err
	}
	return w.canonical()
}

// UnmarshalJSON decodes the JSON form strictly (see ParseJSON).
func (s *Signed) UnmarshalJSON(b []byte) error {
	v, err := ParseJSON(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseJSON decodes a signed reading from its JSON form and validates it.
// It reads exactly one encoding of each reading: the input is decoded
// through canon.Decode (exact member names, no unknown or duplicate
// members, integers only where integers belong) after refusing input over
// MaxSize, binary members are strict unpadded base64url, and the input's
// RFC 8785 canonical form must be the reading's canonical JSON, so only
// what canonicalization erases — insignificant whitespace, member order,
// the spelling of string escapes — may differ from MarshalJSON's bytes;
// null members and optional members at their zero value are refused.
// Errors match ErrMalformed (ErrTooLarge for size) and wrap canon's cause.
func ParseJSON(b []byte) (Signed, error) { return parseJSON(b, true) }

func parseJSON(b []byte, signed bool) (Signed, error) {
	if len(b) > MaxSize {
		return Signed{}, tooLarge("JSON input of %d bytes, limit %d", len(b), MaxSize)
	}
	var in jsonIn
	lim := canon.Limits{MaxBytes: MaxSize, MaxDepth: 2}
	if err := lim.Decode(b, &in); err != nil {
		return Signed{}, wrapMalformed(err)
	}
	var s Signed
	if err := need("device", in.Device, &s.Device); err != nil {
		return Signed{}, err
	}
	if err := need("topic", in.Topic, &s.Topic); err != nil {
		return Signed{}, err
	}
	if err := need("seq", in.Seq, &s.Seq); err != nil {
		return Signed{}, err
	}
	var ms int64
	if err := need("ts", in.Time, &ms); err != nil {
		return Signed{}, err
	}
	if ms < 0 || ms > MaxValue {
		return Signed{}, malformed("ts %d outside 0..%d", ms, int64(MaxValue))
	}
	s.Time = time.UnixMilli(ms).UTC()
	if err := need("sensor", in.Sensor, &s.Sensor); err != nil {
		return Signed{}, err
	}
	if in.Scale != nil {
		if *in.Scale == 0 {
			return Signed{}, malformed(`"scale" is 0 (omit it)`)
		}
		s.Scale = *in.Scale
	}
	if in.Unit != nil {
		if *in.Unit == "" {
			return Signed{}, malformed(`"unit" is empty (omit it)`)
		}
		s.Unit = *in.Unit
	}
	if in.Meta != nil {
		if len(*in.Meta) == 0 {
			return Signed{}, malformed(`"meta" is empty (omit it)`)
		}
		s.Metadata = *in.Meta
	}
	switch {
	case in.Value != nil && in.Commitment != nil:
		return Signed{}, malformed("both a value and a commitment")
	case in.Value != nil:
		s.Value = *in.Value
	case in.Commitment != nil:
		c, err := decodeB64("commitment", *in.Commitment, CommitmentSize)
		if err != nil {
			return Signed{}, err
		}
		if len(c) != CommitmentSize {
			return Signed{}, malformed("commitment of %d bytes, want %d", len(c), CommitmentSize)
		}
		s.Commitment = c
	default:
		return Signed{}, malformed(`neither "value" nor "commitment"`)
	}
	if signed {
		if in.Sig == nil {
			return Signed{}, malformed(`missing member "sig"`)
		}
		sig, err := decodeB64("sig", *in.Sig, MaxSignatureLen)
		if err != nil {
			return Signed{}, err
		}
		s.Signature = sig
	} else if in.Sig != nil {
		return Signed{}, malformed(`unsigned reading with a "sig" member`)
	}
	w, err := s.wire()
	if !signed {
		w, err = s.Reading.wire()
	}
	if err != nil {
		return Signed{}, err
	}
	// One spelling: the input's RFC 8785 form must be the reading's
	// canonical JSON. What canonicalization erases (whitespace, member
	// order, string escapes) is free; a null member, an optional member at
	// its zero value, or a number that decodes but is spelled otherwise is
	// refused.
	want, err := w.canonical()
	if err != nil {
		return Signed{}, err
	}
	if bytes.Equal(b, want) {
		return s, nil // already canonical, the common case
	}
	got, err := lim.Canonicalize(b)
	if err != nil {
		return Signed{}, wrapMalformed(err)
	}
	if !bytes.Equal(got, want) {
		return Signed{}, malformed("not the canonical JSON of the reading it decodes to (a null member, or an optional member at its zero value)")
	}
	return s, nil
}

func need[T any](name string, p *T, dst *T) error {
	if p == nil {
		return malformed("missing member %q", name)
	}
	*dst = *p
	return nil
}

func decodeB64(name, s string, max int) ([]byte, error) {
	if b64.DecodedLen(len(s)) > max {
		return nil, tooLarge("%s of %d base64url characters, limit %d bytes", name, len(s), max)
	}
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, malformed("%s is not unpadded base64url: %v", name, err)
	}
	return b, nil
}

func wrapMalformed(err error) error {
	if errors.Is(err, canon.ErrTooLarge) {
		return fmt.Errorf("%w: %w", ErrTooLarge, err)
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}
