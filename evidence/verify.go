package evidence

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
	"github.com/iotrust/iotrust/zkp"
)

// Trust is what a verifier brings to Verify: the keys, ledgers, issuers
// and verifying keys it trusts. Nothing in a bundle is trusted for itself.
type Trust struct {
	// Keys resolves each reading's device key at the reading's time: a
	// did.Registry copy for managed devices, did.SelfCertifying for did:key
	// and did:jwk devices (what nil means).
	Keys did.KeyResolver
	// Ledgers lists the ledgers whose receipts count. A receipt of a
	// ledger not listed is skipped, not failed.
	Ledgers []Ledger
	// MinReceipts is how many receipts must verify (from different
	// ledgers, as a bundle holds one per ledger); below 1 means 1.
	MinReceipts int
	// Credentials, if set, verifies the bundle's device credential, e.g. a
	// *vc.Verifier whose TrustedIssuers are the manufacturers trusted and
	// whose clock (VerifierConfig.Now) is the readings' time rather than
	// the auditor's. Nil skips the credential.
	Credentials CredentialVerifier
	// RequireCredential fails the credential check of a bundle that has
	// no credential, or when Credentials is nil, instead of skipping it:
	// without it a bundle whose credential was removed still verifies
	// (its readings signed by a key nobody vouched for).
	RequireCredential bool
	// ZKPKeys are the verifying keys of the zero-knowledge proofs the
	// verifier accepts; a bundle's proof is checked with the key of its
	// shape and backend, and skipped when there is none.
	ZKPKeys []*zkp.VerifyingKey
}

// Ledger is a trusted ledger: receipts whose Ledger and Chain are these
// are checked with Verifier (e.g. anchor/tlog's Verifier, built from the
// log's public key).
type Ledger struct {
	// Name is the backend kind, anchor.Receipt.Ledger ("tlog", "evm").
	Name string
	// Chain is the ledger instance, anchor.Receipt.Chain.
	Chain string
	// Verifier checks the ledger's receipts.
	Verifier anchor.ReceiptVerifier
}

// CredentialVerifier verifies a device credential; *vc.Verifier is one.
type CredentialVerifier interface {
	Verify(ctx context.Context, raw []byte) (*vc.VerifiedCredential, error)
}

// Outcome is the result of one check.
type Outcome uint8

// Outcomes.
const (
	// Pass: the check was made and holds.
	Pass Outcome = 1 + iota
	// Fail: the check was made and does not hold.
	Fail
	// Skip: the check was not made (the bundle has no such part, the
	// trust given has nothing to check it with, or a receipt is not final
	// yet); Reason says why.
	Skip
)

// String returns "pass", "fail" or "skip".
func (o Outcome) String() string {
	switch o {
	case Pass:
		return "pass"
	case Fail:
		return "fail"
	case Skip:
		return "skip"
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// MarshalText implements encoding.TextMarshaler, for reports in JSON.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Check is the outcome of one named check of Verify.
type Check struct {
	// Name names the check (see Verify).
	Name string `json:"name"`
	// Outcome is pass, fail or skip.
	Outcome Outcome `json:"outcome"`
	// Reason says what was found, for fail and skip.
	Reason string `json:"reason,omitempty"`
	// Err is the error of a failed check, matching the cause's sentinels
	// (reading.ErrBadSignature, merkle's errors, anchor.ErrBadReceipt,
	// zkp's errors, ...).
	Err error `json:"-"`
}

// Report is the outcome of Verify: every check in the order made.
type Report struct {
	Checks []Check `json:"checks"`
}

// OK reports whether no check failed. Verify fails the "anchored" check
// when too few receipts verified, so OK means the bundle is proven as far
// as the trust given allows; skipped parts are listed in Checks.
func (r *Report) OK() bool {
	for _, c := range r.Checks {
		if c.Outcome != Pass && c.Outcome != Skip {
			return false
		}
	}
	return len(r.Checks) > 0
}

// Err returns nil when OK, else an error matching ErrNotVerified and the
// error of every failed check, naming them.
func (r *Report) Err() error {
	if r.OK() {
		return nil
	}
	errs := []error{ErrNotVerified}
	var names []string
	for _, c := range r.Checks {
		if c.Outcome == Pass || c.Outcome == Skip {
			continue
		}
		names = append(names, c.Name+": "+c.Reason)
		if c.Err != nil {
			errs = append(errs, c.Err)
		}
	}
	return &verifyError{msg: strings.Join(names, "; "), errs: errs}
}

// Check returns the check named name.
func (r *Report) Check(name string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Names returns the names of the checks that came out o, in the order
// made.
func (r *Report) Names(o Outcome) []string {
	var names []string
	for _, c := range r.Checks {
		if c.Outcome == o {
			names = append(names, c.Name)
		}
	}
	return names
}

// String lists the checks one per line: outcome, name, reason.
func (r *Report) String() string {
	var b strings.Builder
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%-4s  %s", c.Outcome, c.Name)
		if c.Reason != "" {
			b.WriteString(": ")
			b.WriteString(c.Reason)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

type verifyError struct {
	msg  string
	errs []error
}

func (e *verifyError) Error() string   { return ErrNotVerified.Error() + ": " + e.msg }
func (e *verifyError) Unwrap() []error { return e.errs }

func (r *Report) add(name string, o Outcome, err error, reason string) {
	if reason == "" && err != nil {
		reason = err.Error()
	}
	r.Checks = append(r.Checks, Check{Name: name, Outcome: o, Reason: reason, Err: err})
}

func (r *Report) result(name string, err error) {
	if err != nil {
		r.add(name, Fail, err, "")
		return
	}
	r.add(name, Pass, nil, "")
}

// Verify checks b offline against trust and reports every check, in this
// order and under these names:
//
//	bundle        the bundle is well formed (Validate); when it fails,
//	              nothing else is checked
//	reading[i]    reading i is signed by its device's key at its time
//	              (reading.VerifyBatch with trust.Keys)
//	credential    the credential verifies (trust.Credentials), names every
//	              reading's device, was valid at every reading's time and
//	              lets the device publish on every reading's topic;
//	              skipped without a credential or a verifier, unless
//	              trust.RequireCredential (then failed, ErrNoCredential)
//	inclusion     the readings' Merkle leaves are in the tree whose root the
//	              commitment names, a tree of the commitment's Count leaves
//	window        every reading's time lies in the commitment's window
//	receipt[i]    receipt i verifies with its ledger's verifier; skipped
//	              when not final or its ledger is not trusted
//	anchored      at least trust.MinReceipts (and one) receipts verified
//	zkp           the zero-knowledge proof verifies for its claim about the
//	              readings' commitments, with the trusted key of its shape
//
// Verify does no I/O of its own; it calls the trusted verifiers and
// resolvers, which may (anchor/evm's VerifyReceipt asks a node). When ctx
// is done, checks not yet made fail with ctx's error.
func Verify(ctx context.Context, b *Bundle, trust Trust) *Report {
	rep := &Report{}
	if err := b.Validate(); err != nil {
		rep.add("bundle", Fail, err, "")
		return rep
	}
	rep.add("bundle", Pass, nil, "")

	keys := trust.Keys
	if keys == nil {
		keys = did.SelfCertifying{}
	}
	for i, err := range reading.VerifyBatch(ctx, keys, b.Readings) {
		rep.result(fmt.Sprintf("reading[%d]", i), err)
	}

	switch {
	case len(b.Credential) == 0 && trust.RequireCredential:
		rep.add("credential", Fail, fmt.Errorf("%w: the bundle has none", ErrNoCredential), "")
	case len(b.Credential) == 0:
		rep.add("credential", Skip, nil, "the bundle has no credential")
	case trust.Credentials == nil && trust.RequireCredential:
		rep.add("credential", Fail, fmt.Errorf("%w: no credential verifier trusted", ErrNoCredential), "")
	case trust.Credentials == nil:
		rep.add("credential", Skip, nil, "no credential verifier trusted")
	default:
		rep.result("credential", checkCredential(ctx, b, trust.Credentials))
	}

	rep.result("inclusion", checkInclusion(b))
	rep.result("window", checkWindow(b))

	verified := 0
	for i, r := range b.Receipts {
		name := fmt.Sprintf("receipt[%d]", i)
		if err := ctx.Err(); err != nil {
			rep.add(name, Fail, err, "")
			continue
		}
		if r.State != anchor.Final {
			rep.add(name, Skip, nil, fmt.Sprintf("%s %s: %s, not final (Upgrade the bundle)", r.Ledger, r.Chain, r.State))
			continue
		}
		v := trust.ledger(r.Ledger, r.Chain)
		if v == nil {
			rep.add(name, Skip, nil, fmt.Sprintf("%s %s: ledger not trusted", r.Ledger, r.Chain))
			continue
		}
		if err := v.VerifyReceipt(ctx, r); err != nil {
			rep.add(name, Fail, fmt.Errorf("%s %s position %d: %w", r.Ledger, r.Chain, r.Position, err), "")
			continue
		}
		verified++
		rep.add(name, Pass, nil, fmt.Sprintf("%s %s position %d", r.Ledger, r.Chain, r.Position))
	}
	need := max(trust.MinReceipts, 1)
	if verified >= need {
		rep.add("anchored", Pass, nil, fmt.Sprintf("%d of %d receipts verified, %d needed", verified, len(b.Receipts), need))
	} else {
		rep.add("anchored", Fail, fmt.Errorf("%w: %d of %d receipts verified, %d needed", errNotAnchored, verified, len(b.Receipts), need), "")
	}

	switch {
	case b.ZKP == nil:
		rep.add("zkp", Skip, nil, "the bundle has no zero-knowledge proof")
	default:
		vk := trust.zkpKey(b.ZKP.Proof)
		if vk == nil {
			rep.add("zkp", Skip, nil, fmt.Sprintf("no trusted verifying key for %s proofs of %s", b.ZKP.Proof.Backend(), b.ZKP.Proof.Shape()))
			break
		}
		claim, err := b.zkpClaim()
		if err == nil {
			err = zkp.Verify(vk, b.ZKP.Proof, claim)
		}
		rep.result("zkp", err)
	}
	return rep
}

func (t *Trust) ledger(name, chain string) anchor.ReceiptVerifier {
	for _, l := range t.Ledgers {
		if l.Name == name && l.Chain == chain && l.Verifier != nil {
			return l.Verifier
		}
	}
	return nil
}

func (t *Trust) zkpKey(p *zkp.Proof) *zkp.VerifyingKey {
	for _, vk := range t.ZKPKeys {
		if vk != nil && vk.Shape() == p.Shape() && vk.Backend() == p.Backend() {
			return vk
		}
	}
	return nil
}

// Errors of the checks, wrapped with what was found.
var (
	errInclusion   = errors.New("readings not in the committed batch")
	errWindow      = errors.New("reading outside the commitment's window")
	errCredential  = errors.New("credential does not cover the readings")
	errNotAnchored = errors.New("too few receipts verified")
)

func checkInclusion(b *Bundle) error {
	root := b.Commitment.Root
	h, err := merkle.HasherFor(root.Func)
	if err != nil {
		return err
	}
	rootHash, err := h.FromDigest(root)
	if err != nil {
		return err
	}
	leaves := make([]merkle.Hash, len(b.Readings))
	for i, r := range b.Readings {
		if leaves[i], err = r.Leaf(h); err != nil {
			return err
		}
	}
	var size uint64
	if p := b.Inclusion; p != nil {
		size = p.Size
		err = p.Verify(leaves[0], rootHash)
	} else {
		p := b.MultiInclusion
		size = p.Size
		err = p.Verify(leaves, rootHash)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", errInclusion, err)
	}
	if size != b.Commitment.Count {
		return fmt.Errorf("%w: proof for a tree of %d leaves, the commitment counts %d", errInclusion, size, b.Commitment.Count)
	}
	return nil
}

func checkWindow(b *Bundle) error {
	c := b.Commitment
	for i, r := range b.Readings {
		if r.Time.Before(c.WindowStart) || r.Time.After(c.WindowEnd) {
			return fmt.Errorf("%w: reading %d at %s, window %s .. %s", errWindow, i,
				formatTime(r.Time), formatTime(c.WindowStart), formatTime(c.WindowEnd))
		}
	}
	return nil
}

func checkCredential(ctx context.Context, b *Bundle, v CredentialVerifier) error {
	cred, err := v.Verify(ctx, b.Credential)
	if err != nil {
		return err
	}
	if cred == nil {
		return fmt.Errorf("%w: the verifier returned no credential", errCredential)
	}
	for i, r := range b.Readings {
		dev, _, err := did.SplitURL(r.Device)
		if err != nil {
			return err
		}
		if dev != cred.Subject {
			return fmt.Errorf("%w: reading %d is of device %s, the credential of %s", errCredential, i, dev, cred.Subject)
		}
		if r.Time.Before(cred.ValidFrom) || r.Time.After(cred.ValidUntil) {
			return fmt.Errorf("%w: reading %d at %s, credential valid %s .. %s", errCredential, i,
				formatTime(r.Time), formatTime(cred.ValidFrom), formatTime(cred.ValidUntil))
		}
		allowed := false
		for _, f := range cred.Roles.Publish {
			if vc.TopicMatches(f, r.Topic) {
				allowed = true
				break
			}
		}
		if !allowed {
			return fmt.Errorf("%w: reading %d: the credential grants no publishing on %q", errCredential, i, r.Topic)
		}
	}
	return nil
}
