package did

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counting counts the questions that reach a resolver of this package.
type counting struct {
	next windowedResolver
	n    atomic.Int64
}

func (c *counting) KeyAt(ctx context.Context, did string, at time.Time) (PublicKey, error) {
	k, _, err := c.keyWindow(ctx, did, at)
	return k, err
}

func (c *counting) keyWindow(ctx context.Context, did string, at time.Time) (PublicKey, keyWindow, error) {
	c.n.Add(1)
	return c.next.keyWindow(ctx, did, at)
}

// foreign is a resolver from another package: it says nothing about how
// long its answers hold.
type foreign struct{ n atomic.Int64 }

func (f *foreign) KeyAt(_ context.Context, did string, _ time.Time) (PublicKey, error) {
	f.n.Add(1)
	return ResolveKey(did)
}

func newCacheClock(c *KeyCache) *fakeClock {
	clock := &fakeClock{t: t0.Add(24 * time.Hour)}
	c.now = clock.Now
	return clock
}

func TestKeyCacheBoundAndFailures(t *testing.T) {
	ctx := context.Background()
	c := NewKeyCache(3, nil, 0)
	for range 10 {
		k, _ := MLDSA44.GenerateKey(nil)
		d, _ := New(k.Public())
		got, err := c.KeyAt(ctx, d, time.Time{})
		if err != nil || !got.Equal(k.Public()) {
			t.Fatalf("KeyAt: %v", err)
		}
		again, _ := c.KeyAt(ctx, d, time.Time{})
		if !again.Equal(k.Public()) {
			t.Fatal("cached key differs")
		}
		if len(c.keys) > 3 {
			t.Fatalf("cache holds %d keys, limit 3", len(c.keys))
		}
	}
	if _, err := c.KeyAt(ctx, "did:key:z0", time.Time{}); !errors.Is(err, ErrInvalidDID) {
		t.Fatalf("bad DID: %v", err)
	}
	if _, ok := c.keys["did:key:z0"]; ok {
		t.Fatal("failure cached")
	}
}

// Self-certifying keys are kept however much time passes; the resolver
// behind the cache is asked once.
func TestKeyCacheKeepsSelfCertifyingKeys(t *testing.T) {
	ctx := context.Background()
	next := &counting{next: SelfCertifying{}}
	c := NewKeyCache(8, next, 0)
	clock := newCacheClock(c)
	dev := newParty(t, Ed25519, 7)
	for i := range 5 {
		if k, err := c.KeyAt(ctx, dev.did, t0.Add(time.Duration(i)*time.Hour)); err != nil || !k.Equal(dev.key.Public()) {
			t.Fatalf("KeyAt: %v", err)
		}
		clock.Advance(365 * 24 * time.Hour)
	}
	if n := next.n.Load(); n != 1 {
		t.Fatalf("resolver asked %d times, want 1", n)
	}
}

// Answers of a registry are kept for at most the TTL: a revocation reaches
// a verifier behind the cache within it, and at once with a TTL of zero.
func TestKeyCacheRevocationWithinTTL(t *testing.T) {
	ctx := context.Background()
	reg := openTestRegistry(t, filepath.Join(t.TempDir(), "registry.log"))
	defer reg.Close()
	org := newParty(t, Ed25519, 1)
	dev := newParty(t, Ed25519, 2)
	enroll(t, reg, org, dev, t0)
	const ttl = 30 * time.Second
	cached := NewKeyCache(16, reg, ttl)
	clock := newCacheClock(cached)
	uncached := NewKeyCache(16, reg, 0)
	at := t0.Add(2 * time.Hour)
	for _, c := range []*KeyCache{cached, uncached} {
		if k, err := c.KeyAt(ctx, dev.did, at); err != nil || !k.Equal(dev.key.Public()) {
			t.Fatalf("before revocation: %v", err)
		}
	}
	if _, err := reg.Revoke(ctx, org.key, dev.did, dev.key.Public(), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := uncached.KeyAt(ctx, dev.did, at); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("TTL 0: %v, want ErrKeyRevoked at once", err)
	}
	clock.Advance(ttl - time.Millisecond)
	if _, err := cached.KeyAt(ctx, dev.did, at); err != nil {
		t.Fatalf("within the TTL the cached answer stands (documented): %v", err)
	}
	clock.Advance(time.Millisecond)
	if _, err := cached.KeyAt(ctx, dev.did, at); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("after the TTL: %v, want ErrKeyRevoked", err)
	}
}

// A cached registry answer covers only the signing times its key was valid
// for: after a rotation, a question about a time outside the window goes
// to the registry even within the TTL.
func TestKeyCacheWindowAfterRotation(t *testing.T) {
	ctx := context.Background()
	reg := openTestRegistry(t, filepath.Join(t.TempDir(), "registry.log"))
	defer reg.Close()
	org := newParty(t, Ed25519, 1)
	dev := newParty(t, Ed25519, 2)
	next := newParty(t, P256, 3)
	enroll(t, reg, org, dev, t0)
	rotated := t0.Add(time.Hour)
	if _, err := reg.Rotate(ctx, org.key, dev.did, next.key.Public(), rotated); err != nil {
		t.Fatal(err)
	}
	counted := &counting{next: reg}
	c := NewKeyCache(16, counted, time.Minute)
	newCacheClock(c)
	for _, q := range []struct {
		at   time.Time
		want PublicKey
	}{
		{t0.Add(time.Minute), dev.key.Public()},
		{rotated.Add(-time.Millisecond), dev.key.Public()}, // same window: cached
		{rotated, next.key.Public()},                       // outside it: asked
		{rotated.Add(time.Hour), next.key.Public()},        // cached
	} {
		if k, err := c.KeyAt(ctx, dev.did, q.at); err != nil || !k.Equal(q.want) {
			t.Fatalf("at %s: %v", q.at, err)
		}
	}
	if n := counted.n.Load(); n != 2 {
		t.Fatalf("registry asked %d times, want 2", n)
	}
	if _, err := c.KeyAt(ctx, dev.did, t0.Add(-time.Second)); !errors.Is(err, ErrNoKeyAtTime) {
		t.Fatalf("before registration: %v", err)
	}
}

// A did:key answered by SelfCertifying behind a registry is not kept
// forever: the registry may take the DID over (register, then revoke), and
// that must reach the verifier within the TTL.
func TestKeyCacheSelfCertifyingBehindRegistryExpires(t *testing.T) {
	ctx := context.Background()
	reg := openTestRegistry(t, filepath.Join(t.TempDir(), "registry.log"))
	defer reg.Close()
	org := newParty(t, Ed25519, 1)
	dev := newParty(t, Ed25519, 2)
	const ttl = 10 * time.Second
	c := NewKeyCache(16, KeyResolvers{reg, SelfCertifying{}}, ttl)
	clock := newCacheClock(c)
	at := t0.Add(2 * time.Hour)
	if k, err := c.KeyAt(ctx, dev.did, at); err != nil || !k.Equal(dev.key.Public()) {
		t.Fatalf("unregistered did:key: %v", err)
	}
	if e := c.keys[dev.did]; e == nil || e.win.fixed {
		t.Fatal("an answer a registry may override is kept as fixed")
	}
	enroll(t, reg, org, dev, t0)
	if _, err := reg.Revoke(ctx, org.key, dev.did, dev.key.Public(), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(ttl)
	if _, err := c.KeyAt(ctx, dev.did, at); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("after the TTL: %v, want ErrKeyRevoked", err)
	}
	// With SelfCertifying asked first, did:key answers are fixed.
	first := NewKeyCache(16, KeyResolvers{SelfCertifying{}, reg}, ttl)
	other := newParty(t, Ed25519, 9)
	if _, err := first.KeyAt(ctx, other.did, at); err != nil || !first.keys[other.did].win.fixed {
		t.Fatalf("self-certifying first: %v", err)
	}
}

// Answers of resolvers from elsewhere are never cached.
func TestKeyCacheDoesNotCacheForeignResolvers(t *testing.T) {
	ctx := context.Background()
	f := &foreign{}
	c := NewKeyCache(16, f, time.Hour)
	dev := newParty(t, Ed25519, 2)
	for range 3 {
		if _, err := c.KeyAt(ctx, dev.did, t0); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.n.Load(); n != 3 {
		t.Fatalf("foreign resolver asked %d times, want 3", n)
	}
}

// A cache behind a cache keeps an answer no longer than the inner one may.
func TestKeyCacheNestedKeepsInnerExpiry(t *testing.T) {
	ctx := context.Background()
	reg := openTestRegistry(t, filepath.Join(t.TempDir(), "registry.log"))
	defer reg.Close()
	org := newParty(t, Ed25519, 1)
	dev := newParty(t, Ed25519, 2)
	enroll(t, reg, org, dev, t0)
	inner := NewKeyCache(16, reg, 10*time.Second)
	clock := newCacheClock(inner)
	outer := NewKeyCache(16, inner, time.Hour)
	outer.now = clock.Now
	at := t0.Add(2 * time.Hour)
	if _, err := inner.KeyAt(ctx, dev.did, at); err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Second)
	if _, err := outer.KeyAt(ctx, dev.did, at); err != nil {
		t.Fatal(err)
	}
	if exp := outer.keys[dev.did].win.expires; !exp.Equal(clock.Now().Add(5 * time.Second)) {
		t.Fatalf("outer keeps the answer until %s, inner only until %s", exp, clock.Now().Add(5*time.Second))
	}
}

// Many goroutines on a small cache: every answer right, the bound held
// (run with -race to check the locking).
func TestKeyCacheConcurrent(t *testing.T) {
	ctx := context.Background()
	c := NewKeyCache(4, nil, 0)
	var parties []party
	for i := range 16 {
		parties = append(parties, newParty(t, Ed25519, byte(10+i)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				p := parties[(g*7+i)%len(parties)]
				k, err := c.KeyAt(ctx, p.did, t0)
				if err != nil || !k.Equal(p.key.Public()) {
					errs <- fmt.Errorf("%s: %v", p.did, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(c.keys) > 4 {
		t.Fatalf("cache holds %d keys, limit 4", len(c.keys))
	}
}

func TestKeyResolversPrefersRegistry(t *testing.T) {
	ctx := context.Background()
	reg, err := OpenRegistry(ctx, filepath.Join(t.TempDir(), "r.log"), RegistryOptions{Now: func() time.Time { return t0.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	org := newParty(t, Ed25519, 1)
	dev := newParty(t, Ed25519, 2)
	loose := newParty(t, P256, 3)
	next := newParty(t, Ed25519, 4)
	enroll(t, reg, org, dev, t0)
	if _, err := reg.Rotate(ctx, org.key, dev.did, next.key.Public(), t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	rs := KeyResolvers{reg, SelfCertifying{}}
	// the registered device follows its log, not its did:key
	if k, err := rs.KeyAt(ctx, dev.did, t0.Add(time.Hour)); err != nil || !k.Equal(next.key.Public()) {
		t.Fatalf("registered device: %v", err)
	}
	// an unregistered did:key device falls through to its own key
	if k, err := rs.KeyAt(ctx, loose.did, t0); err != nil || !k.Equal(loose.key.Public()) {
		t.Fatalf("unregistered device: %v", err)
	}
	// a revoked registered key does not fall through
	if _, err := reg.Revoke(ctx, org.key, dev.did, next.key.Public(), t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.KeyAt(ctx, dev.did, t0.Add(time.Hour)); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("revoked device: %v", err)
	}
	if _, err := rs.KeyAt(ctx, "did:web:x", t0); !errors.Is(err, ErrUnsupportedMethod) {
		t.Fatalf("unknown method: %v", err)
	}
}
