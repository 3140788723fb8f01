package vc

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// MaxResourceLength bounds a Request's resource name.
const MaxResourceLength = 1024

// AuthorizerConfig configures an Authorizer.
type AuthorizerConfig struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ClockSkew is allowed at validity boundaries.
	ClockSkew time.Duration
	// Policies decide the actions beyond MQTT topics ("charge",
	// "unlock", ...), one Policy per action. The topic actions (publish,
	// read, command) are decided by the credentials' roles alone and take
	// no policy. An action without a policy is denied.
	Policies map[Action]Policy
}

// Request is an action a subject asks to take on a resource, with the
// values a policy weighs (for example {"powerW": 7400} for a charging
// session).
type Request struct {
	Action   Action
	Resource string
	Params   Claims
}

// Policy decides whether one admitted, currently valid credential lets its
// subject make req: nil allows, an error says why not. It must be safe for
// concurrent use.
type Policy func(ctx context.Context, cred *VerifiedCredential, req Request) error

// Authorizer answers "may DID X do action A on resource R" from verified
// DeviceCredentials, denying by default: MQTT topic actions from the
// credentials' roles, other actions through caller-registered policies.
// Credentials enter through Admit (after Verify or VerifyPresentation);
// each answer re-checks the credential's validity window at the
// Authorizer's clock, so an expired credential stops granting without
// being removed. Safe for concurrent use.
type Authorizer struct {
	now      func() time.Time
	skew     time.Duration
	policies map[Action]Policy

	mu    sync.RWMutex
	creds map[string][]*VerifiedCredential
}

// NewAuthorizer returns an empty Authorizer for cfg. It fails with an
// error wrapping ErrDenied for a nil policy or one registered for a topic
// action.
func NewAuthorizer(cfg AuthorizerConfig) (*Authorizer, error) {
	a := &Authorizer{now: cfg.Now, skew: cfg.ClockSkew, policies: map[Action]Policy{}, creds: map[string][]*VerifiedCredential{}}
	if a.now == nil {
		a.now = time.Now
	}
	for action, p := range cfg.Policies {
		switch {
		case p == nil:
			return nil, fmt.Errorf("%w: nil policy for %q", ErrDenied, trunc(string(action)))
		case isTopicAction(action):
			return nil, fmt.Errorf("%w: %s is decided by topic roles and takes no policy", ErrDenied, action)
		case action == "":
			return nil, fmt.Errorf("%w: policy for the empty action", ErrDenied)
		}
		a.policies[action] = p
	}
	return a, nil
}

func isTopicAction(a Action) bool {
	return a == ActionPublish || a == ActionRead || a == ActionCommand
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

// validCredentials returns subject's credentials valid now, or an error
// wrapping ErrDenied when there are none.
func (a *Authorizer) validCredentials(subject string) ([]*VerifiedCredential, error) {
	a.mu.RLock()
	list := a.creds[subject]
	a.mu.RUnlock()
	if len(list) == 0 {
		return nil, fmt.Errorf("%w: no credential for %q", ErrDenied, trunc(subject))
	}
	now := a.now()
	var valid []*VerifiedCredential
	for _, c := range list {
		if checkWindow(now, c.ValidFrom, c.ValidUntil, a.skew) == nil {
			valid = append(valid, c)
		}
	}
	if len(valid) == 0 {
		return nil, fmt.Errorf("%w: every credential of %q is outside its validity window", ErrDenied, trunc(subject))
	}
	return valid, nil
}

// Authorize returns nil if some admitted, currently valid credential of
// subject grants action (publish, read or command) on topic (a concrete
// topic name, no wildcards); otherwise an error wrapping ErrDenied that
// says why.
func (a *Authorizer) Authorize(ctx context.Context, subject string, action Action, topic string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !isTopicAction(action) {
		return fmt.Errorf("%w: %q is not a topic action", ErrDenied, trunc(string(action)))
	}
	if err := ValidateTopicName(topic); err != nil {
		return fmt.Errorf("%w: %w", ErrDenied, err)
	}
	valid, err := a.validCredentials(subject)
	if err != nil {
		return err
	}
	for _, c := range valid {
		for _, p := range c.Roles.Patterns(action) {
			if TopicMatches(p, topic) {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: no %s grant of %q matches topic %q", ErrDenied, action, trunc(subject), trunc(topic))
}

// Allow returns nil if some admitted, currently valid credential of
// subject permits req: for a topic action, as Authorize decides with
// req.Resource as the topic; for any other action, as the action's Policy
// decides. Otherwise it returns an error wrapping ErrDenied (and the
// policy's reason, when one refused).
func (a *Authorizer) Allow(ctx context.Context, subject string, req Request) error {
	if isTopicAction(req.Action) {
		return a.Authorize(ctx, subject, req.Action, req.Resource)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	policy, ok := a.policies[req.Action]
	if !ok {
		return fmt.Errorf("%w: no policy for action %q", ErrDenied, trunc(string(req.Action)))
	}
	if len(req.Resource) > MaxResourceLength {
		return fmt.Errorf("%w: resource of %d bytes, limit %d", ErrDenied, len(req.Resource), MaxResourceLength)
	}
	if err := req.Params.validate(); err != nil {
		return fmt.Errorf("%w: request parameters: %w", ErrDenied, err)
	}
	valid, err := a.validCredentials(subject)
	if err != nil {
		return err
	}
	var reason error
	for _, c := range valid {
		err := policy(ctx, c, req)
		if err == nil {
			return nil
		}
		if reason == nil {
			reason = err
		}
	}
	return fmt.Errorf("%w: %s on %q by %q: %w", ErrDenied, req.Action, trunc(req.Resource), trunc(subject), reason)
}

// AtMost returns a Policy that allows a request whose integer parameter
// param is at most the credential's integer claim — AtMost("maxPowerW",
// "powerW") lets a car charge at no more than the power its credential
// states. A missing claim or parameter denies (ErrNoClaim).
func AtMost(claim, param string) Policy {
	return func(_ context.Context, c *VerifiedCredential, req Request) error {
		limit, err := c.Claims.Int(claim)
		if err != nil {
			return err
		}
		asked, err := req.Params.Int(param)
		if err != nil {
			return err
		}
		if asked > limit {
			return fmt.Errorf("%s %d exceeds %s %d", param, asked, claim, limit)
		}
		return nil
	}
}
