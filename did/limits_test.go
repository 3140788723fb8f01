package did

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// Times outside 1970..9999 UTC are refused wherever this package encodes a
// time, before anything is signed or written. time.Unix(-18446744073709551,
// 0) is the QA case: its UnixMilli wraps to a 1970 time, so the registry
// used to acknowledge an entry whose in-memory time (year −584 million)
// differed from the one on disk, and then never open its file again.
func TestTimeRange(t *testing.T) {
	wrapping := time.Unix(-18446744073709551, 0)
	if back := time.UnixMilli(wrapping.UnixMilli()); back.Equal(wrapping) {
		t.Fatal("the test's time no longer wraps")
	}
	out := []time.Time{
		wrapping,
		time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(0, 0).Add(-time.Millisecond),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		{},
	}
	in := []time.Time{time.Unix(0, 0), time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC)}

	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.log")
	r := openTestRegistry(t, path)
	org := newParty(t, Ed25519, 1)
	dev := newParty(t, Ed25519, 3)
	enroll(t, r, org, dev, t0)
	n, head := r.Head()
	for _, at := range out {
		atk := newParty(t, Ed25519, 7)
		if _, err := r.Register(ctx, atk.key, atk.did, atk.did, atk.key.Public(), at); !errors.Is(err, ErrTimeRange) || !errors.Is(err, ErrInvalidEntry) {
			t.Errorf("register dated %v: %v, want ErrTimeRange and ErrInvalidEntry", at, err)
		}
		if _, err := r.Rotate(ctx, org.key, dev.did, atk.key.Public(), at); !errors.Is(err, ErrTimeRange) {
			t.Errorf("rotation dated %v: %v, want ErrTimeRange", at, err)
		}
		e := Entry{Seq: n, Prev: head, Op: OpRotate, Subject: dev.did, Key: atk.did, Time: at}
		if err := e.Sign(org.key, org.did); !errors.Is(err, ErrTimeRange) {
			t.Errorf("signing an entry dated %v: %v, want ErrTimeRange", at, err)
		}
		if _, err := e.Digest(); !errors.Is(err, ErrTimeRange) {
			t.Errorf("digest of an entry dated %v: %v, want ErrTimeRange", at, err)
		}
		if _, err := json.Marshal(e); !errors.Is(err, ErrTimeRange) {
			t.Errorf("JSON of an entry dated %v: %v, want ErrTimeRange", at, err)
		}
		if err := r.Append(ctx, e); !errors.Is(err, ErrTimeRange) {
			t.Errorf("append of an entry dated %v: %v, want ErrTimeRange", at, err)
		}
		if got, _ := r.Head(); got != n {
			t.Fatalf("an entry dated %v reached the log", at)
		}

		c := Challenge{Nonce: make([]byte, NonceSize), Verifier: org.did, Expires: at}
		if _, err := json.Marshal(c); !errors.Is(err, ErrTimeRange) {
			t.Errorf("challenge expiring %v: %v, want ErrTimeRange", at, err)
		}
		c.Expires = t0
		if _, err := Answer(dev.key, dev.did, c, at); !errors.Is(err, ErrTimeRange) || !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("answer dated %v: %v, want ErrTimeRange and ErrMalformedResponse", at, err)
		}
		resp := Response{Nonce: c.Nonce, Verifier: org.did, Device: dev.did, Time: at}
		if _, err := json.Marshal(resp); !errors.Is(err, ErrTimeRange) {
			t.Errorf("JSON of a response dated %v: %v, want ErrTimeRange", at, err)
		}
	}
	// The JSON forms are read back under the same range.
	var c Challenge
	if err := json.Unmarshal([]byte(`{"nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","verifier":"did:web:gw","expires":"1969-12-31T23:59:59Z"}`), &c); !errors.Is(err, ErrTimeRange) {
		t.Errorf("challenge expiring in 1969: %v, want ErrTimeRange", err)
	}
	var e Entry
	if err := json.Unmarshal([]byte(`{"op":"revoke","seq":0,"signer":"did:web:a","subject":"did:web:b","time":-1}`), &e); !errors.Is(err, ErrTimeRange) {
		t.Errorf("entry dated 1969: %v, want ErrTimeRange", err)
	}

	for _, at := range in {
		c := Challenge{Nonce: make([]byte, NonceSize), Verifier: org.did, Expires: at}
		raw, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("challenge expiring %v: %v", at, err)
		}
		var back Challenge
		if err := json.Unmarshal(raw, &back); err != nil || !back.Expires.Equal(at) {
			t.Errorf("challenge expiring %v reads back as %v, %v", at, back.Expires, err)
		}
		resp, err := Answer(dev.key, dev.did, c, at)
		if err != nil {
			t.Fatalf("answer dated %v: %v", at, err)
		}
		raw, err = json.Marshal(resp)
		if err != nil {
			t.Fatalf("JSON of a response dated %v: %v", at, err)
		}
		var rb Response
		if err := json.Unmarshal(raw, &rb); err != nil || !rb.Time.Equal(at) {
			t.Errorf("response dated %v reads back as %v, %v", at, rb.Time, err)
		}
	}
	// The earliest time is a valid entry date, and the registry reopens.
	early := newParty(t, Ed25519, 8)
	if _, err := r.Register(ctx, early.key, early.did, early.did, early.key.Public(), in[0]); err != nil {
		t.Fatalf("registration dated %v: %v", in[0], err)
	}
	r.Close()
	r = openTestRegistry(t, path)
	defer r.Close()
	if got, _ := r.Head(); got != n+1 {
		t.Fatalf("reopened with %d entries, want %d", got, n+1)
	}
}

// A challenge whose expiry would fall past 9999 is not issued.
func TestNewChallengeTimeRange(t *testing.T) {
	end := time.Date(9999, 12, 31, 23, 59, 30, 0, time.UTC)
	a, err := NewAuthenticator(AuthConfig{Verifier: "did:web:gw", Now: func() time.Time { return end }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.NewChallenge(); !errors.Is(err, ErrTimeRange) {
		t.Fatalf("challenge expiring in year 10000: %v, want ErrTimeRange", err)
	}
}
