package did

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// checkBytes fails unless c's byte count is the sum of its entries'
// footprints and within its bound.
func checkBytes(t *testing.T, c *KeyCache) {
	t.Helper()
	c.mu.RLock()
	defer c.mu.RUnlock()
	var sum int64
	for d, e := range c.keys {
		if e.size != keyFootprint(d, e.key) {
			t.Fatalf("entry %s counts %d bytes, footprint %d", d, e.size, keyFootprint(d, e.key))
		}
		sum += e.size
	}
	if sum != c.bytes {
		t.Fatalf("cache counts %d bytes, its entries hold %d", c.bytes, sum)
	}
	if c.bytes > c.maxBytes {
		t.Fatalf("cache holds %d bytes, limit %d", c.bytes, c.maxBytes)
	}
}

// A flood of distinct ML-DSA-87 did:jwk DIDs, which anyone can make,
// stays within the byte bound however many DIDs the cache may hold, and
// the Ed25519 devices that come after it are cached again.
func TestKeyCacheByteBound(t *testing.T) {
	ctx := context.Background()
	const limit = 1 << 20
	c := NewKeyCacheLimits(4096, limit, nil, 0)
	for range 40 { // ~2.8 MB of keys unbounded
		k, err := MLDSA87.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		d, err := New(k.Public())
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.KeyAt(ctx, d, time.Time{})
		if err != nil || !got.Equal(k.Public()) {
			t.Fatalf("KeyAt: %v", err)
		}
		if c.keys[d] == nil {
			t.Fatal("an ML-DSA-87 key that fits was not kept")
		}
		checkBytes(t, c)
	}
	if n := len(c.keys); n == 0 || int64(n) > limit/keyFootprint("", c.anyKey()) {
		t.Fatalf("%d ML-DSA-87 keys in a cache of %d bytes", n, limit)
	}
	for range 100 {
		k, _ := Ed25519.GenerateKey(nil)
		d, _ := New(k.Public())
		if _, err := c.KeyAt(ctx, d, time.Time{}); err != nil {
			t.Fatal(err)
		}
		// Asked again, the same DID replaces its own entry.
		if _, err := c.KeyAt(ctx, d, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if c.keys[d] == nil {
			t.Fatal("Ed25519 key not kept")
		}
		checkBytes(t, c)
	}
}

// anyKey returns one key the cache holds.
func (c *KeyCache) anyKey() PublicKey {
	for _, e := range c.keys {
		return e.key
	}
	return nil
}

// A key larger than the whole byte bound is answered and not kept, and
// nothing is evicted for it.
func TestKeyCacheKeyOverByteBound(t *testing.T) {
	ctx := context.Background()
	c := NewKeyCacheLimits(10, 4096, nil, 0)
	small, _ := Ed25519.GenerateKey(nil)
	sd, _ := New(small.Public())
	if _, err := c.KeyAt(ctx, sd, time.Time{}); err != nil {
		t.Fatal(err)
	}
	big, _ := MLDSA44.GenerateKey(nil)
	bd, _ := New(big.Public())
	got, err := c.KeyAt(ctx, bd, time.Time{})
	if err != nil || !got.Equal(big.Public()) {
		t.Fatalf("KeyAt: %v", err)
	}
	if c.keys[bd] != nil || c.keys[sd] == nil {
		t.Fatal("the oversized key was kept, or the small one evicted for it")
	}
	checkBytes(t, c)
}

func TestNewKeyCacheDefaultByteBound(t *testing.T) {
	if c := NewKeyCache(4096, nil, 0); c.maxBytes != DefaultKeyCacheBytes {
		t.Fatalf("NewKeyCache bounds %d bytes, want DefaultKeyCacheBytes", c.maxBytes)
	}
	if c := NewKeyCacheLimits(1, 0, nil, 0); c.maxBytes != 1 || c.max != 1 {
		t.Fatalf("limits %d DIDs, %d bytes; want at least 1 each", c.max, c.maxBytes)
	}
}

// keyFootprint counts the heap a decoded key holds (at least 97 % of it:
// the allocator's size classes are modelled, not read), and not far more,
// for every scheme a DID can name.
func TestKeyFootprintCoversHeap(t *testing.T) {
	for _, s := range []SchemeID{Ed25519, P256, MLDSA44, MLDSA65, MLDSA87} {
		t.Run(s.Name(), func(t *testing.T) {
			n := 4096 // enough for the heap to show a small key
			if s >= MLDSA44 {
				n = 64
			}
			dids := make([]string, n)
			for i := range dids {
				k, err := s.GenerateKey(nil)
				if err != nil {
					t.Fatal(err)
				}
				if dids[i], err = New(k.Public()); err != nil {
					t.Fatal(err)
				}
			}
			keys := make([]PublicKey, n)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for i, d := range dids {
				k, err := ResolveKey(d)
				if err != nil {
					t.Fatal(err)
				}
				keys[i] = k
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			heap := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / float64(n)
			const entry = 256 // counted for the map entry, not part of the key
			counted := float64(keyFootprint(dids[0], keys[0]) - entry - int64(len(dids[0])))
			t.Logf("%s: %.0f bytes of heap per key, %.0f counted", s.Name(), heap, counted)
			if counted < 0.97*heap || counted > 2*heap+512 {
				t.Fatalf("%s: footprint counts %.0f bytes, a key holds %.0f", s.Name(), counted, heap)
			}
			runtime.KeepAlive(keys)
		})
	}
}
