package did

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestKeyCache(t *testing.T) {
	c := NewKeyCache(3)
	var dids []string
	for range 10 {
		k, _ := MLDSA44.GenerateKey(nil)
		d, _ := New(k.Public())
		dids = append(dids, d)
		got, err := c.KeyAt(context.Background(), d, time.Time{})
		if err != nil || !got.Equal(k.Public()) {
			t.Fatalf("KeyAt: %v", err)
		}
		again, _ := c.KeyAt(context.Background(), d, time.Time{})
		if !again.Equal(k.Public()) {
			t.Fatal("cached key differs")
		}
	}
	if len(c.keys) != 3 {
		t.Fatalf("cache holds %d keys, limit 3", len(c.keys))
	}
	if _, err := c.KeyAt(context.Background(), "did:key:z0", time.Time{}); !errors.Is(err, ErrInvalidDID) {
		t.Fatalf("bad DID: %v", err)
	}
	if _, ok := c.keys["did:key:z0"]; ok {
		t.Fatal("failure cached")
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
	if _, err := reg.Register(ctx, org.key, org.did, dev.did, dev.key.Public(), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Rotate(ctx, org.key, dev.did, next.key.Public(), t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	rs := KeyResolvers{reg, NewKeyCache(16)}
	// the registered device follows its log, not its did:key
	if k, err := rs.KeyAt(context.Background(), dev.did, t0.Add(time.Hour)); err != nil || !k.Equal(next.key.Public()) {
		t.Fatalf("registered device: %v", err)
	}
	// an unregistered did:key device falls through to its own key
	if k, err := rs.KeyAt(context.Background(), loose.did, t0); err != nil || !k.Equal(loose.key.Public()) {
		t.Fatalf("unregistered device: %v", err)
	}
	// a revoked registered key does not fall through
	if _, err := reg.Revoke(ctx, org.key, dev.did, next.key.Public(), t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.KeyAt(context.Background(), dev.did, t0.Add(time.Hour)); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("revoked device: %v", err)
	}
	if _, err := rs.KeyAt(context.Background(), "did:web:x", t0); !errors.Is(err, ErrUnsupportedMethod) {
		t.Fatalf("unknown method: %v", err)
	}
}
