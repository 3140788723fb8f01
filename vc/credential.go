package vc

import (
	"fmt"
	"strings"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
)

// Action is what a device may do on a topic.
type Action string

// The actions a DeviceCredential grants per topic pattern.
const (
	ActionPublish Action = "publish"
	ActionRead    Action = "read"
	ActionCommand Action = "command"
)

// Type names used in credentials this package issues.
const (
	TypeVerifiableCredential = "VerifiableCredential"
	TypeDeviceCredential     = "DeviceCredential"
)

// Limits on claims, so that a credential stays small enough for a device.
const (
	MaxClaimLength      = 256 // manufacturer, model, serial number
	MaxPatternsPerRole  = 64
	MaxPatternLength    = 1024
	MaxCredentialSize   = 64 << 10 // bytes of one encoded credential
	MaxPresentationSize = 512 << 10
)

// Roles lists, per action, the MQTT topic filters ("+" one level, "#" the
// rest) the subject may act on. In JSON each list is an array of strings
// (a Data Integrity credential's context makes them @set containers).
type Roles struct {
	Publish []string `json:"publish,omitempty"`
	Read    []string `json:"read,omitempty"`
	Command []string `json:"command,omitempty"`
}

// Patterns returns the topic filters granted for action a.
func (r Roles) Patterns(a Action) []string {
	switch a {
	case ActionPublish:
		return r.Publish
	case ActionRead:
		return r.Read
	case ActionCommand:
		return r.Command
	}
	return nil
}

// DeviceCredential is what a manufacturer or operator asserts about one
// device: who made it, what it is, the firmware it runs, and which topics it
// may publish to, read from and send commands on, for a bounded time.
type DeviceCredential struct {
	// ID optionally names the credential (a URI such as "urn:uuid:...").
	ID string
	// Issuer is the issuer's DID. Issuing fills it from the Issuer's key.
	Issuer string
	// Subject is the device's DID.
	Subject      string
	Manufacturer string
	Model        string
	SerialNumber string
	// FirmwareHash is the digest of the firmware image the device runs.
	FirmwareHash canon.Digest
	Roles        Roles
	// ValidFrom and ValidUntil bound the credential's validity; both are
	// required and carried with one-second precision.
	ValidFrom  time.Time
	ValidUntil time.Time
	// Status, when set, points into a Bitstring Status List through which
	// the issuer can revoke the credential.
	Status *StatusEntry
	// Claims are application-defined claims about the subject (nil for
	// none); see Claims.
	Claims Claims
}

// Validate checks the claims: DIDs well formed, text claims bounded, topic
// filters valid, a non-empty validity window, application claims as
// Claims describes them.
func (c *DeviceCredential) Validate() error {
	if _, frag, err := did.SplitURL(c.Subject); err != nil || frag != "" {
		return fmt.Errorf("%w: subject %q is not a DID", ErrInvalidClaims, trunc(c.Subject))
	}
	if c.Issuer != "" {
		if _, frag, err := did.SplitURL(c.Issuer); err != nil || frag != "" {
			return fmt.Errorf("%w: issuer %q is not a DID", ErrInvalidClaims, trunc(c.Issuer))
		}
	}
	for name, v := range map[string]string{"id": c.ID, "manufacturer": c.Manufacturer, "model": c.Model, "serialNumber": c.SerialNumber} {
		if len(v) > MaxClaimLength {
			return fmt.Errorf("%w: %s is %d bytes, limit %d", ErrInvalidClaims, name, len(v), MaxClaimLength)
		}
	}
	if c.FirmwareHash.Func == 0 {
		return fmt.Errorf("%w: firmware hash missing", ErrInvalidClaims)
	}
	if c.ValidFrom.IsZero() || c.ValidUntil.IsZero() || !c.ValidUntil.After(c.ValidFrom) {
		return fmt.Errorf("%w: validity window [%v, %v] is empty", ErrInvalidClaims, c.ValidFrom, c.ValidUntil)
	}
	for _, a := range []Action{ActionPublish, ActionRead, ActionCommand} {
		ps := c.Roles.Patterns(a)
		if len(ps) > MaxPatternsPerRole {
			return fmt.Errorf("%w: %d %s patterns, limit %d", ErrInvalidClaims, len(ps), a, MaxPatternsPerRole)
		}
		for _, p := range ps {
			if len(p) > MaxPatternLength {
				return fmt.Errorf("%w: %s pattern of %d bytes", ErrInvalidClaims, a, len(p))
			}
			if err := ValidateTopicFilter(p); err != nil {
				return fmt.Errorf("%w: %s pattern: %w", ErrInvalidClaims, a, err)
			}
		}
	}
	if c.Status != nil {
		if err := c.Status.validate(); err != nil {
			return err
		}
	}
	return c.Claims.validate()
}

// subjectJSON is the credentialSubject of a DeviceCredential.
func (c *DeviceCredential) subjectJSON() map[string]any {
	m := map[string]any{
		"id":           c.Subject,
		"firmwareHash": c.FirmwareHash.String(),
	}
	if c.Manufacturer != "" {
		m["manufacturer"] = c.Manufacturer
	}
	if c.Model != "" {
		m["model"] = c.Model
	}
	if c.SerialNumber != "" {
		m["serialNumber"] = c.SerialNumber
	}
	roles := map[string]any{}
	for _, a := range []Action{ActionPublish, ActionRead, ActionCommand} {
		if ps := c.Roles.Patterns(a); len(ps) > 0 {
			roles[string(a)] = append([]string(nil), ps...)
		}
	}
	if len(roles) > 0 {
		m["roles"] = roles
	}
	if len(c.Claims) > 0 {
		m["claims"] = map[string]any(c.Claims.normalized())
	}
	return m
}

// fromSubject fills the subject claims of c from a decoded
// credentialSubject.
func (c *DeviceCredential) fromSubject(s *deviceSubject) error {
	c.Subject, c.Manufacturer, c.Model, c.SerialNumber = s.ID, s.Manufacturer, s.Model, s.SerialNumber
	if s.FirmwareHash == "" {
		return fmt.Errorf("%w: credentialSubject.firmwareHash missing", ErrInvalidClaims)
	}
	var err error
	if c.FirmwareHash, err = canon.ParseDigest(s.FirmwareHash); err != nil {
		return fmt.Errorf("%w: firmwareHash %q: %w", ErrInvalidClaims, trunc(s.FirmwareHash), err)
	}
	if s.Roles != nil {
		c.Roles = *s.Roles
	}
	if len(s.Claims) > 0 {
		c.Claims = s.Claims
	}
	return nil
}

func trunc(s string) string {
	const n = 80
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// didOf returns the DID part of a DID URL that must carry a fragment.
func didOf(keyID string) (string, error) {
	d, frag, err := did.SplitURL(keyID)
	if err != nil || frag == "" || !strings.Contains(keyID, "#") {
		return "", fmt.Errorf("%w: %q", ErrKeyID, trunc(keyID))
	}
	return d, nil
}
