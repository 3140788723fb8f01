package vc

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/iotrust/iotrust/canon"
)

// The JSON shapes this package reads. Each is decoded with canon.Decode:
// exact member names, no unknown or duplicate members, one value. A JWT's
// claims are read exactly so. A Data Integrity document may also carry
// members its JSON-LD contexts define that this package does not read
// (a "name", a "description"): it is decoded as a whole first, checked
// (safe mode, case variants), and then projected onto these shapes, so
// that only the members read here reach them.

// stringList is a JSON string or an array of strings (a VC "type", a JWT
// "aud").
type stringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *stringList) UnmarshalJSON(raw []byte) error {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := canon.Decode(raw, &s); err != nil {
			return err
		}
		*l = stringList{s}
		return nil
	}
	var list []string
	if err := canon.Decode(raw, &list); err != nil {
		return err
	}
	*l = list
	return nil
}

func (l stringList) has(s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

// idRef is a VC issuer or VP holder: a string, or an object with exactly
// an "id".
type idRef string

// UnmarshalJSON implements json.Unmarshaler.
func (r *idRef) UnmarshalJSON(raw []byte) error {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := canon.Decode(raw, &s); err != nil {
			return err
		}
		*r = idRef(s)
		return nil
	}
	var o struct {
		ID string `json:"id"`
	}
	if err := canon.Decode(raw, &o); err != nil {
		return err
	}
	*r = idRef(o.ID)
	return nil
}

// jwsHeader is the protected header of a compact JWS.
type jwsHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ,omitempty"`
}

// jwtClaims is the claims set of a JWT credential ("vc") or presentation
// ("vp", with "aud" and "nonce").
type jwtClaims struct {
	Iss   string          `json:"iss"`
	Sub   string          `json:"sub,omitempty"`
	Aud   stringList      `json:"aud,omitempty"`
	Nbf   *int64          `json:"nbf,omitempty"`
	Iat   *int64          `json:"iat,omitempty"`
	Exp   *int64          `json:"exp,omitempty"`
	Jti   string          `json:"jti,omitempty"`
	Nonce string          `json:"nonce,omitempty"`
	VC    json.RawMessage `json:"vc,omitempty"`
	VP    json.RawMessage `json:"vp,omitempty"`
}

// credentialBody is a credential: a JWT's "vc", or a Data Integrity
// document without its proof.
type credentialBody struct {
	Context           stringList      `json:"@context"`
	ID                string          `json:"id,omitempty"`
	Type              stringList      `json:"type"`
	Issuer            idRef           `json:"issuer,omitempty"`
	IssuanceDate      string          `json:"issuanceDate,omitempty"`
	ExpirationDate    string          `json:"expirationDate,omitempty"`
	ValidFrom         string          `json:"validFrom,omitempty"`
	ValidUntil        string          `json:"validUntil,omitempty"`
	CredentialSubject json.RawMessage `json:"credentialSubject"`
	CredentialStatus  json.RawMessage `json:"credentialStatus,omitempty"`
}

// deviceSubject is the credentialSubject of a DeviceCredential.
type deviceSubject struct {
	ID           string `json:"id,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
	SerialNumber string `json:"serialNumber,omitempty"`
	FirmwareHash string `json:"firmwareHash"`
	Roles        *Roles `json:"roles,omitempty"`
	Claims       Claims `json:"claims,omitempty"`
}

// statusEntryJSON is a BitstringStatusListEntry.
type statusEntryJSON struct {
	ID                   string     `json:"id,omitempty"`
	Type                 stringList `json:"type"`
	StatusPurpose        string     `json:"statusPurpose"`
	StatusListIndex      string     `json:"statusListIndex"`
	StatusListCredential string     `json:"statusListCredential"`
}

// statusListSubjectJSON is the credentialSubject of a status list
// credential.
type statusListSubjectJSON struct {
	ID            string     `json:"id,omitempty"`
	Type          stringList `json:"type"`
	StatusPurpose string     `json:"statusPurpose"`
	EncodedList   string     `json:"encodedList"`
}

// presentationBody is a JWT presentation's "vp".
type presentationBody struct {
	Context              stringList        `json:"@context"`
	ID                   string            `json:"id,omitempty"`
	Type                 stringList        `json:"type"`
	Holder               idRef             `json:"holder,omitempty"`
	VerifiableCredential []json.RawMessage `json:"verifiableCredential"`
}

// decodeMember decodes raw into v: strictly (canon.Decode), or, for a
// member of a JSON-LD document (ld), projected: members v does not name
// are dropped before the strict decode. Errors wrap ErrMalformed and the
// *canon.DecodeError, naming where.
func decodeMember(raw json.RawMessage, v any, ld bool, where string) error {
	if len(raw) == 0 {
		return fmt.Errorf("%w: %s missing", ErrMalformed, where)
	}
	if ld {
		var m map[string]json.RawMessage
		if err := canon.Decode(raw, &m); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrMalformed, where, err)
		}
		names := jsonNames(reflect.TypeOf(v).Elem())
		for k := range m {
			if !names[k] {
				delete(m, k)
			}
		}
		var err error
		if raw, err = json.Marshal(m); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrInternal, where, err)
		}
	}
	if err := canon.Decode(raw, v); err != nil {
		if errors.Is(err, ErrInvalidClaims) {
			return err
		}
		return fmt.Errorf("%w: %s: %w", ErrMalformed, where, err)
	}
	return nil
}

// jsonNames returns the JSON member names of struct type t.
func jsonNames(t reflect.Type) map[string]bool {
	names := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names[name] = true
		}
	}
	return names
}
