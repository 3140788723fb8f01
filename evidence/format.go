package evidence

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// Version is the format version Marshal writes and Parse reads.
const Version = 1

// MediaType is the media type of a bundle file; its "version" member
// says which version of the format it follows. Files conventionally end
// in ".evidence.json".
const MediaType = "application/vnd.iotrust.evidence+json"

// maxDepth bounds the nesting of a bundle: the members of a reading's
// metadata sit at depth 4, a Data Integrity credential a few levels deeper.
const maxDepth = 16

var limits = canon.Limits{MaxBytes: MaxSize, MaxDepth: maxDepth}

// b64 is the encoding of binary members: base64url without padding,
// decoded strictly.
var b64 = base64.RawURLEncoding.Strict()

// The file form; see the package documentation for the members.
type bundleJSON struct {
	Commitment     *commitmentJSON     `json:"commitment"`
	Credential     json.RawMessage     `json:"credential,omitempty"`
	Inclusion      *inclusionJSON      `json:"inclusion,omitempty"`
	MultiInclusion *multiInclusionJSON `json:"multiInclusion,omitempty"`
	Readings       []json.RawMessage   `json:"readings"`
	Receipts       []receiptJSON       `json:"receipts"`
	Version        int                 `json:"version"`
	ZKP            *zkpJSON            `json:"zkp,omitempty"`
}

type commitmentJSON struct {
	CID         string `json:"cid"`
	Count       uint64 `json:"count"`
	Metadata    string `json:"metadata,omitempty"`
	Root        string `json:"root"`
	Topic       string `json:"topic"`
	WindowEnd   string `json:"windowEnd"`
	WindowStart string `json:"windowStart"`
}

type inclusionJSON struct {
	Hasher merkle.Hasher `json:"hasher"`
	Index  uint64        `json:"index"`
	Path   []merkle.Hash `json:"path"`
	Size   uint64        `json:"size"`
}

type multiInclusionJSON struct {
	Hasher  merkle.Hasher `json:"hasher"`
	Indices []uint64      `json:"indices"`
	Path    []merkle.Hash `json:"path"`
	Size    uint64        `json:"size"`
}

type receiptJSON struct {
	Chain    string `json:"chain"`
	Ledger   string `json:"ledger"`
	Position uint64 `json:"position"`
	Proof    string `json:"proof,omitempty"`
	State    string `json:"state"`
	Time     string `json:"time"`
	TxID     string `json:"txId"`
}

type zkpJSON struct {
	Claim claimJSON `json:"claim"`
	Proof string    `json:"proof"`
}

type claimJSON struct {
	Intervals  []intervalJSON `json:"intervals"`
	Kind       string         `json:"kind"`
	MaxOutside uint64         `json:"maxOutside,omitempty"`
}

type intervalJSON struct {
	Hi uint64 `json:"hi"`
	Lo uint64 `json:"lo"`
}

// Marshal returns the file form of b: RFC 8785 canonical JSON, so equal
// bundles have equal bytes. It fails with an error matching ErrMalformed
// for a bundle that does not Validate.
func (b *Bundle) Marshal() ([]byte, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	out, err := b.marshal()
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MarshalJSON returns Marshal's bytes, so a bundle nests in other JSON.
func (b *Bundle) MarshalJSON() ([]byte, error) { return b.Marshal() }

// UnmarshalJSON reads a bundle as Parse does.
func (b *Bundle) UnmarshalJSON(raw []byte) error {
	v, err := Parse(raw)
	if err != nil {
		return err
	}
	*b = *v
	return nil
}

func (b *Bundle) marshal() ([]byte, error) {
	c := b.Commitment
	w := bundleJSON{
		Version: Version,
		Commitment: &commitmentJSON{
			CID:         c.CID.String(),
			Count:       c.Count,
			Metadata:    b64.EncodeToString(c.Metadata),
			Root:        c.Root.String(),
			Topic:       c.Topic,
			WindowEnd:   formatTime(c.WindowEnd),
			WindowStart: formatTime(c.WindowStart),
		},
	}
	for i := range b.Readings {
		r, err := b.Readings[i].MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("%w: reading %d: %w", ErrMalformed, i, err)
		}
		w.Readings = append(w.Readings, r)
	}
	if p := b.Inclusion; p != nil {
		w.Inclusion = &inclusionJSON{Hasher: p.Hasher, Index: p.Index, Path: nonNil(p.Path), Size: p.Size}
	}
	if p := b.MultiInclusion; p != nil {
		w.MultiInclusion = &multiInclusionJSON{Hasher: p.Hasher, Indices: p.Indices, Path: nonNil(p.Path), Size: p.Size}
	}
	w.Receipts = make([]receiptJSON, 0, len(b.Receipts))
	for _, r := range b.Receipts {
		w.Receipts = append(w.Receipts, receiptJSON{
			Chain:    r.Chain,
			Ledger:   r.Ledger,
			Position: r.Position,
			Proof:    b64.EncodeToString(r.Proof),
			State:    r.State.String(),
			Time:     formatTime(r.Time),
			TxID:     r.TxID,
		})
	}
	switch {
	case len(b.Credential) == 0:
	case b.Credential[0] == '{':
		cc, err := canonicalCredential(b.Credential)
		if err != nil {
			return nil, err
		}
		w.Credential = cc
	default:
		s, err := json.Marshal(string(b.Credential))
		if err != nil {
			return nil, fmt.Errorf("%w: credential: %w", ErrMalformed, err)
		}
		w.Credential = s
	}
	if z := b.ZKP; z != nil {
		p, err := z.Proof.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		cj := claimJSON{Kind: z.Claim.Kind.String(), MaxOutside: z.Claim.MaxOutside}
		for _, iv := range z.Claim.Intervals {
			cj.Intervals = append(cj.Intervals, intervalJSON{Hi: iv.Hi, Lo: iv.Lo})
		}
		w.ZKP = &zkpJSON{Claim: cj, Proof: b64.EncodeToString(p)}
	}
	raw, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	out, err := limits.Canonicalize(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return out, nil
}

// Parse reads a bundle from its file form and validates it (Validate). It
// reads exactly one encoding of each bundle: input over MaxSize is refused
// before parsing; the JSON is decoded through canon.Decode (exact member
// names, no unknown or duplicate members, one value); every part is
// decoded strictly (readings by reading.ParseJSON); and the input's RFC
// 8785 canonical form must be what Marshal writes for the bundle it
// decodes to, so only insignificant whitespace, member order and string
// escapes may differ. Errors match ErrMalformed (ErrTooLarge, or
// ErrUnsupportedVersion for a "version" other than Version) and wrap the
// cause.
func Parse(raw []byte) (*Bundle, error) {
	if len(raw) > MaxSize {
		return nil, tooLarge("%d bytes, limit %d", len(raw), MaxSize)
	}
	var w bundleJSON
	if err := limits.Decode(raw, &w); err != nil {
		if v, ok := probeVersion(raw); ok && v.String() != fmt.Sprint(Version) {
			return nil, fmt.Errorf("%w: version %s, this package reads %d", ErrUnsupportedVersion, v, Version)
		}
		if errors.Is(err, canon.ErrTooLarge) {
			return nil, fmt.Errorf("%w: %w", ErrTooLarge, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if w.Version != Version {
		return nil, fmt.Errorf("%w: version %d, this package reads %d", ErrUnsupportedVersion, w.Version, Version)
	}
	b, err := w.bundle()
	if err != nil {
		return nil, err
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	want, err := b.marshal()
	if err != nil {
		return nil, err
	}
	got, err := limits.Canonicalize(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if !bytes.Equal(got, want) {
		return nil, malformed("not the one encoding of the bundle it decodes to (a null, empty or zero member that must be omitted, or a value spelled otherwise: times in UTC RFC 3339, lowercase hex, unpadded base64url, canonical CID)")
	}
	return b, nil
}

// probeVersion reads the "version" member of a bundle of any version.
func probeVersion(raw []byte) (json.Number, bool) {
	var p struct {
		Version json.Number `json:"version"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if d.Decode(&p) != nil || p.Version == "" {
		return "", false
	}
	return p.Version, true
}

func (w *bundleJSON) bundle() (*Bundle, error) {
	if len(w.Readings) > MaxReadings {
		return nil, tooLarge("%d readings, limit %d", len(w.Readings), MaxReadings)
	}
	b := &Bundle{Readings: make([]reading.Signed, len(w.Readings))}
	for i, raw := range w.Readings {
		r, err := reading.ParseJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: reading %d: %w", ErrMalformed, i, err)
		}
		b.Readings[i] = r
	}
	cj := w.Commitment
	if cj == nil {
		return nil, malformed(`missing member "commitment"`)
	}
	root, err := canon.ParseDigest(cj.Root)
	if err != nil {
		return nil, fmt.Errorf("%w: commitment root: %w", ErrMalformed, err)
	}
	id, err := cid.Decode(cj.CID)
	if err != nil {
		return nil, fmt.Errorf("%w: commitment: %w: %q: %v", ErrMalformed, anchor.ErrBadCID, cj.CID, err)
	}
	meta, err := decodeB64("commitment metadata", cj.Metadata, anchor.MaxMetadataLen)
	if err != nil {
		return nil, err
	}
	start, err := parseTime("commitment windowStart", cj.WindowStart)
	if err != nil {
		return nil, err
	}
	end, err := parseTime("commitment windowEnd", cj.WindowEnd)
	if err != nil {
		return nil, err
	}
	if cj.Count > canon.MaxSafeInteger {
		return nil, malformed("commitment count %d beyond 2^53-1", cj.Count)
	}
	b.Commitment = anchor.Commitment{
		Root: root, CID: id, WindowStart: start, WindowEnd: end,
		Count: cj.Count, Topic: cj.Topic, Metadata: meta,
	}
	if p := w.Inclusion; p != nil {
		b.Inclusion = &merkle.InclusionProof{Hasher: p.Hasher, Index: p.Index, Size: p.Size, Path: p.Path}
	}
	if p := w.MultiInclusion; p != nil {
		b.MultiInclusion = &merkle.MultiInclusionProof{Hasher: p.Hasher, Size: p.Size, Indices: p.Indices, Path: p.Path}
	}
	if len(w.Receipts) > MaxReceipts {
		return nil, tooLarge("%d receipts, limit %d", len(w.Receipts), MaxReceipts)
	}
	for i, rj := range w.Receipts {
		var st anchor.State
		if err := st.UnmarshalText([]byte(rj.State)); err != nil {
			return nil, fmt.Errorf("%w: receipt %d: %w", ErrMalformed, i, err)
		}
		t, err := parseTime(fmt.Sprintf("receipt %d time", i), rj.Time)
		if err != nil {
			return nil, err
		}
		proof, err := decodeB64(fmt.Sprintf("receipt %d proof", i), rj.Proof, MaxReceiptProofSize)
		if err != nil {
			return nil, err
		}
		b.Receipts = append(b.Receipts, anchor.Receipt{
			Ledger: rj.Ledger, Chain: rj.Chain, Commitment: b.Commitment, Position: rj.Position,
			TxID: rj.TxID, Time: t, State: st, Proof: proof,
		})
	}
	if len(w.Credential) > 0 {
		switch w.Credential[0] {
		case '"':
			var s string
			if err := json.Unmarshal(w.Credential, &s); err != nil {
				return nil, fmt.Errorf("%w: credential: %w", ErrMalformed, err)
			}
			if s == "" {
				return nil, malformed(`"credential" is empty (omit it)`)
			}
			b.Credential = []byte(s)
		case '{':
			c, err := canonicalCredential(w.Credential)
			if err != nil {
				return nil, err
			}
			b.Credential = c
		default:
			return nil, malformed("credential is neither a string (JWT) nor an object")
		}
	}
	if z := w.ZKP; z != nil {
		kind, ok := parseKind(z.Claim.Kind)
		if !ok {
			return nil, malformed("ZK proof: unknown claim kind %q", z.Claim.Kind)
		}
		raw, err := decodeB64("zkp proof", z.Proof, zkp.MaxProofSize)
		if err != nil {
			return nil, err
		}
		p, err := zkp.ParseProof(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		c := Claim{Kind: kind, MaxOutside: z.Claim.MaxOutside}
		if len(z.Claim.Intervals) > MaxReadings {
			return nil, tooLarge("ZK proof: %d intervals", len(z.Claim.Intervals))
		}
		for _, iv := range z.Claim.Intervals {
			c.Intervals = append(c.Intervals, zkp.Interval{Lo: iv.Lo, Hi: iv.Hi})
		}
		b.ZKP = &ZKProof{Claim: c, Proof: p}
	}
	return b, nil
}

func parseKind(s string) (zkp.Kind, bool) {
	for _, k := range []zkp.Kind{zkp.KindReading, zkp.KindBatch, zkp.KindBox, zkp.KindThreshold} {
		if s == k.String() {
			return k, true
		}
	}
	return 0, false
}

// formatTime is the one spelling of a time in a bundle: RFC 3339 in UTC
// with as many fractional digits as needed (none for whole seconds).
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(what, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, malformed("%s %q is not an RFC 3339 time", what, s)
	}
	return t.UTC(), nil
}

func decodeB64(what, s string, max int) ([]byte, error) {
	if b64.DecodedLen(len(s)) > max {
		return nil, tooLarge("%s of %d base64url characters, limit %d bytes", what, len(s), max)
	}
	if s == "" {
		return nil, nil
	}
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, malformed("%s is not unpadded base64url: %v", what, err)
	}
	return b, nil
}

func nonNil(p []merkle.Hash) []merkle.Hash {
	if p == nil {
		return []merkle.Hash{}
	}
	return p
}
