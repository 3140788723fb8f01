package vc

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc/ldcontext"
	"github.com/trustbloc/vc-go/verifiable"
)

func TestStatusListBits(t *testing.T) {
	l, err := NewStatusList(MinStatusListBits)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 7, 8, 94567, MinStatusListBits - 1} {
		if err := l.Set(i, true); err != nil {
			t.Fatal(err)
		}
	}
	// Bit 0 is the most significant bit of byte 0 (the specification's order).
	if l.bits[0] != 0x81 || l.bits[1] != 0x80 {
		t.Fatalf("bit order: % x", l.bits[:2])
	}
	d, err := DecodeStatusList(l.Encode())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < d.Len(); i++ {
		want := i == 0 || i == 7 || i == 8 || i == 94567 || i == MinStatusListBits-1
		if got, _ := d.Revoked(i); got != want {
			t.Fatalf("bit %d = %v", i, got)
		}
	}
	_ = l.Set(7, false)
	if r, _ := l.Revoked(7); r {
		t.Fatal("clear failed")
	}
	if err := l.Set(MinStatusListBits, true); !errors.Is(err, ErrInvalidClaims) {
		t.Fatalf("out of range: %v", err)
	}
	if _, err := NewStatusList(8); !errors.Is(err, ErrInvalidClaims) {
		t.Fatalf("tiny list: %v", err)
	}
}

func gzipBase64(b []byte) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

func TestDecodeStatusListRejects(t *testing.T) {
	for name, s := range map[string]string{
		"no multibase prefix": "H4sIAAAAAAAA",
		"not base64":          "u!!!!",
		"not gzip":            "u" + base64.RawURLEncoding.EncodeToString([]byte("plain")),
		"too short":           gzipBase64(make([]byte, 100)),
		// 32 MiB of zeros compresses to ~32 KiB: a bomb past the limit.
		"bomb": gzipBase64(make([]byte, MaxStatusListBits/8+1024)),
	} {
		if _, err := DecodeStatusList(s); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestRevocation(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	const listURL = "https://status.acme.example/lists/1"
	list, _ := NewStatusList(MinStatusListBits)
	c := f.credential()
	c.Status = &StatusEntry{ListCredential: listURL, Index: 4242}
	for _, format := range []Format{FormatJWT, FormatDataIntegrity} {
		raw := f.issue(t, format, c)

		f.status = &StatusCache{MaxAge: time.Hour}
		f.verifier.cfg.Status = f.status
		if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrStatusUnavailable) {
			t.Fatalf("%s no list cached: %v", format, err)
		}
		// Each publication is a new issuance, as an issuer re-signs its list.
		publish := func(issued time.Time) {
			slc, err := f.issuer.IssueStatusListJWT(listURL, list, issued, t0.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if err := f.status.Add(ctx, f.verifier, []byte(slc)); err != nil {
				t.Fatal(err)
			}
		}
		publish(t0.Add(-30 * time.Minute))
		got, err := f.verifier.Verify(ctx, raw)
		if err != nil {
			t.Fatalf("%s not revoked: %v", format, err)
		}
		if got.Status == nil || *got.Status != *c.Status {
			t.Fatalf("status entry lost: %+v", got.Status)
		}
		_ = list.Set(4242, true)
		publish(t0.Add(-20 * time.Minute))
		if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrRevoked) {
			t.Fatalf("%s revoked: %v", format, err)
		}
		_ = list.Set(4242, false)
		publish(t0.Add(-10 * time.Minute))
		if _, err := f.verifier.Verify(ctx, raw); err != nil {
			t.Fatalf("%s reinstated: %v", format, err)
		}
		f.now = t0.Add(50*time.Minute + time.Second) // the list was issued over MaxAge ago
		if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrStaleStatus) {
			t.Fatalf("%s stale list: %v", format, err)
		}
		f.now = t0
	}

	// A list signed by another (even trusted) issuer does not speak for
	// this issuer's credentials.
	other, _ := NewIssuer(seededKey(t, did.Ed25519, 33))
	v := NewVerifier(VerifierConfig{TrustedIssuers: []string{f.issuer.DID(), other.DID()}, Now: func() time.Time { return t0 }, Status: &StatusCache{}})
	slc, _ := other.IssueStatusListJWT(listURL, list, t0.Add(-time.Hour), t0.Add(time.Hour))
	if err := v.cfg.Status.Add(ctx, v, []byte(slc)); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, f.issue(t, FormatJWT, c)); !errors.Is(err, ErrStatusUnavailable) {
		t.Fatalf("list of another issuer: %v", err)
	}
	// An untrusted issuer's list is not cached at all.
	if err := f.status.Add(ctx, f.verifier, []byte(slc)); !errors.Is(err, ErrUntrustedIssuer) {
		t.Fatalf("untrusted list: %v", err)
	}
	// A device credential is not a status list.
	if err := f.status.Add(ctx, f.verifier, f.issue(t, FormatJWT, f.credential())); !errors.Is(err, ErrMalformed) {
		t.Fatalf("device credential as list: %v", err)
	}
}

// TestStatusListRollback: a status list captured earlier and replayed,
// still within its validity window and signed by the same trusted issuer,
// neither un-revokes a credential nor passes for fresh.
func TestStatusListRollback(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	const listURL = "https://status.acme.example/lists/1"
	c := f.credential()
	c.Status = &StatusEntry{ListCredential: listURL, Index: 42}
	raw := f.issue(t, FormatJWT, c)
	list, _ := NewStatusList(MinStatusListBits)
	issue := func(issued time.Time) []byte {
		slc, err := f.issuer.IssueStatusListJWT(listURL, list, issued, t0.Add(7*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return []byte(slc)
	}
	before := issue(t0.Add(-2 * time.Hour)) // nothing revoked, valid for a week
	_ = list.Set(42, true)
	revoked := issue(t0.Add(-time.Minute))
	_ = list.Set(7, true)
	sameTimeMore := issue(t0.Add(-time.Minute))
	_ = list.Set(42, false)
	sameTimeOther := issue(t0.Add(-time.Minute)) // 7 only: cannot be ordered

	// An old list, however recently added, is as old as its issuance.
	if err := f.status.Add(ctx, f.verifier, before); err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrStaleStatus) {
		t.Fatalf("list issued 2h ago, MaxAge 1h: %v", err)
	}
	if err := f.status.Add(ctx, f.verifier, revoked); err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrRevoked) {
		t.Fatalf("current list: %v", err)
	}
	// Replaying the older list is refused and changes nothing.
	if err := f.status.Add(ctx, f.verifier, before); !errors.Is(err, ErrStatusRollback) {
		t.Fatalf("older list added: %v", err)
	}
	if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrRevoked) {
		t.Fatalf("after the replay: %v", err)
	}
	// Within one issuance second (the resolution of the times) a list
	// that revokes more is the later one, since revocation is permanent;
	// one that does not revoke all the cached list does is refused; the
	// same list again is a harmless refresh.
	if err := f.status.Add(ctx, f.verifier, revoked); err != nil {
		t.Fatalf("same list again: %v", err)
	}
	if err := f.status.Add(ctx, f.verifier, sameTimeOther); !errors.Is(err, ErrStatusRollback) {
		t.Fatalf("unordered list of the same time: %v", err)
	}
	if err := f.status.Add(ctx, f.verifier, sameTimeMore); err != nil {
		t.Fatalf("list of the same time revoking more: %v", err)
	}
	if err := f.status.Add(ctx, f.verifier, revoked); !errors.Is(err, ErrStatusRollback) {
		t.Fatalf("list of the same time revoking less: %v", err)
	}
	if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrRevoked) {
		t.Fatalf("after the same-time lists: %v", err)
	}
	// Re-adding does not make the list fresher: it ages from its issuance.
	f.now = t0.Add(time.Hour)
	if err := f.status.Add(ctx, f.verifier, sameTimeMore); err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrStaleStatus) {
		t.Fatalf("list issued 61 min ago, re-added just now: %v", err)
	}
}

// TestStatusListNeedsIssuance: a list that does not say when it was issued
// can be neither aged nor ordered, so it is not cached.
func TestStatusListNeedsIssuance(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	const listURL = "https://status.acme.example/lists/1"
	list, _ := NewStatusList(MinStatusListBits)
	slc, err := f.issuer.signJWT(verifiable.CredentialContents{
		Context: []string{ldcontext.CredentialsV1},
		ID:      listURL,
		Types:   []string{TypeVerifiableCredential, TypeStatusListCredential},
		Subject: []verifiable.Subject{subjectOf(statusListSubject(listURL, list))},
		Issuer:  &verifiable.Issuer{ID: f.issuer.DID()},
		Expired: timeWrapper(t0.Add(time.Hour)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.status.Add(ctx, f.verifier, []byte(slc)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("list without issuance time: %v", err)
	}
}
