package zkp

import (
	"bytes"
	"errors"
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
	// An entry whose verifying key is of another setup (seed two's) is
	// made again.
	vks, _ := filepath.Glob(filepath.Join(dir, "*.vk"))
	if len(vks) != 2 {
		t.Fatalf("%d cached verifying keys, want 2", len(vks))
	}
	b0, _ := os.ReadFile(vks[0])
	b1, _ := os.ReadFile(vks[1])
	if err := os.WriteFile(vks[0], b1, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(vks[1], b0, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, seed := range []string{"seed one", "seed two"} {
		if _, _, cached, err := CachedUnsafeSetup(dir, cc, []byte(seed)); err != nil || cached {
			t.Fatalf("%s with the other seed's verifying key: cached %v, %v", seed, cached, err)
		}
	}
	// No directory, no cache.
	if _, _, cached, err := CachedUnsafeSetup("", cc, []byte("seed one")); err != nil || cached {
		t.Fatalf("no directory: cached %v, %v", cached, err)
	}
	if _, _, _, err := CachedUnsafeSetup(dir, nil, nil); err == nil {
		t.Fatal("nil circuit accepted")
	}
}

// MatchKeys pairs the keys of one setup and refuses keys of two, for both
// backends, and keys of another shape or backend.
func TestMatchKeys(t *testing.T) {
	for _, b := range []Backend{Groth16, PLONK} {
		cc, err := Compile(ReadingShape(16), b)
		if err != nil {
			t.Fatal(err)
		}
		// Two setups: UnsafeRandomSetup's PLONK SRS is drawn once per
		// process, so seeds tell them apart.
		pk1, vk1, err := UnsafeSetup(cc, []byte("one"))
		if err != nil {
			t.Fatal(err)
		}
		pk2, vk2, err := UnsafeSetup(cc, []byte("two"))
		if err != nil {
			t.Fatal(err)
		}
		if err := MatchKeys(pk1, vk1); err != nil {
			t.Errorf("%v: one setup's keys: %v", b, err)
		}
		if err := MatchKeys(pk2, vk2); err != nil {
			t.Errorf("%v: one setup's keys: %v", b, err)
		}
		if err := MatchKeys(pk1, vk2); !errors.Is(err, ErrKeyMismatch) {
			t.Errorf("%v: keys of two setups: %v, want ErrKeyMismatch", b, err)
		}
		if err := MatchKeys(nil, vk1); !errors.Is(err, ErrShape) {
			t.Errorf("%v: nil proving key: %v, want ErrShape", b, err)
		}
	}
	g, err := Compile(ReadingShape(16), Groth16)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(ReadingShape(16), PLONK)
	if err != nil {
		t.Fatal(err)
	}
	gpk, _, err := UnsafeRandomSetup(g)
	if err != nil {
		t.Fatal(err)
	}
	_, pvk, err := UnsafeRandomSetup(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := MatchKeys(gpk, pvk); !errors.Is(err, ErrShape) {
		t.Errorf("keys of two backends: %v, want ErrShape", err)
	}
}
