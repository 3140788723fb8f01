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
// stop being accepted; a KeyCache in front of either saves the work of
// asking again.
//
// KeyAt takes a DID or a DID URL naming one of its verification methods.
// It answers ErrNotRegistered or ErrUnsupportedMethod for a DID it knows
// nothing of (KeyResolvers passes those on), and only keys that passed the
// scheme's checks (see Scheme.UnmarshalPublicKey: no weak Ed25519 keys).
// Implementations are safe for concurrent use.
type KeyResolver interface {
	KeyAt(ctx context.Context, did string, at time.Time) (PublicKey, error)
}

// keyWindow says how far an answer of a resolver in this package holds, so
// that a KeyCache knows what it may keep and for how long.
type keyWindow struct {
	// cacheable is false for answers of resolvers from elsewhere, which
	// say nothing about how long they hold.
	cacheable bool
	// fixed answers never change: the key written in a did:key or did:jwk,
	// with no resolver that could override it asked first.
	fixed bool
	// from and until bound the signing times the answer is the key for
	// (zero: unbounded), as the source knew it when it answered.
	from, until time.Time
	// expires, when not zero, is when an answer passed on from a KeyCache
	// stops being fresh.
	expires time.Time
}

func (w keyWindow) covers(at time.Time) bool {
	return (w.from.IsZero() || !at.Before(w.from)) && (w.until.IsZero() || at.Before(w.until))
}

// windowedResolver is implemented by this package's resolvers.
type windowedResolver interface {
	keyWindow(ctx context.Context, did string, at time.Time) (PublicKey, keyWindow, error)
}

// resolveWindow asks r, with the window of its answer when r tells it.
func resolveWindow(ctx context.Context, r KeyResolver, did string, at time.Time) (PublicKey, keyWindow, error) {
	if wr, ok := r.(windowedResolver); ok {
		return wr.keyWindow(ctx, did, at)
	}
	k, err := r.KeyAt(ctx, did, at)
	return k, keyWindow{}, err
}

// SelfCertifying is the KeyResolver of did:key and did:jwk DIDs, whose key
// is written in the DID and valid at all times.
type SelfCertifying struct{}

// KeyAt returns the key of the DID (or DID URL) did.
func (SelfCertifying) KeyAt(_ context.Context, did string, _ time.Time) (PublicKey, error) {
	return ResolveKey(did)
}

func (SelfCertifying) keyWindow(_ context.Context, did string, _ time.Time) (PublicKey, keyWindow, error) {
	k, err := ResolveKey(did)
	return k, keyWindow{cacheable: true, fixed: true}, err
}

// KeyCache is a caching KeyResolver in front of another one. Decoding a
// key is work (an ML-DSA key is expanded by circl, an Ed25519 key is
// checked for small order), and so is asking a registry, so verifiers that
// see the same devices again resolve through one. It holds at most a fixed
// number of DIDs, replacing a random one when full, caches no failures,
// and is safe for concurrent use.
//
// What it keeps, and for how long:
//
//   - Keys that cannot change — the key written in a did:key or did:jwk,
//     when the resolver behind the cache is SelfCertifying (or nil), or a
//     KeyResolvers whose first answering resolver is SelfCertifying — are
//     kept until evicted.
//   - Answers of this package's other resolvers (a Registry, or
//     SelfCertifying behind a Registry in a KeyResolvers, since the
//     registry may later take the DID over) are kept for at most the TTL
//     given to NewKeyCache, and only for signing times inside the key's
//     validity as the registry knew it. A rotation, revocation or
//     decommissioning dated D therefore shows in the cache's answers
//     within the TTL of its appending (at once with a TTL of zero) — for
//     signing times from D on. A signature that claims an earlier time
//     still resolves to the old key, as it should if the claim is true;
//     how far back a signer can claim is for the verifier to bound
//     (Authenticator.Verify looks keys up at no earlier than the
//     challenge's issue time, see AuthConfig.Keys).
//   - Answers of resolvers from other packages are not cached: nothing
//     says how long they hold.
//
// Memory is bounded twice: by the number of DIDs and by the bytes their
// entries hold, counted as the DID plus the decoded key. A decoded ML-DSA
// key holds circl's expanded public matrix (k×l polynomials of 256 32-bit
// coefficients, 8×7 for ML-DSA-87), so a cache sized in DIDs for Ed25519
// devices would otherwise grow several hundred times larger when anyone
// who can name a did:jwk offers ML-DSA keys. A key too large for the byte
// bound on its own is returned and not kept.
type KeyCache struct {
	next     KeyResolver
	ttl      time.Duration
	max      int
	maxBytes int64
	now      func() time.Time // wall clock for TTLs; tests replace it

	mu    sync.RWMutex
	keys  map[string]*cachedKey
	bytes int64 // sum of the entries' footprints
}

type cachedKey struct {
	key  PublicKey
	win  keyWindow // fixed, or expires set
	size int64     // footprint, counted in KeyCache.bytes
}

// DefaultKeyCacheBytes is the byte bound of a KeyCache made by
// NewKeyCache: room for any number of Ed25519 or P-256 entries up to the
// DID bound, and for about 900 ML-DSA-87 keys.
const DefaultKeyCacheBytes = 64 << 20

// NewKeyCache returns a KeyCache holding at most size DIDs (at least 1),
// and at most DefaultKeyCacheBytes of entries, in front of next
// (SelfCertifying when nil). ttl bounds how long an answer that can
// change (one from a Registry) is kept; zero or less keeps none.
// NewKeyCache(n, nil, 0) is the cheap default: did:key and did:jwk keys,
// kept until evicted.
func NewKeyCache(size int, next KeyResolver, ttl time.Duration) *KeyCache {
	return NewKeyCacheLimits(size, DefaultKeyCacheBytes, next, ttl)
}

// NewKeyCacheLimits is NewKeyCache with the byte bound given: at most size
// DIDs (at least 1) whose entries hold at most maxBytes together (at
// least 1). A deployment of many ML-DSA devices raises it; each
// ML-DSA-87 key counts about 70 KiB, an Ed25519 key a few hundred bytes.
func NewKeyCacheLimits(size int, maxBytes int64, next KeyResolver, ttl time.Duration) *KeyCache {
	if next == nil {
		next = SelfCertifying{}
	}
	return &KeyCache{next: next, ttl: max(ttl, 0), max: max(size, 1), maxBytes: max(maxBytes, 1),
		now: time.Now, keys: make(map[string]*cachedKey)}
}

// keyFootprint is the memory a cache entry of k under did holds, counted
// from the key's scheme: the map entry and the DID, and the decoded key.
// An ML-DSA key is circl's expanded matrix A (k×l polynomials of 256
// 32-bit coefficients), circl's key struct (the vector t1 of k such
// polynomials, the packed key, rho and tr) and our copy of the encoding,
// each rounded up as Go's allocator rounds it. TestKeyFootprintCoversHeap
// holds the count against the heap decoded keys take.
func keyFootprint(did string, k PublicKey) int64 {
	const entry = 256 // map slot, cachedKey, interface and slice headers
	const poly = 256 * 4
	n := int64(entry + len(did))
	var rows, cols int64
	switch k.Scheme() {
	case MLDSA44:
		rows, cols = 4, 4
	case MLDSA65:
		rows, cols = 6, 5
	case MLDSA87:
		rows, cols = 8, 7
	default:
		return n + 320 + int64(len(k.Bytes())) // Ed25519's 32 bytes, P-256's big.Int point, their headers
	}
	up := func(x, to int64) int64 { return (x + to - 1) / to * to }
	enc := int64(len(k.Bytes()))
	return n + up(rows*cols*poly, 8<<10) + up(rows*poly+enc+128, 1<<10) + up(enc, 256)
}

// KeyAt returns the key of did (a DID or DID URL) at time at, from the
// cache when it holds a fresh answer covering at, from the resolver behind
// it otherwise.
func (c *KeyCache) KeyAt(ctx context.Context, did string, at time.Time) (PublicKey, error) {
	k, _, err := c.keyWindow(ctx, did, at)
	return k, err
}

func (c *KeyCache) keyWindow(ctx context.Context, did string, at time.Time) (PublicKey, keyWindow, error) {
	c.mu.RLock()
	e := c.keys[did]
	c.mu.RUnlock()
	if e != nil && e.win.covers(at) && (e.win.fixed || c.now().Before(e.win.expires)) {
		return e.key, e.win, nil
	}
	k, w, err := resolveWindow(ctx, c.next, did, at)
	if err != nil {
		return nil, keyWindow{}, err
	}
	if !w.cacheable {
		return k, w, nil
	}
	if !w.fixed {
		if c.ttl <= 0 {
			return k, keyWindow{}, nil // an answer that can change, not to be kept
		}
		exp := c.now().Add(c.ttl)
		if !w.expires.IsZero() && w.expires.Before(exp) {
			exp = w.expires
		}
		w.expires = exp
	}
	size := keyFootprint(did, k)
	if size > c.maxBytes {
		return k, w, nil // larger than the whole cache: answered, not kept
	}
	c.mu.Lock()
	if old, ok := c.keys[did]; ok {
		c.bytes -= old.size
		delete(c.keys, did)
	}
	for len(c.keys) > 0 && (len(c.keys) >= c.max || c.bytes+size > c.maxBytes) {
		for evict, e := range c.keys { // map order is random: random eviction
			c.bytes -= e.size
			delete(c.keys, evict)
			break
		}
	}
	c.keys[did] = &cachedKey{key: k, win: w, size: size}
	c.bytes += size
	c.mu.Unlock()
	return k, w, nil
}

// KeyResolvers asks each resolver in turn and answers with the first that
// knows the DID; a resolver that answers ErrNotRegistered or
// ErrUnsupportedMethod passes the question on.
// NewKeyCache(n, KeyResolvers{registry, SelfCertifying{}}, ttl) makes
// registered identities follow their log, lets unregistered did:key
// devices in, and caches both within ttl.
type KeyResolvers []KeyResolver

// KeyAt returns the first answer for did that is not "unknown here".
func (rs KeyResolvers) KeyAt(ctx context.Context, did string, at time.Time) (PublicKey, error) {
	k, _, err := rs.keyWindow(ctx, did, at)
	return k, err
}

func (rs KeyResolvers) keyWindow(ctx context.Context, did string, at time.Time) (PublicKey, keyWindow, error) {
	err := error(ErrNotRegistered)
	mutableBefore := false // an earlier resolver might answer for did later
	for _, r := range rs {
		var k PublicKey
		var w keyWindow
		k, w, err = resolveWindow(ctx, r, did, at)
		if err == nil || !errors.Is(err, ErrNotRegistered) && !errors.Is(err, ErrUnsupportedMethod) {
			w.fixed = w.fixed && !mutableBefore
			return k, w, err
		}
		if _, ok := r.(SelfCertifying); !ok {
			mutableBefore = true
		}
	}
	return nil, keyWindow{}, err
}
