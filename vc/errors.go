package vc

import "errors"

// Errors returned by issuing, verifying and authorizing. Each is wrapped with
// the offending value; test with errors.Is. Errors of strict JSON decoding
// also wrap a *canon.DecodeError (canon.ErrUnknownMember,
// canon.ErrDuplicateKey, canon.ErrEmpty, canon.ErrTrailingData, ...), and
// key errors from package did (did.ErrInvalidKey, ...) stay reachable too.
var (
	// ErrMalformed: the bytes are not a credential or presentation of a
	// supported format (compact JWS, or JSON with a Data Integrity proof),
	// exceed the size limits, miss required members, or are not exactly one
	// JSON value with exactly the member names this package reads.
	ErrMalformed = errors.New("vc: malformed credential")
	// ErrUndefinedTerm: a Data Integrity credential carries data its
	// signature does not cover — a member its JSON-LD contexts do not
	// define (JSON-LD expansion would drop it before signing), an undefined
	// type, a relative IRI, a null. Such data is refused, never ignored, so
	// that what verifies is exactly what was signed.
	ErrUndefinedTerm = errors.New("vc: data not covered by the signature")
	// ErrTooComplex: a Data Integrity credential needs more work to
	// canonicalize than any device credential does (too many values,
	// statements or blank nodes, or an RDF "poison graph" whose look-alike
	// blank nodes exhaust the canonicalization budget).
	ErrTooComplex = errors.New("vc: credential too complex to canonicalize")
	// ErrInvalidClaims: a DeviceCredential's claims break a rule (empty
	// subject, bad DID, bad firmware hash, bad topic pattern, empty window,
	// an application claim of a bad name, type or size).
	ErrInvalidClaims = errors.New("vc: invalid device credential claims")
	// ErrNoClaim: a credential carries no application claim of the name and
	// type asked for.
	ErrNoClaim = errors.New("vc: no such claim")
	// ErrUnsupportedAlgorithm: the JWS alg or Data Integrity cryptosuite is
	// not one this package accepts (EdDSA, ES256, eddsa-rdfc-2022).
	ErrUnsupportedAlgorithm = errors.New("vc: unsupported signature algorithm")
	// ErrKeyID: the JWT kid or proof verificationMethod is missing or is not
	// a DID URL with a "#fragment".
	ErrKeyID = errors.New("vc: key id is not a DID URL with a fragment")
	// ErrSignerNotIssuer: the DID of the signing key differs from the
	// credential's issuer (or, for a presentation, from its holder).
	ErrSignerNotIssuer = errors.New("vc: signer is not the issuer")
	// ErrBadSignature: the signature does not verify under the resolved key.
	ErrBadSignature = errors.New("vc: signature does not verify")
	// ErrKeyResolution: the verification method could not be resolved to a
	// key — including a key package did refuses (a small-order or
	// non-canonical Ed25519 point: errors.Is(err, did.ErrInvalidKey)).
	ErrKeyResolution = errors.New("vc: cannot resolve verification method")
	// ErrProofPurpose: the Data Integrity proofPurpose is not the one
	// required (assertionMethod for credentials, authentication for
	// presentations).
	ErrProofPurpose = errors.New("vc: wrong proof purpose")
	// ErrNotYetValid: the credential's validity starts after now + skew.
	ErrNotYetValid = errors.New("vc: credential not yet valid")
	// ErrExpired: the credential's validity ended before now - skew.
	ErrExpired = errors.New("vc: credential expired")
	// ErrUntrustedIssuer: the issuer is not in the verifier's trust list.
	ErrUntrustedIssuer = errors.New("vc: issuer not trusted")
	// ErrRevoked: the credential's status bit is set in its status list.
	ErrRevoked = errors.New("vc: credential revoked")
	// ErrStatusUnavailable: the status list could not be obtained, is stale
	// beyond the allowed age, or does not match the entry.
	ErrStatusUnavailable = errors.New("vc: credential status unavailable")
	// ErrStaleStatus: the cached status list was issued longer ago than the
	// maximum staleness allowed, or has expired.
	ErrStaleStatus = errors.New("vc: status list too old")
	// ErrStatusRollback: StatusCache.Add was given a status list issued
	// before the one it holds for that URL (or issued in the same second
	// without all of its revocations), which would roll revocations back;
	// the cached list stays.
	ErrStatusRollback = errors.New("vc: status list older than the cached one")
	// ErrKeyNotCurrent: the key that signed is no longer the key of its DID
	// in the key registry.
	ErrKeyNotCurrent = errors.New("vc: signing key is not current for its DID")
	// ErrChallenge: a presentation's nonce is unknown, expired or already
	// used (the did.NonceStore's error is wrapped too), or its audience is
	// not this verifier.
	ErrChallenge = errors.New("vc: presentation challenge mismatch")
	// ErrHolderNotSubject: a presentation carries a credential whose
	// subject is not the presentation's holder.
	ErrHolderNotSubject = errors.New("vc: holder is not the credential subject")
	// ErrDenied: no admitted, currently valid credential grants the action
	// (Authorize, Allow); a policy's own reason is wrapped too.
	ErrDenied = errors.New("vc: not authorized")
	// ErrTopicPattern: an MQTT topic or topic filter is malformed.
	ErrTopicPattern = errors.New("vc: invalid topic pattern")
	// ErrUnknownContext: a JSON-LD @context the embedded loader does not
	// hold; nothing is ever fetched.
	ErrUnknownContext = errors.New("vc: unknown JSON-LD context")
	// ErrInternal: the underlying library failed unexpectedly (including a
	// recovered panic). It is a bug report, not a verdict on the input.
	ErrInternal = errors.New("vc: internal error")
)
