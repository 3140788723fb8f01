package vc

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
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
		publish := func() {
			slc, err := f.issuer.IssueStatusListJWT(listURL, list, t0.Add(-time.Hour), t0.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if err := f.status.Add(ctx, f.verifier, []byte(slc)); err != nil {
				t.Fatal(err)
			}
		}
		publish()
		got, err := f.verifier.Verify(ctx, raw)
		if err != nil {
			t.Fatalf("%s not revoked: %v", format, err)
		}
		if got.Status == nil || *got.Status != *c.Status {
			t.Fatalf("status entry lost: %+v", got.Status)
		}
		_ = list.Set(4242, true)
		publish()
		if _, err := f.verifier.Verify(ctx, raw); !errors.Is(err, ErrRevoked) {
			t.Fatalf("%s revoked: %v", format, err)
		}
		_ = list.Set(4242, false)
		publish()
		f.now = t0.Add(2 * time.Hour) // the cache is older than MaxAge
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
