package vc

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Authorizer answers "may DID X do action A on topic T" from verified
// DeviceCredentials, denying by default. Credentials enter through Admit
// (after Verify or VerifyPresentation); each answer re-checks the
// credential's validity window at the Authorizer's clock, so an expired
// credential stops granting without being removed. Safe for concurrent use.
type Authorizer struct {
	now  func() time.Time
	skew time.Duration

	mu    sync.RWMutex
	creds map[string][]*VerifiedCredential
}

// NewAuthorizer returns an empty Authorizer with clock now (nil means
// time.Now) and the clock skew allowed at validity boundaries.
func NewAuthorizer(now func() time.Time, skew time.Duration) *Authorizer {
	if now == nil {
		now = time.Now
	}
	return &Authorizer{now: now, skew: skew, creds: map[string][]*VerifiedCredential{}}
}

// Admit adds verified credentials; each grants to its own subject.
func (a *Authorizer) Admit(vcs ...*VerifiedCredential) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range vcs {
		if c != nil {
			a.creds[c.Subject] = append(a.creds[c.Subject], c)
		}
	}
}

// Forget drops every credential of subject.
func (a *Authorizer) Forget(subject string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.creds, subject)
}

// Authorize returns nil if some admitted, currently valid credential of
// subject grants action on topic (a concrete topic name, no wildcards);
// otherwise an error wrapping ErrDenied that says why.
func (a *Authorizer) Authorize(ctx context.Context, subject string, action Action, topic string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch action {
	case ActionPublish, ActionRead, ActionCommand:
	default:
		return fmt.Errorf("%w: unknown action %q", ErrDenied, trunc(string(action)))
	}
	if err := ValidateTopicName(topic); err != nil {
		return fmt.Errorf("%w: %w", ErrDenied, err)
	}
	a.mu.RLock()
	list := a.creds[subject]
	a.mu.RUnlock()
	if len(list) == 0 {
		return fmt.Errorf("%w: no credential for %q", ErrDenied, trunc(subject))
	}
	now := a.now()
	valid := 0
	for _, c := range list {
		if checkWindow(now, c.ValidFrom, c.ValidUntil, a.skew) != nil {
			continue
		}
		valid++
		for _, p := range c.Roles.Patterns(action) {
			if TopicMatches(p, topic) {
				return nil
			}
		}
	}
	if valid == 0 {
		return fmt.Errorf("%w: every credential of %q is outside its validity window", ErrDenied, trunc(subject))
	}
	return fmt.Errorf("%w: no %s grant of %q matches topic %q", ErrDenied, action, trunc(subject), trunc(topic))
}
