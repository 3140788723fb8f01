package did

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/recordlog"
)

// A key that was rotated out or revoked signs nothing more, however it
// dates its entries. The QA case: an organisation registered in the
// registry rotates its key at T because the old one leaked; the old key then
// rotated the organisation's device to the attacker's key, and transferred
// it, with entries dated a minute before T.
func TestRegistryRetiredKeyCannotBackdate(t *testing.T) {
	h := time.Hour
	T := t0.Add(10 * h)
	type setup struct {
		r            *Registry
		org, dev     party
		old, current PrivateKey // the organisation's retired key, and the one it holds now (nil: none)
	}
	setups := map[string]func(t *testing.T) setup{
		"organisation rotated its key": func(t *testing.T) setup {
			s := setup{r: openTestRegistry(t, filepath.Join(t.TempDir(), "r.log")), org: newParty(t, Ed25519, 1), dev: newParty(t, Ed25519, 3)}
			next := newParty(t, P256, 2)
			enroll(t, s.r, s.org, s.org, t0)
			enroll(t, s.r, s.org, s.dev, t0.Add(h))
			if _, err := s.r.Rotate(context.Background(), s.org.key, s.org.did, next.key.Public(), T); err != nil {
				t.Fatal(err)
			}
			s.old, s.current = s.org.key, next.key
			return s
		},
		"organisation revoked its key": func(t *testing.T) setup {
			s := setup{r: openTestRegistry(t, filepath.Join(t.TempDir(), "r.log")), org: newParty(t, Ed25519, 1), dev: newParty(t, Ed25519, 3)}
			enroll(t, s.r, s.org, s.org, t0)
			enroll(t, s.r, s.org, s.dev, t0.Add(h))
			if _, err := s.r.Revoke(context.Background(), s.org.key, s.org.did, s.org.key.Public(), T); err != nil {
				t.Fatal(err)
			}
			s.old = s.org.key
			return s
		},
	}
	for name, mk := range setups {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := mk(t)
			defer s.r.Close()
			atk := newParty(t, Ed25519, 66)
			for _, at := range []time.Time{T.Add(-time.Minute), t0.Add(2 * h), T, T.Add(time.Minute)} {
				attempts := map[string]error{}
				_, attempts["rotate"] = s.r.Rotate(ctx, s.old, s.dev.did, atk.key.Public(), at)
				_, attempts["transfer"] = s.r.Transfer(ctx, s.old, s.dev.did, atk.did, at)
				_, attempts["revoke"] = s.r.Revoke(ctx, s.old, s.dev.did, s.dev.key.Public(), at)
				_, attempts["decommission"] = s.r.Decommission(ctx, s.old, s.dev.did, at)
				// The same, signed by hand and appended directly.
				n, head := s.r.Head()
				e := Entry{Seq: n, Prev: head, Op: OpRotate, Subject: s.dev.did, Key: atk.did, Time: at}
				if err := e.Sign(s.old, s.org.did); err != nil {
					t.Fatal(err)
				}
				attempts["append"] = s.r.Append(ctx, e)
				for op, err := range attempts {
					if err == nil {
						t.Errorf("%s dated T%+v by the retired key accepted", op, at.Sub(T))
					} else if !errorsIsAny(err, ErrNotController, ErrBadSignature, ErrBackdated) {
						t.Errorf("%s dated T%+v by the retired key: %v", op, at.Sub(T), err)
					}
				}
			}
			st, err := s.r.Status(s.dev.did)
			if err != nil || st.Controller != s.org.did || st.Key == nil || !st.Key.Equal(s.dev.key.Public()) || st.Decommissioned {
				t.Fatalf("device after the retired key's attempts: %+v, %v", st, err)
			}
			if s.current != nil {
				if _, err := s.r.Rotate(ctx, s.current, s.dev.did, atk.key.Public(), T.Add(time.Minute)); err != nil {
					t.Fatalf("the organisation's current key: %v", err)
				}
			}
		})
	}
}

// The same holds for an identity's own entries: a device that controls
// itself and revoked its key at T cannot use that key for an entry dated
// before T (which the old rule, ignoring revocations, let through).
func TestRegistryRevokedSubjectKeyCannotBackdate(t *testing.T) {
	ctx := context.Background()
	r := openTestRegistry(t, filepath.Join(t.TempDir(), "r.log"))
	defer r.Close()
	dev := newParty(t, Ed25519, 3)
	atk := newParty(t, Ed25519, 66)
	T := t0.Add(10 * time.Hour)
	enroll(t, r, dev, dev, t0)
	if _, err := r.Revoke(ctx, dev.key, dev.did, dev.key.Public(), T); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Rotate(ctx, dev.key, dev.did, atk.key.Public(), T.Add(-time.Minute)); err == nil {
		t.Fatal("revoked key rotated its identity with an entry dated before the revocation")
	}
	if _, err := r.KeyAt(ctx, dev.did, T.Add(time.Hour)); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("key after the attempt: %v", err)
	}
}

// Revocation alone may be dated back, for a compromise found late — by the
// key the controller holds now, and not by the key it retired.
func TestRegistryBackdatedRevocation(t *testing.T) {
	ctx := context.Background()
	r := openTestRegistry(t, filepath.Join(t.TempDir(), "r.log"))
	defer r.Close()
	org, next := newParty(t, Ed25519, 1), newParty(t, P256, 2)
	dev := newParty(t, Ed25519, 3)
	h := time.Hour
	enroll(t, r, org, org, t0)
	enroll(t, r, org, dev, t0.Add(h))
	if _, err := r.Rotate(ctx, org.key, org.did, next.key.Public(), t0.Add(10*h)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Revoke(ctx, org.key, dev.did, dev.key.Public(), t0.Add(5*h)); err == nil {
		t.Fatal("retired key revoked the device's key")
	}
	if _, err := r.Revoke(ctx, next.key, org.did, org.key.Public(), t0.Add(3*h)); err != nil {
		t.Fatalf("current key revoking the retired one from before the rotation: %v", err)
	}
	if _, err := r.Revoke(ctx, next.key, dev.did, dev.key.Public(), t0.Add(5*h)); err != nil {
		t.Fatalf("current key revoking the device's key from before the rotation: %v", err)
	}
	if err := r.VerifyAt(org.did, t0.Add(4*h), []byte("m"), signMsg(t, org.key, "m")); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("retired key after its backdated revocation: %v", err)
	}
	// Any other operation dated before the latest entry about its subject
	// or signer is refused.
	if _, err := r.Rotate(ctx, next.key, dev.did, newParty(t, Ed25519, 4).key.Public(), t0.Add(9*h)); !errors.Is(err, ErrBackdated) || !errors.Is(err, ErrInvalidEntry) {
		t.Fatalf("rotation dated before the signer's rotation: %v", err)
	}
}

// Files written under the rule before ErrBackdated, which may hold entries
// dated before their subject's or signer's latest change, still open: the
// rule applies to new entries, and replay names each old entry it would
// refuse now.
func TestRegistryReplaysEntriesOfTheEarlierRule(t *testing.T) {
	org, next := newParty(t, Ed25519, 1), newParty(t, P256, 2)
	dev, atk := newParty(t, Ed25519, 3), newParty(t, Ed25519, 66)
	h := time.Hour
	T := t0.Add(10 * h)
	var entries []Entry
	add := func(op Operation, subject, key, controller string, at time.Time, k PrivateKey, signer string) {
		e := Entry{Seq: uint64(len(entries)), Op: op, Subject: subject, Key: key, Controller: controller, Time: at}
		if len(entries) > 0 {
			e.Prev, _ = entries[len(entries)-1].Digest()
		}
		if err := e.Sign(k, signer); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	add(OpRegister, org.did, org.did, org.did, t0, org.key, org.did)
	add(OpRegister, dev.did, dev.did, dev.did, t0.Add(h), dev.key, dev.did)
	add(OpTransfer, dev.did, "", org.did, t0.Add(h), dev.key, dev.did)
	add(OpRotate, org.did, next.did, "", T, org.key, org.did)
	add(OpRotate, dev.did, atk.did, "", T.Add(-time.Minute), org.key, org.did) // the QA attack, accepted then
	squatted := newParty(t, Ed25519, 5)
	add(OpRegister, squatted.did, squatted.did, org.did, T, next.key, org.did) // a did:key registered without its key

	path := filepath.Join(t.TempDir(), "r.log")
	l, err := recordlog.Open(path, registryLogOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		raw, err := e.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Append(context.Background(), raw); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()

	var logged bytes.Buffer
	r, err := OpenRegistry(context.Background(), path, RegistryOptions{Now: func() time.Time { return T }, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatalf("file of the earlier rule: %v", err)
	}
	defer r.Close()
	if n, head := r.Head(); n != 6 || head != canon.MustTaggedSum(canon.BLAKE3, RegistryEntryTag, must(entries[5].MarshalJSON())) {
		t.Fatalf("head %d %v", n, head)
	}
	if st, _ := r.Status(dev.did); st.Key == nil || !st.Key.Equal(atk.key.Public()) {
		t.Fatalf("replay changed what the file says: %+v", st)
	}
	if !strings.Contains(logged.String(), "entry=4") || !strings.Contains(logged.String(), "entry=5") || strings.Contains(logged.String(), "entry=3") {
		t.Fatalf("replay notices: %s", logged.String())
	}
	// A read-only replay applies the same rules, with the same notices.
	var readLogged bytes.Buffer
	ro, err := ReadRegistryFile(context.Background(), path, RegistryOptions{Logger: slog.New(slog.NewTextHandler(&readLogged, nil))})
	if err != nil {
		t.Fatalf("read-only: %v", err)
	}
	if n, head := ro.Head(); n != r.n || head != r.head || strings.Count(readLogged.String(), "earlier rule") != 2 {
		t.Fatalf("read-only: head %d %v, notices %s", n, head, readLogged.String())
	}
	// The same entry is refused when appended now.
	n, head := r.Head()
	e := Entry{Seq: n, Prev: head, Op: OpRotate, Subject: dev.did, Key: newParty(t, Ed25519, 67).did, Time: T.Add(-time.Minute)}
	_ = e.Sign(org.key, org.did)
	if err := r.Append(context.Background(), e); err == nil {
		t.Fatal("retired key's backdated entry appended")
	}
}

// A self-certifying DID (did:key, did:jwk) is registered only by itself,
// with the key it names; then it may hand control on. The QA case: anyone
// registered somebody else's did:key with their own key, and through
// KeyResolvers{registry, SelfCertifying{}} authenticated as its owner.
func TestRegistrySelfCertifyingRegistersItself(t *testing.T) {
	ctx := context.Background()
	r := openTestRegistry(t, filepath.Join(t.TempDir(), "r.log"))
	defer r.Close()
	victim, atk := newParty(t, Ed25519, 3), newParty(t, Ed25519, 66)
	pq := newParty(t, MLDSA44, 4) // a did:jwk
	for _, v := range []party{victim, pq} {
		for _, key := range []PublicKey{atk.key.Public(), v.key.Public()} {
			if _, err := r.Register(ctx, atk.key, atk.did, v.did, key, t0); !errors.Is(err, ErrNotController) {
				t.Errorf("%.12s registered by another key: %v, want ErrNotController", v.did, err)
			}
			n, head := r.Head()
			e := Entry{Seq: n, Prev: head, Op: OpRegister, Subject: v.did, Key: must(New(key)), Controller: atk.did, Time: t0}
			_ = e.Sign(atk.key, atk.did)
			if err := r.Append(ctx, e); !errors.Is(err, ErrNotController) {
				t.Errorf("%.12s appended by another key: %v, want ErrNotController", v.did, err)
			}
		}
		if _, err := r.Register(ctx, v.key, v.did, v.did, atk.key.Public(), t0); !errors.Is(err, ErrInvalidEntry) {
			t.Errorf("%.12s registered with a key other than its own: %v, want ErrInvalidEntry", v.did, err)
		}
	}
	if n, _ := r.Head(); n != 0 {
		t.Fatalf("%d entries in the log", n)
	}
	a, err := NewAuthenticator(AuthConfig{Verifier: atk.did, Now: func() time.Time { return t0.Add(time.Hour) },
		Keys: NewKeyCache(16, KeyResolvers{r, SelfCertifying{}}, time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		k    PrivateKey
		want error
	}{{atk.key, ErrBadSignature}, {victim.key, nil}} {
		ch, _ := a.NewChallenge()
		resp, _ := Answer(c.k, victim.did, ch, t0.Add(time.Hour))
		if _, err := a.Verify(ctx, resp); !errors.Is(err, c.want) || (err == nil) != (c.want == nil) {
			t.Errorf("answer as the victim: %v, want %v", err, c.want)
		}
	}
	// Itself, then handing control on; and a DID that names no key is
	// registered by whoever registers it first.
	enroll(t, r, atk, victim, t0)
	if st, err := r.Status(victim.did); err != nil || st.Controller != atk.did || !st.Key.Equal(victim.key.Public()) {
		t.Fatalf("enrolled: %+v, %v", st, err)
	}
	if _, err := r.Register(ctx, atk.key, atk.did, "did:web:device.example", atk.key.Public(), t0); err != nil {
		t.Fatalf("did:web registered by its controller: %v", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
