package merkle

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/canon"
)

// The binary and JSON forms of proofs are specified in the package
// documentation (doc.go); keep the two in step.
const (
	proofVersion     = 1
	kindInclusion    = 1
	kindConsistency  = 2
	proofHeaderBytes = 3 + 2*binary.MaxVarintLen64 + 1
)

// MaxBinaryProofSize bounds the binary form of an inclusion or consistency
// proof: the header with two ten-byte uvarints and a path of
// MaxConsistencyPathLen hashes.
const MaxBinaryProofSize = proofHeaderBytes + MaxConsistencyPathLen*HashSize

// MaxJSONProofSize bounds the JSON form of any proof accepted by the
// decoders; larger input is rejected before it is parsed.
const MaxJSONProofSize = 8 << 10

// MarshalText implements encoding.TextMarshaler ("blake3" or "sha256").
func (h Hasher) MarshalText() ([]byte, error) {
	if err := checkHasher(h); err != nil {
		return nil, err
	}
	return []byte(h.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *Hasher) UnmarshalText(b []byte) error {
	v, err := ParseHasher(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// MarshalBinary encodes the proof in its binary form (see the package
// documentation).
func (p InclusionProof) MarshalBinary() ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return appendProof(nil, kindInclusion, p.Hasher, p.Index, p.Size, p.Path), nil
}

// UnmarshalBinary decodes the binary form; it rejects anything that is not
// exactly one well-formed proof and leaves p unchanged on error.
func (p *InclusionProof) UnmarshalBinary(b []byte) error {
	h, a, c, path, err := parseProof(b, kindInclusion)
	if err != nil {
		return err
	}
	v := InclusionProof{Hasher: h, Index: a, Size: c, Path: path}
	if err := v.check(); err != nil {
		return err
	}
	*p = v
	return nil
}

// MarshalBinary encodes the proof in its binary form (see the package
// documentation).
func (p ConsistencyProof) MarshalBinary() ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return appendProof(nil, kindConsistency, p.Hasher, p.OldSize, p.NewSize, p.Path), nil
}

// UnmarshalBinary decodes the binary form; it rejects anything that is not
// exactly one well-formed proof and leaves p unchanged on error.
func (p *ConsistencyProof) UnmarshalBinary(b []byte) error {
	h, a, c, path, err := parseProof(b, kindConsistency)
	if err != nil {
		return err
	}
	v := ConsistencyProof{Hasher: h, OldSize: a, NewSize: c, Path: path}
	if err := v.check(); err != nil {
		return err
	}
	*p = v
	return nil
}

// check reports whether the proof is well formed: a valid hasher, an index
// inside the tree and a path of the length they require. It does not
// verify the proof.
func (p *InclusionProof) check() error {
	if err := checkHasher(p.Hasher); err != nil {
		return err
	}
	if p.Index >= p.Size {
		return fmt.Errorf("%w: index %d, size %d", ErrIndexOutOfRange, p.Index, p.Size)
	}
	if want := InclusionPathLen(p.Index, p.Size); len(p.Path) != want {
		return fmt.Errorf("%w: %d hashes for leaf %d of %d, want %d", ErrProofLength, len(p.Path), p.Index, p.Size, want)
	}
	return nil
}

func (p *ConsistencyProof) check() error {
	if err := checkHasher(p.Hasher); err != nil {
		return err
	}
	if p.OldSize > p.NewSize {
		return fmt.Errorf("%w: old size %d > new size %d", ErrSizeOutOfRange, p.OldSize, p.NewSize)
	}
	want := 0
	if p.OldSize > 0 {
		want = ConsistencyPathLen(p.OldSize, p.NewSize)
	}
	if len(p.Path) != want {
		return fmt.Errorf("%w: %d hashes from size %d to %d, want %d", ErrProofLength, len(p.Path), p.OldSize, p.NewSize, want)
	}
	return nil
}

func appendProof(out []byte, kind byte, h Hasher, a, b uint64, path []Hash) []byte {
	out = append(out, proofVersion, kind, byte(h))
	out = binary.AppendUvarint(out, a)
	out = binary.AppendUvarint(out, b)
	out = append(out, byte(len(path)))
	for i := range path {
		out = append(out, path[i][:]...)
	}
	return out
}

func parseProof(b []byte, kind byte) (h Hasher, first, second uint64, path []Hash, err error) {
	if len(b) > MaxBinaryProofSize {
		return 0, 0, 0, nil, fmt.Errorf("%w: %d bytes, limit %d", ErrMalformedProof, len(b), MaxBinaryProofSize)
	}
	if len(b) < 3 {
		return 0, 0, 0, nil, fmt.Errorf("%w: %d bytes is shorter than the header", ErrMalformedProof, len(b))
	}
	if b[0] != proofVersion {
		return 0, 0, 0, nil, fmt.Errorf("%w: version %d", ErrMalformedProof, b[0])
	}
	if b[1] != kind {
		return 0, 0, 0, nil, fmt.Errorf("%w: kind %d, want %d", ErrMalformedProof, b[1], kind)
	}
	h = Hasher(b[2])
	if err := checkHasher(h); err != nil {
		return 0, 0, 0, nil, err
	}
	rest := b[3:]
	if first, rest, err = readUvarint(rest); err != nil {
		return 0, 0, 0, nil, fmt.Errorf("%w: %w", ErrMalformedProof, err)
	}
	if second, rest, err = readUvarint(rest); err != nil {
		return 0, 0, 0, nil, fmt.Errorf("%w: %w", ErrMalformedProof, err)
	}
	if len(rest) < 1 {
		return 0, 0, 0, nil, fmt.Errorf("%w: missing path length", ErrMalformedProof)
	}
	n := int(rest[0])
	rest = rest[1:]
	if n > MaxConsistencyPathLen {
		return 0, 0, 0, nil, fmt.Errorf("%w: path of %d hashes, limit %d", ErrMalformedProof, n, MaxConsistencyPathLen)
	}
	if len(rest) != n*HashSize {
		return 0, 0, 0, nil, fmt.Errorf("%w: %d path bytes for %d hashes", ErrMalformedProof, len(rest), n)
	}
	path = make([]Hash, n)
	for i := range path {
		copy(path[i][:], rest[i*HashSize:])
	}
	return h, first, second, path, nil
}

var errVarint = errors.New("bad or non-minimal varint")

// readUvarint reads a minimal unsigned varint, so that a number has exactly
// one encoding.
func readUvarint(b []byte) (uint64, []byte, error) {
	v, n := binary.Uvarint(b)
	if n <= 0 || (n > 1 && b[n-1] == 0) {
		return 0, nil, errVarint
	}
	return v, b[n:], nil
}

// inclusionJSON is the JSON form of an InclusionProof, as written.
type inclusionJSON struct {
	Type   string `json:"type"`
	Hasher Hasher `json:"hasher"`
	Index  uint64 `json:"index"`
	Size   uint64 `json:"size"`
	Path   []Hash `json:"path"`
}

// inclusionWire is the JSON form as read: pointers tell a missing or null
// member from a zero one, and strings are parsed here rather than by the
// JSON library, so that every error is this package's own.
type inclusionWire struct {
	Type   *string   `json:"type"`
	Hasher *string   `json:"hasher"`
	Index  *uint64   `json:"index"`
	Size   *uint64   `json:"size"`
	Path   *[]string `json:"path"`
}

// consistencyJSON is the JSON form of a ConsistencyProof, as written.
type consistencyJSON struct {
	Type    string `json:"type"`
	Hasher  Hasher `json:"hasher"`
	OldSize uint64 `json:"old_size"`
	NewSize uint64 `json:"new_size"`
	Path    []Hash `json:"path"`
}

// consistencyWire is the JSON form of a ConsistencyProof as read.
type consistencyWire struct {
	Type    *string   `json:"type"`
	Hasher  *string   `json:"hasher"`
	OldSize *uint64   `json:"old_size"`
	NewSize *uint64   `json:"new_size"`
	Path    *[]string `json:"path"`
}

const (
	jsonInclusion   = "inclusion"
	jsonConsistency = "consistency"
)

// MarshalJSON encodes the proof as
// {"type":"inclusion","hasher":"blake3","index":…,"size":…,"path":["<hex>",…]}.
func (p InclusionProof) MarshalJSON() ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	path := p.Path
	if path == nil {
		path = []Hash{}
	}
	return json.Marshal(inclusionJSON{jsonInclusion, p.Hasher, p.Index, p.Size, path})
}

// UnmarshalJSON decodes the JSON form strictly (see the package
// documentation): every member present once under its exact name, nothing
// else, at most MaxJSONProofSize bytes. It leaves p unchanged on error.
func (p *InclusionProof) UnmarshalJSON(b []byte) error {
	var w inclusionWire
	if err := decodeJSON(b, &w, MaxJSONProofSize); err != nil {
		return err
	}
	if err := present(member{w.Type != nil, "type"}, member{w.Hasher != nil, "hasher"}, member{w.Index != nil, "index"}, member{w.Size != nil, "size"}, member{w.Path != nil, "path"}); err != nil {
		return err
	}
	if err := checkType(*w.Type, jsonInclusion); err != nil {
		return err
	}
	h, err := ParseHasher(*w.Hasher)
	if err != nil {
		return err
	}
	path, err := parseHexPath(*w.Path)
	if err != nil {
		return err
	}
	v := InclusionProof{Hasher: h, Index: *w.Index, Size: *w.Size, Path: path}
	if err := v.check(); err != nil {
		return err
	}
	*p = v
	return nil
}

// MarshalJSON encodes the proof as
// {"type":"consistency","hasher":"blake3","old_size":…,"new_size":…,"path":[…]}.
func (p ConsistencyProof) MarshalJSON() ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	path := p.Path
	if path == nil {
		path = []Hash{}
	}
	return json.Marshal(consistencyJSON{jsonConsistency, p.Hasher, p.OldSize, p.NewSize, path})
}

// UnmarshalJSON decodes the JSON form strictly (see the package
// documentation), at most MaxJSONProofSize bytes. It leaves p unchanged on
// error.
func (p *ConsistencyProof) UnmarshalJSON(b []byte) error {
	var w consistencyWire
	if err := decodeJSON(b, &w, MaxJSONProofSize); err != nil {
		return err
	}
	if err := present(member{w.Type != nil, "type"}, member{w.Hasher != nil, "hasher"}, member{w.OldSize != nil, "old_size"}, member{w.NewSize != nil, "new_size"}, member{w.Path != nil, "path"}); err != nil {
		return err
	}
	if err := checkType(*w.Type, jsonConsistency); err != nil {
		return err
	}
	h, err := ParseHasher(*w.Hasher)
	if err != nil {
		return err
	}
	path, err := parseHexPath(*w.Path)
	if err != nil {
		return err
	}
	v := ConsistencyProof{Hasher: h, OldSize: *w.OldSize, NewSize: *w.NewSize, Path: path}
	if err := v.check(); err != nil {
		return err
	}
	*p = v
	return nil
}

// decodeJSON parses b strictly with canon.Decode under a size limit: exact
// member names, no unknown or duplicate members, one value and nothing
// after it, integers up to 2^64−1.
func decodeJSON(b []byte, v any, limit int) error {
	l := canon.DefaultLimits()
	l.MaxBytes = limit
	if err := l.Decode(b, v); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedProof, err)
	}
	return nil
}

// member is one required JSON member: whether it was present (and not
// null), and its name.
type member struct {
	ok   bool
	name string
}

// present reports the first required member that is missing or null: a
// proof has exactly one JSON spelling, so nothing is optional.
func present(ms ...member) error {
	for _, m := range ms {
		if !m.ok {
			return fmt.Errorf("%w: member %q missing or null", ErrMalformedProof, m.name)
		}
	}
	return nil
}

func checkType(got, want string) error {
	if got != want {
		return fmt.Errorf("%w: type %q, want %q", ErrMalformedProof, truncate(got), want)
	}
	return nil
}

// parseHexPath decodes path hashes written as 64 lowercase hex digits each
// (the one spelling MarshalJSON writes).
func parseHexPath(hexes []string) ([]Hash, error) {
	path := make([]Hash, len(hexes))
	for i, s := range hexes {
		if err := parseHex(&path[i], []byte(s)); err != nil {
			return nil, fmt.Errorf("%w: path hash %d: %w", ErrMalformedProof, i, err)
		}
	}
	return path, nil
}

// truncate shortens hostile strings quoted in error messages.
func truncate(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
