package vc

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/trustbloc/vc-go/jwt"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc/ldcontext"
)

// MaxCredentialsPerPresentation bounds the credentials one presentation
// may carry.
const MaxCredentialsPerPresentation = 16

// Holder signs presentations for one DID (a device). Safe for concurrent
// use if its key is.
type Holder struct {
	key   did.PrivateKey
	did   string
	keyID string
}

// NewHolder returns a Holder for key; its DID is did.New(key.Public()).
func NewHolder(key did.PrivateKey) (*Holder, error) {
	d, err := did.New(key.Public())
	if err != nil {
		return nil, err
	}
	kid, err := did.VerificationMethodID(d)
	if err != nil {
		return nil, err
	}
	switch key.Public().Scheme().JWSAlgorithm() {
	case "EdDSA", "ES256":
	default:
		return nil, fmt.Errorf("%w: %s keys cannot sign JWT presentations here", ErrUnsupportedAlgorithm, key.Public().Scheme().Name())
	}
	return &Holder{key: key, did: d, keyID: kid}, nil
}

// DID returns the holder's DID.
func (h *Holder) DID() string { return h.did }

// PresentJWT answers challenge c (from the verifier's
// did.Authenticator.NewChallenge) with a VC Data Model 1.1 JWT presentation
// of credentials (each a JWT string or a Data Integrity JSON credential),
// signed at time at. The VP claims have no place for a challenge, so the
// JWT claims wrap them, as did-jwt-vc does: "aud" is c.Verifier, "nonce"
// the unpadded base64url of c.Nonce, "exp" c.Expires, "iat" and "nbf" at.
func (h *Holder) PresentJWT(credentials [][]byte, c did.Challenge, at time.Time) (string, error) {
	if len(c.Nonce) == 0 || c.Expires.IsZero() {
		return "", fmt.Errorf("%w: challenge without nonce or expiry", ErrChallenge)
	}
	if _, _, err := did.SplitURL(c.Verifier); err != nil {
		return "", fmt.Errorf("%w: challenge verifier: %w", ErrChallenge, err)
	}
	if len(credentials) == 0 || len(credentials) > MaxCredentialsPerPresentation {
		return "", fmt.Errorf("%w: %d credentials (1..%d)", ErrMalformed, len(credentials), MaxCredentialsPerPresentation)
	}
	embedded := make([]any, 0, len(credentials))
	for _, raw := range credentials {
		raw = bytes.TrimSpace(raw)
		if len(raw) > 0 && raw[0] == '{' {
			if !json.Valid(raw) {
				return "", fmt.Errorf("%w: embedded credential is not JSON", ErrMalformed)
			}
			embedded = append(embedded, json.RawMessage(raw))
		} else {
			embedded = append(embedded, string(raw))
		}
	}
	claims := map[string]any{
		"iss":   h.did,
		"aud":   c.Verifier,
		"nonce": base64.RawURLEncoding.EncodeToString(c.Nonce),
		"exp":   c.Expires.Unix(),
		"vp": map[string]any{
			"@context":             []any{ldcontext.CredentialsV1},
			"type":                 []any{"VerifiablePresentation"},
			"holder":               h.did,
			"verifiableCredential": embedded,
		},
	}
	if !at.IsZero() {
		claims["iat"] = at.Unix()
		claims["nbf"] = at.Unix()
	}
	tok, err := jwt.NewSigned(claims, jwt.SignParameters{KeyID: h.keyID, JWTAlg: h.key.Public().Scheme().JWSAlgorithm()}, jwtSigner{key: h.key, typ: "JWT"})
	if err != nil {
		return "", fmt.Errorf("vc: signing presentation: %w", err)
	}
	return tok.Serialize(false)
}

// VerifiedPresentation is a presentation whose signature, challenge and
// every embedded credential have been checked.
type VerifiedPresentation struct {
	Holder      string
	Credentials []*VerifiedCredential
}

// VerifyPresentation checks a JWT presentation: the signature under the
// kid's key, kid DID = iss = vp.holder, aud = audience, the expiry, the
// holder key's status, then spends the nonce in nonces — normally the
// gateway's *did.Authenticator, whose challenge the holder answered, so a
// replay fails and a challenge spent here cannot also be answered by
// challenge-response — and then re-verifies every embedded credential
// from scratch (a credential inside a signed presentation gains nothing
// from the holder's signature) and requires each one's subject to be the
// holder.
func (v *Verifier) VerifyPresentation(ctx context.Context, raw []byte, audience string, nonces did.NonceStore) (vp *VerifiedPresentation, err error) {
	defer recoverInto(&err)
	if len(raw) > MaxPresentationSize {
		return nil, fmt.Errorf("%w: presentation of %d bytes, limit %d", ErrMalformed, len(raw), MaxPresentationSize)
	}
	j, err := parseJWS(string(bytes.TrimSpace(raw)))
	if err != nil {
		return nil, err
	}
	cl := &j.claims
	if len(cl.VP) == 0 || len(cl.VC) > 0 {
		return nil, fmt.Errorf("%w: a presentation JWT has \"vp\" and no \"vc\"", ErrMalformed)
	}
	var body presentationBody
	if err := decodeMember(cl.VP, &body, false, "vp"); err != nil {
		return nil, err
	}
	if body.Holder != "" && string(body.Holder) != cl.Iss {
		return nil, fmt.Errorf("%w: vp.holder %q, iss %q", ErrSignerNotIssuer, trunc(string(body.Holder)), trunc(cl.Iss))
	}
	if !body.Type.has("VerifiablePresentation") {
		return nil, fmt.Errorf("%w: vp type %v", ErrMalformed, body.Type)
	}
	if !cl.Aud.has(audience) {
		return nil, fmt.Errorf("%w: audience %v, want %q", ErrChallenge, cl.Aud, trunc(audience))
	}
	if cl.Nonce == "" {
		return nil, fmt.Errorf("%w: presentation has no nonce", ErrChallenge)
	}
	nonce, err := b64url(cl.Nonce)
	if err != nil {
		return nil, fmt.Errorf("%w: nonce is not base64url: %w", ErrChallenge, err)
	}
	if cl.Exp == nil {
		return nil, fmt.Errorf("%w: presentation has no exp", ErrMalformed)
	}
	from, until, err := validity(cl, &credentialBody{})
	if err != nil {
		return nil, err
	}
	if err := checkWindow(v.now(), from, until, v.cfg.ClockSkew); err != nil {
		return nil, err
	}
	key, err := v.verifySignature(ctx, j)
	if err != nil {
		return nil, fmt.Errorf("presentation: %w", err)
	}
	if v.cfg.KeyStatus != nil {
		if err := v.cfg.KeyStatus(ctx, cl.Iss, key, v.now()); err != nil {
			return nil, fmt.Errorf("%w: holder key: %w", ErrKeyNotCurrent, err)
		}
	}
	if len(body.VerifiableCredential) == 0 || len(body.VerifiableCredential) > MaxCredentialsPerPresentation {
		return nil, fmt.Errorf("%w: verifiableCredential must be a list of 1..%d credentials", ErrMalformed, MaxCredentialsPerPresentation)
	}
	if err := nonces.Consume(ctx, nonce); err != nil {
		if !errors.Is(err, ErrChallenge) {
			err = fmt.Errorf("%w: %w", ErrChallenge, err)
		}
		return nil, err
	}
	out := &VerifiedPresentation{Holder: cl.Iss}
	for i, e := range body.VerifiableCredential {
		b := []byte(e)
		if len(e) > 0 && e[0] == '"' {
			var s string
			if err := json.Unmarshal(e, &s); err != nil {
				return nil, fmt.Errorf("%w: credential %d: %w", ErrMalformed, i, err)
			}
			b = []byte(s)
		} else if len(e) == 0 || e[0] != '{' {
			return nil, fmt.Errorf("%w: credential %d is neither a JWT nor an object", ErrMalformed, i)
		}
		c, err := v.Verify(ctx, b)
		if err != nil {
			return nil, fmt.Errorf("presentation credential %d: %w", i, err)
		}
		if c.Subject != cl.Iss {
			return nil, fmt.Errorf("%w: credential %d is about %q, holder is %q", ErrHolderNotSubject, i, trunc(c.Subject), trunc(cl.Iss))
		}
		out.Credentials = append(out.Credentials, c)
	}
	return out, nil
}
