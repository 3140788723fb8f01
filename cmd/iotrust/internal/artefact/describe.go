package artefact

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/anchor/tlog/audit"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// ErrNotVerified is returned by Describe, after it has written the whole
// description, when a checkpoint's signature was checked with a key of its
// log and does not verify.
var ErrNotVerified = errors.New("artefact: checkpoint signature does not verify")

// Describe writes a for a person: what it is, then its members one per
// line. Checkpoints, and the checkpoints in tlog receipt proofs, have
// their signatures checked against keys where a key names their log; all
// else is shown as written, unchecked. When a checked signature does not
// verify, the description says so and Describe returns an error matching
// ErrNotVerified.
func Describe(w io.Writer, a Artefact, keys audit.Keys) error {
	p := &printer{}
	fmt.Fprintf(&p.b, "%s (%s)\n", a.Kind, a.Encoding)
	p.indent = "  "
	switch v := a.Value.(type) {
	case *evidence.Bundle:
		p.bundle(v, keys)
	case reading.Signed:
		p.reading(v)
	case anchor.Receipt:
		p.receipt(v, keys)
	case anchor.Commitment:
		p.commitment(v)
	case merkle.InclusionProof:
		p.kv("hasher", v.Hasher.String())
		p.kv("leaf", fmt.Sprintf("%d of a tree of %s", v.Index, plural(int(v.Size), "leaf")))
		p.path(v.Path)
	case merkle.ConsistencyProof:
		p.kv("hasher", v.Hasher.String())
		p.kv("trees", fmt.Sprintf("the tree of %s is a prefix of the tree of %d", plural(int(v.OldSize), "leaf"), v.NewSize))
		p.path(v.Path)
	case merkle.MultiInclusionProof:
		p.kv("hasher", v.Hasher.String())
		p.kv("leaves", fmt.Sprintf("%s of a tree of %s", indices(v.Indices), plural(int(v.Size), "leaf")))
		p.path(v.Path)
	case *payment.Voucher:
		p.voucher(v)
	case *did.Document:
		p.document(v)
	case KeyFileValue:
		p.kv("did", v.DID)
		p.kv("scheme", v.Scheme)
		p.kv("note", "holds a private key; keep it readable by its owner only")
	case CheckpointValue:
		p.checkpoint(v, keys)
	case tlog.InclusionProof:
		p.logProof(v, keys)
	case aggregate.Proof:
		p.aggregateProof(v, keys)
	case *zkp.Proof:
		p.kv("backend", v.Backend().String())
		p.kv("shape", v.Shape().String())
	case *zkp.VerifyingKey:
		p.kv("backend", v.Backend().String())
		p.kv("shape", v.Shape().String())
		p.kv("use", "iotrust verify --zk-key FILE")
	case LogKeyValue:
		p.kv("origin", v.Origin)
		p.kv("key", v.Text)
		p.kv("use", "iotrust verify --log-key KEY; trust it only from the log's operator")
	default:
		return fmt.Errorf("artefact: cannot describe %T", a.Value)
	}
	if _, err := w.Write(p.b.Bytes()); err != nil {
		return err
	}
	if len(p.unverified) > 0 {
		return fmt.Errorf("%w: %s", ErrNotVerified, strings.Join(p.unverified, "; "))
	}
	return nil
}

type printer struct {
	b      bytes.Buffer
	indent string
	// unverified says, for each checkpoint whose signature was checked
	// and does not verify, which log's and with which key.
	unverified []string
}

func (p *printer) kv(k, v string) { fmt.Fprintf(&p.b, "%s%-11s %s\n", p.indent, k+":", v) }

func (p *printer) section(name string, f func()) {
	fmt.Fprintf(&p.b, "%s%s:\n", p.indent, name)
	old := p.indent
	p.indent += "  "
	f()
	p.indent = old
}

func (p *printer) path(path []merkle.Hash) {
	p.kv("path", plural(len(path), "hash"))
	for i, h := range path {
		p.kv(fmt.Sprintf("  [%d]", i), hex.EncodeToString(h[:]))
	}
}

func (p *printer) bundle(b *evidence.Bundle, keys audit.Keys) {
	p.kv("readings", strconv.Itoa(len(b.Readings)))
	for i, r := range b.Readings {
		p.section(fmt.Sprintf("reading[%d]", i), func() { p.reading(r) })
	}
	switch {
	case b.Inclusion != nil:
		x := b.Inclusion
		p.kv("inclusion", fmt.Sprintf("%s proof of leaf %d of %d, %s", x.Hasher, x.Index, x.Size, plural(len(x.Path), "hash")))
	case b.MultiInclusion != nil:
		x := b.MultiInclusion
		p.kv("inclusion", fmt.Sprintf("%s proof of leaves %s of %d, %s", x.Hasher, indices(x.Indices), x.Size, plural(len(x.Path), "hash")))
	}
	p.section("commitment", func() { p.commitment(b.Commitment) })
	for i, r := range b.Receipts {
		p.section(fmt.Sprintf("receipt[%d]", i), func() { p.receiptFields(r, keys) })
	}
	switch {
	case len(b.Credential) == 0:
		p.kv("credential", "none")
	case b.Credential[0] == '{':
		p.kv("credential", fmt.Sprintf("Data Integrity credential, %d bytes of JSON", len(b.Credential)))
	default:
		p.kv("credential", fmt.Sprintf("JWT credential, %d bytes", len(b.Credential)))
	}
	if b.ZKP == nil {
		p.kv("zkp", "none")
		return
	}
	p.section("zkp", func() {
		c := b.ZKP.Claim
		var ivs []string
		for _, iv := range c.Intervals {
			ivs = append(ivs, fmt.Sprintf("[%d, %d]", iv.Lo, iv.Hi))
		}
		p.kv("claim", c.Kind.String())
		p.kv("intervals", strings.Join(ivs, " "))
		if c.Kind == zkp.KindThreshold {
			p.kv("outside", fmt.Sprintf("at most %d", c.MaxOutside))
		}
		p.kv("proof", fmt.Sprintf("%s, %s", b.ZKP.Proof.Backend(), b.ZKP.Proof.Shape()))
	})
}

func (p *printer) reading(s reading.Signed) {
	r := s.Reading
	p.kv("device", r.Device)
	p.kv("topic", r.Topic)
	p.kv("seq", strconv.FormatUint(r.Seq, 10))
	p.kv("time", formatTime(r.Time))
	p.kv("sensor", r.Sensor)
	if r.Commitment != nil {
		p.kv("value", fmt.Sprintf("private, committed to %s (scale %d%s)", hex.EncodeToString(r.Commitment), r.Scale, unitSuffix(r.Unit, ", unit ")))
	} else {
		p.kv("value", Fixed(r.Value, r.Scale)+unitSuffix(r.Unit, " "))
	}
	keys := make([]string, 0, len(r.Metadata))
	for k := range r.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p.kv("metadata", fmt.Sprintf("%s=%q", k, r.Metadata[k]))
	}
	if id, err := r.ID(); err == nil {
		p.kv("id", id.String())
	}
	p.kv("signature", fmt.Sprintf("%d bytes", len(s.Signature)))
}

func unitSuffix(unit, sep string) string {
	if unit == "" {
		return ""
	}
	return sep + unit
}

func (p *printer) commitment(c anchor.Commitment) {
	p.kv("root", c.Root.String())
	p.kv("cid", c.CID.String())
	p.kv("window", formatTime(c.WindowStart)+" .. "+formatTime(c.WindowEnd))
	p.kv("count", strconv.FormatUint(c.Count, 10))
	p.kv("topic", c.Topic)
	if len(c.Metadata) > 0 {
		p.kv("metadata", fmt.Sprintf("%d bytes: %s", len(c.Metadata), base64.RawURLEncoding.EncodeToString(c.Metadata)))
	}
	if id, err := c.ID(); err == nil {
		p.kv("id", id.String())
	}
}

func (p *printer) receipt(r anchor.Receipt, keys audit.Keys) {
	p.receiptFields(r, keys)
	p.section("commitment", func() { p.commitment(r.Commitment) })
}

func (p *printer) receiptFields(r anchor.Receipt, keys audit.Keys) {
	p.kv("ledger", r.Ledger+" "+r.Chain)
	p.kv("state", r.State.String())
	p.kv("position", strconv.FormatUint(r.Position, 10))
	p.kv("txid", r.TxID)
	p.kv("time", formatTime(r.Time)+" (the ledger's word)")
	if len(r.Proof) == 0 {
		p.kv("proof", "none")
		return
	}
	var lp tlog.InclusionProof
	if r.Ledger == tlog.LedgerName && lp.UnmarshalBinary(r.Proof) == nil {
		p.section("proof", func() { p.logProof(lp, keys) })
		return
	}
	var ap aggregate.Proof
	if r.Ledger == aggregate.LedgerName && ap.UnmarshalBinary(r.Proof) == nil {
		p.section("proof", func() { p.aggregateProof(ap, keys) })
		return
	}
	p.kv("proof", fmt.Sprintf("%d bytes", len(r.Proof)))
}

func (p *printer) logProof(lp tlog.InclusionProof, keys audit.Keys) {
	p.kv("leaf", fmt.Sprintf("entry %d of a log of %s, %s", lp.Index, plural(int(lp.TreeSize), "entry"), plural(len(lp.Hashes), "hash")))
	cp, err := parseCheckpoint(lp.Checkpoint)
	if err != nil {
		p.kv("checkpoint", fmt.Sprintf("unreadable: %v", err))
		return
	}
	p.section("checkpoint", func() { p.checkpoint(cp, keys) })
}

func (p *printer) aggregateProof(ap aggregate.Proof, keys audit.Keys) {
	x := ap.Path
	p.kv("member", fmt.Sprintf("leaf %d of an aggregate of %s, %s proof of %s", x.Index, plural(int(x.Size), "commitment"), x.Hasher, plural(len(x.Path), "hash")))
	p.section("aggregate", func() {
		p.receiptFields(ap.Inner, keys)
		p.section("commitment", func() { p.commitment(ap.Inner.Commitment) })
	})
}

func (p *printer) checkpoint(cp CheckpointValue, keys audit.Keys) {
	p.kv("origin", cp.Origin)
	p.kv("size", strconv.FormatUint(cp.Size, 10))
	p.kv("root", hex.EncodeToString(cp.Root[:]))
	for _, s := range cp.Signatures {
		p.kv("signed by", fmt.Sprintf("%s (key hash %08x)", s.Name, s.Hash))
	}
	k, ok := keys.For(cp.Origin)
	if !ok {
		p.kv("signature", "not checked (no --log-key for "+cp.Origin+")")
		return
	}
	if _, err := k.Verifier.ParseCheckpoint(cp.Raw); err != nil {
		p.kv("signature", "DOES NOT VERIFY with "+k.Text+": "+err.Error())
		p.unverified = append(p.unverified, fmt.Sprintf("a checkpoint of %s with %s", cp.Origin, k.Text))
		return
	}
	p.kv("signature", "verified with "+k.Text)
}

func (p *printer) voucher(v *payment.Voucher) {
	p.kv("chain", fmt.Sprintf("%d, contract %s", v.Domain.ChainID, v.Domain.Contract))
	p.kv("channel", v.Channel.String())
	p.kv("lane", strconv.FormatUint(v.Lane, 10))
	p.kv("nonce", strconv.FormatUint(v.Nonce, 10))
	p.kv("amount", v.Amount.String()+" (cumulative, in the asset's smallest unit)")
	switch {
	case v.NotBefore == 0 && v.NotAfter == 0:
		p.kv("valid", "at any time")
	default:
		p.kv("valid", unixOrOpen(v.NotBefore)+" .. "+unixOrOpen(v.NotAfter))
	}
	if v.Condition.Valid() {
		p.kv("condition", v.Condition.String())
	}
	p.kv("signature", fmt.Sprintf("%d bytes", len(v.Signature)))
}

func unixOrOpen(s uint64) string {
	if s == 0 {
		return "(open)"
	}
	if s > 1<<62 {
		return strconv.FormatUint(s, 10)
	}
	return formatTime(time.Unix(int64(s), 0))
}

func (p *printer) document(d *did.Document) {
	p.kv("id", d.ID)
	for _, vm := range d.VerificationMethod {
		p.section("method", func() {
			p.kv("id", vm.ID)
			p.kv("type", vm.Type)
			if k, err := vm.PublicKey(); err == nil {
				p.kv("key", fmt.Sprintf("%s, %d bytes", k.Scheme().Name(), len(k.Bytes())))
			}
		})
	}
	for _, rel := range []struct {
		name string
		ids  []string
	}{
		{"authentication", d.Authentication}, {"assertionMethod", d.AssertionMethod},
		{"capabilityInvocation", d.CapabilityInvocation}, {"capabilityDelegation", d.CapabilityDelegation},
		{"keyAgreement", d.KeyAgreement},
	} {
		for _, id := range rel.ids {
			fmt.Fprintf(&p.b, "%s%s: %s\n", p.indent, rel.name, id)
		}
	}
}

func indices(xs []uint64) string {
	const show = 16
	var s []string
	for i, x := range xs {
		if i == show {
			s = append(s, fmt.Sprintf("… (%d in all)", len(xs)))
			break
		}
		s = append(s, strconv.FormatUint(x, 10))
	}
	return strings.Join(s, ", ")
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Fixed formats the fixed-point value v × 10^−scale exactly, e.g.
// Fixed(415, 2) = "4.15", Fixed(-5, 3) = "-0.005", Fixed(12, -2) = "1200".
func Fixed(v int64, scale int8) string {
	neg := v < 0
	var digits string
	if neg {
		digits = strconv.FormatUint(uint64(-(v+1))+1, 10)
	} else {
		digits = strconv.FormatUint(uint64(v), 10)
	}
	switch {
	case scale < 0 && v != 0:
		digits += strings.Repeat("0", -int(scale))
	case scale > 0:
		n := int(scale)
		if len(digits) <= n {
			digits = strings.Repeat("0", n-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-n] + "." + digits[len(digits)-n:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// plural returns "1 hash", "2 hashes", "3 entries", "4 leaves".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	switch {
	case strings.HasSuffix(what, "y"):
		what = what[:len(what)-1] + "ie"
	case strings.HasSuffix(what, "f"):
		what = what[:len(what)-1] + "ve"
	case strings.HasSuffix(what, "h"):
		what += "e"
	}
	return fmt.Sprintf("%d %ss", n, what)
}
