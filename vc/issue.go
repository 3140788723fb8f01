package vc

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	utiltime "github.com/trustbloc/did-go/doc/util/time"
	"github.com/trustbloc/vc-go/verifiable"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc/internal/eddsardfc"
	"github.com/iotrust/iotrust/vc/ldcontext"
)

// Issuer issues credentials signed with one DID's key. Safe for concurrent
// use if its key is.
type Issuer struct {
	key    did.PrivateKey
	did    string
	keyID  string
	alg    verifiable.JWSAlgorithm
	loader *ldcontext.Loader
}

// NewIssuer returns an Issuer for key, whose DID is did.New(key.Public())
// (did:key for Ed25519 and P-256). JWT credentials need an Ed25519 (EdDSA)
// or P-256 (ES256) key; Data Integrity credentials need Ed25519.
func NewIssuer(key did.PrivateKey) (*Issuer, error) {
	d, err := did.New(key.Public())
	if err != nil {
		return nil, err
	}
	kid, err := did.VerificationMethodID(d)
	if err != nil {
		return nil, err
	}
	is := &Issuer{key: key, did: d, keyID: kid, loader: ldcontext.Default()}
	switch key.Public().Scheme().JWSAlgorithm() {
	case "EdDSA":
		is.alg = verifiable.EdDSA
	case "ES256":
		is.alg = verifiable.ECDSASecp256r1
	default:
		is.alg = -1
	}
	return is, nil
}

// DID returns the issuer's DID.
func (is *Issuer) DID() string { return is.did }

// KeyID returns the verification method the issuer signs with.
func (is *Issuer) KeyID() string { return is.keyID }

func (is *Issuer) prepare(c *DeviceCredential) error {
	if c.Issuer == "" {
		c.Issuer = is.did
	}
	if c.Issuer != is.did {
		return fmt.Errorf("%w: credential names issuer %q, key belongs to %q", ErrSignerNotIssuer, trunc(c.Issuer), is.did)
	}
	c.ValidFrom = c.ValidFrom.UTC().Truncate(time.Second)
	c.ValidUntil = c.ValidUntil.UTC().Truncate(time.Second)
	if err := c.Validate(); err != nil {
		return err
	}
	c.Claims = c.Claims.normalized()
	return nil
}

// contexts returns the @context list for c: base, the device context, and
// the claims context when c has application claims.
func contexts(base string, c *DeviceCredential) []string {
	list := []string{base, ldcontext.DeviceV1}
	if len(c.Claims) > 0 {
		list = append(list, ldcontext.ClaimsV1)
	}
	return list
}

// IssueJWT issues c as a VC Data Model 1.1 JWT (the form JavaScript tools
// such as did-jwt-vc verify): header {alg, kid, typ "JWT"}, claims iss, sub,
// nbf, iat, exp, jti and the credential under "vc".
func (is *Issuer) IssueJWT(c DeviceCredential) (string, error) {
	if is.alg < 0 {
		return "", fmt.Errorf("%w: %s keys cannot sign JWT credentials here", ErrUnsupportedAlgorithm, is.key.Public().Scheme().Name())
	}
	if err := is.prepare(&c); err != nil {
		return "", err
	}
	contents := verifiable.CredentialContents{
		Context: contexts(ldcontext.CredentialsV1, &c),
		ID:      c.ID,
		Types:   []string{TypeVerifiableCredential, TypeDeviceCredential},
		Subject: []verifiable.Subject{subjectOf(c.subjectJSON())},
		Issuer:  &verifiable.Issuer{ID: c.Issuer},
		Issued:  timeWrapper(c.ValidFrom),
		Expired: timeWrapper(c.ValidUntil),
	}
	if c.Status != nil {
		contents.Status = typedIDOf(c.Status.json())
	}
	return is.signJWT(contents)
}

func (is *Issuer) signJWT(contents verifiable.CredentialContents) (string, error) {
	cred, err := verifiable.CreateCredential(contents, nil)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInternal, err)
	}
	signed, err := cred.CreateSignedJWTVC(false, is.alg, jwtSigner{key: is.key, typ: "JWT"}, is.keyID)
	if err != nil {
		return "", fmt.Errorf("vc: signing JWT: %w", err)
	}
	return signed.ToJWTString()
}

// IssueDataIntegrity issues c as a VC Data Model 2.0 credential secured with
// an eddsa-rdfc-2022 Data Integrity proof made at created. Its @context is
// exactly [credentials v2, iotrust device v1], plus iotrust claims v1 when c
// has application claims. It needs an Ed25519 key.
func (is *Issuer) IssueDataIntegrity(c DeviceCredential, created time.Time) ([]byte, error) {
	if err := is.prepare(&c); err != nil {
		return nil, err
	}
	var ctxs []any
	for _, u := range contexts(ldcontext.CredentialsV2, &c) {
		ctxs = append(ctxs, u)
	}
	doc := map[string]any{
		"@context":          ctxs,
		"type":              []any{TypeVerifiableCredential, TypeDeviceCredential},
		"issuer":            c.Issuer,
		"validFrom":         c.ValidFrom.Format(time.RFC3339),
		"validUntil":        c.ValidUntil.Format(time.RFC3339),
		"credentialSubject": c.subjectJSON(),
	}
	if c.ID != "" {
		doc["id"] = c.ID
	}
	if c.Status != nil {
		doc["credentialStatus"] = c.Status.json()
	}
	return is.signDataIntegrity(doc, "assertionMethod", created, "", "")
}

func (is *Issuer) signDataIntegrity(doc map[string]any, purpose string, created time.Time, challenge, domain string) ([]byte, error) {
	if is.key.Public().Scheme() != did.Ed25519 {
		return nil, fmt.Errorf("%w: eddsa-rdfc-2022 needs an Ed25519 key, have %s", ErrUnsupportedAlgorithm, is.key.Public().Scheme().Name())
	}
	// Round-trip through JSON so the canonicalizer sees only JSON types.
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInternal, err)
	}
	var plain map[string]any
	if err := json.Unmarshal(b, &plain); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInternal, err)
	}
	// Issuing is bounded by the same limits as verifying; it does no I/O,
	// so it takes no context.
	p, err := eddsardfc.Sign(context.Background(), plain, eddsardfc.Proof{
		Created:            created.UTC().Truncate(time.Second).Format(time.RFC3339),
		VerificationMethod: is.keyID,
		ProofPurpose:       purpose,
		Challenge:          challenge,
		Domain:             domain,
	}, is.key.Sign, is.loader)
	if err != nil {
		return nil, diError(err)
	}
	plain["proof"] = p.Map()
	return json.Marshal(plain)
}

// IssueStatusListJWT issues the status list credential for list, to be
// served at listURL, as a JWT valid in [validFrom, validUntil].
func (is *Issuer) IssueStatusListJWT(listURL string, list *StatusList, validFrom, validUntil time.Time) (string, error) {
	if is.alg < 0 {
		return "", fmt.Errorf("%w: %s keys cannot sign JWT credentials here", ErrUnsupportedAlgorithm, is.key.Public().Scheme().Name())
	}
	if err := (&StatusEntry{ListCredential: listURL}).validate(); err != nil {
		return "", err
	}
	validFrom, validUntil = validFrom.UTC().Truncate(time.Second), validUntil.UTC().Truncate(time.Second)
	if !validUntil.After(validFrom) {
		return "", fmt.Errorf("%w: validity window [%v, %v] is empty", ErrInvalidClaims, validFrom, validUntil)
	}
	return is.signJWT(verifiable.CredentialContents{
		Context: []string{ldcontext.CredentialsV1},
		ID:      listURL,
		Types:   []string{TypeVerifiableCredential, TypeStatusListCredential},
		Subject: []verifiable.Subject{subjectOf(statusListSubject(listURL, list))},
		Issuer:  &verifiable.Issuer{ID: is.did},
		Issued:  timeWrapper(validFrom),
		Expired: timeWrapper(validUntil),
	})
}

func subjectOf(m map[string]any) verifiable.Subject {
	id, _ := m["id"].(string)
	rest := verifiable.CustomFields{}
	for k, v := range m {
		if k != "id" {
			rest[k] = v
		}
	}
	return verifiable.Subject{ID: id, CustomFields: rest}
}

func typedIDOf(m map[string]any) *verifiable.TypedID {
	id, _ := m["id"].(string)
	typ, _ := m["type"].(string)
	rest := verifiable.CustomFields{}
	for k, v := range m {
		if k != "id" && k != "type" {
			rest[k] = v
		}
	}
	return &verifiable.TypedID{ID: id, Type: typ, CustomFields: rest}
}

func timeWrapper(t time.Time) *utiltime.TimeWrapper { return utiltime.NewTime(t) }
