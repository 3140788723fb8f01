package vc

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/trustbloc/kms-go/doc/jose"
	"github.com/trustbloc/vc-go/jwt"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
)

// jwtLimits bounds the JSON of a JWT's header and claims.
func jwtLimits() canon.Limits { return canon.Limits{MaxBytes: MaxPresentationSize, MaxDepth: 32} }

// jwtSigner plugs a did.PrivateKey into vc-go's JWT signing: its signatures
// already are JWS signatures for the scheme's alg.
type jwtSigner struct {
	key did.PrivateKey
	typ string
}

func (s jwtSigner) SignJWT(_ jwt.SignParameters, data []byte) ([]byte, error) {
	return s.key.Sign(data)
}

func (s jwtSigner) CreateJWTHeaders(p jwt.SignParameters) (jose.Headers, error) {
	return jose.Headers{jose.HeaderAlgorithm: p.JWTAlg, jose.HeaderKeyID: p.KeyID, jose.HeaderType: s.typ}, nil
}

// jws is a compact JWS whose header and claims were decoded strictly
// (canon.Decode into jwsHeader and jwtClaims: exact member names, no
// unknown or duplicate members, no "crit" or embedded keys) and whose
// three parts are canonical unpadded base64url — one encoding per token.
type jws struct {
	header  jwsHeader
	claims  jwtClaims
	signed  []byte // the JWS signing input
	sig     []byte
	signer  string // DID of header.Kid
	compact string
}

func parseJWS(s string) (*jws, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return nil, fmt.Errorf("%w: not a compact JWS with a signature", ErrMalformed)
	}
	j := &jws{compact: s, signed: []byte(s[:len(parts[0])+1+len(parts[1])])}
	var raw [3][]byte
	for i, p := range parts {
		var err error
		if raw[i], err = b64url(p); err != nil {
			return nil, fmt.Errorf("%w: JWS part %d: %w", ErrMalformed, i, err)
		}
	}
	if err := jwtLimits().Decode(raw[0], &j.header); err != nil {
		return nil, fmt.Errorf("%w: JWS header: %w", ErrMalformed, err)
	}
	if err := jwtLimits().Decode(raw[1], &j.claims); err != nil {
		return nil, fmt.Errorf("%w: JWT claims: %w", ErrMalformed, err)
	}
	j.sig = raw[2]
	if j.header.Alg != "EdDSA" && j.header.Alg != "ES256" {
		return nil, fmt.Errorf("%w: JWS alg %q", ErrUnsupportedAlgorithm, trunc(j.header.Alg))
	}
	if j.header.Typ != "" && j.header.Typ != "JWT" {
		return nil, fmt.Errorf("%w: JWS typ %q", ErrMalformed, trunc(j.header.Typ))
	}
	d, err := didOf(j.header.Kid)
	if err != nil {
		return nil, err
	}
	j.signer = d
	if j.claims.Iss == "" {
		return nil, fmt.Errorf("%w: JWT has no iss", ErrMalformed)
	}
	if j.claims.Iss != j.signer {
		return nil, fmt.Errorf("%w: kid %q, iss %q", ErrSignerNotIssuer, trunc(j.header.Kid), trunc(j.claims.Iss))
	}
	return j, nil
}

// b64url decodes unpadded base64url, refusing any other alphabet (Go's
// decoder would skip line breaks) and non-zero trailing bits.
func b64url(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, fmt.Errorf("byte %d is not base64url", i)
		}
	}
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

// verifySignature resolves the kid and checks the JWS signature with it.
func (v *Verifier) verifySignature(ctx context.Context, j *jws) (did.PublicKey, error) {
	key, err := v.resolveSigner(ctx, j.header.Kid, j.header.Alg)
	if err != nil {
		return nil, err
	}
	if !key.Verify(j.signed, j.sig) {
		return nil, fmt.Errorf("%w: JWS by %q", ErrBadSignature, trunc(j.header.Kid))
	}
	return key, nil
}

func (v *Verifier) openJWT(ctx context.Context, s string) (*envelope, error) {
	j, err := parseJWS(s)
	if err != nil {
		return nil, err
	}
	cl := &j.claims
	if len(cl.VC) == 0 {
		return nil, fmt.Errorf("%w: JWT has no \"vc\"", ErrMalformed)
	}
	if len(cl.VP) > 0 || cl.Nonce != "" || len(cl.Aud) > 0 {
		return nil, fmt.Errorf("%w: a credential JWT carries presentation claims", ErrMalformed)
	}
	env := &envelope{format: FormatJWT, keyID: j.header.Kid, issuer: cl.Iss, jti: cl.Jti, sub: cl.Sub}
	if err := decodeMember(cl.VC, &env.body, false, "vc"); err != nil {
		return nil, err
	}
	if env.body.Issuer != "" && string(env.body.Issuer) != cl.Iss {
		return nil, fmt.Errorf("%w: iss %q, vc.issuer %q", ErrSignerNotIssuer, trunc(cl.Iss), trunc(string(env.body.Issuer)))
	}
	if env.key, err = v.verifySignature(ctx, j); err != nil {
		return nil, err
	}
	if env.validFrom, env.validUntil, err = validity(cl, &env.body); err != nil {
		return nil, err
	}
	return env, nil
}

// validity takes the strictest of a JWT's nbf/exp (cl may be nil) and the
// credential's issuanceDate/expirationDate (VC 1.1) or validFrom/validUntil
// (VC 2.0).
func validity(cl *jwtClaims, b *credentialBody) (from, until time.Time, err error) {
	if cl != nil {
		for _, d := range []struct {
			name string
			v    *int64
		}{{"nbf", cl.Nbf}, {"exp", cl.Exp}} {
			if d.v == nil {
				continue
			}
			if *d.v < 0 || *d.v > 1<<40 {
				return from, until, fmt.Errorf("%w: JWT %s %d", ErrMalformed, d.name, *d.v)
			}
			t := time.Unix(*d.v, 0).UTC()
			if d.name == "nbf" {
				from = later(from, t)
			} else {
				until = earlier(until, t)
			}
		}
	}
	for _, d := range []struct {
		name, v string
		start   bool
	}{
		{"issuanceDate", b.IssuanceDate, true}, {"validFrom", b.ValidFrom, true},
		{"expirationDate", b.ExpirationDate, false}, {"validUntil", b.ValidUntil, false},
	} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, d.v)
		if err != nil {
			return from, until, fmt.Errorf("%w: %s %q", ErrMalformed, d.name, trunc(d.v))
		}
		if d.start {
			from = later(from, t)
		} else {
			until = earlier(until, t)
		}
	}
	return from, until, nil
}

func later(a, b time.Time) time.Time {
	if a.IsZero() || b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
