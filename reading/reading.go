package reading

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
)

// Tag is the domain-separation tag every reading signature is made under:
// a device signs canon.SigningMessage(Tag, canonical JSON of the Reading).
// It is also the tag of a reading's ID, which is therefore the signed
// message itself.
const Tag canon.Tag = "iotrust.reading.v1"

// Bounds on a reading. Every decoder refuses input beyond them with an
// error matching ErrTooLarge (and ErrMalformed), before doing work
// proportional to it.
const (
	// MaxSize is the largest encoded signed reading, JSON or CBOR. It holds
	// the longest did:jwk (an ML-DSA-87 key), an ML-DSA-87 signature and
	// full metadata, in either encoding.
	MaxSize = 32 << 10
	// MaxDeviceLen is the longest device DID or DID URL.
	MaxDeviceLen = did.MaxDIDLength
	// MaxTopicLen is the longest topic, the same bound as a ledger
	// commitment's topic.
	MaxTopicLen = 128
	// MaxSensorLen is the longest sensor kind.
	MaxSensorLen = 64
	// MaxUnitLen is the longest unit.
	MaxUnitLen = 32
	// MaxMetadata is the most metadata entries a reading carries.
	MaxMetadata = 8
	// MaxMetadataKeyLen is the longest metadata key.
	MaxMetadataKeyLen = 32
	// MaxMetadataValueLen is the longest metadata value, in bytes.
	MaxMetadataValueLen = 128
	// MaxSignatureLen is the longest signature: that of ML-DSA-87, the
	// largest of did's built-in schemes.
	MaxSignatureLen = 4627
	// CommitmentSize is the size of a value commitment: one BN254 scalar
	// field element, as zkp.Commit makes it.
	CommitmentSize = 32
	// MaxValue bounds Value, Seq and the timestamp (in Unix milliseconds):
	// 2^53−1, the largest integer every JSON implementation holds exactly.
	MaxValue = canon.MaxSafeInteger
)

// Reading is the content of one device reading, the same for every party:
// the device signs it, the gateway verifies and batches it, an auditor
// checks it from an evidence bundle.
//
// A reading carries either a value (Value with Scale and Unit) or, for a
// private sensor, a Commitment to the value (the bytes zkp.Commit makes),
// never both: with a Commitment set, Value must be zero and is not
// encoded. Scale and Unit describe the quantity in both cases.
type Reading struct {
	// Device is the DID of the device (or a DID URL naming its key):
	// what the verifier resolves the key from.
	Device string
	// Topic names the stream, e.g. "coldchain/truck-7/temp": 1 to
	// MaxTopicLen bytes of [A-Za-z0-9] and "-._~/:".
	Topic string
	// Seq is the device's sequence number, at most MaxValue; gateways
	// refuse one not above the last they saw.
	Seq uint64
	// Time is when the device took the reading: whole milliseconds, not
	// before 1970, at most MaxValue milliseconds after it. It is encoded
	// as Unix milliseconds and decodes in UTC.
	Time time.Time
	// Sensor is the kind of sensor, e.g. "temperature": 1 to MaxSensorLen
	// bytes of [A-Za-z0-9] and "-._~/:".
	Sensor string
	// Value is the reading as a fixed-point integer: the quantity is
	// Value × 10^−Scale in Unit. |Value| ≤ MaxValue.
	Value int64
	// Scale is the number of decimal places of Value (negative for
	// multiples of ten).
	Scale int8
	// Unit is the unit of the quantity, conventionally a UCUM code such
	// as "Cel", "%" or "kW.h": up to MaxUnitLen bytes of printable ASCII
	// without spaces. Empty for none.
	Unit string
	// Commitment, when not nil, is the CommitmentSize-byte commitment to
	// the value a private sensor keeps to itself.
	Commitment []byte
	// Metadata holds at most MaxMetadata entries: keys of 1 to
	// MaxMetadataKeyLen bytes of [A-Za-z0-9] and "-._", values of valid
	// UTF-8 up to MaxMetadataValueLen bytes. Nil and empty are the same
	// reading.
	Metadata map[string]string
}

// Signed is a Reading with the device's signature over its signing
// message. Its encodings (JSON and CBOR) hold the reading's members and
// "sig"; its Merkle leaf is its canonical JSON, so a batch's root commits
// to the signature too. Its ID, promoted from Reading, does not depend on
// the signature.
type Signed struct {
	Reading
	// Signature is the device key's signature over SigningMessage: 64
	// bytes for Ed25519 and P-256 (r‖s), the FIPS 204 size for ML-DSA.
	Signature []byte
}

// Validate checks r against the rules documented on its fields. The error
// matches ErrMalformed (and ErrTooLarge for a size bound).
func (r Reading) Validate() error {
	if r.Device == "" {
		return malformed("device is empty")
	}
	if len(r.Device) > MaxDeviceLen {
		return tooLarge("device of %d bytes, limit %d", len(r.Device), MaxDeviceLen)
	}
	if _, _, err := did.SplitURL(r.Device); err != nil {
		return fmt.Errorf("%w: device: %w", ErrMalformed, err)
	}
	if err := checkName("topic", r.Topic, MaxTopicLen, isTopicByte); err != nil {
		return err
	}
	if r.Seq > MaxValue {
		return malformed("seq %d above %d", r.Seq, uint64(MaxValue))
	}
	if _, err := unixMilli(r.Time); err != nil {
		return err
	}
	if err := checkName("sensor", r.Sensor, MaxSensorLen, isTopicByte); err != nil {
		return err
	}
	if r.Value > MaxValue || r.Value < -MaxValue {
		return malformed("value %d beyond ±%d", r.Value, int64(MaxValue))
	}
	if len(r.Unit) > MaxUnitLen {
		return tooLarge("unit of %d bytes, limit %d", len(r.Unit), MaxUnitLen)
	}
	for i := 0; i < len(r.Unit); i++ {
		if c := r.Unit[i]; c <= 0x20 || c >= 0x7f {
			return malformed("unit %q has a byte outside printable ASCII", r.Unit)
		}
	}
	if r.Commitment != nil {
		if len(r.Commitment) != CommitmentSize {
			return malformed("commitment of %d bytes, want %d", len(r.Commitment), CommitmentSize)
		}
		if r.Value != 0 {
			return malformed("both a value and a commitment")
		}
	}
	if len(r.Metadata) > MaxMetadata {
		return tooLarge("%d metadata entries, limit %d", len(r.Metadata), MaxMetadata)
	}
	for k, v := range r.Metadata {
		if err := checkName("metadata key", k, MaxMetadataKeyLen, isKeyByte); err != nil {
			return err
		}
		if len(v) > MaxMetadataValueLen {
			return tooLarge("metadata %q value of %d bytes, limit %d", k, len(v), MaxMetadataValueLen)
		}
		if !utf8.ValidString(v) {
			return malformed("metadata %q value is not valid UTF-8", k)
		}
	}
	return nil
}

// Validate checks the reading and that a signature of plausible size is
// present; it does not verify the signature (Verify does).
func (s Signed) Validate() error {
	if err := s.Reading.Validate(); err != nil {
		return err
	}
	if len(s.Signature) == 0 {
		return malformed("signature is empty")
	}
	if len(s.Signature) > MaxSignatureLen {
		return tooLarge("signature of %d bytes, limit %d", len(s.Signature), MaxSignatureLen)
	}
	return nil
}

// CanonicalJSON returns the RFC 8785 canonical JSON of the reading without
// a signature: the bytes whose tagged hash is signed and is the ID.
func (r Reading) CanonicalJSON() ([]byte, error) {
	w, err := r.wire()
	if err != nil {
		return nil, err
	}
	return w.canonical()
}

// SigningMessage returns the 32 bytes the device signs:
// canon.SigningMessage(Tag, r.CanonicalJSON()).
func (r Reading) SigningMessage() ([]byte, error) {
	d, err := r.ID()
	if err != nil {
		return nil, err
	}
	return d.Sum[:], nil
}

// ID returns the reading's identity: the BLAKE3 TaggedSum under Tag of
// its canonical JSON, whose value is exactly the signing message. Two
// readings have the same ID exactly when they have the same content,
// whatever their signatures or wire encodings; a Signed reading's ID is
// that of its Reading.
func (r Reading) ID() (canon.Digest, error) {
	c, err := r.CanonicalJSON()
	if err != nil {
		return canon.Digest{}, err
	}
	return idHasher.Sum(c), nil
}

// LeafBytes returns the bytes that become the reading's Merkle leaf: its
// canonical JSON, signature included (what MarshalJSON returns).
func (s Signed) LeafBytes() ([]byte, error) { return s.MarshalJSON() }

// Leaf returns the Merkle leaf hash of s under h: h.HashLeaf(LeafBytes).
func (s Signed) Leaf(h merkle.Hasher) (merkle.Hash, error) {
	if !h.Valid() {
		return merkle.Hash{}, fmt.Errorf("%w: %v", merkle.ErrUnknownHasher, h)
	}
	b, err := s.LeafBytes()
	if err != nil {
		return merkle.Hash{}, err
	}
	return h.HashLeaf(b), nil
}

// idHasher computes IDs and signing messages (the same function) without
// allocating; it is immutable and safe for concurrent use.
var idHasher = func() *canon.TaggedHasher {
	h, err := canon.NewTaggedHasher(canon.BLAKE3, Tag)
	if err != nil {
		panic(err) // Tag is a valid constant
	}
	return h
}()

// unixMilli returns t in Unix milliseconds after checking it is in range
// and has no sub-millisecond part.
func unixMilli(t time.Time) (int64, error) {
	if t.IsZero() {
		return 0, malformed("time is unset")
	}
	// UnixMilli wraps for times beyond ±292 million years, possibly into
	// range, so the seconds are bounded first.
	sec := t.Unix()
	ms := t.UnixMilli()
	if sec < 0 || sec > MaxValue/1000 || ms < 0 || ms > MaxValue {
		return 0, malformed("time %s outside 1970 .. +%d ms", t.UTC().Format(time.RFC3339Nano), int64(MaxValue))
	}
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		return 0, malformed("time %s has a sub-millisecond part (use Truncate(time.Millisecond))", t.UTC().Format(time.RFC3339Nano))
	}
	return ms, nil
}

func checkName(what, s string, max int, ok func(byte) bool) error {
	if s == "" {
		return malformed("%s is empty", what)
	}
	if len(s) > max {
		return tooLarge("%s of %d bytes, limit %d", what, len(s), max)
	}
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return malformed("%s %q has a byte outside its alphabet", what, s)
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isTopicByte(c byte) bool {
	return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == ':'
}

func isKeyByte(c byte) bool { return isAlnum(c) || c == '-' || c == '.' || c == '_' }
