package vc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
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

// PresentationRequest is what a verifier asks a holder to sign over.
type PresentationRequest struct {
	// Audience is the verifier's DID (JWT "aud").
	Audience string
	// Nonce is the verifier's single-use challenge (JWT "nonce").
	Nonce string
	// IssuedAt and Expires bound the presentation; Expires is required.
	IssuedAt time.Time
	Expires  time.Time
}

// PresentJWT signs a VC Data Model 1.1 JWT presentation of credentials
// (each a JWT string or a Data Integrity JSON credential). The VP claims
// have no place for a challenge, so the JWT claims wrap them with "nonce"
// and "aud" beside "vp", as did-jwt-vc does.
func (h *Holder) PresentJWT(credentials [][]byte, req PresentationRequest) (string, error) {
	if req.Audience == "" || req.Nonce == "" || req.Expires.IsZero() {
		return "", fmt.Errorf("%w: presentation request needs audience, nonce and expiry", ErrChallenge)
	}
	if len(credentials) == 0 || len(credentials) > MaxCredentialsPerPresentation {
		return "", fmt.Errorf("%w: %d credentials (1..%d)", ErrMalformed, len(credentials), MaxCredentialsPerPresentation)
	}
	embedded := make([]any, 0, len(credentials))
	for _, c := range credentials {
		if len(c) > 0 && c[0] == '{' {
			var obj map[string]any
			if err := json.Unmarshal(c, &obj); err != nil {
				return "", fmt.Errorf("%w: embedded credential: %v", ErrMalformed, err)
			}
			embedded = append(embedded, obj)
		} else {
			embedded = append(embedded, string(c))
		}
	}
	claims := map[string]any{
		"iss":   h.did,
		"aud":   req.Audience,
		"nonce": req.Nonce,
		"exp":   req.Expires.Unix(),
		"vp": map[string]any{
			"@context":             []any{ldcontext.CredentialsV1},
			"type":                 []any{"VerifiablePresentation"},
			"holder":               h.did,
			"verifiableCredential": embedded,
		},
	}
	if !req.IssuedAt.IsZero() {
		claims["iat"] = req.IssuedAt.Unix()
		claims["nbf"] = req.IssuedAt.Unix()
	}
	tok, err := jwt.NewSigned(claims, jwt.SignParameters{KeyID: h.keyID, JWTAlg: h.key.Public().Scheme().JWSAlgorithm()}, jwtSigner{key: h.key, typ: "JWT"})
	if err != nil {
		return "", fmt.Errorf("vc: signing presentation: %w", err)
	}
	return tok.Serialize(false)
}

// NonceStore hands out and consumes single-use challenges. Consume must
// fail (with an error wrapping ErrChallenge) for a nonce it never issued,
// one that has expired, or one already consumed.
type NonceStore interface {
	Consume(ctx context.Context, nonce string, now time.Time) error
}

// Nonces is an in-memory NonceStore. Safe for concurrent use.
type Nonces struct {
	// TTL is how long a nonce stays usable; zero means one minute.
	TTL time.Duration

	mu     sync.Mutex
	issued map[string]time.Time
}

// New returns a fresh 128-bit nonce usable until now + TTL.
func (n *Nonces) New(now time.Time) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	ttl := n.TTL
	if ttl <= 0 {
		ttl = time.Minute
	}
	s := base64.RawURLEncoding.EncodeToString(b[:])
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.issued == nil {
		n.issued = map[string]time.Time{}
	}
	for k, exp := range n.issued { // keep the map bounded by live nonces
		if now.After(exp) {
			delete(n.issued, k)
		}
	}
	n.issued[s] = now.Add(ttl)
	return s, nil
}

// Consume implements NonceStore.
func (n *Nonces) Consume(_ context.Context, nonce string, now time.Time) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	exp, ok := n.issued[nonce]
	if !ok {
		return fmt.Errorf("%w: nonce %q unknown or already used", ErrChallenge, trunc(nonce))
	}
	delete(n.issued, nonce)
	if now.After(exp) {
		return fmt.Errorf("%w: nonce %q expired at %v", ErrChallenge, trunc(nonce), exp)
	}
	return nil
}

// VerifiedPresentation is a presentation whose signature, challenge and
// every embedded credential have been checked.
type VerifiedPresentation struct {
	Holder      string
	Credentials []*VerifiedCredential
}

// VerifyPresentation checks a JWT presentation: the signature under the
// kid's key, kid DID = iss = vp.holder, aud = audience, the nonce consumed
// from nonces (so a replay fails), the expiry, and then re-verifies every
// embedded credential from scratch — a credential inside a signed
// presentation gains nothing from the holder's signature — and requires
// each one's subject to be the holder.
func (v *Verifier) VerifyPresentation(ctx context.Context, raw []byte, audience string, nonces NonceStore) (vp *VerifiedPresentation, err error) {
	defer recoverInto(&err)
	if len(raw) > MaxPresentationSize {
		return nil, fmt.Errorf("%w: presentation of %d bytes, limit %d", ErrMalformed, len(raw), MaxPresentationSize)
	}
	s := string(raw)
	j, err := splitJWS(s, "vp")
	if err != nil {
		return nil, err
	}
	iss, _ := j.payload["iss"].(string)
	if iss == "" || iss != j.signer {
		return nil, fmt.Errorf("%w: kid %q, iss %q", ErrSignerNotIssuer, trunc(j.keyID), trunc(iss))
	}
	body := j.payload["vp"].(map[string]any)
	if h, present := body["holder"]; present && issuerID(h) != iss {
		return nil, fmt.Errorf("%w: vp.holder %v, iss %q", ErrSignerNotIssuer, h, trunc(iss))
	}
	if !hasType(body["type"], "VerifiablePresentation") {
		return nil, fmt.Errorf("%w: vp type %v", ErrMalformed, body["type"])
	}
	if !audienceHas(j.payload["aud"], audience) {
		return nil, fmt.Errorf("%w: audience %v, want %q", ErrChallenge, j.payload["aud"], trunc(audience))
	}
	nonce, _ := j.payload["nonce"].(string)
	if nonce == "" {
		return nil, fmt.Errorf("%w: presentation has no nonce", ErrChallenge)
	}
	if _, present := j.payload["exp"]; !present {
		return nil, fmt.Errorf("%w: presentation has no exp", ErrMalformed)
	}
	from, until, err := jwtWindow(j.payload, map[string]any{})
	if err != nil {
		return nil, err
	}
	if err := checkWindow(v.now(), from, until, v.cfg.ClockSkew); err != nil {
		return nil, err
	}
	key, err := v.resolveSigner(ctx, j.keyID, j.alg)
	if err != nil {
		return nil, err
	}
	if err := jwt.CheckProof(s, proofChecker{key: key, keyID: j.keyID}, &iss, nil); err != nil {
		if e := unwrapOurs(err); e != err {
			return nil, fmt.Errorf("presentation: %w", e)
		}
		return nil, fmt.Errorf("%w: presentation: %v", ErrMalformed, err)
	}
	if v.cfg.KeyStatus != nil {
		if err := v.cfg.KeyStatus(ctx, iss, key, v.now()); err != nil {
			return nil, fmt.Errorf("%w: holder key: %w", ErrKeyNotCurrent, err)
		}
	}
	if err := nonces.Consume(ctx, nonce, v.now()); err != nil {
		if !errors.Is(err, ErrChallenge) {
			err = fmt.Errorf("%w: %w", ErrChallenge, err)
		}
		return nil, err
	}
	list, ok := body["verifiableCredential"].([]any)
	if !ok || len(list) == 0 || len(list) > MaxCredentialsPerPresentation {
		return nil, fmt.Errorf("%w: verifiableCredential must be a list of 1..%d credentials", ErrMalformed, MaxCredentialsPerPresentation)
	}
	out := &VerifiedPresentation{Holder: iss}
	for i, e := range list {
		var b []byte
		switch t := e.(type) {
		case string:
			b = []byte(t)
		case map[string]any:
			b, _ = json.Marshal(t)
		default:
			return nil, fmt.Errorf("%w: credential %d is neither a JWT nor an object", ErrMalformed, i)
		}
		c, err := v.Verify(ctx, b)
		if err != nil {
			return nil, fmt.Errorf("presentation credential %d: %w", i, err)
		}
		if c.Subject != iss {
			return nil, fmt.Errorf("%w: credential %d is about %q, holder is %q", ErrHolderNotSubject, i, trunc(c.Subject), trunc(iss))
		}
		out.Credentials = append(out.Credentials, c)
	}
	return out, nil
}

func audienceHas(aud any, want string) bool {
	switch t := aud.(type) {
	case string:
		return t == want
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok && s == want {
				return true
			}
		}
	}
	return false
}

// unwrapOurs returns the first of this package's sentinels found in err,
// wrapped with err's text.
func unwrapOurs(err error) error {
	for _, e := range []error{ErrBadSignature, ErrSignerNotIssuer, ErrKeyID} {
		if errors.Is(err, e) {
			return fmt.Errorf("%w: %v", e, err)
		}
	}
	return err
}
