package did

import (
	"context"
	cryptorand "crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iotrust/iotrust/canon"
)

// AuthTag is the domain-separation tag of challenge responses: a device's
// answer is a signature over canon.SigningMessage(AuthTag, canonical JSON of
// {"challenge","device","time","verifier"}), so it can be replayed as
// nothing else, and nothing else can be replayed as an answer.
const AuthTag canon.Tag = "iotrust.did-auth.v1"

// NonceSize is the size of a challenge's random nonce.
const NonceSize = 32

// Errors of challenge-response authentication.
var (
	ErrUnknownChallenge  = errors.New("did: unknown challenge")
	ErrChallengeExpired  = errors.New("did: challenge expired")
	ErrChallengeUsed     = errors.New("did: challenge already answered")
	ErrWrongVerifier     = errors.New("did: challenge answered for another verifier")
	ErrClockSkew         = errors.New("did: response time outside the allowed clock skew")
	ErrBadSignature      = errors.New("did: signature does not verify")
	ErrTooManyChallenges = errors.New("did: too many outstanding challenges")
	// ErrMalformedResponse is returned for a Response that is malformed:
	// its JSON (see Response.UnmarshalJSON), its nonce, DIDs or time.
	ErrMalformedResponse = errors.New("did: malformed challenge response")
	// ErrMalformedChallenge is returned for Challenge JSON that is not in
	// the one form Challenge.UnmarshalJSON reads.
	ErrMalformedChallenge = errors.New("did: malformed challenge")
)

// maxAuthMessageSize bounds the JSON of a Challenge or Response: two DIDs of
// at most MaxDIDLength and the largest signature (ML-DSA-87, 4627 bytes) in
// base64 fit with room to spare.
const maxAuthMessageSize = 32 << 10

// Challenge is what a verifier sends a device: a fresh random nonce, the
// verifier's own DID, and the time after which no answer is accepted.
type Challenge struct {
	Nonce    []byte    `json:"nonce"`
	Verifier string    `json:"verifier"`
	Expires  time.Time `json:"expires"`
}

// Response is a device's answer to a Challenge: the nonce and verifier it
// answers, the device's DID (or the DID URL of its key), the device's
// clock at signing (millisecond precision), and the signature.
type Response struct {
	Nonce     []byte    `json:"nonce"`
	Verifier  string    `json:"verifier"`
	Device    string    `json:"device"`
	Time      time.Time `json:"time"`
	Signature []byte    `json:"signature"`
}

// challengeJSON and responseJSON are the one spelling of a Challenge and a
// Response: the member names of their json tags, bytes in padded standard
// base64 (as encoding/json writes []byte), times in RFC 3339 UTC.
type challengeJSON struct {
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	Expires  string `json:"expires"`
}

type responseJSON struct {
	Nonce     string `json:"nonce"`
	Verifier  string `json:"verifier"`
	Device    string `json:"device"`
	Time      string `json:"time"`
	Signature string `json:"signature"`
}

// MarshalJSON writes c in the one form UnmarshalJSON reads: the nonce in
// padded standard base64, the expiry in RFC 3339 UTC. An expiry outside
// 1970..9999 UTC fails with ErrMalformedChallenge and ErrTimeRange.
func (c Challenge) MarshalJSON() ([]byte, error) {
	if err := checkTime(c.Expires); err != nil {
		return nil, fmt.Errorf("%w: expires: %w", ErrMalformedChallenge, err)
	}
	return json.Marshal(challengeJSON{Nonce: base64.StdEncoding.EncodeToString(c.Nonce), Verifier: c.Verifier,
		Expires: c.Expires.UTC().Format(time.RFC3339Nano)})
}

// MarshalJSON writes r in the one form UnmarshalJSON reads. A time outside
// 1970..9999 UTC fails with ErrMalformedResponse and ErrTimeRange.
func (r Response) MarshalJSON() ([]byte, error) {
	if err := checkTime(r.Time); err != nil {
		return nil, fmt.Errorf("%w: time: %w", ErrMalformedResponse, err)
	}
	return json.Marshal(responseJSON{Nonce: base64.StdEncoding.EncodeToString(r.Nonce), Verifier: r.Verifier,
		Device: r.Device, Time: r.Time.UTC().Format(time.RFC3339Nano), Signature: base64.StdEncoding.EncodeToString(r.Signature)})
}

// UnmarshalJSON reads the JSON that MarshalJSON writes for a Challenge,
// strictly, through canon.Decode: exact member names, no unknown or
// duplicate members, one value; the nonce in padded standard base64 without
// line breaks, the expiry as RFC 3339 in UTC as time.Time writes it and
// within 1970..9999 (ErrTimeRange), the verifier a DID URL. Errors wrap
// ErrMalformedChallenge.
func (c *Challenge) UnmarshalJSON(raw []byte) error {
	var w challengeJSON
	if err := (canon.Limits{MaxBytes: maxAuthMessageSize, MaxDepth: 2}).Decode(raw, &w); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedChallenge, err)
	}
	nonce, err := decodeStdB64(w.Nonce)
	if err != nil {
		return fmt.Errorf("%w: nonce: %w", ErrMalformedChallenge, err)
	}
	if len(nonce) != NonceSize {
		return fmt.Errorf("%w: nonce of %d bytes, want %d", ErrMalformedChallenge, len(nonce), NonceSize)
	}
	if _, _, err := SplitURL(w.Verifier); err != nil {
		return fmt.Errorf("%w: verifier: %w", ErrMalformedChallenge, inner(err))
	}
	expires, err := parseUTC(w.Expires)
	if err == nil {
		err = checkTime(expires)
	}
	if err != nil {
		return fmt.Errorf("%w: expires: %w", ErrMalformedChallenge, err)
	}
	*c = Challenge{Nonce: nonce, Verifier: w.Verifier, Expires: expires}
	return nil
}

// UnmarshalJSON reads the JSON that MarshalJSON writes for a Response,
// strictly, through canon.Decode: exact member names, no unknown or
// duplicate members, one value; nonce and signature in padded standard
// base64 without line breaks, the time as RFC 3339 in UTC with at most
// millisecond precision (what Answer signs) and within 1970..9999
// (ErrTimeRange), the DIDs as DID URLs. Errors wrap ErrMalformedResponse.
func (r *Response) UnmarshalJSON(raw []byte) error {
	var w responseJSON
	if err := (canon.Limits{MaxBytes: maxAuthMessageSize, MaxDepth: 2}).Decode(raw, &w); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedResponse, err)
	}
	nonce, err := decodeStdB64(w.Nonce)
	if err != nil {
		return fmt.Errorf("%w: nonce: %w", ErrMalformedResponse, err)
	}
	sig, err := decodeStdB64(w.Signature)
	if err != nil {
		return fmt.Errorf("%w: signature: %w", ErrMalformedResponse, err)
	}
	at, err := parseUTC(w.Time)
	if err != nil {
		return fmt.Errorf("%w: time: %w", ErrMalformedResponse, err)
	}
	if !at.Equal(at.Truncate(time.Millisecond)) {
		return fmt.Errorf("%w: time %s finer than the signed milliseconds", ErrMalformedResponse, w.Time)
	}
	v := Response{Nonce: nonce, Verifier: w.Verifier, Device: w.Device, Time: at, Signature: sig}
	if _, err := v.canonicalBody(); err != nil {
		return err
	}
	*r = v
	return nil
}

// decodeStdB64 decodes padded standard base64 (as encoding/json writes
// []byte) in its one spelling: no line breaks, which encoding/base64 would
// skip, and zero padding bits.
func decodeStdB64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("line break in base64")
	}
	return base64.StdEncoding.Strict().DecodeString(s)
}

// parseUTC parses a time in the one form time.Time's MarshalJSON writes for
// a UTC time: RFC 3339 with "Z" and no trailing zeros in the fraction.
func parseUTC(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	if t.Format(time.RFC3339Nano) != s || t.Location() != time.UTC {
		return time.Time{}, fmt.Errorf("%q is not RFC 3339 UTC in its shortest form", truncate(s))
	}
	return t, nil
}

// Answer signs the response of the device with DID device and key k to c at
// time at. A time outside 1970..9999 UTC fails with ErrMalformedResponse
// and ErrTimeRange.
func Answer(k PrivateKey, device string, c Challenge, at time.Time) (Response, error) {
	r := Response{Nonce: c.Nonce, Verifier: c.Verifier, Device: device, Time: at.UTC().Truncate(time.Millisecond)}
	body, err := r.canonicalBody()
	if err != nil {
		return Response{}, err
	}
	msg, err := canon.SigningMessage(AuthTag, body)
	if err != nil {
		return Response{}, err
	}
	if r.Signature, err = k.Sign(msg); err != nil {
		return Response{}, err
	}
	return r, nil
}

// canonicalBody returns the canonical JSON whose SigningMessage under
// AuthTag the device signs: {"challenge","device","time","verifier"} with
// the nonce in base64url and the time in Unix milliseconds, per RFC 8785.
//
// It is written directly rather than through canon.JSON (which the tests
// check it against) because it sits on the verifier's hot path: every
// value is a base64url string, an integer, or a DID URL, which SplitURL
// restricts to characters JSON does not escape.
func (r *Response) canonicalBody() ([]byte, error) {
	if len(r.Nonce) != NonceSize {
		return nil, fmt.Errorf("%w: nonce of %d bytes, want %d", ErrMalformedResponse, len(r.Nonce), NonceSize)
	}
	for _, d := range []string{r.Device, r.Verifier} {
		if _, _, err := SplitURL(d); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformedResponse, inner(err))
		}
	}
	// Checked before UnixMilli, which wraps for times ±292 million years
	// out; within the range the milliseconds are exact and JSON-safe.
	if err := checkTime(r.Time); err != nil {
		return nil, fmt.Errorf("%w: time: %w", ErrMalformedResponse, err)
	}
	ms := r.Time.UnixMilli()
	b := make([]byte, 0, 64+base64.RawURLEncoding.EncodedLen(NonceSize)+len(r.Device)+len(r.Verifier))
	b = append(b, `{"challenge":"`...)
	b = base64.RawURLEncoding.AppendEncode(b, r.Nonce)
	b = append(b, `","device":"`...)
	b = append(b, r.Device...)
	b = append(b, `","time":`...)
	b = strconv.AppendInt(b, ms, 10)
	b = append(b, `,"verifier":"`...)
	b = append(b, r.Verifier...)
	return append(b, `"}`...), nil
}

// AuthConfig configures an Authenticator.
type AuthConfig struct {
	// Verifier is the verifier's own DID; answers must name it.
	Verifier string
	// TTL is how long a challenge may be answered (default 1 minute).
	TTL time.Duration
	// MaxClockSkew is how far a device's clock may be from the verifier's
	// (default 5 minutes: devices without a real-time clock drift): an
	// answer may be dated up to MaxClockSkew after the verifier's now and
	// up to MaxClockSkew before the challenge's issue.
	MaxClockSkew time.Duration
	// Keys resolves device keys (default: NewKeyCache(4096, nil, 0), the
	// did:key and did:jwk keys of up to 4096 devices). A gateway with a
	// Registry passes NewKeyCache(n, KeyResolvers{registry,
	// SelfCertifying{}}, ttl). A rotation, revocation or decommissioning
	// then refuses every answer from TTL + ttl after the later of its date
	// and its appending on: answers to challenges issued from then on are
	// checked with the key at their issue time or later, and a challenge
	// issued before it is open for at most TTL (an answer dated before the
	// change may pass until then). With ttl 0 the challenges issued after
	// the change are refused at once.
	Keys KeyResolver
	// MaxPending bounds the challenges remembered at once (default 65536).
	MaxPending int
	// Now is the verifier's clock (default time.Now).
	Now func() time.Time
	// Rand is the nonce source (default crypto/rand).
	Rand io.Reader
}

// Authenticator is the verifier side of challenge-response
// authentication. It remembers each challenge it issued until the
// challenge has expired, so an answer is accepted once, within its
// lifetime, and only for a challenge this Authenticator issued. It is safe
// for concurrent use.
type Authenticator struct {
	cfg     AuthConfig
	hasher  *canon.TaggedHasher // AuthTag, BLAKE3: canon.SigningMessage without its allocations
	mu      sync.Mutex
	pending map[[NonceSize]byte]*pendingChallenge
}

type pendingChallenge struct {
	issued, expires time.Time
	used            bool
}

// NewAuthenticator returns an Authenticator for cfg.
func NewAuthenticator(cfg AuthConfig) (*Authenticator, error) {
	if _, _, err := SplitURL(cfg.Verifier); err != nil {
		return nil, fmt.Errorf("did: authenticator's own DID: %w", inner(err))
	}
	if cfg.TTL <= 0 {
		cfg.TTL = time.Minute
	}
	if cfg.MaxClockSkew <= 0 {
		cfg.MaxClockSkew = 5 * time.Minute
	}
	if cfg.Keys == nil {
		cfg.Keys = NewKeyCache(4096, nil, 0)
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = 1 << 16
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = cryptorand.Reader
	}
	h, err := canon.NewTaggedHasher(canon.BLAKE3, AuthTag)
	if err != nil {
		return nil, err
	}
	return &Authenticator{cfg: cfg, hasher: h, pending: make(map[[NonceSize]byte]*pendingChallenge)}, nil
}

// NewChallenge issues a fresh challenge. It fails with ErrTimeRange when
// the verifier's clock, or the expiry, is outside 1970..9999 UTC.
func (a *Authenticator) NewChallenge() (Challenge, error) {
	var nonce [NonceSize]byte
	if _, err := io.ReadFull(a.cfg.Rand, nonce[:]); err != nil {
		return Challenge{}, fmt.Errorf("did: challenge nonce: %w", err)
	}
	now := a.cfg.Now()
	c := Challenge{Nonce: nonce[:], Verifier: a.cfg.Verifier, Expires: now.Add(a.cfg.TTL).UTC()}
	for _, t := range []time.Time{now, c.Expires} {
		if err := checkTime(t); err != nil {
			return Challenge{}, fmt.Errorf("did: challenge: %w", err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.pending) >= a.cfg.MaxPending {
		a.prune(now)
		if len(a.pending) >= a.cfg.MaxPending {
			return Challenge{}, fmt.Errorf("%w: %d", ErrTooManyChallenges, len(a.pending))
		}
	}
	a.pending[nonce] = &pendingChallenge{issued: now, expires: c.Expires}
	return c, nil
}

// prune forgets challenges that expired more than a TTL ago; until then an
// answer to them is reported as expired (or used) rather than unknown.
func (a *Authenticator) prune(now time.Time) {
	for n, p := range a.pending {
		if now.After(p.expires.Add(a.cfg.TTL)) {
			delete(a.pending, n)
		}
	}
}

// Verify checks r: a challenge this Authenticator issued, for this
// verifier, not expired, not answered before, and signed by the device's
// key. The device's time may differ from the verifier's clock by
// MaxClockSkew either way — no later than MaxClockSkew after the verifier's
// now, no earlier than MaxClockSkew before the challenge was issued
// (ErrClockSkew) — and the key is the one the device's DID has at the
// later of the device's time and the challenge's issue time: no answer can
// have been signed before its challenge existed, so a key rotated out or
// revoked from a date before the challenge was issued is refused, however
// the answer is dated. On success the challenge is spent and Verify returns
// the device's DID as answered. A response with a bad signature does not
// spend the challenge.
func (a *Authenticator) Verify(ctx context.Context, r Response) (string, error) {
	if r.Verifier != a.cfg.Verifier {
		return "", fmt.Errorf("%w: %q", ErrWrongVerifier, truncate(r.Verifier))
	}
	body, err := r.canonicalBody()
	if err != nil {
		return "", err
	}
	sum := a.hasher.Sum(body)
	msg := sum.Sum[:]
	now := a.cfg.Now()
	issued, err := a.check(r.Nonce, now, false)
	if err != nil {
		return "", err
	}
	if r.Time.Sub(now) > a.cfg.MaxClockSkew || issued.Sub(r.Time) > a.cfg.MaxClockSkew {
		return "", fmt.Errorf("%w: device time %s, challenge issued %s, verifier time %s", ErrClockSkew,
			r.Time.UTC().Format(time.RFC3339Nano), issued.UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano))
	}
	// A device whose clock is behind dates its answer before the challenge
	// was issued; the key must still be valid at the issue time, or a key
	// revoked just before could answer a later challenge dated back.
	at := r.Time
	if at.Before(issued) {
		at = issued
	}
	k, err := a.cfg.Keys.KeyAt(ctx, r.Device, at)
	if err != nil {
		return "", err
	}
	if !k.Verify(msg, r.Signature) {
		return "", fmt.Errorf("%w: answer of %s", ErrBadSignature, truncate(r.Device))
	}
	if _, err := a.check(r.Nonce, now, true); err != nil {
		return "", err
	}
	return r.Device, nil
}

// NonceStore spends single-use challenge nonces. It is the one nonce store
// of iotrust: *Authenticator implements it, so the challenges a gateway
// issues serve did's challenge-response (Authenticator.Verify) and vc's
// presentations (whose signed "nonce" carries the challenge's nonce)
// alike, and a nonce spent by one is spent for the other.
type NonceStore interface {
	// Consume spends nonce. It fails with ErrUnknownChallenge for a nonce
	// never issued, ErrChallengeExpired past its lifetime and
	// ErrChallengeUsed for one already spent.
	Consume(ctx context.Context, nonce []byte) error
}

// Consume spends the challenge with nonce without checking a signature: for
// protocols that carry the nonce inside their own signed object (a
// verifiable presentation's "nonce"), which the caller has verified. It
// fails like Verify for an unknown, expired or already spent challenge.
func (a *Authenticator) Consume(ctx context.Context, nonce []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := a.check(nonce, a.cfg.Now(), true)
	return err
}

// check finds the pending challenge with nonce, spends it if spend, and
// returns when it was issued.
func (a *Authenticator) check(nonce []byte, now time.Time, spend bool) (time.Time, error) {
	if len(nonce) != NonceSize {
		return time.Time{}, fmt.Errorf("%w: nonce of %d bytes", ErrUnknownChallenge, len(nonce))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	p, ok := a.pending[[NonceSize]byte(nonce)]
	switch {
	case !ok:
		return time.Time{}, ErrUnknownChallenge
	case p.used:
		return time.Time{}, ErrChallengeUsed
	case now.After(p.expires):
		return time.Time{}, fmt.Errorf("%w: at %s", ErrChallengeExpired, p.expires.UTC().Format(time.RFC3339Nano))
	}
	if spend {
		p.used = true
	}
	return p.issued, nil
}
