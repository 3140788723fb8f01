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
// rest) the subject may act on.
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
}

// Validate checks the claims: DIDs well formed, text claims bounded, topic
// filters valid, a non-empty validity window.
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
	return nil
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
	return m
}

// deviceFromSubject fills the subject claims of c from a decoded
// credentialSubject object.
func deviceFromSubject(c *DeviceCredential, raw any) error {
	subj, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("%w: credentialSubject is not a single object", ErrMalformed)
	}
	var err error
	str := func(k string) string {
		v, present := subj[k]
		if !present || err != nil {
			return ""
		}
		s, ok := v.(string)
		if !ok {
			err = fmt.Errorf("%w: credentialSubject.%s is not a string", ErrMalformed, k)
		}
		return s
	}
	c.Subject = str("id")
	c.Manufacturer = str("manufacturer")
	c.Model = str("model")
	c.SerialNumber = str("serialNumber")
	fw := str("firmwareHash")
	if err != nil {
		return err
	}
	if fw == "" {
		return fmt.Errorf("%w: credentialSubject.firmwareHash missing", ErrInvalidClaims)
	}
	if c.FirmwareHash, err = canon.ParseDigest(fw); err != nil {
		return fmt.Errorf("%w: firmwareHash %q: %w", ErrInvalidClaims, trunc(fw), err)
	}
	if r, present := subj["roles"]; present {
		rm, ok := r.(map[string]any)
		if !ok {
			return fmt.Errorf("%w: credentialSubject.roles is not an object", ErrMalformed)
		}
		for k, v := range rm {
			list, err := stringList(v)
			if err != nil {
				return fmt.Errorf("%w: roles.%s: %w", ErrMalformed, trunc(k), err)
			}
			switch Action(k) {
			case ActionPublish:
				c.Roles.Publish = list
			case ActionRead:
				c.Roles.Read = list
			case ActionCommand:
				c.Roles.Command = list
			default:
				return fmt.Errorf("%w: unknown role %q", ErrInvalidClaims, trunc(k))
			}
		}
	}
	return nil
}

// stringList accepts a JSON string or array of strings (JSON-LD @set
// compaction may write a one-element set as a bare string).
func stringList(v any) ([]string, error) {
	switch t := v.(type) {
	case string:
		return []string{t}, nil
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("element is not a string")
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("not a string list")
}

// hasType reports whether a JSON "type" value (string or array) names t.
func hasType(v any, t string) bool {
	switch x := v.(type) {
	case string:
		return x == t
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s == t {
				return true
			}
		}
	}
	return false
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
