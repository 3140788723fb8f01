package vc

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc/ldcontext"
)

// Format is how a credential is secured.
type Format string

// The formats this package issues and verifies.
const (
	FormatJWT           Format = "jwt"
	FormatDataIntegrity Format = "eddsa-rdfc-2022"
)

// KeyStatus reports whether key is, at time at, a current key of the DID
// it signed for — the hook through which a did key registry (rotation,
// revocation, decommissioning) vetoes a signature. It returns nil if so.
type KeyStatus func(ctx context.Context, did string, key did.PublicKey, at time.Time) error

// VerifierConfig configures a Verifier.
type VerifierConfig struct {
	// TrustedIssuers lists the issuer DIDs whose credentials are accepted.
	// Empty means none: deny by default.
	TrustedIssuers []string
	// Keys resolves the verification method a JWT kid or a proof's
	// verificationMethod names, at the verifier's clock; nil means
	// did.NewKeyCache(4096, nil, 0) (did:key and did:jwk, no I/O). Every key
	// reaches this package through it, so did's key checks (no small-order
	// or non-canonical Ed25519 keys) apply to every issuer and holder.
	Keys did.KeyResolver
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ClockSkew widens every validity window on both sides (devices without
	// a real-time clock drift). Zero means none.
	ClockSkew time.Duration
	// Status answers revocation checks. A credential that carries a
	// credentialStatus fails with ErrStatusUnavailable when it is nil.
	Status *StatusCache
	// KeyStatus, when set, is asked about every signing key (issuer keys
	// of credentials, holder keys of presentations).
	KeyStatus KeyStatus
	// Loader serves JSON-LD contexts; nil means ldcontext.Default().
	Loader *ldcontext.Loader
}

// Verifier verifies credentials and presentations. Safe for concurrent use.
type Verifier struct {
	cfg     VerifierConfig
	trusted map[string]bool
	loader  *ldcontext.Loader
}

// NewVerifier returns a Verifier for cfg.
func NewVerifier(cfg VerifierConfig) *Verifier {
	v := &Verifier{cfg: cfg, trusted: map[string]bool{}, loader: cfg.Loader}
	for _, d := range cfg.TrustedIssuers {
		v.trusted[d] = true
	}
	if v.cfg.Keys == nil {
		v.cfg.Keys = did.NewKeyCache(4096, nil, 0)
	}
	if v.loader == nil {
		v.loader = ldcontext.Default()
	}
	return v
}

func (v *Verifier) now() time.Time {
	if v.cfg.Now != nil {
		return v.cfg.Now()
	}
	return time.Now()
}

// VerifiedCredential is a DeviceCredential whose proof, issuer, validity
// and status have been checked.
type VerifiedCredential struct {
	DeviceCredential
	Format Format
	// KeyID is the verification method that signed it.
	KeyID string
}

// envelope is what a checked proof yields: who signed, and the signed
// credential.
type envelope struct {
	format     Format
	keyID      string
	issuer     string
	key        did.PublicKey
	body       credentialBody
	ld         bool   // body is a JSON-LD document: decode members projected
	jti, sub   string // JWT only: the credential's id and subject id
	validFrom  time.Time
	validUntil time.Time
}

// credentialID reconciles the credential's id with a JWT's jti.
func (e *envelope) credentialID() (string, error) {
	id := e.body.ID
	if e.jti != "" {
		if id != "" && id != e.jti {
			return "", fmt.Errorf("%w: jti %q differs from vc.id %q", ErrMalformed, trunc(e.jti), trunc(id))
		}
		id = e.jti
	}
	return id, nil
}

// subjectID reconciles a credential subject's id with a JWT's sub.
func (e *envelope) subjectID(id string) (string, error) {
	if e.sub != "" {
		if id != "" && id != e.sub {
			return "", fmt.Errorf("%w: sub %q differs from credentialSubject.id", ErrMalformed, trunc(e.sub))
		}
		id = e.sub
	}
	return id, nil
}

// Verify checks a DeviceCredential in either format (compact JWS, or JSON
// with an eddsa-rdfc-2022 proof): the signature under the key its kid /
// verificationMethod names; that this key's DID is the issuer; the proof
// purpose; the issuer is trusted; the validity window at the verifier's
// clock with its skew; the revocation status; the key's registry status.
// Every member it reads is read exactly (one spelling, no duplicates), and
// a Data Integrity credential carrying data its signature does not cover
// is refused (ErrUndefinedTerm).
func (v *Verifier) Verify(ctx context.Context, raw []byte) (vc *VerifiedCredential, err error) {
	defer recoverInto(&err)
	env, err := v.openCredential(ctx, raw)
	if err != nil {
		return nil, err
	}
	if !env.body.Type.has(TypeDeviceCredential) || !env.body.Type.has(TypeVerifiableCredential) {
		return nil, fmt.Errorf("%w: type %v is not a DeviceCredential", ErrMalformed, env.body.Type)
	}
	out := &VerifiedCredential{Format: env.format, KeyID: env.keyID}
	c := &out.DeviceCredential
	c.Issuer, c.ValidFrom, c.ValidUntil = env.issuer, env.validFrom, env.validUntil
	if c.ID, err = env.credentialID(); err != nil {
		return nil, err
	}
	var subj deviceSubject
	if err := decodeMember(env.body.CredentialSubject, &subj, env.ld, "credentialSubject"); err != nil {
		return nil, err
	}
	if subj.ID, err = env.subjectID(subj.ID); err != nil {
		return nil, err
	}
	if err := c.fromSubject(&subj); err != nil {
		return nil, err
	}
	if len(env.body.CredentialStatus) > 0 {
		if c.Status, err = statusFromJSON(env.body.CredentialStatus, env.ld); err != nil {
			return nil, err
		}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := v.checkAccepted(ctx, env); err != nil {
		return nil, err
	}
	if c.Status != nil {
		if v.cfg.Status == nil {
			return nil, fmt.Errorf("%w: credential has a status entry and no status cache is configured", ErrStatusUnavailable)
		}
		if err := v.cfg.Status.Check(c.Status, c.Issuer, v.now()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkAccepted applies the checks that do not depend on the credential's
// kind: trust, validity, key status.
func (v *Verifier) checkAccepted(ctx context.Context, env *envelope) error {
	if !v.trusted[env.issuer] {
		return fmt.Errorf("%w: %q", ErrUntrustedIssuer, trunc(env.issuer))
	}
	now := v.now()
	if err := checkWindow(now, env.validFrom, env.validUntil, v.cfg.ClockSkew); err != nil {
		return err
	}
	if v.cfg.KeyStatus != nil {
		if err := v.cfg.KeyStatus(ctx, env.issuer, env.key, now); err != nil {
			return fmt.Errorf("%w: %w", ErrKeyNotCurrent, err)
		}
	}
	return nil
}

func checkWindow(now, from, until time.Time, skew time.Duration) error {
	if !from.IsZero() && now.Add(skew).Before(from) {
		return fmt.Errorf("%w: valid from %v, now %v (skew %v)", ErrNotYetValid, from, now, skew)
	}
	if !until.IsZero() && now.Add(-skew).After(until) {
		return fmt.Errorf("%w: valid until %v, now %v (skew %v)", ErrExpired, until, now, skew)
	}
	return nil
}

// openCredential checks the proof of a credential in either format and
// returns the signed content.
func (v *Verifier) openCredential(ctx context.Context, raw []byte) (*envelope, error) {
	if len(raw) > MaxCredentialSize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrMalformed, len(raw), MaxCredentialSize)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		return v.openDataIntegrity(ctx, raw)
	}
	return v.openJWT(ctx, string(raw))
}

// resolveSigner resolves keyID through the configured did.KeyResolver and
// checks the key can make alg signatures.
func (v *Verifier) resolveSigner(ctx context.Context, keyID, alg string) (did.PublicKey, error) {
	key, err := v.cfg.Keys.KeyAt(ctx, keyID, v.now())
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrKeyResolution, trunc(keyID), err)
	}
	if got := key.Scheme().JWSAlgorithm(); got != alg {
		return nil, fmt.Errorf("%w: %q is a %s key, proof uses %s", ErrUnsupportedAlgorithm, trunc(keyID), key.Scheme().Name(), alg)
	}
	return key, nil
}

// recoverInto turns a panic inside a library call into ErrInternal at the
// API boundary. Inputs are checked before they reach the libraries so that
// this should never fire; the fuzz targets assert that it does not.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: recovered panic: %v", ErrInternal, r)
	}
}
