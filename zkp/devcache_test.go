package zkp

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// CachedUnsafeSetup runs the setup once per shape, backend and seed, reads
// the same keys back after that, and makes again what it cannot read.
func TestCachedUnsafeSetup(t *testing.T) {
	cc, err := Compile(ReadingShape(16), Groth16)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "cache")
	vkBytes := func(vk *VerifyingKey) []byte {
		var b bytes.Buffer
		if _, err := vk.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	_, vk1, cached, err := CachedUnsafeSetup(dir, cc, []byte("seed one"))
	if err != nil || cached {
		t.Fatalf("first call: cached %v, %v", cached, err)
	}
	pk2, vk2, cached, err := CachedUnsafeSetup(dir, cc, []byte("seed one"))
	if err != nil || !cached {
		t.Fatalf("second call: cached %v, %v", cached, err)
	}
	if !bytes.Equal(vkBytes(vk1), vkBytes(vk2)) || pk2.Shape() != cc.Shape() {
		t.Fatal("the cached keys are not the ones made")
	}
	// Another seed is another entry.
	_, vk3, cached, err := CachedUnsafeSetup(dir, cc, []byte("seed two"))
	if err != nil || cached || bytes.Equal(vkBytes(vk1), vkBytes(vk3)) {
		t.Fatalf("another seed: cached %v, same key %v, %v", cached, bytes.Equal(vkBytes(vk1), vkBytes(vk3)), err)
	}
	// A damaged entry is made again, and repaired.
	ents, _ := filepath.Glob(filepath.Join(dir, "*.pk"))
	for _, p := range ents {
		if err := os.WriteFile(p, []byte("not a key"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, cached, err := CachedUnsafeSetup(dir, cc, []byte("seed one")); err != nil || cached {
		t.Fatalf("damaged entry: cached %v, %v", cached, err)
	}
	if _, _, cached, err := CachedUnsafeSetup(dir, cc, []byte("seed one")); err != nil || !cached {
		t.Fatalf("after the repair: cached %v, %v", cached, err)
	}
	// No directory, no cache.
	if _, _, cached, err := CachedUnsafeSetup("", cc, []byte("seed one")); err != nil || cached {
		t.Fatalf("no directory: cached %v, %v", cached, err)
	}
	if _, _, _, err := CachedUnsafeSetup(dir, nil, nil); err == nil {
		t.Fatal("nil circuit accepted")
	}
}
