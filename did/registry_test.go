package did

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/recordlog"
)

type party struct {
	key PrivateKey
	did string
}

// newParty derives a party's key from a seed byte (t may be nil in a child process).
func newParty(t testing.TB, s Scheme, seed byte) party {
	k, err := s.DeriveKey(bytes.Repeat([]byte{seed}, s.SeedSize()))
	if err == nil {
		var d string
		if d, err = New(k.Public()); err == nil {
			return party{k, d}
		}
	}
	if t == nil {
		panic(err)
	}
	t.Fatal(err)
	return party{}
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func openTestRegistry(t testing.TB, path string) *Registry {
	t.Helper()
	r, err := OpenRegistry(context.Background(), path, RegistryOptions{Now: func() time.Time { return t0.Add(365 * 24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// clockedRegistry opens a registry in a temporary directory on clock,
// closed when the test ends.
func clockedRegistry(t testing.TB, clock *fakeClock) *Registry {
	t.Helper()
	r, err := OpenRegistry(context.Background(), filepath.Join(t.TempDir(), "registry.log"), RegistryOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// enroll puts dev's did:key under ctrl as a device enrolls itself: dev
// registers its own DID with the key the DID names, signed by that key,
// and hands control to ctrl in the same instant.
func enroll(t testing.TB, r *Registry, ctrl, dev party, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := r.Register(ctx, dev.key, dev.did, dev.did, dev.key.Public(), at); err != nil {
		t.Fatal(err)
	}
	if ctrl.did == dev.did {
		return
	}
	if _, err := r.Transfer(ctx, dev.key, dev.did, ctrl.did, at); err != nil {
		t.Fatal(err)
	}
}

func signMsg(t testing.TB, k PrivateKey, msg string) []byte {
	t.Helper()
	sig, err := k.Sign([]byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func TestRegistryLifecycle(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.log")
	r := openTestRegistry(t, path)
	org1 := newParty(t, Ed25519, 1)
	org2 := newParty(t, P256, 2)
	dev := newParty(t, Ed25519, 3) // the identity's DID is its first key's did:key
	keyB := newParty(t, P256, 4)
	keyC := newParty(t, MLDSA44, 5)
	h := time.Hour

	enroll(t, r, org1, dev, t0)
	if _, err := r.Rotate(ctx, org1.key, dev.did, keyB.key.Public(), t0.Add(10*h)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Revoke(ctx, org1.key, dev.did, keyB.key.Public(), t0.Add(15*h)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Transfer(ctx, org1.key, dev.did, org2.did, t0.Add(20*h)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Rotate(ctx, org1.key, dev.did, keyC.key.Public(), t0.Add(21*h)); !errors.Is(err, ErrNotController) {
		t.Fatalf("old controller rotated: %v", err)
	}
	if _, err := r.Rotate(ctx, org2.key, dev.did, keyC.key.Public(), t0.Add(22*h)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Decommission(ctx, org2.key, dev.did, t0.Add(30*h)); err != nil {
		t.Fatal(err)
	}

	check := func(r *Registry) {
		t.Helper()
		cases := []struct {
			signer party
			at     time.Duration
			want   error
		}{
			{dev, 5 * h, nil},
			{dev, 10 * h, ErrKeyRotated},
			{dev, 12 * h, ErrKeyRotated},
			{keyB, 5 * h, ErrBadSignature}, // before B's time
			{keyB, 12 * h, nil},
			{keyB, 15 * h, ErrKeyRevoked},
			{keyB, 21 * h, ErrKeyRevoked},
			{keyC, 21 * h, ErrKeyRevoked}, // between B's revocation and C: no valid key
			{keyC, 25 * h, nil},
			{keyC, 30 * h, ErrDecommissioned},
			{dev, -h, ErrNoKeyAtTime},
		}
		for _, c := range cases {
			at := t0.Add(c.at)
			err := r.VerifyAt(dev.did, at, []byte("reading"), signMsg(t, c.signer.key, "reading"))
			if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
				t.Errorf("signature by %.20s… at +%v: %v, want %v", c.signer.did, c.at, err, c.want)
			}
		}
		st, err := r.Status(dev.did)
		if err != nil || st.Controller != org2.did || !st.Decommissioned || st.Key != nil {
			t.Errorf("status %+v, %v", st, err)
		}
		if _, err := r.KeyAt(context.Background(), org1.did, t0); !errors.Is(err, ErrNotRegistered) {
			t.Errorf("unregistered DID: %v", err)
		}
	}
	check(r)
	n, head := r.Head()
	if n != 7 || head.Func != canon.BLAKE3 {
		t.Fatalf("head %d %v", n, head)
	}
	if _, err := r.Rotate(ctx, org2.key, dev.did, keyB.key.Public(), t0.Add(40*h)); !errors.Is(err, ErrDecommissioned) {
		t.Fatalf("entry after decommissioning: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}

	r2 := openTestRegistry(t, path)
	defer r2.Close()
	n2, head2 := r2.Head()
	if n2 != n || head2 != head {
		t.Fatalf("reopened head %d %v, was %d %v", n2, head2, n, head)
	}
	check(r2)
}

// The head commits to the whole log: recomputing the chain from the file's
// entries by the documented recipe gives it.
func TestRegistryHashChain(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.log")
	r := openTestRegistry(t, path)
	var entries []Entry
	for i := range 5 {
		dev := newParty(t, Ed25519, byte(10+i))
		e, err := r.Register(ctx, dev.key, dev.did, dev.did, dev.key.Public(), t0.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	_, head := r.Head()
	r.Close()

	var prev canon.Digest
	for i, e := range entries {
		if e.Prev != prev || e.Seq != uint64(i) {
			t.Fatalf("entry %d links to %v, want %v", i, e.Prev, prev)
		}
		raw, _ := e.MarshalJSON()
		prev = canon.MustTaggedSum(canon.BLAKE3, RegistryEntryTag, raw)
		var back Entry
		if err := back.UnmarshalJSON(raw); err != nil {
			t.Fatal(err)
		}
		if d, _ := back.Digest(); d != prev {
			t.Fatal("entry digest changes through JSON")
		}
	}
	if prev != head {
		t.Fatalf("head %v, chain %v", head, prev)
	}
}

func TestRegistryRejects(t *testing.T) {
	ctx := context.Background()
	r := openTestRegistry(t, filepath.Join(t.TempDir(), "registry.log"))
	defer r.Close()
	org := newParty(t, Ed25519, 1)
	mallory := newParty(t, Ed25519, 2)
	dev := newParty(t, Ed25519, 3)
	enroll(t, r, org, dev, t0)
	if _, err := r.Register(ctx, org.key, org.did, dev.did, dev.key.Public(), t0); !errors.Is(err, ErrAlreadyRegistered) {
		t.Errorf("double registration: %v", err)
	}
	if _, err := r.Rotate(ctx, mallory.key, dev.did, mallory.key.Public(), t0.Add(time.Hour)); !errors.Is(err, ErrNotController) {
		t.Errorf("rotation signed by another key: %v", err)
	}
	if _, err := r.Rotate(ctx, org.key, dev.did, dev.key.Public(), t0.Add(time.Hour)); !errors.Is(err, ErrInvalidEntry) {
		t.Errorf("rotation to the same key: %v", err)
	}
	if _, err := r.Rotate(ctx, org.key, dev.did, mallory.key.Public(), t0.Add(-time.Hour)); !errors.Is(err, ErrInvalidEntry) {
		t.Errorf("rotation dated before registration: %v", err)
	}
	if _, err := r.Rotate(ctx, org.key, dev.did, mallory.key.Public(), t0.Add(5*365*24*time.Hour)); !errors.Is(err, ErrInvalidEntry) {
		t.Errorf("entry from the future: %v", err)
	}
	if _, err := r.Revoke(ctx, org.key, dev.did, mallory.key.Public(), t0.Add(time.Hour)); !errors.Is(err, ErrInvalidEntry) {
		t.Errorf("revoking a key the identity never had: %v", err)
	}
	if _, err := r.Rotate(ctx, org.key, "did:key:zNope", mallory.key.Public(), t0); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("rotating an unknown identity: %v", err)
	}

	n, head := r.Head()
	e := Entry{Seq: n, Prev: head, Op: OpRotate, Subject: dev.did, Key: mallory.did, Time: t0.Add(time.Hour)}
	if err := e.Sign(mallory.key, mallory.did); err != nil {
		t.Fatal(err)
	}
	if err := r.Append(ctx, e); !errors.Is(err, ErrNotController) {
		t.Errorf("entry signed by a non-controller: %v", err)
	}
	// the controller's name with another key's signature
	forged := Entry{Seq: n, Prev: head, Op: OpRotate, Subject: dev.did, Key: mallory.did, Time: t0.Add(time.Hour)}
	_ = forged.Sign(mallory.key, org.did)
	if err := r.Append(ctx, forged); !errors.Is(err, ErrBadSignature) {
		t.Errorf("forged controller signature: %v", err)
	}
	stale := Entry{Seq: n - 1, Prev: head, Op: OpRotate, Subject: dev.did, Key: mallory.did, Time: t0.Add(time.Hour)}
	_ = stale.Sign(org.key, org.did)
	if err := r.Append(ctx, stale); !errors.Is(err, ErrStaleHead) {
		t.Errorf("stale seq: %v", err)
	}
	stale = Entry{Seq: n, Op: OpRotate, Subject: dev.did, Key: mallory.did, Time: t0.Add(time.Hour)}
	_ = stale.Sign(org.key, org.did)
	if err := r.Append(ctx, stale); !errors.Is(err, ErrStaleHead) {
		t.Errorf("wrong prev: %v", err)
	}
	if got, _ := r.Head(); got != n {
		t.Fatalf("rejected entries changed the log: %d entries", got)
	}

	if _, err := OpenRegistry(ctx, r.file.log.Path(), RegistryOptions{}); !errors.Is(err, ErrRegistryLocked) {
		t.Errorf("second open of a registry in use: %v", err)
	}
}

func writeRegistry(t *testing.T, n int) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "registry.log")
	r := openTestRegistry(t, path)
	for i := range n { // devices registering themselves: records of one size
		dev := newParty(t, Ed25519, byte(10+i))
		if _, err := r.Register(context.Background(), dev.key, dev.did, dev.did, dev.key.Public(), t0); err != nil {
			t.Fatal(err)
		}
	}
	r.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, raw
}

func TestRegistryRecovery(t *testing.T) {
	path, raw := writeRegistry(t, 4)
	const hdr = recordlog.HeaderSize
	recSize := (len(raw) - hdr) / 4 // all four records have the same size
	reopen := func(data []byte) (uint64, error) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := OpenRegistry(context.Background(), path, RegistryOptions{})
		if err != nil {
			return 0, err
		}
		defer r.Close()
		n, _ := r.Head()
		return n, nil
	}
	torn := []struct {
		name string
		data []byte
		want uint64
	}{
		{"intact", raw, 4},
		{"last record cut short", raw[:len(raw)-5], 3},
		{"last record only its length", raw[:len(raw)-recSize+4], 3},
		{"two bytes of a length", raw[:len(raw)-recSize+2], 3},
		{"zeros after the log", append(bytes.Clone(raw), make([]byte, 100)...), 4},
		{"last record zeroed", append(bytes.Clone(raw[:len(raw)-recSize]), make([]byte, recSize)...), 3},
		{"header cut short", raw[:5], 0},
		{"empty file", nil, 0},
	}
	for _, c := range torn {
		n, err := reopen(c.data)
		if err != nil || n != c.want {
			t.Errorf("%s: %d entries, %v; want %d", c.name, n, err, c.want)
		}
		if c.want > 0 {
			// recovery truncated the file: it reopens cleanly with the same count
			if n, err := reopen(mustRead(t, path)); err != nil || n != c.want {
				t.Errorf("%s: second reopen %d, %v", c.name, n, err)
			}
		}
	}

	flip := func(i int) []byte { b := bytes.Clone(raw); b[i] ^= 0x20; return b }
	firstPayload := hdr + recordlog.RecordOverhead
	corrupt := []struct {
		name string
		data []byte
	}{
		{"flipped byte in the first record", flip(firstPayload + 10)},
		{"flipped byte in a middle record", flip(firstPayload + recSize + 20)},
		{"flipped length of a middle record", flip(hdr + recSize + 2)},
		{"record removed from the middle", append(bytes.Clone(raw[:hdr+recSize]), raw[hdr+2*recSize:]...)},
		{"checksum fixed after an edit", forgedRegistry(t, raw)},
		{"garbage after the log", append(bytes.Clone(raw), bytes.Repeat([]byte{0xff}, 40)...)},
		{"not a registry", []byte("hello, this is not a registry file at all")},
		{"registry file of the format before recordlog", append([]byte("iotrust did registry v1\n"), raw[hdr:]...)},
		{"another record log", otherRecordLog(t)},
	}
	for _, c := range corrupt {
		if _, err := reopen(c.data); !errors.Is(err, ErrCorruptLog) {
			t.Errorf("%s: %v, want ErrCorruptLog", c.name, err)
		}
	}
}

// forgedRegistry returns the registry file raw with one entry's time
// changed and its record's checksums made right again: an attacker's edit.
func forgedRegistry(t *testing.T, raw []byte) []byte {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src")
	if err := os.WriteFile(src, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := recordlog.Open(src, registryLogOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	dst := filepath.Join(t.TempDir(), "dst")
	out, err := recordlog.Open(dst, registryLogOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for p, err := range in.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			p[bytes.Index(p, []byte(`"time":`))+7] ^= 1
		}
		if err := out.Append(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		i++
	}
	out.Close()
	return mustRead(t, dst)
}

// otherRecordLog returns a record log file of another kind.
func otherRecordLog(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "other")
	l, err := recordlog.Open(path, recordlog.Options{Kind: "other.v1"})
	if err != nil {
		t.Fatal(err)
	}
	l.Append(context.Background(), []byte("{}"))
	l.Close()
	return mustRead(t, path)
}

func TestRegistryOpenHonoursContext(t *testing.T) {
	path, _ := writeRegistry(t, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := OpenRegistry(ctx, path, RegistryOptions{}); !errors.Is(err, context.Canceled) || errors.Is(err, ErrCorruptLog) {
		t.Fatalf("open with a cancelled context: %v", err)
	}
	r, err := OpenRegistry(context.Background(), path, RegistryOptions{})
	if err != nil {
		t.Fatalf("file harmed by the cancelled open: %v", err)
	}
	r.Close()
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A Registry is the Authenticator's KeyResolver: a device that answers with
// a revoked key is refused.
func TestRegistryBacksAuthentication(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{t: t0.Add(time.Hour)}
	reg := clockedRegistry(t, clock)
	org := newParty(t, Ed25519, 1)
	dev := newParty(t, Ed25519, 3)
	enroll(t, reg, org, dev, t0)
	a, err := NewAuthenticator(AuthConfig{Verifier: org.did, Keys: reg, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := a.NewChallenge()
	resp, _ := Answer(dev.key, dev.did, c, clock.Now())
	if _, err := a.Verify(context.Background(), resp); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Revoke(ctx, org.key, dev.did, dev.key.Public(), t0.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	c, _ = a.NewChallenge()
	resp, _ = Answer(dev.key, dev.did, c, clock.Now())
	if _, err := a.Verify(context.Background(), resp); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("answer with a revoked key: %v", err)
	}
}
