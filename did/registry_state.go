package did

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/canon"
)

// check validates e against the current state without changing it: under
// the rule for new entries when strict, under the earlier one (which
// replay accepts from older files) otherwise. See Registry.
func (r *Registry) check(e Entry, strict bool) error {
	if e.Seq != r.n {
		return fmt.Errorf("%w: entry seq %d, log has %d entries", ErrStaleHead, e.Seq, r.n)
	}
	if e.Prev != r.head {
		return fmt.Errorf("%w: entry links to %s, head is %s", ErrStaleHead, e.Prev, r.head)
	}
	if _, _, err := splitDID(e.Subject); err != nil {
		return fmt.Errorf("%w: subject: %w", ErrInvalidEntry, inner(err))
	}
	id := r.ids[e.Subject]
	var newKey PublicKey
	if e.Op == OpRegister || e.Op == OpRotate || e.Op == OpRevoke {
		k, err := ResolveKey(e.Key)
		if err != nil {
			return fmt.Errorf("%w: key: %w", ErrInvalidEntry, inner(err))
		}
		newKey = k
	} else if e.Key != "" {
		return fmt.Errorf("%w: %s carries a key", ErrInvalidEntry, e.Op)
	}
	if e.Op == OpRegister || e.Op == OpTransfer {
		if _, _, err := splitDID(e.Controller); err != nil {
			return fmt.Errorf("%w: controller: %w", ErrInvalidEntry, inner(err))
		}
	} else if e.Controller != "" {
		return fmt.Errorf("%w: %s names a controller", ErrInvalidEntry, e.Op)
	}

	switch e.Op {
	case OpRegister:
		if id != nil {
			return fmt.Errorf("%w: %s", ErrAlreadyRegistered, truncate(e.Subject))
		}
		if e.Signer != e.Controller {
			return fmt.Errorf("%w: registration of %s signed by %s, not by its controller %s", ErrNotController, truncate(e.Subject), truncate(e.Signer), truncate(e.Controller))
		}
		if strict {
			if err := checkSelfRegistration(e, newKey); err != nil {
				return err
			}
		}
	case OpRotate, OpRevoke, OpTransfer, OpDecommission:
		if id == nil {
			return fmt.Errorf("%w: %s", ErrNotRegistered, truncate(e.Subject))
		}
		if id.decommissioned {
			return fmt.Errorf("%w: %s", ErrDecommissioned, truncate(e.Subject))
		}
		if e.Signer != id.controller {
			return fmt.Errorf("%w: %s of %s signed by %s, controller is %s", ErrNotController, e.Op, truncate(e.Subject), truncate(e.Signer), truncate(id.controller))
		}
	default:
		return fmt.Errorf("%w: operation %q", ErrInvalidEntry, truncate(string(e.Op)))
	}

	if id != nil {
		switch e.Op {
		case OpRevoke:
			span := id.span(newKey)
			if span == nil {
				return fmt.Errorf("%w: %s never had key %s", ErrInvalidEntry, truncate(e.Subject), truncate(e.Key))
			}
			if span.revoked {
				return fmt.Errorf("%w: key %s already revoked", ErrInvalidEntry, truncate(e.Key))
			}
			if e.Time.Before(span.from) {
				return fmt.Errorf("%w: revocation dated before the key's start", ErrInvalidEntry)
			}
		default:
			if strict && e.Time.Before(id.clock) {
				return fmt.Errorf("%w: %w: %s dated %s, the subject's latest entry %s", ErrInvalidEntry, ErrBackdated,
					e.Op, e.Time.UTC().Format(time.RFC3339Nano), id.clock.UTC().Format(time.RFC3339Nano))
			}
			if e.Time.Before(id.last) {
				return fmt.Errorf("%w: %s dated before the identity's previous entry", ErrInvalidEntry, e.Op)
			}
		}
		if e.Op == OpRotate && id.span(newKey) != nil {
			return fmt.Errorf("%w: %s already had key %s", ErrInvalidEntry, truncate(e.Subject), truncate(e.Key))
		}
		if e.Op == OpTransfer && e.Controller == id.controller {
			return fmt.Errorf("%w: transfer to the current controller", ErrInvalidEntry)
		}
	}

	// The controller's key at the entry's time (under the rule for new
	// entries: at the later of that and the signer's clock): from this
	// registry if the controller is registered here, from its did:key /
	// did:jwk otherwise.
	at := e.Time
	if strict {
		if s := r.ids[e.Signer]; s != nil && e.Op != OpRevoke && e.Time.Before(s.clock) {
			return fmt.Errorf("%w: %w: %s dated %s, the signer's latest entry %s", ErrInvalidEntry, ErrBackdated,
				e.Op, e.Time.UTC().Format(time.RFC3339Nano), s.clock.UTC().Format(time.RFC3339Nano))
		}
		at = r.signerTime(e.Signer, e.Time)
	}
	ck, err := r.keyAt(e.Signer, at)
	if err != nil {
		return fmt.Errorf("%w: key of signer %s: %w", ErrNotController, truncate(e.Signer), inner(err))
	}
	body, err := canon.JSON(e.wire(false))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidEntry, err)
	}
	msg := r.signHash.Sum(body)
	if !ck.Verify(msg.Sum[:], e.Signature) {
		return fmt.Errorf("%w: entry %d", ErrBadSignature, e.Seq)
	}
	return nil
}

// checkSelfRegistration holds a registration of a self-certifying DID
// (did:key, did:jwk) to the DID's own word: the key it names is its first
// key, and that key signs, as its own controller. Otherwise anyone could
// claim a device's did:key, rotate it to their own key, and answer for the
// device wherever the registry is asked before the DID itself.
func checkSelfRegistration(e Entry, key PublicKey) error {
	if method, _, _ := splitDID(e.Subject); method != "key" && method != "jwk" {
		return nil
	}
	own, err := ResolveKey(e.Subject)
	if err != nil {
		return fmt.Errorf("%w: subject: %w", ErrInvalidEntry, inner(err))
	}
	if e.Signer != e.Subject {
		return fmt.Errorf("%w: self-certifying %s registered by %s, not by itself", ErrNotController, truncate(e.Subject), truncate(e.Signer))
	}
	if !key.Equal(own) {
		return fmt.Errorf("%w: self-certifying %s registered with a key other than the one it names", ErrInvalidEntry, truncate(e.Subject))
	}
	return nil
}

// apply changes the state by e, which check accepted.
func (r *Registry) apply(e Entry) {
	var key PublicKey
	if e.Key != "" {
		key, _ = ResolveKey(e.Key) // checked
	}
	id := r.ids[e.Subject]
	if id != nil && e.Time.After(id.clock) {
		id.clock = e.Time
	}
	switch e.Op {
	case OpRegister:
		r.ids[e.Subject] = &identity{registered: e.Time, last: e.Time, clock: e.Time, controller: e.Controller,
			keys: []keySpan{{did: e.Key, key: key, from: e.Time}}}
		return
	case OpRotate:
		id.keys[len(id.keys)-1].until = e.Time
		id.keys = append(id.keys, keySpan{did: e.Key, key: key, from: e.Time})
	case OpRevoke:
		s := id.span(key)
		s.revoked, s.revokedAt = true, e.Time
		return // a backdated revocation does not move the identity's clock
	case OpTransfer:
		id.controller = e.Controller
	case OpDecommission:
		id.decommissioned, id.endedAt = true, e.Time
	}
	id.last = e.Time
}

func (id *identity) span(k PublicKey) *keySpan {
	for i := range id.keys {
		if id.keys[i].key.Equal(k) {
			return &id.keys[i]
		}
	}
	return nil
}

// KeyAt returns the key of did (a DID or DID URL) valid at time at. For an
// identity registered here the answer comes from the log: ErrKeyRevoked
// after its key's revocation, ErrDecommissioned after the end,
// ErrNoKeyAtTime before registration. Any other DID answers ErrNotRegistered.
func (r *Registry) KeyAt(ctx context.Context, did string, at time.Time) (PublicKey, error) {
	k, _, err := r.keyWindow(ctx, did, at)
	return k, err
}

func (r *Registry) keyWindow(_ context.Context, did string, at time.Time) (PublicKey, keyWindow, error) {
	d, _, err := SplitURL(did)
	if err != nil {
		return nil, keyWindow{}, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	id := r.ids[d]
	if id == nil {
		return nil, keyWindow{}, fmt.Errorf("%w: %s", ErrNotRegistered, truncate(d))
	}
	return id.keyWindow(at)
}

// signerTime is the time the key of an entry's signer is looked up at
// under the rule for new entries: the later of the entry's date and the
// signer's clock, so that a key the log has retired signs nothing more.
func (r *Registry) signerTime(signer string, at time.Time) time.Time {
	if s := r.ids[signer]; s != nil && s.clock.After(at) {
		return s.clock
	}
	return at
}

// keyAt is KeyAt for signers of entries: registered identities answer from
// the log, other DIDs from their self-certifying key.
func (r *Registry) keyAt(did string, at time.Time) (PublicKey, error) {
	if id := r.ids[did]; id != nil {
		k, _, err := id.keyWindow(at)
		return k, err
	}
	return ResolveKey(did)
}

// keyWindow returns the key valid at at and the span of signing times it
// is valid for, as the log stands.
func (id *identity) keyWindow(at time.Time) (PublicKey, keyWindow, error) {
	if at.Before(id.registered) {
		return nil, keyWindow{}, fmt.Errorf("%w: %s is before registration", ErrNoKeyAtTime, at.UTC().Format(time.RFC3339Nano))
	}
	if id.decommissioned && !at.Before(id.endedAt) {
		return nil, keyWindow{}, fmt.Errorf("%w: since %s", ErrDecommissioned, id.endedAt.UTC().Format(time.RFC3339Nano))
	}
	for i := range id.keys {
		s := &id.keys[i]
		if at.Before(s.from) || !s.until.IsZero() && !at.Before(s.until) {
			continue
		}
		if s.revoked && !at.Before(s.revokedAt) {
			return nil, keyWindow{}, fmt.Errorf("%w: %s since %s", ErrKeyRevoked, truncate(s.did), s.revokedAt.UTC().Format(time.RFC3339Nano))
		}
		w := keyWindow{cacheable: true, from: s.from, until: s.until}
		for _, end := range []time.Time{s.revokedAt, id.endedAt} {
			if !end.IsZero() && (w.until.IsZero() || end.Before(w.until)) {
				w.until = end
			}
		}
		return s.key, w, nil
	}
	return nil, keyWindow{}, fmt.Errorf("%w: %s", ErrNoKeyAtTime, at.UTC().Format(time.RFC3339Nano))
}

// VerifyAt checks that sig is a signature of msg by the key did had at
// time at. A signature by one of the identity's keys outside that key's
// validity fails with ErrKeyRevoked or ErrKeyRotated, so the caller learns
// why a once-good key is refused.
func (r *Registry) VerifyAt(did string, at time.Time, msg, sig []byte) error {
	k, err := r.KeyAt(context.Background(), did, at)
	if err == nil && k.Verify(msg, sig) {
		return nil
	}
	if err != nil && !errorsIsAny(err, ErrKeyRevoked, ErrNoKeyAtTime, ErrDecommissioned) {
		return err
	}
	d, _, _ := SplitURL(did)
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.ids[d].keys {
		if !s.key.Verify(msg, sig) {
			continue
		}
		switch {
		case s.revoked && !at.Before(s.revokedAt):
			return fmt.Errorf("%w: %s since %s", ErrKeyRevoked, truncate(s.did), s.revokedAt.UTC().Format(time.RFC3339Nano))
		case !s.until.IsZero() && !at.Before(s.until):
			return fmt.Errorf("%w: %s since %s", ErrKeyRotated, truncate(s.did), s.until.UTC().Format(time.RFC3339Nano))
		}
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: by %s at %s", ErrBadSignature, truncate(d), at.UTC().Format(time.RFC3339Nano))
}

// IdentityStatus is an identity's current state in a Registry.
type IdentityStatus struct {
	Subject        string
	Controller     string
	Key            PublicKey // current key; nil if revoked or decommissioned
	Registered     time.Time
	Decommissioned bool
}

// Status returns the current state of identity did.
func (r *Registry) Status(did string) (IdentityStatus, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	id := r.ids[did]
	if id == nil {
		return IdentityStatus{}, fmt.Errorf("%w: %s", ErrNotRegistered, truncate(did))
	}
	st := IdentityStatus{Subject: did, Controller: id.controller, Registered: id.registered, Decommissioned: id.decommissioned}
	if last := id.keys[len(id.keys)-1]; !last.revoked && !id.decommissioned {
		st.Key = last.key
	}
	return st, nil
}

func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
