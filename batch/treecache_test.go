package batch

import (
	"bytes"
	"testing"

	"github.com/iotrust/iotrust/merkle"
)

// The tree cache holds batches up to its byte bound, oldest out first, and
// never a batch larger than the whole bound.
func TestTreeCacheBound(t *testing.T) {
	batchOf := func(n, size int) cachedTree {
		leaves := make([][]byte, n)
		for i := range leaves {
			leaves[i] = bytes.Repeat([]byte{byte(i)}, size)
		}
		return cachedTree{tree: merkle.NewTree(merkle.BLAKE3, leaves), leaves: leaves}
	}
	per := int64(100 + 24 + 2*merkle.HashSize) // one 100-byte leaf's share
	c := newTreeCache(25 * per)
	for n := uint64(1); n <= 3; n++ {
		c.put(n, batchOf(10, 100))
	}
	if _, ok := c.get(1); ok {
		t.Error("batch 1 still cached with 30 leaves' worth put in a cache of 25")
	}
	for n := uint64(2); n <= 3; n++ {
		if got, ok := c.get(n); !ok || len(got.leaves) != 10 {
			t.Errorf("batch %d not cached", n)
		}
	}
	if c.size != 20*per {
		t.Errorf("cache holds %d bytes, want %d", c.size, 20*per)
	}
	c.put(4, batchOf(26, 100)) // larger than the cache: left out
	if _, ok := c.get(4); ok {
		t.Error("a batch larger than the cache was cached")
	}
	if _, ok := c.get(3); !ok {
		t.Error("a batch too large to cache evicted batch 3")
	}
}
