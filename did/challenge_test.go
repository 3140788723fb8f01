package did

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/zeebo/blake3"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestAuthenticator(t testing.TB) (*Authenticator, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	gw, _ := Ed25519.DeriveKey(bytes.Repeat([]byte{9}, 32))
	gwDID, _ := New(gw.Public())
	a, err := NewAuthenticator(AuthConfig{Verifier: gwDID, TTL: 30 * time.Second, MaxClockSkew: time.Minute, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return a, clock
}

func TestChallengeResponseEachScheme(t *testing.T) {
	a, clock := newTestAuthenticator(t)
	for _, s := range allSchemes {
		k, _ := s.GenerateKey(nil)
		dev, _ := New(k.Public())
		c, err := a.NewChallenge()
		if err != nil {
			t.Fatal(err)
		}
		r, err := Answer(k, dev, c, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.Verify(context.Background(), r)
		if err != nil || got != dev {
			t.Fatalf("%s: Verify = %q, %v", s.Name(), got, err)
		}
		if _, err := a.Verify(context.Background(), r); !errors.Is(err, ErrChallengeUsed) {
			t.Fatalf("%s: replay: %v, want ErrChallengeUsed", s.Name(), err)
		}
	}
}

// The signed bytes are reproducible from the documented recipe alone:
// canonical JSON by hand, BLAKE3 derive-key under AuthTag.
func TestChallengeSigningMessageRecipe(t *testing.T) {
	k, _ := Ed25519.DeriveKey(make([]byte, 32))
	dev, _ := New(k.Public())
	c := Challenge{Nonce: bytes.Repeat([]byte{0xab}, 32), Verifier: "did:web:gateway.example"}
	at := time.UnixMilli(1767225600123)
	r, err := Answer(k, dev, c, at)
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"challenge":"%s","device":"%s","time":1767225600123,"verifier":"did:web:gateway.example"}`,
		base64.RawURLEncoding.EncodeToString(c.Nonce), dev)
	msg := make([]byte, 32)
	blake3.DeriveKey(string(AuthTag), []byte(body), msg)
	if !k.Public().Verify(msg, r.Signature) {
		t.Fatal("signature is not over the documented message")
	}
}

func TestChallengeFailures(t *testing.T) {
	a, clock := newTestAuthenticator(t)
	k, _ := Ed25519.GenerateKey(nil)
	dev, _ := New(k.Public())
	other, _ := Ed25519.GenerateKey(nil)
	otherDID, _ := New(other.Public())

	answer := func(mutate func(*Challenge, *Response)) error {
		c, err := a.NewChallenge()
		if err != nil {
			t.Fatal(err)
		}
		r, _ := Answer(k, dev, c, clock.Now())
		mutate(&c, &r)
		_, err = a.Verify(context.Background(), r)
		return err
	}
	cases := []struct {
		name   string
		mutate func(*Challenge, *Response)
		want   error
	}{
		{"ok", func(*Challenge, *Response) {}, nil},
		{"unknown nonce", func(_ *Challenge, r *Response) { r.Nonce = bytes.Repeat([]byte{1}, 32) }, ErrUnknownChallenge},
		{"short nonce", func(_ *Challenge, r *Response) { r.Nonce = r.Nonce[:16] }, ErrMalformedResponse},
		{"other verifier", func(_ *Challenge, r *Response) { r.Verifier = otherDID }, ErrWrongVerifier},
		{"other device DID", func(_ *Challenge, r *Response) { r.Device = otherDID }, ErrBadSignature},
		{"time changed", func(_ *Challenge, r *Response) { r.Time = r.Time.Add(time.Millisecond) }, ErrBadSignature},
		{"flipped signature", func(_ *Challenge, r *Response) { r.Signature[3] ^= 1 }, ErrBadSignature},
		{"no signature", func(_ *Challenge, r *Response) { r.Signature = nil }, ErrBadSignature},
		{"device not a DID", func(_ *Challenge, r *Response) { r.Device = "device-7" }, ErrInvalidDID},
		{"device unresolvable", func(_ *Challenge, r *Response) { r.Device = "did:web:x" }, ErrUnsupportedMethod},
	}
	for _, c := range cases {
		if err := answer(c.mutate); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}

	// A bad signature does not spend the challenge; the right answer still works.
	c, _ := a.NewChallenge()
	r, _ := Answer(k, dev, c, clock.Now())
	bad := r
	bad.Signature = bytes.Clone(r.Signature)
	bad.Signature[0] ^= 1
	if _, err := a.Verify(context.Background(), bad); !errors.Is(err, ErrBadSignature) {
		t.Fatal(err)
	}
	if _, err := a.Verify(context.Background(), r); err != nil {
		t.Fatalf("good answer after a bad one: %v", err)
	}

	// Expiry, by the verifier's clock.
	c, _ = a.NewChallenge()
	r, _ = Answer(k, dev, c, clock.Now())
	clock.Advance(31 * time.Second)
	if _, err := a.Verify(context.Background(), r); !errors.Is(err, ErrChallengeExpired) {
		t.Fatalf("late answer: %v, want ErrChallengeExpired", err)
	}

	// Device clock too far ahead.
	c, _ = a.NewChallenge()
	r, _ = Answer(k, dev, c, clock.Now().Add(2*time.Minute))
	if _, err := a.Verify(context.Background(), r); !errors.Is(err, ErrClockSkew) {
		t.Fatalf("future answer: %v, want ErrClockSkew", err)
	}
	// ...within the skew is fine.
	r, _ = Answer(k, dev, c, clock.Now().Add(50*time.Second))
	if _, err := a.Verify(context.Background(), r); err != nil {
		t.Fatalf("answer within skew: %v", err)
	}

	// Redeem spends a challenge once.
	c, _ = a.NewChallenge()
	if err := a.Consume(context.Background(), c.Nonce); err != nil {
		t.Fatal(err)
	}
	if err := a.Consume(context.Background(), c.Nonce); !errors.Is(err, ErrChallengeUsed) {
		t.Fatalf("second Redeem: %v", err)
	}
}

func TestChallengeMaxPending(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	a, err := NewAuthenticator(AuthConfig{Verifier: "did:web:gw", TTL: time.Second, MaxPending: 4, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if _, err := a.NewChallenge(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.NewChallenge(); !errors.Is(err, ErrTooManyChallenges) {
		t.Fatalf("fifth challenge: %v", err)
	}
	clock.Advance(3 * time.Second) // expired and past the grace period: pruned
	if _, err := a.NewChallenge(); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

// Many goroutines answer the same challenge at once: exactly one wins.
func TestChallengeSingleUseUnderConcurrency(t *testing.T) {
	a, clock := newTestAuthenticator(t)
	k, _ := Ed25519.GenerateKey(nil)
	dev, _ := New(k.Public())
	for range 20 {
		c, _ := a.NewChallenge()
		r, _ := Answer(k, dev, c, clock.Now())
		var wins, used atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := a.Verify(context.Background(), r)
				switch {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, ErrChallengeUsed):
					used.Add(1)
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 || used.Load() != 7 {
			t.Fatalf("%d wins, %d ErrChallengeUsed", wins.Load(), used.Load())
		}
	}
}

// The hand-written canonical body is exactly canon.JSON of the same object,
// for DIDs and DID URLs of every shape SplitURL accepts.
func TestChallengeBodyIsCanonicalJSON(t *testing.T) {
	dids := []string{"did:web:gw.example", "did:key:z6Mkon3Necd6NkkyfoGoHxid2znGc59LU3K7mubaRcFbLfLX#z6Mk",
		"did:example:a%20b:c.d-e_f#frag-!$&'()*+,;=:@/?~%41", "did:jwk:eyJrdHkiOiJPS1AifQ#0"}
	for i, dev := range dids {
		for _, ms := range []int64{0, 1767225600123, maxTime.UnixMilli()} {
			r := Response{Nonce: bytes.Repeat([]byte{byte(i)}, NonceSize), Device: dev, Verifier: dids[(i+1)%len(dids)], Time: time.UnixMilli(ms)}
			got, err := r.canonicalBody()
			if err != nil {
				t.Fatal(err)
			}
			want, err := canon.JSON(map[string]any{
				"challenge": base64.RawURLEncoding.EncodeToString(r.Nonce),
				"device":    r.Device,
				"time":      ms,
				"verifier":  r.Verifier,
			})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("body %s\ncanon %s", got, want)
			}
		}
	}
	bad := Response{Nonce: make([]byte, NonceSize), Device: `did:web:x#"`, Verifier: "did:web:y"}
	if _, err := bad.canonicalBody(); !errors.Is(err, ErrMalformedResponse) {
		t.Fatalf("quote in a DID URL: %v", err)
	}
	for _, at := range []time.Time{time.UnixMilli(-5), time.UnixMilli(canon.MaxSafeInteger + 1), time.Unix(-18446744073709551, 0)} {
		bad = Response{Nonce: make([]byte, NonceSize), Device: "did:web:x", Verifier: "did:web:y", Time: at}
		if _, err := bad.canonicalBody(); !errors.Is(err, ErrMalformedResponse) || !errors.Is(err, ErrTimeRange) {
			t.Fatalf("time %v outside 1970..9999: %v", at, err)
		}
	}
}

func TestNewAuthenticatorNeedsItsDID(t *testing.T) {
	for _, v := range []string{"", "gateway", "did:web:"} {
		if _, err := NewAuthenticator(AuthConfig{Verifier: v}); !errors.Is(err, ErrInvalidDID) {
			t.Errorf("verifier %q: %v", v, err)
		}
	}
}

// An answer is checked with the key the device has when the challenge was
// issued, or later: no answer can have been signed before its challenge.
// The QA case: a key revoked now answered a challenge issued after the
// revocation, with its time set five minutes back (within the clock skew),
// and was accepted even with a key cache that keeps nothing.
func TestChallengeRevokedKeyCannotBackdateAnswer(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{t: t0.Add(time.Hour)}
	reg := clockedRegistry(t, clock)
	org, dev, honest := newParty(t, Ed25519, 1), newParty(t, Ed25519, 3), newParty(t, Ed25519, 4)
	enroll(t, reg, org, dev, t0)
	enroll(t, reg, org, honest, t0)
	const skew, ttl = 5 * time.Minute, time.Minute
	a, err := NewAuthenticator(AuthConfig{Verifier: org.did, TTL: ttl, MaxClockSkew: skew, Now: clock.Now,
		Keys: NewKeyCache(16, KeyResolvers{reg, SelfCertifying{}}, 0)})
	if err != nil {
		t.Fatal(err)
	}
	answer := func(p party, c Challenge, at time.Time) error {
		r, err := Answer(p.key, p.did, c, at)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Verify(ctx, r)
		return err
	}

	early, _ := a.NewChallenge() // issued before the revocation
	clock.Advance(time.Second)
	revoked := clock.Now()
	if _, err := reg.Revoke(ctx, org.key, dev.did, dev.key.Public(), revoked); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	issued := clock.Now()
	for _, c := range []struct {
		p    party
		at   time.Time
		want error
	}{
		{dev, issued, ErrKeyRevoked},
		{dev, revoked.Add(-skew + time.Second), ErrKeyRevoked},
		{dev, issued.Add(-skew), ErrKeyRevoked},
		{dev, issued.Add(-skew - time.Millisecond), ErrClockSkew},
		{honest, issued.Add(-skew), nil}, // a device whose clock is behind
		{honest, issued.Add(skew), nil},  // or ahead
		{honest, issued.Add(-skew - time.Millisecond), ErrClockSkew},
	} {
		ch, _ := a.NewChallenge()
		if err := answer(c.p, ch, c.at); !errors.Is(err, c.want) || (err == nil) != (c.want == nil) {
			t.Errorf("answer of %.16s dated issue%+v: %v, want %v", c.p.did, c.at.Sub(issued), err, c.want)
		}
	}
	// The documented bound: a challenge issued before the revocation may
	// still be answered with the revoked key, dated before the revocation,
	// until it expires.
	if err := answer(dev, early, revoked.Add(-time.Millisecond)); err != nil {
		t.Fatalf("answer to a challenge issued before the revocation: %v", err)
	}
}
