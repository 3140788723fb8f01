package vc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iotrust/iotrust/canon"
)

// Limits on application claims.
const (
	MaxClaims          = 32 // claims per credential
	MaxClaimNameLength = 64
)

// Claims are application-defined claims about a credential's subject,
// beside the built-in device claims and topic roles: a vehicle's VIN, a
// charging contract ID, a maximum power in watts. Each name starts with an
// ASCII letter followed by letters, digits, "_" or "-" (at most
// MaxClaimNameLength bytes); each value is a string (at most
// MaxClaimLength bytes of UTF-8 without control characters), an int64
// within ±canon.MaxSafeInteger (money and measures are integers in their
// smallest unit), or a bool. An int is accepted when issuing and becomes an
// int64. At most MaxClaims claims.
//
// Claims are signed in both formats: in a JWT they are the "claims" object
// of the credential subject; in a Data Integrity credential the same
// object is one JSON literal (ldcontext.ClaimsV1), signed as its RFC 8785
// canonical form, so no application needs a JSON-LD context of its own.
type Claims map[string]any

// String returns the string claim name, or an error wrapping ErrNoClaim
// if there is none of that name and type.
func (c Claims) String(name string) (string, error) {
	s, ok := c[name].(string)
	if !ok {
		return "", c.missing(name, "string")
	}
	return s, nil
}

// Int returns the integer claim name, or an error wrapping ErrNoClaim if
// there is none of that name and type.
func (c Claims) Int(name string) (int64, error) {
	switch v := c[name].(type) {
	case int64:
		return v, nil
	case int:
		return int64(v), nil
	}
	return 0, c.missing(name, "integer")
}

// Bool returns the boolean claim name, or an error wrapping ErrNoClaim if
// there is none of that name and type.
func (c Claims) Bool(name string) (bool, error) {
	b, ok := c[name].(bool)
	if !ok {
		return false, c.missing(name, "boolean")
	}
	return b, nil
}

func (c Claims) missing(name, kind string) error {
	if v, present := c[name]; present {
		return fmt.Errorf("%w: claim %q is a %T, not a %s", ErrNoClaim, trunc(name), v, kind)
	}
	return fmt.Errorf("%w: no %s claim %q", ErrNoClaim, kind, trunc(name))
}

// validate checks names, types and sizes; see Claims.
func (c Claims) validate() error {
	if len(c) > MaxClaims {
		return fmt.Errorf("%w: %d application claims, limit %d", ErrInvalidClaims, len(c), MaxClaims)
	}
	for name, v := range c {
		if !validClaimName(name) {
			return fmt.Errorf("%w: claim name %q", ErrInvalidClaims, trunc(name))
		}
		switch t := v.(type) {
		case string:
			if len(t) > MaxClaimLength || !utf8.ValidString(t) || strings.ContainsFunc(t, isControl) {
				return fmt.Errorf("%w: claim %q: string of %d bytes, not UTF-8 text within %d bytes", ErrInvalidClaims, name, len(t), MaxClaimLength)
			}
		case int64:
			if t > canon.MaxSafeInteger || t < -canon.MaxSafeInteger {
				return fmt.Errorf("%w: claim %q: %d is beyond ±2^53-1", ErrInvalidClaims, name, t)
			}
		case int:
			if int64(t) > canon.MaxSafeInteger || int64(t) < -canon.MaxSafeInteger {
				return fmt.Errorf("%w: claim %q: %d is beyond ±2^53-1", ErrInvalidClaims, name, t)
			}
		case bool:
		default:
			return fmt.Errorf("%w: claim %q is a %T, want string, int64 or bool", ErrInvalidClaims, name, v)
		}
	}
	return nil
}

// normalized returns a copy with int values as int64 (nil for no claims).
func (c Claims) normalized() Claims {
	if len(c) == 0 {
		return nil
	}
	out := make(Claims, len(c))
	for k, v := range c {
		if i, ok := v.(int); ok {
			v = int64(i)
		}
		out[k] = v
	}
	return out
}

func validClaimName(s string) bool {
	if s == "" || len(s) > MaxClaimNameLength {
		return false
	}
	for i, c := range []byte(s) {
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '_' || c == '-')) {
			return false
		}
	}
	return true
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// UnmarshalJSON reads a claims object strictly: exactly one JSON object,
// no duplicate names, and each value a string, an integer literal (no
// fraction, no exponent) or a boolean, then checks it as validate does.
// The rule is the same in both formats: a Data Integrity credential's
// claims are read from its bytes, so 11000.0 or 1.1e4 is refused there too,
// although its signature (over the RFC 8785 form, 11000) would verify.
func (c *Claims) UnmarshalJSON(raw []byte) error {
	var members map[string]json.RawMessage
	if err := canon.Decode(raw, &members); err != nil {
		return err
	}
	out := make(Claims, len(members))
	for name, v := range members {
		v = bytes.TrimSpace(v)
		switch {
		case len(v) > 0 && v[0] == '"':
			var s string
			if err := canon.Decode(v, &s); err != nil {
				return err
			}
			out[name] = s
		case string(v) == "true" || string(v) == "false":
			out[name] = string(v) == "true"
		default:
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return fmt.Errorf("%w: claim %q: %.40s is not a string, an integer or a boolean", ErrInvalidClaims, trunc(name), v)
			}
			out[name] = n
		}
	}
	if err := out.validate(); err != nil {
		return err
	}
	*c = out
	return nil
}
