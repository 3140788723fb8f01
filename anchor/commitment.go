package anchor

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/canon"
)

// CommitmentTag is the domain-separation tag of a commitment's ID.
const CommitmentTag canon.Tag = "iotrust.commitment.v1"

// Limits of a Commitment. They keep an anchor small enough for any ledger
// (an EVM event, a log entry) and bound what a decoder accepts.
const (
	// MaxTopicLen is the longest topic in bytes.
	MaxTopicLen = 128
	// MaxMetadataLen is the largest metadata in bytes.
	MaxMetadataLen = 256
	// MaxCIDLen is the longest content ID in its binary form. A CIDv1 with
	// a 32-byte digest takes 36 bytes.
	MaxCIDLen = 128
	// MaxEncodedLen bounds the canonical binary encoding of a Commitment.
	MaxEncodedLen = 1 + 1 + 64 + 1 + MaxCIDLen + 8 + 8 + 8 + 1 + MaxTopicLen + 2 + MaxMetadataLen
	// MaxJSONLen bounds the JSON form of a Commitment that UnmarshalJSON
	// reads; longer input is refused before it is parsed.
	MaxJSONLen = 4096
)

// encodingVersion is the first byte of a commitment's canonical encoding.
const encodingVersion = 1

// Errors of commitment validation and decoding. Every one also matches
// ErrInvalidCommitment under errors.Is.
var (
	// ErrInvalidCommitment matches every reason a Commitment is rejected.
	ErrInvalidCommitment = errors.New("anchor: invalid commitment")
	// ErrBadRoot is returned for a root that is unset, all zero, of an
	// unknown hash function or of the wrong length.
	ErrBadRoot = errors.New("anchor: bad root digest")
	// ErrBadCID is returned for a content ID that is unset, malformed or
	// longer than MaxCIDLen.
	ErrBadCID = errors.New("anchor: bad content ID")
	// ErrBadWindow is returned for a window whose end is before its start
	// or whose times are unset or outside 1970-01-01 .. 2262-04-11 UTC (the
	// range of int64 Unix nanoseconds).
	ErrBadWindow = errors.New("anchor: bad time window")
	// ErrZeroCount is returned for a commitment to zero events.
	ErrZeroCount = errors.New("anchor: event count is zero")
	// ErrBadTopic is returned for a topic that is empty, longer than
	// MaxTopicLen or has a character outside [A-Za-z0-9] and "-._~/:".
	ErrBadTopic = errors.New("anchor: bad topic")
	// ErrMetadataTooLarge is returned for metadata over MaxMetadataLen.
	ErrMetadataTooLarge = errors.New("anchor: metadata too large")
	// ErrBadEncoding is returned for bytes that are not the canonical
	// encoding of a commitment.
	ErrBadEncoding = errors.New("anchor: malformed commitment encoding")
)

// invalid wraps a specific reason together with ErrInvalidCommitment.
func invalid(reason error, format string, args ...any) error {
	return wrap(ErrInvalidCommitment, fmt.Errorf("%w: %s", reason, fmt.Sprintf(format, args...)))
}

// invalidCause is invalid with the error that gave the reason.
func invalidCause(reason, cause error) error {
	return wrap(ErrInvalidCommitment, wrap(reason, cause))
}

// Commitment is what gets anchored: the Merkle root of a batch of events
// kept off the ledger, where that batch is stored, the time it covers, how
// many events it holds and the topic they belong to.
//
// A Commitment is a value; its identity is ID, the tagged hash of its
// canonical encoding. Times are compared as instants with nanosecond
// precision and decode in UTC.
type Commitment struct {
	// Root is the Merkle root of the batch; it states its hash function.
	Root canon.Digest
	// CID is the content ID of the (encrypted) batch in off-chain storage.
	CID cid.Cid
	// WindowStart and WindowEnd bound the events' times; WindowEnd may
	// equal WindowStart but not precede it.
	WindowStart, WindowEnd time.Time
	// Count is the number of events under Root; it is at least 1.
	Count uint64
	// Topic names the stream the events belong to, e.g.
	// "coldchain/truck-7/temp": 1 to MaxTopicLen bytes of [A-Za-z0-9] and
	// "-._~/:".
	Topic string
	// Metadata is optional opaque data of at most MaxMetadataLen bytes.
	// Empty and nil metadata are the same commitment.
	Metadata []byte
}

var (
	minTime = time.Unix(0, 0)
	maxTime = time.Unix(0, math.MaxInt64)
)

// Validate checks c against the rules documented on its fields. The error
// matches ErrInvalidCommitment and the specific reason.
func (c Commitment) Validate() error {
	if err := validateRoot(c.Root); err != nil {
		return err
	}
	if !c.CID.Defined() {
		return invalid(ErrBadCID, "content ID unset")
	}
	if n := c.CID.ByteLen(); n > MaxCIDLen {
		return invalid(ErrBadCID, "content ID of %d bytes exceeds %d", n, MaxCIDLen)
	}
	if err := validateTime("start", c.WindowStart); err != nil {
		return err
	}
	if err := validateTime("end", c.WindowEnd); err != nil {
		return err
	}
	if c.WindowEnd.Before(c.WindowStart) {
		return invalid(ErrBadWindow, "end %s before start %s",
			c.WindowEnd.UTC().Format(time.RFC3339Nano), c.WindowStart.UTC().Format(time.RFC3339Nano))
	}
	if c.Count == 0 {
		return invalid(ErrZeroCount, "count 0")
	}
	if err := ValidateTopic(c.Topic); err != nil {
		return err
	}
	if len(c.Metadata) > MaxMetadataLen {
		return invalid(ErrMetadataTooLarge, "%d bytes exceeds %d", len(c.Metadata), MaxMetadataLen)
	}
	return nil
}

func validateRoot(d canon.Digest) error {
	if !d.Valid() {
		return invalid(ErrBadRoot, "root unset or of unknown hash function %d", uint8(d.Func))
	}
	if d.Sum == ([canon.Size]byte{}) {
		return invalid(ErrBadRoot, "root %s is all zero", d)
	}
	return nil
}

func validateTime(which string, t time.Time) error {
	if t.IsZero() {
		return invalid(ErrBadWindow, "window %s unset", which)
	}
	if t.Before(minTime) || t.After(maxTime) {
		return invalid(ErrBadWindow, "window %s %s outside 1970..2262", which, t.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// ValidateTopic checks a topic against the rules of Commitment.Topic.
func ValidateTopic(topic string) error {
	if topic == "" {
		return invalid(ErrBadTopic, "empty topic")
	}
	if len(topic) > MaxTopicLen {
		return invalid(ErrBadTopic, "topic of %d bytes exceeds %d", len(topic), MaxTopicLen)
	}
	for i := 0; i < len(topic); i++ {
		if !topicByte(topic[i]) {
			return invalid(ErrBadTopic, "character %q at offset %d of topic %q", topic[i], i, topic)
		}
	}
	return nil
}

func topicByte(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	switch b {
	case '-', '.', '_', '~', '/', ':':
		return true
	}
	return false
}

// NewRoot returns the root digest of function h with value sum, checking
// the length; it is how a root computed elsewhere enters a Commitment.
func NewRoot(h canon.HashFunc, sum []byte) (canon.Digest, error) {
	d, err := canon.NewDigest(h, sum)
	if err != nil {
		return canon.Digest{}, invalidCause(ErrBadRoot, err)
	}
	if err := validateRoot(d); err != nil {
		return canon.Digest{}, err
	}
	return d, nil
}

// MarshalBinary returns the canonical encoding of c, the bytes its ID is
// computed over and that ledgers store:
//
//	version   1 byte, 0x01
//	root      1-byte length, multihash of the root (code, length, digest)
//	cid       1-byte length, binary CID
//	start     8 bytes, big-endian Unix nanoseconds
//	end       8 bytes, big-endian Unix nanoseconds
//	count     8 bytes, big-endian
//	topic     1-byte length, ASCII
//	metadata  2-byte big-endian length, bytes
//
// It fails, with the error of Validate, for an invalid commitment.
func (c Commitment) MarshalBinary() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c.appendEncoding(make([]byte, 0, c.encodedLen())), nil
}

func (c Commitment) encodedLen() int {
	return 1 + 1 + len(c.Root.Multihash()) + 1 + c.CID.ByteLen() + 24 + 1 + len(c.Topic) + 2 + len(c.Metadata)
}

func (c Commitment) appendEncoding(b []byte) []byte {
	mh := c.Root.Multihash()
	b = append(b, encodingVersion, byte(len(mh)))
	b = append(b, mh...)
	cb := c.CID.Bytes()
	b = append(b, byte(len(cb)))
	b = append(b, cb...)
	b = binary.BigEndian.AppendUint64(b, uint64(c.WindowStart.UnixNano()))
	b = binary.BigEndian.AppendUint64(b, uint64(c.WindowEnd.UnixNano()))
	b = binary.BigEndian.AppendUint64(b, c.Count)
	b = append(b, byte(len(c.Topic)))
	b = append(b, c.Topic...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(c.Metadata)))
	return append(b, c.Metadata...)
}

// UnmarshalBinary decodes the canonical encoding written by MarshalBinary.
// It accepts exactly the bytes MarshalBinary produces for a valid
// commitment: anything else, including trailing bytes, is an error
// matching ErrInvalidCommitment.
func (c *Commitment) UnmarshalBinary(data []byte) error {
	d, err := DecodeCommitment(data)
	if err != nil {
		return err
	}
	*c = d
	return nil
}

// DecodeCommitment decodes the canonical encoding of a commitment.
func DecodeCommitment(data []byte) (Commitment, error) {
	if len(data) > MaxEncodedLen {
		return Commitment{}, invalid(ErrBadEncoding, "%d bytes exceeds %d", len(data), MaxEncodedLen)
	}
	r := reader{b: data}
	if v := r.byte(); r.err == nil && v != encodingVersion {
		return Commitment{}, invalid(ErrBadEncoding, "version %d, want %d", v, encodingVersion)
	}
	mh := r.bytes(int(r.byte()))
	cb := r.bytes(int(r.byte()))
	start := r.uint64()
	end := r.uint64()
	count := r.uint64()
	topic := r.bytes(int(r.byte()))
	meta := r.bytes(int(r.uint16()))
	if r.err != nil {
		return Commitment{}, invalid(ErrBadEncoding, "truncated at offset %d", r.off)
	}
	if r.off != len(data) {
		return Commitment{}, invalid(ErrBadEncoding, "%d trailing bytes", len(data)-r.off)
	}
	root, err := canon.ParseMultihash(mh)
	if err != nil {
		return Commitment{}, invalidCause(ErrBadRoot, err)
	}
	id, err := cid.Cast(cb)
	if err != nil {
		return Commitment{}, invalidCause(ErrBadCID, err)
	}
	if start > math.MaxInt64 || end > math.MaxInt64 {
		return Commitment{}, invalid(ErrBadWindow, "time beyond int64 nanoseconds")
	}
	c := Commitment{
		Root:        root,
		CID:         id,
		WindowStart: time.Unix(0, int64(start)).UTC(),
		WindowEnd:   time.Unix(0, int64(end)).UTC(),
		Count:       count,
		Topic:       string(topic),
	}
	if len(meta) > 0 {
		c.Metadata = append([]byte(nil), meta...)
	}
	if err := c.Validate(); err != nil {
		return Commitment{}, err
	}
	// A CID has more than one binary spelling only if go-cid accepted a
	// non-minimal form; re-encoding makes sure one commitment has one
	// encoding and therefore one ID.
	if string(c.appendEncoding(nil)) != string(data) {
		return Commitment{}, invalid(ErrBadEncoding, "not in canonical form")
	}
	return c, nil
}

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b)-r.off {
		r.err = ErrBadEncoding
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) byte() byte {
	if s := r.bytes(1); s != nil {
		return s[0]
	}
	return 0
}

func (r *reader) uint16() uint16 {
	if s := r.bytes(2); s != nil {
		return binary.BigEndian.Uint16(s)
	}
	return 0
}

func (r *reader) uint64() uint64 {
	if s := r.bytes(8); s != nil {
		return binary.BigEndian.Uint64(s)
	}
	return 0
}

// ID returns the commitment's identity: the BLAKE3 TaggedSum under
// CommitmentTag of its canonical encoding. Two commitments are the same
// anchor exactly when their IDs are equal.
func (c Commitment) ID() (canon.Digest, error) {
	b, err := c.MarshalBinary()
	if err != nil {
		return canon.Digest{}, err
	}
	return canon.TaggedSum(canon.BLAKE3, CommitmentTag, b)
}

// Equal reports whether c and o encode to the same bytes, i.e. are the
// same commitment. Invalid commitments are equal to nothing.
func (c Commitment) Equal(o Commitment) bool {
	a, err := c.MarshalBinary()
	if err != nil {
		return false
	}
	b, err := o.MarshalBinary()
	return err == nil && string(a) == string(b)
}

// commitmentJSON is the JSON form of a Commitment: text forms that humans
// and other languages read without this package.
type commitmentJSON struct {
	Root        canon.Digest `json:"root"`
	CID         string       `json:"cid"`
	WindowStart time.Time    `json:"windowStart"`
	WindowEnd   time.Time    `json:"windowEnd"`
	Count       uint64       `json:"count"`
	Topic       string       `json:"topic"`
	Metadata    []byte       `json:"metadata,omitempty"`
}

// MarshalJSON encodes c as an object with the root in its "<func>:<hex>"
// form, the CID as a string, RFC 3339 UTC times and base64 metadata. The
// JSON form is for reading and transport; the ID is always computed over
// the binary encoding.
//
// The zero Commitment (as in the zero Receipt of a failed ledger in a
// MultiReceipt) encodes as null.
func (c Commitment) MarshalJSON() ([]byte, error) {
	if c.IsZero() {
		return []byte("null"), nil
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(commitmentJSON{
		Root:        c.Root,
		CID:         c.CID.String(),
		WindowStart: c.WindowStart.UTC(),
		WindowEnd:   c.WindowEnd.UTC(),
		Count:       c.Count,
		Topic:       c.Topic,
		Metadata:    c.Metadata,
	})
}

// IsZero reports whether c is the zero Commitment.
func (c Commitment) IsZero() bool {
	return c.Root.IsZero() && !c.CID.Defined() && c.WindowStart.IsZero() && c.WindowEnd.IsZero() &&
		c.Count == 0 && c.Topic == "" && len(c.Metadata) == 0
}

// UnmarshalJSON decodes the form written by MarshalJSON and validates it;
// null leaves c unchanged. It reads exactly one encoding of each
// commitment: the JSON value MarshalJSON writes, with members in any order
// and any insignificant whitespace. Member names must match exactly;
// unknown and duplicate members, times not in UTC ("Z"), a CID not in its
// default string form, upper-case hex, and input over MaxJSONLen are
// refused. Errors match ErrInvalidCommitment and the reason (ErrBadEncoding
// for the JSON itself, wrapping a *canon.DecodeError).
func (c *Commitment) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var j commitmentJSON
	if err := (canon.Limits{MaxBytes: MaxJSONLen, MaxDepth: 1}).Decode(b, &j); err != nil {
		return invalidCause(ErrBadEncoding, err)
	}
	id, err := cid.Decode(j.CID)
	if err != nil {
		return invalidCause(ErrBadCID, fmt.Errorf("%q: %w", j.CID, err))
	}
	d := Commitment{
		Root:        j.Root,
		CID:         id,
		WindowStart: j.WindowStart,
		WindowEnd:   j.WindowEnd,
		Count:       j.Count,
		Topic:       j.Topic,
	}
	if len(j.Metadata) > 0 {
		d.Metadata = j.Metadata
	}
	if err := d.Validate(); err != nil {
		return err
	}
	out, err := d.MarshalJSON()
	if err != nil {
		return err
	}
	if !sameJSON(b, out) {
		return invalid(ErrBadEncoding, "JSON not in canonical form %s", out)
	}
	d.WindowStart, d.WindowEnd = d.WindowStart.UTC(), d.WindowEnd.UTC()
	*c = d
	return nil
}

// sameJSON reports whether a and b hold the same JSON value, member order
// and insignificant whitespace aside: numbers compare as written, strings
// after unescaping. Both must already be valid JSON without duplicate
// members (canon.Decode checked that).
func sameJSON(a, b []byte) bool {
	va, okA := jsonValue(a)
	vb, okB := jsonValue(b)
	return okA && okB && reflect.DeepEqual(va, vb)
}

func jsonValue(b []byte) (any, bool) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}
