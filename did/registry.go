package did

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/iotrust/iotrust/canon"
)

// Domain-separation tags of the registry log.
const (
	// RegistryTag is what a controller signs an Entry under.
	RegistryTag canon.Tag = "iotrust.did-registry.v1"
	// RegistryEntryTag is what an Entry, signature included, is hashed
	// under to link it to the next one and to form the log head.
	RegistryEntryTag canon.Tag = "iotrust.did-registry-entry.v1"
)

// Operation is what an Entry does to an identity.
type Operation string

// The operations of an identity's lifecycle.
const (
	// OpRegister creates the identity Subject with key Key, controlled by
	// Controller, who signs it.
	OpRegister Operation = "register"
	// OpRotate makes Key the identity's key from Time on; the previous key
	// signs nothing dated from Time on, and no registry entry at all once
	// the rotation is in the log.
	OpRotate Operation = "rotate"
	// OpRevoke withdraws Key from Time on (which may precede the entry,
	// and the identity's latest entry, for a compromise found late, but
	// not the key's own start). A revoked key signs no registry entry once
	// the revocation is in the log.
	OpRevoke Operation = "revoke"
	// OpTransfer hands control of the identity to Controller.
	OpTransfer Operation = "transfer"
	// OpDecommission ends the identity: no key is valid from Time on and
	// no entry about it is accepted after.
	OpDecommission Operation = "decommission"
)

// Errors of the registry.
var (
	ErrNotRegistered      = errors.New("did: identity not registered")
	ErrAlreadyRegistered  = errors.New("did: identity already registered")
	ErrDecommissioned     = errors.New("did: identity decommissioned")
	ErrKeyRevoked         = errors.New("did: key revoked")
	ErrKeyRotated         = errors.New("did: key rotated out")
	ErrNoKeyAtTime        = errors.New("did: identity has no key at that time")
	ErrNotController      = errors.New("did: entry not signed by the identity's controller")
	ErrStaleHead          = errors.New("did: entry does not extend the log head")
	ErrInvalidEntry       = errors.New("did: invalid registry entry")
	ErrCorruptLog         = errors.New("did: registry log corrupt")
	ErrRegistryClosed     = errors.New("did: registry closed")
	ErrRegistryLocked     = errors.New("did: registry file in use by another process")
	ErrRegistryWriteFault = errors.New("did: registry write failed; reopen to recover")
	// ErrReadOnly is returned by Append, Register, Rotate, Revoke,
	// Transfer and Decommission of a Registry from ReadRegistry or
	// ReadRegistryFile: it writes no file, and its state stays that of the
	// log it read.
	ErrReadOnly = errors.New("did: registry is read-only")
	// ErrBackdated is returned (with ErrInvalidEntry) for an entry dated
	// before the latest entry about its subject, or about its signer when
	// the signer is an identity of the registry. See Registry.
	ErrBackdated = errors.New("did: entry dated before the latest entry about its subject or signer")
)

// ErrTimeRange is returned, wrapped in the error of the object that carries
// the time (ErrInvalidEntry, ErrMalformedChallenge, ErrMalformedResponse),
// for a time outside the range this package encodes: from
// 1970-01-01T00:00:00Z through 9999-12-31T23:59:59.999Z. Within it a
// time survives every encoding here unchanged — Unix milliseconds in
// registry entries and signed answers, RFC 3339 in challenges and
// responses — so nothing is signed, written or acknowledged that would read
// back as another time.
var ErrTimeRange = errors.New("did: time outside 1970-01-01..9999-12-31 UTC")

var (
	minTime = time.Unix(0, 0).UTC()
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC)
)

// checkTime refuses a time outside [minTime, maxTime]; it compares the
// instants, so no encoding of t is needed (or trusted) to decide.
func checkTime(t time.Time) error {
	if t.Before(minTime) || t.After(maxTime) {
		return fmt.Errorf("%w: %s", ErrTimeRange, t.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// Entry is one record of the registry log. Seq and Prev place it in the
// log (Prev is the Digest of entry Seq-1, zero for the first entry), so the
// log is a hash chain whose head commits to all of it. Signer is the DID of
// the identity's controller at the time of the entry, and Signature its
// signature over SigningMessage.
type Entry struct {
	Seq        uint64
	Prev       canon.Digest
	Op         Operation
	Subject    string
	Key        string // DID of the key (register, rotate, revoke)
	Controller string // new controller (register, transfer)
	Time       time.Time
	Signer     string
	Signature  []byte
}

// entryJSON is the wire and canonical form of an Entry.
type entryJSON struct {
	Controller string `json:"controller,omitempty"`
	Key        string `json:"key,omitempty"`
	Op         string `json:"op"`
	Prev       string `json:"prev,omitempty"`
	Seq        uint64 `json:"seq"`
	Sig        string `json:"sig,omitempty"`
	Signer     string `json:"signer"`
	Subject    string `json:"subject"`
	Time       int64  `json:"time"`
}

func (e *Entry) wire(withSig bool) entryJSON {
	w := entryJSON{Controller: e.Controller, Key: e.Key, Op: string(e.Op), Seq: e.Seq,
		Signer: e.Signer, Subject: e.Subject, Time: e.Time.UnixMilli()}
	if !e.Prev.IsZero() {
		w.Prev = e.Prev.String()
	}
	if withSig {
		w.Sig = base64.RawURLEncoding.EncodeToString(e.Signature)
	}
	return w
}

// MarshalJSON encodes e in its canonical form (RFC 8785). A time outside
// 1970..9999 UTC fails with ErrInvalidEntry and ErrTimeRange.
func (e Entry) MarshalJSON() ([]byte, error) {
	if err := checkTime(e.Time); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	return canon.JSON(e.wire(true))
}

// UnmarshalJSON decodes an Entry through canon.Decode (exact member names,
// no unknown or duplicate members, one value) and accepts only its
// canonical form (RFC 8785, as MarshalJSON writes it), so that an entry's
// digest is a function of the entry, dated within 1970..9999 UTC
// (ErrTimeRange). Errors wrap ErrInvalidEntry.
func (e *Entry) UnmarshalJSON(raw []byte) error {
	v, err := decodeEntry(raw)
	if err != nil {
		return err
	}
	if err := checkTime(v.Time); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	*e = v
	return nil
}

func decodeEntry(raw []byte) (Entry, error) {
	if len(raw) > MaxRecordSize {
		return Entry{}, fmt.Errorf("%w: %d bytes, limit %d", ErrInvalidEntry, len(raw), MaxRecordSize)
	}
	var w entryJSON
	if err := canon.Decode(raw, &w); err != nil {
		return Entry{}, fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	e := Entry{Seq: w.Seq, Op: Operation(w.Op), Subject: w.Subject, Key: w.Key, Controller: w.Controller,
		Time: time.UnixMilli(w.Time).UTC(), Signer: w.Signer}
	if w.Prev != "" {
		d, err := canon.ParseDigest(w.Prev)
		if err != nil {
			return Entry{}, fmt.Errorf("%w: prev: %w", ErrInvalidEntry, err)
		}
		e.Prev = d
	}
	sig, err := decodeB64(w.Sig)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: sig: %w", ErrInvalidEntry, err)
	}
	e.Signature = sig
	// One spelling: the canonical JSON (RFC 8785) of the entry, so that an
	// entry's digest is a function of the entry.
	again, err := canon.JSON(e.wire(true))
	if err != nil || string(again) != string(raw) {
		return Entry{}, fmt.Errorf("%w: not in canonical form", ErrInvalidEntry)
	}
	return e, nil
}

// SigningMessage returns the 32 bytes the controller signs: the canonical
// JSON of e without its signature, under RegistryTag. A time outside
// 1970..9999 UTC fails with ErrInvalidEntry and ErrTimeRange.
func (e *Entry) SigningMessage() ([]byte, error) {
	if err := checkTime(e.Time); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	body, err := canon.JSON(e.wire(false))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	return canon.SigningMessage(RegistryTag, body)
}

// Digest returns the entry's link digest: BLAKE3 of its canonical JSON,
// signature included, under RegistryEntryTag. A time outside 1970..9999
// UTC fails with ErrInvalidEntry and ErrTimeRange.
func (e *Entry) Digest() (canon.Digest, error) {
	if err := checkTime(e.Time); err != nil {
		return canon.Digest{}, fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	body, err := canon.JSON(e.wire(true))
	if err != nil {
		return canon.Digest{}, fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	return canon.TaggedSum(canon.BLAKE3, RegistryEntryTag, body)
}

// Sign sets e.Signer and e.Signature, signing with k as controller DID signer.
func (e *Entry) Sign(k PrivateKey, signer string) error {
	e.Signer = signer
	msg, err := e.SigningMessage()
	if err != nil {
		return err
	}
	e.Signature, err = k.Sign(msg)
	return err
}

// RegistryOptions configures OpenRegistry, and ReadRegistry and
// ReadRegistryFile, which use only Logger.
type RegistryOptions struct {
	// Logger receives recovery notices (nil: discard).
	Logger *slog.Logger
	// Now is the registry's clock (default time.Now); entries dated more
	// than MaxClockSkew after it are refused.
	Now func() time.Time
	// MaxClockSkew defaults to 5 minutes.
	MaxClockSkew time.Duration
}

// Registry keeps identities and the history of their keys as an
// append-only, hash-linked log of controller-signed entries in one file.
// Every accepted entry is on disk (fsynced) before Append returns; on
// reopen, a record torn by a crash at the end of the file is cut off, and
// any other damage is refused with ErrCorruptLog rather than accepted. It
// is safe for concurrent use, and is a KeyResolver. ReadRegistry and
// ReadRegistryFile replay a log the same way without writing to it, into
// a Registry that answers the same questions and refuses entries
// (ErrReadOnly).
//
// Entries carry the dates their signers claim, so the order of the log and
// the order of the dates may differ. What keeps a retired key retired is
// this rule for every new entry: an identity's clock is the latest date of
// any entry about it, revocations included, and
//
//   - an entry may not be dated before its subject's clock, nor before its
//     signer's clock when the signer is an identity of this registry
//     (ErrBackdated, with ErrInvalidEntry) — except a revocation, which may
//     be dated back to the revoked key's start, for a compromise found
//     late;
//   - the signer signs with its key at the later of the entry's date and
//     its own clock: the key it holds now.
//
// So once a rotation, revocation, transfer or decommissioning is in the log,
// no entry signed by the key it retired is accepted, however it is dated.
// The clocks are per identity, not one clock for the whole log, so that
// nobody can hold up other identities' entries by appending one dated
// MaxClockSkew ahead.
//
// Replay applies the rule of the time the file was written: an entry that
// an earlier version accepted but the rule above refuses (a backdated
// entry, or a self-certifying DID registered by another key) is replayed as
// written, with a notice to the Logger naming it, so that older files still
// open.
type Registry struct {
	mu       sync.RWMutex
	file     *logFile
	readOnly bool // from ReadRegistry: no file, never written
	opts     RegistryOptions
	n        uint64
	head     canon.Digest
	ids      map[string]*identity
	broken   error
	// Allocation-free forms of canon.SigningMessage and canon.TaggedSum,
	// which replaying a long log calls twice per entry.
	signHash, linkHash *canon.TaggedHasher
}

type identity struct {
	registered time.Time
	// last is the latest date of the identity's entries other than
	// revocations (the earlier rule, which replay still applies); clock is
	// the latest date of all of them (the rule for new entries).
	last, clock    time.Time
	controller     string
	keys           []keySpan
	decommissioned bool
	endedAt        time.Time
}

type keySpan struct {
	did       string
	key       PublicKey
	from      time.Time
	until     time.Time // zero: still current
	revoked   bool
	revokedAt time.Time
}

// OpenRegistry opens (creating if needed) the registry log at path and
// replays it, checking every link and signature. To read a registry
// without writing to it, or while its owner holds it, use ReadRegistry or
// ReadRegistryFile.
func OpenRegistry(ctx context.Context, path string, opts RegistryOptions) (*Registry, error) {
	r, err := newRegistry(opts)
	if err != nil {
		return nil, err
	}
	f, err := openLogFile(path, r.opts.Logger, func(payload []byte) error { return r.replayRecord(ctx, payload) })
	if err != nil {
		return nil, err
	}
	r.file = f
	return r, nil
}

// newRegistry returns an empty Registry on opts, its defaults filled in.
func newRegistry(opts RegistryOptions) (*Registry, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxClockSkew <= 0 {
		opts.MaxClockSkew = 5 * time.Minute
	}
	r := &Registry{opts: opts, ids: make(map[string]*identity)}
	var err error
	if r.signHash, err = canon.NewTaggedHasher(canon.BLAKE3, RegistryTag); err != nil {
		return nil, err
	}
	if r.linkHash, err = canon.NewTaggedHasher(canon.BLAKE3, RegistryEntryTag); err != nil {
		return nil, err
	}
	return r, nil
}

// replayRecord decodes the entry of one record of the log and replays it:
// the one way into a Registry's state from a file, whether opened or read.
func (r *Registry) replayRecord(ctx context.Context, payload []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// No ErrTimeRange check here: a time read from its milliseconds cannot
	// have wrapped, and files written before the range was enforced may
	// hold entries dated before 1970.
	e, err := decodeEntry(payload)
	if err != nil {
		return err
	}
	return r.replay(e)
}

// Close releases the log file. A second Close, and Close of a Registry
// from ReadRegistry or ReadRegistryFile (which holds no file), do nothing
// and return nil.
func (r *Registry) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.file == nil {
		return nil
	}
	err := r.file.close()
	r.file = nil
	return err
}

// Head returns the number of entries and the Digest of the last one (zero
// when empty): the value to anchor.
func (r *Registry) Head() (uint64, canon.Digest) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.n, r.head
}

// Append checks a signed entry — it extends the head, its operation is
// valid for the identity, its controller signed it — writes it durably, and
// applies it. It returns ErrStaleHead if another entry was appended since
// the caller read Head.
func (r *Registry) Append(ctx context.Context, e Entry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.appendLocked(ctx, e)
}

func (r *Registry) appendLocked(ctx context.Context, e Entry) error {
	if r.readOnly {
		return ErrReadOnly
	}
	if r.file == nil {
		return ErrRegistryClosed
	}
	if r.broken != nil {
		return fmt.Errorf("%w: %w", ErrRegistryWriteFault, r.broken)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// The log keeps milliseconds; so must the state built from it.
	e.Time = e.Time.UTC().Truncate(time.Millisecond)
	if err := checkTime(e.Time); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	if now := r.opts.Now(); e.Time.After(now.Add(r.opts.MaxClockSkew)) {
		return fmt.Errorf("%w: dated %s, registry clock %s", ErrInvalidEntry, e.Time.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if err := r.check(e, true); err != nil {
		return err
	}
	payload, err := e.MarshalJSON()
	if err != nil {
		return err
	}
	if len(payload) > MaxRecordSize {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrInvalidEntry, len(payload), MaxRecordSize)
	}
	if err := r.file.append(payload); err != nil {
		r.broken = err
		return fmt.Errorf("%w: %w", ErrRegistryWriteFault, err)
	}
	return r.accept(e)
}

// replay checks an entry read from the file and applies it: under the rule
// for new entries, or, failing that, under the earlier rule it may have
// been written by (see Registry).
func (r *Registry) replay(e Entry) error {
	if err := r.check(e, true); err != nil {
		if r.check(e, false) != nil {
			return err
		}
		r.opts.Logger.Warn("did: registry entry accepted under the earlier rule, refused for new entries",
			"entry", e.Seq, "op", string(e.Op), "subject", truncate(e.Subject), "reason", err.Error())
	}
	return r.accept(e)
}

// accept applies e, which check accepted.
func (r *Registry) accept(e Entry) error {
	body, err := canon.JSON(e.wire(true))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	d := r.linkHash.Sum(body)
	r.apply(e)
	r.n++
	r.head = d
	return nil
}

// newEntry fills the log position and signs.
func (r *Registry) newEntry(op Operation, signer, subject, key, controller string, at time.Time) Entry {
	return Entry{Seq: r.n, Prev: r.head, Op: op, Subject: subject, Key: key, Controller: controller,
		Time: at.UTC().Truncate(time.Millisecond), Signer: signer}
}

func (r *Registry) signAndAppend(ctx context.Context, e Entry, k PrivateKey) (Entry, error) {
	if err := e.Sign(k, e.Signer); err != nil {
		return Entry{}, err
	}
	if err := r.appendLocked(ctx, e); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// Register creates identity subject with key, controlled by controller,
// whose key ck signs the entry.
//
// Who may register what: a self-certifying DID (did:key, did:jwk) only
// itself — controller and subject are the DID, key is the key it names, ck
// that key's private key (else ErrNotController, or ErrInvalidEntry for
// another key) — after which it may Transfer control, say to the
// organisation that runs the device:
//
//	reg.Register(ctx, devKey, devDID, devDID, devKey.Public(), at)
//	reg.Transfer(ctx, devKey, devDID, orgDID, at)
//
// Any other DID, whose name says nothing of its keys, is registered by
// whichever controller registers it first.
func (r *Registry) Register(ctx context.Context, ck PrivateKey, controller, subject string, key PublicKey, at time.Time) (Entry, error) {
	if r.readOnly {
		return Entry{}, ErrReadOnly
	}
	kd, err := New(key)
	if err != nil {
		return Entry{}, err
	}
	if err := checkTime(at); err != nil {
		return Entry{}, fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkSignerKey(ck, controller, at); err != nil {
		return Entry{}, err
	}
	return r.signAndAppend(ctx, r.newEntry(OpRegister, controller, subject, kd, controller, at), ck)
}

// Rotate makes key the key of subject from at on; ck is the controller's key.
func (r *Registry) Rotate(ctx context.Context, ck PrivateKey, subject string, key PublicKey, at time.Time) (Entry, error) {
	return r.controlled(ctx, OpRotate, ck, subject, key, "", at)
}

// Revoke withdraws key of subject from at on; ck is the controller's key.
func (r *Registry) Revoke(ctx context.Context, ck PrivateKey, subject string, key PublicKey, at time.Time) (Entry, error) {
	return r.controlled(ctx, OpRevoke, ck, subject, key, "", at)
}

// Transfer hands subject to controller; ck is the current controller's key.
func (r *Registry) Transfer(ctx context.Context, ck PrivateKey, subject, controller string, at time.Time) (Entry, error) {
	return r.controlled(ctx, OpTransfer, ck, subject, nil, controller, at)
}

// Decommission ends subject at at; ck is the controller's key.
func (r *Registry) Decommission(ctx context.Context, ck PrivateKey, subject string, at time.Time) (Entry, error) {
	return r.controlled(ctx, OpDecommission, ck, subject, nil, "", at)
}

func (r *Registry) controlled(ctx context.Context, op Operation, ck PrivateKey, subject string, key PublicKey, controller string, at time.Time) (Entry, error) {
	if r.readOnly {
		return Entry{}, ErrReadOnly
	}
	var kd string
	if key != nil {
		var err error
		if kd, err = New(key); err != nil {
			return Entry{}, err
		}
	}
	if err := checkTime(at); err != nil {
		return Entry{}, fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	id := r.ids[subject]
	if id == nil {
		return Entry{}, fmt.Errorf("%w: %s", ErrNotRegistered, truncate(subject))
	}
	if err := r.checkSignerKey(ck, id.controller, at); err != nil {
		return Entry{}, err
	}
	return r.signAndAppend(ctx, r.newEntry(op, id.controller, subject, kd, controller, at), ck)
}

// checkSignerKey reports a key that is not the controller's up front, with
// a clearer error than the signature check would give.
func (r *Registry) checkSignerKey(ck PrivateKey, controller string, at time.Time) error {
	k, err := r.keyAt(controller, r.signerTime(controller, at))
	if err != nil {
		return fmt.Errorf("%w: key of %s: %w", ErrNotController, truncate(controller), inner(err))
	}
	if !k.Equal(ck.Public()) {
		return fmt.Errorf("%w: the signing key is not the key of controller %s", ErrNotController, truncate(controller))
	}
	return nil
}
