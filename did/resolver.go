package did

import (
	"context"
	"errors"
	"sync"
	"time"
)

// KeyResolver returns the key that may sign for a DID at a time. It is the
// one key-resolution interface of iotrust: did's Authenticator, vc's
// verifier, payment's channels and the batch pipeline all take one. The
// zero-configuration resolver reads the key from a did:key or did:jwk
// itself; a Registry answers from its log, so rotated-out and revoked keys
// stop being accepted.
//
// KeyAt takes a DID or a DID URL naming one of its verification methods.
// It answers ErrNotRegistered or ErrUnsupportedMethod for a DID it knows
// nothing of (KeyResolvers passes those on), and only keys that passed the
// scheme's checks (see Scheme.ParsePublicKey). Implementations are safe for
// concurrent use.
type KeyResolver interface {
	KeyAt(ctx context.Context, did string, at time.Time) (PublicKey, error)
}

// SelfCertifying is the KeyResolver of did:key and did:jwk DIDs, whose key
// is written in the DID and valid at all times.
type SelfCertifying struct{}

// KeyAt returns the key of the DID (or DID URL) did.
func (SelfCertifying) KeyAt(_ context.Context, did string, _ time.Time) (PublicKey, error) {
	return ResolveKey(did)
}

// KeyCache is a SelfCertifying resolver that remembers up to a fixed number
// of keys. Decoding an ML-DSA key costs more than verifying a signature
// with it (circl expands the public matrix), so verifiers that see the same
// devices again should resolve through a cache. It is safe for concurrent
// use.
type KeyCache struct {
	mu   sync.RWMutex
	max  int
	keys map[string]PublicKey
}

// NewKeyCache returns a KeyCache holding at most size keys (at least 1).
func NewKeyCache(size int) *KeyCache {
	return &KeyCache{max: max(size, 1), keys: make(map[string]PublicKey)}
}

// KeyAt returns the key of the did:key or did:jwk DID (or DID URL) did.
func (c *KeyCache) KeyAt(_ context.Context, did string, _ time.Time) (PublicKey, error) {
	c.mu.RLock()
	k, ok := c.keys[did]
	c.mu.RUnlock()
	if ok {
		return k, nil
	}
	k, err := ResolveKey(did)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.keys) >= c.max {
		for evict := range c.keys { // map order is random: random eviction
			delete(c.keys, evict)
			break
		}
	}
	c.keys[did] = k
	c.mu.Unlock()
	return k, nil
}

// KeyResolvers asks each resolver in turn and answers with the first that
// knows the DID; a resolver that answers ErrNotRegistered or
// ErrUnsupportedMethod passes the question on. KeyResolvers{registry,
// NewKeyCache(n)} makes registered identities follow their log and lets
// unregistered did:key devices in.
type KeyResolvers []KeyResolver

// KeyAt returns the first answer for did that is not "unknown here".
func (rs KeyResolvers) KeyAt(ctx context.Context, did string, at time.Time) (PublicKey, error) {
	err := error(ErrNotRegistered)
	for _, r := range rs {
		var k PublicKey
		k, err = r.KeyAt(ctx, did, at)
		if err == nil || !errors.Is(err, ErrNotRegistered) && !errors.Is(err, ErrUnsupportedMethod) {
			return k, err
		}
	}
	return nil, err
}
