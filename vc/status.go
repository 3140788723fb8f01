package vc

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Bitstring Status List (W3C, 2024) names and limits.
const (
	TypeStatusListEntry      = "BitstringStatusListEntry"
	TypeStatusList           = "BitstringStatusList"
	TypeStatusListCredential = "BitstringStatusListCredential"
	StatusPurposeRevocation  = "revocation"

	// MinStatusListBits is the smallest list the specification allows
	// (16 KiB), which gives group privacy to the holders in it.
	MinStatusListBits = 131072
	// MaxStatusListBits bounds a decoded list (16 MiB of bits), so a small
	// compressed bomb cannot exhaust memory.
	MaxStatusListBits = 1 << 27
	// MaxEncodedStatusList bounds the encodedList text before decoding.
	MaxEncodedStatusList = 4 << 20
)

// StatusEntry is a credential's credentialStatus: index Index in the status
// list credential at ListCredential.
type StatusEntry struct {
	ListCredential string
	Index          int
}

func (e *StatusEntry) validate() error {
	if e.ListCredential == "" || len(e.ListCredential) > MaxPatternLength || strings.ContainsAny(e.ListCredential, "# \t\n") {
		return fmt.Errorf("%w: status list credential %q", ErrInvalidClaims, trunc(e.ListCredential))
	}
	if e.Index < 0 || e.Index >= MaxStatusListBits {
		return fmt.Errorf("%w: status list index %d", ErrInvalidClaims, e.Index)
	}
	return nil
}

func (e *StatusEntry) json() map[string]any {
	idx := strconv.Itoa(e.Index)
	return map[string]any{
		"id":                   e.ListCredential + "#" + idx,
		"type":                 TypeStatusListEntry,
		"statusPurpose":        StatusPurposeRevocation,
		"statusListIndex":      idx,
		"statusListCredential": e.ListCredential,
	}
}

func statusFromJSON(raw json.RawMessage, ld bool) (*StatusEntry, error) {
	var m statusEntryJSON
	if err := decodeMember(raw, &m, ld, "credentialStatus"); err != nil {
		return nil, err
	}
	if !m.Type.has(TypeStatusListEntry) {
		return nil, fmt.Errorf("%w: credentialStatus type %v is not %s", ErrMalformed, m.Type, TypeStatusListEntry)
	}
	if m.StatusPurpose != StatusPurposeRevocation {
		return nil, fmt.Errorf("%w: statusPurpose %q is not %q", ErrMalformed, trunc(m.StatusPurpose), StatusPurposeRevocation)
	}
	idx, err := strconv.Atoi(m.StatusListIndex)
	if err != nil || m.StatusListIndex != strconv.Itoa(idx) {
		return nil, fmt.Errorf("%w: statusListIndex %q", ErrMalformed, trunc(m.StatusListIndex))
	}
	e := &StatusEntry{ListCredential: m.StatusListCredential, Index: idx}
	if err := e.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return e, nil
}

// StatusList is a Bitstring Status List: bit i set means the credential at
// index i is revoked. Bit 0 is the most significant bit of the first byte,
// as the specification orders them. It is not safe for concurrent writes.
type StatusList struct {
	bits []byte
}

// NewStatusList returns a list of n bits, all clear; n is rounded up to a
// multiple of 8 and must lie in [MinStatusListBits, MaxStatusListBits].
func NewStatusList(n int) (*StatusList, error) {
	if n < MinStatusListBits || n > MaxStatusListBits {
		return nil, fmt.Errorf("%w: status list of %d bits (allowed %d..%d)", ErrInvalidClaims, n, MinStatusListBits, MaxStatusListBits)
	}
	return &StatusList{bits: make([]byte, (n+7)/8)}, nil
}

// Len returns the number of bits.
func (l *StatusList) Len() int { return len(l.bits) * 8 }

// Set sets (revoked) or clears bit i.
func (l *StatusList) Set(i int, revoked bool) error {
	if i < 0 || i >= l.Len() {
		return fmt.Errorf("%w: index %d outside list of %d", ErrInvalidClaims, i, l.Len())
	}
	mask := byte(0x80) >> (i % 8)
	if revoked {
		l.bits[i/8] |= mask
	} else {
		l.bits[i/8] &^= mask
	}
	return nil
}

// Revoked reports bit i.
func (l *StatusList) Revoked(i int) (bool, error) {
	if i < 0 || i >= l.Len() {
		return false, fmt.Errorf("%w: index %d outside list of %d", ErrStatusUnavailable, i, l.Len())
	}
	return l.bits[i/8]&(byte(0x80)>>(i%8)) != 0, nil
}

// Encode returns the encodedList text: multibase base64url (prefix "u") of
// the GZIP-compressed bits.
func (l *StatusList) Encode() string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(l.bits) // writes to a bytes.Buffer cannot fail
	_ = zw.Close()
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// DecodeStatusList parses an encodedList. It bounds the input and the
// decompressed size, so it is safe on untrusted text.
func DecodeStatusList(s string) (*StatusList, error) {
	if len(s) > MaxEncodedStatusList {
		return nil, fmt.Errorf("%w: encodedList of %d bytes", ErrMalformed, len(s))
	}
	body, ok := strings.CutPrefix(s, "u")
	if !ok {
		return nil, fmt.Errorf("%w: encodedList is not multibase base64url", ErrMalformed)
	}
	gz, err := b64url(body)
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList: %w", ErrMalformed, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList: %w", ErrMalformed, err)
	}
	bits, err := io.ReadAll(io.LimitReader(zr, MaxStatusListBits/8+1))
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList: %w", ErrMalformed, err)
	}
	if len(bits)*8 > MaxStatusListBits {
		return nil, fmt.Errorf("%w: encodedList decompresses past %d bits", ErrMalformed, MaxStatusListBits)
	}
	if len(bits)*8 < MinStatusListBits {
		return nil, fmt.Errorf("%w: encodedList has %d bits, minimum %d", ErrMalformed, len(bits)*8, MinStatusListBits)
	}
	return &StatusList{bits: bits}, nil
}

// statusListSubject is the credentialSubject of a status list credential.
func statusListSubject(listURL string, l *StatusList) map[string]any {
	return map[string]any{
		"id":            listURL + "#list",
		"type":          TypeStatusList,
		"statusPurpose": StatusPurposeRevocation,
		"encodedList":   l.Encode(),
	}
}

// StatusCache is an offline cache of verified status list credentials. A
// gateway adds lists when it can reach the issuer (or receives them pushed);
// Check answers from the cache alone and refuses to answer from a list
// issued more than MaxAge ago. Safe for concurrent use.
//
// Freshness comes from the list itself, never from when it arrived: a list
// captured earlier and replayed (by a network, a proxy, a stale mirror)
// neither replaces a newer cached list (Add returns ErrStatusRollback) nor
// looks fresher than its issuer signed it. An issuer whose lists are to be
// accepted must therefore re-issue each list, with a new validFrom, at
// least every MaxAge, even when no bit changed — as the Bitstring Status
// List specification's validity window intends.
type StatusCache struct {
	// MaxAge is the maximum staleness: the time since a list's issuance
	// (the latest of its validFrom, issuanceDate and, in a JWT, nbf)
	// beyond which Check fails with ErrStaleStatus. Zero means one hour.
	MaxAge time.Duration

	mu    sync.RWMutex
	lists map[string]cachedList
}

type cachedList struct {
	issuer string
	list   *StatusList
	issued time.Time
	until  time.Time
}

// Add verifies a status list credential with v and caches it. The
// credential's issuer must be trusted by v; it is bound to the list so that
// one issuer cannot revoke another's credentials. The list must state when
// it was issued (validFrom, issuanceDate or nbf; ErrMalformed if none), and
// it replaces the list cached under the same URL only if it was issued
// later, or at the same time (issuance times are whole seconds) by the same
// issuer with every bit the cached list has still set — revocation is
// permanent, so that list is the later one, and the same list again is a
// harmless refresh. Otherwise Add returns an error wrapping
// ErrStatusRollback and keeps the cached list.
func (c *StatusCache) Add(ctx context.Context, v *Verifier, raw []byte) error {
	sl, err := v.verifyStatusList(ctx, raw)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.lists[sl.url]; ok {
		switch {
		case sl.issued.Before(old.issued):
			return fmt.Errorf("%w: list %q issued %v, the cached one %v", ErrStatusRollback, trunc(sl.url), sl.issued, old.issued)
		case sl.issued.Equal(old.issued) && (sl.issuer != old.issuer || !revokesAll(sl.list, old.list)):
			// Issuance times have a resolution of a second. A revocation
			// is permanent, so of two lists of one time the one that
			// revokes everything the other does is the later; any other
			// pair cannot be ordered, and the cached list stays.
			return fmt.Errorf("%w: list %q issued %v does not revoke all the cached list of the same time does", ErrStatusRollback, trunc(sl.url), sl.issued)
		}
	}
	if c.lists == nil {
		c.lists = map[string]cachedList{}
	}
	c.lists[sl.url] = cachedList{issuer: sl.issuer, list: sl.list, issued: sl.issued, until: sl.validUntil}
	return nil
}

// revokesAll reports whether every bit set in old is set in l too.
func revokesAll(l, old *StatusList) bool {
	if len(l.bits) != len(old.bits) {
		return false
	}
	for i, b := range old.bits {
		if l.bits[i]&b != b {
			return false
		}
	}
	return true
}

// Check answers whether the credential at e, issued by issuer, is revoked
// as of now: nil if not, ErrRevoked if so, ErrStatusUnavailable if the list
// is absent or from another issuer, ErrStaleStatus if it was issued more
// than MaxAge before now or has expired.
func (c *StatusCache) Check(e *StatusEntry, issuer string, now time.Time) error {
	c.mu.RLock()
	cl, ok := c.lists[e.ListCredential]
	c.mu.RUnlock()
	if !ok {
		return fmt.Errorf("%w: no cached list %q", ErrStatusUnavailable, trunc(e.ListCredential))
	}
	if cl.issuer != issuer {
		return fmt.Errorf("%w: list %q is issued by %q, credential by %q", ErrStatusUnavailable, trunc(e.ListCredential), trunc(cl.issuer), trunc(issuer))
	}
	maxAge := c.MaxAge
	if maxAge <= 0 {
		maxAge = time.Hour
	}
	if age := now.Sub(cl.issued); age > maxAge {
		return fmt.Errorf("%w: list %q was issued %v ago, limit %v", ErrStaleStatus, trunc(e.ListCredential), age, maxAge)
	}
	if !cl.until.IsZero() && now.After(cl.until) {
		return fmt.Errorf("%w: list %q expired at %v", ErrStaleStatus, trunc(e.ListCredential), cl.until)
	}
	revoked, err := cl.list.Revoked(e.Index)
	if err != nil {
		return err
	}
	if revoked {
		return fmt.Errorf("%w: %s index %d", ErrRevoked, trunc(e.ListCredential), e.Index)
	}
	return nil
}

// statusListCredential is a verified status list credential.
type statusListCredential struct {
	url        string
	issuer     string
	list       *StatusList
	issued     time.Time // the credential's validFrom: when its issuer vouched for the list
	validUntil time.Time
}

func (v *Verifier) verifyStatusList(ctx context.Context, raw []byte) (sl *statusListCredential, err error) {
	defer recoverInto(&err)
	env, err := v.openCredential(ctx, raw)
	if err != nil {
		return nil, err
	}
	if !env.body.Type.has(TypeStatusListCredential) {
		return nil, fmt.Errorf("%w: type %v is not %s", ErrMalformed, env.body.Type, TypeStatusListCredential)
	}
	if err := v.checkAccepted(ctx, env); err != nil {
		return nil, err
	}
	id, err := env.credentialID()
	if err != nil {
		return nil, err
	}
	var subj statusListSubjectJSON
	if err := decodeMember(env.body.CredentialSubject, &subj, env.ld, "credentialSubject"); err != nil {
		return nil, err
	}
	if id == "" || !subj.Type.has(TypeStatusList) || subj.StatusPurpose != StatusPurposeRevocation {
		return nil, fmt.Errorf("%w: not a revocation status list", ErrMalformed)
	}
	if env.validFrom.IsZero() {
		// Without an issuance time a list can neither be aged nor ordered
		// against another, so a replayed one could not be told apart.
		return nil, fmt.Errorf("%w: status list %q states no issuance time (validFrom, issuanceDate or nbf)", ErrMalformed, trunc(id))
	}
	list, err := DecodeStatusList(subj.EncodedList)
	if err != nil {
		return nil, err
	}
	return &statusListCredential{url: id, issuer: env.issuer, list: list, issued: env.validFrom, validUntil: env.validUntil}, nil
}
