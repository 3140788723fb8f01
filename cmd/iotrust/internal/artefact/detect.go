package artefact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	flog "github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/anchor/tlog/audit"
	"github.com/iotrust/iotrust/cmd/iotrust/internal/keyfile"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// MaxSize is the largest input Detect reads: the largest artefact, an
// evidence bundle.
const MaxSize = evidence.MaxSize

// Kind names a kind of artefact.
type Kind string

// Kinds, in the order Detect tries them.
const (
	Bundle              Kind = "evidence bundle"
	Reading             Kind = "signed reading"
	Receipt             Kind = "anchor receipt"
	Commitment          Kind = "anchor commitment"
	InclusionProof      Kind = "Merkle inclusion proof"
	ConsistencyProof    Kind = "Merkle consistency proof"
	MultiInclusionProof Kind = "Merkle multi-leaf inclusion proof"
	Voucher             Kind = "payment voucher"
	DIDDocument         Kind = "DID document"
	KeyFile             Kind = "private key file"
	Checkpoint          Kind = "log checkpoint"
	LogProof            Kind = "transparency log receipt proof"
	AggregateProof      Kind = "aggregate receipt proof"
	ZKProof             Kind = "zero-knowledge proof"
	ZKVerifyingKey      Kind = "zero-knowledge verifying key"
	LogKey              Kind = "log verifier key"
)

// Encoding names the form an artefact was read from.
type Encoding string

// Encodings.
const (
	JSON   Encoding = "JSON"
	CBOR   Encoding = "CBOR"
	Binary Encoding = "binary"
	Text   Encoding = "signed note"
	// KeyLine is a note verifier key on one line (origin+hash+base64).
	KeyLine Encoding = "note verifier key"
)

// Artefact is a recognised artefact.
type Artefact struct {
	Kind     Kind
	Encoding Encoding
	// Value is the decoded artefact: *evidence.Bundle, reading.Signed,
	// anchor.Receipt, anchor.Commitment, merkle.InclusionProof,
	// merkle.ConsistencyProof, merkle.MultiInclusionProof,
	// *payment.Voucher, *did.Document, KeyFileValue, CheckpointValue,
	// tlog.InclusionProof, aggregate.Proof, *zkp.Proof,
	// *zkp.VerifyingKey or LogKeyValue.
	Value any
}

// ErrUnknown is returned by Detect for input that is no artefact it knows.
var ErrUnknown = errors.New("artefact: not an iotrust artefact")

// CheckpointValue is a C2SP checkpoint (c2sp.org/tlog-checkpoint) as
// written, its signatures not verified.
type CheckpointValue struct {
	Origin string
	Size   uint64
	Root   [32]byte
	// Signatures are the note's signature lines: the log's and any
	// witnesses' cosignatures.
	Signatures []note.Signature
	Raw        []byte
}

// LogKeyValue is a transparency log's note verifier key, as an operator
// publishes it and --log-key takes it: well formed and not a weak key,
// which says nothing of whose it is.
type LogKeyValue struct {
	Origin string
	Text   string
}

// KeyFileValue is a private key file: the key's DID and scheme. The key
// itself is not kept.
type KeyFileValue struct {
	DID    string
	Scheme string
}

type parser struct {
	kind  Kind
	enc   Encoding
	parse func([]byte) (any, error)
}

var parsers = []parser{
	{Bundle, JSON, func(b []byte) (any, error) { return evidence.Parse(b) }},
	{Reading, JSON, func(b []byte) (any, error) { return reading.ParseJSON(b) }},
	{Receipt, JSON, func(b []byte) (any, error) { return anchor.ParseReceipt(b) }},
	{Commitment, JSON, func(b []byte) (any, error) {
		var c anchor.Commitment
		if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
			return nil, errors.New("null")
		}
		err := c.UnmarshalJSON(b)
		return c, err
	}},
	{InclusionProof, JSON, func(b []byte) (any, error) {
		var p merkle.InclusionProof
		err := p.UnmarshalJSON(b)
		return p, err
	}},
	{ConsistencyProof, JSON, func(b []byte) (any, error) {
		var p merkle.ConsistencyProof
		err := p.UnmarshalJSON(b)
		return p, err
	}},
	{MultiInclusionProof, JSON, func(b []byte) (any, error) {
		var p merkle.MultiInclusionProof
		err := p.UnmarshalJSON(b)
		return p, err
	}},
	{Voucher, JSON, func(b []byte) (any, error) {
		v := new(payment.Voucher)
		err := v.UnmarshalJSON(b)
		return v, err
	}},
	{DIDDocument, JSON, func(b []byte) (any, error) { return did.ParseDocument(b) }},
	{KeyFile, JSON, func(b []byte) (any, error) {
		k, id, err := keyfile.Parse(b)
		if err != nil {
			return nil, err
		}
		return KeyFileValue{DID: id, Scheme: k.Public().Scheme().Name()}, nil
	}},
	{Checkpoint, Text, func(b []byte) (any, error) { return parseCheckpoint(b) }},
	{Reading, CBOR, func(b []byte) (any, error) { return reading.ParseCBOR(b) }},
	{InclusionProof, Binary, func(b []byte) (any, error) {
		var p merkle.InclusionProof
		err := p.UnmarshalBinary(b)
		return p, err
	}},
	{ConsistencyProof, Binary, func(b []byte) (any, error) {
		var p merkle.ConsistencyProof
		err := p.UnmarshalBinary(b)
		return p, err
	}},
	{MultiInclusionProof, Binary, func(b []byte) (any, error) {
		var p merkle.MultiInclusionProof
		err := p.UnmarshalBinary(b)
		return p, err
	}},
	{Commitment, Binary, func(b []byte) (any, error) { return anchor.DecodeCommitment(b) }},
	{Voucher, Binary, func(b []byte) (any, error) { return payment.ParseVoucher(b) }},
	{LogProof, Binary, func(b []byte) (any, error) {
		var p tlog.InclusionProof
		err := p.UnmarshalBinary(b)
		return p, err
	}},
	{AggregateProof, Binary, func(b []byte) (any, error) {
		var p aggregate.Proof
		err := p.UnmarshalBinary(b)
		return p, err
	}},
	{ZKProof, Binary, func(b []byte) (any, error) { return zkp.ParseProof(b) }},
	{ZKVerifyingKey, Binary, func(b []byte) (any, error) { return zkp.ReadVerifyingKey(bytes.NewReader(b)) }},
	{LogKey, KeyLine, func(b []byte) (any, error) { return parseLogKey(b) }},
}

// Detect recognises raw as one artefact. Input over MaxSize, and input no
// parser accepts, give an error matching ErrUnknown that says, for the
// parsers of raw's family (JSON, signed note or binary), why each refused.
func Detect(raw []byte) (Artefact, error) {
	if len(raw) == 0 {
		return Artefact{}, fmt.Errorf("%w: empty input", ErrUnknown)
	}
	if len(raw) > MaxSize {
		return Artefact{}, fmt.Errorf("%w: %d bytes, larger than any artefact (%d)", ErrUnknown, len(raw), MaxSize)
	}
	family := Binary
	switch {
	case json.Valid(raw):
		family = JSON
	case utf8.Valid(raw) && bytes.Contains(raw, []byte("\n\n\u2014 ")):
		family = Text
	case utf8.Valid(raw) && !bytes.ContainsAny(bytes.TrimSuffix(raw, []byte("\n")), "\n\x00"):
		family = KeyLine
	}
	var why []string
	for _, p := range parsers {
		v, err := p.parse(raw)
		if err == nil {
			return Artefact{Kind: p.kind, Encoding: p.enc, Value: v}, nil
		}
		if p.enc == family || family == Binary && p.enc == CBOR {
			why = append(why, fmt.Sprintf("as a %s (%s): %v", p.kind, p.enc, err))
		}
	}
	what := "binary data"
	switch family {
	case JSON:
		what = "JSON"
	case Text:
		what = "text"
	case KeyLine:
		what = "a line of text"
	}
	return Artefact{}, fmt.Errorf("%w: %s that no parser accepts:\n  %s", ErrUnknown, what, strings.Join(why, "\n  "))
}

// parseLogKey reads a note verifier key alone on its line, as a log's
// operator publishes it (and anchor/tlog's logs write it to a .vkey file):
// the key, then at most one newline.
func parseLogKey(raw []byte) (LogKeyValue, error) {
	line := bytes.TrimSuffix(raw, []byte("\n"))
	k, err := audit.ParseKey(string(line))
	if err != nil {
		return LogKeyValue{}, err
	}
	if k.Text != string(line) {
		return LogKeyValue{}, fmt.Errorf("%w: space around the key", tlog.ErrBadKey)
	}
	return LogKeyValue{Origin: k.Origin(), Text: k.Text}, nil
}

// errBadCheckpoint reports a signed note that is not a checkpoint.
var errBadCheckpoint = errors.New("not a checkpoint")

// parseCheckpoint reads a signed note holding a checkpoint, without
// verifying its signatures: one canonical body (origin, size, root) and
// no extension lines, as anchor/tlog's logs write them.
func parseCheckpoint(raw []byte) (CheckpointValue, error) {
	if len(raw) > tlog.MaxCheckpointLen {
		return CheckpointValue{}, fmt.Errorf("%w: %d bytes, limit %d", errBadCheckpoint, len(raw), tlog.MaxCheckpointLen)
	}
	_, err := note.Open(raw, note.VerifierList())
	var unverified *note.UnverifiedNoteError
	if !errors.As(err, &unverified) {
		if err == nil {
			err = errors.New("no signatures")
		}
		return CheckpointValue{}, fmt.Errorf("%w: %w", errBadCheckpoint, err)
	}
	n := unverified.Note
	var cp flog.Checkpoint
	rest, err := cp.Unmarshal([]byte(n.Text))
	if err != nil {
		return CheckpointValue{}, fmt.Errorf("%w: %w", errBadCheckpoint, err)
	}
	if len(rest) != 0 {
		return CheckpointValue{}, fmt.Errorf("%w: extension lines %q", errBadCheckpoint, rest)
	}
	if len(cp.Hash) != 32 || !bytes.Equal(cp.Marshal(), []byte(n.Text)) {
		return CheckpointValue{}, fmt.Errorf("%w: not the canonical body of a checkpoint of a SHA-256 tree", errBadCheckpoint)
	}
	v := CheckpointValue{Origin: cp.Origin, Size: cp.Size, Signatures: n.UnverifiedSigs, Raw: bytes.Clone(raw)}
	copy(v.Root[:], cp.Hash)
	return v, nil
}
