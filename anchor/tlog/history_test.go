package tlog_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// anchorAll anchors the commitments of seeds and waits until the last one
// is final, returning its receipt.
func anchorAll(t *testing.T, l *tlog.Log, seeds ...string) anchor.Receipt {
	t.Helper()
	var last anchor.Receipt
	for _, s := range seeds {
		r, err := l.Anchor(t.Context(), anchortest.Commitment(s))
		if err != nil {
			t.Fatal(err)
		}
		last = r
	}
	f, err := l.WaitFinal(t.Context(), last)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func seeds(prefix string, n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("%s-%d", prefix, i)
	}
	return s
}

// waitSize waits until the log has a verified checkpoint of at least n.
func checkpointAt(t *testing.T, l *tlog.Log, n uint64) tlog.Checkpoint {
	t.Helper()
	cp := l.Checkpoint()
	if cp.Size != n {
		t.Fatalf("checkpoint of size %d, want %d", cp.Size, n)
	}
	return cp
}

// TestTrackerDetectsRewrite follows an honest log with a Tracker, then
// shows it a second log signed with the same key whose history differs in
// one entry: no consistency proof the forged log can produce gets past
// the Tracker.
func TestTrackerDetectsRewrite(t *testing.T) {
	honest := openTestLog(t, testConfig(t, t.TempDir()))
	anchorAll(t, honest, seeds("h", 5)...)
	cp5 := checkpointAt(t, honest, 5)
	tr, err := tlog.NewTracker(honest.Verifier(), cp5.Raw)
	if err != nil {
		t.Fatal(err)
	}
	anchorAll(t, honest, seeds("h2", 3)...)
	cp8 := checkpointAt(t, honest, 8)
	p, err := honest.ConsistencyProof(t.Context(), 5, 8)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Update(cp8.Raw, p); err != nil {
		t.Fatalf("honest growth refused: %v", err)
	}

	// The forger holds the log key and rewrites entry 3.
	forged := openTestLog(t, testConfig(t, t.TempDir()))
	history := append(seeds("h", 5), seeds("h2", 3)...)
	history[3] = "rewritten"
	anchorAll(t, forged, history...)
	anchorAll(t, forged, "more")
	f8 := checkpointAt(t, forged, 9)
	if f8.Origin != cp8.Origin {
		t.Fatal("forged log under another origin")
	}
	for from := uint64(1); from <= 9; from++ {
		fp, err := forged.ConsistencyProof(t.Context(), from, 9)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Update(f8.Raw, fp); !errors.Is(err, tlog.ErrInconsistent) {
			t.Errorf("forged checkpoint with the forger's proof from %d: %v, want ErrInconsistent", from, err)
		}
	}
	// A fork at the same size is caught without any proof.
	same := openTestLog(t, testConfig(t, t.TempDir()))
	anchorAll(t, same, history[:8]...)
	s8 := checkpointAt(t, same, 8)
	if _, err := tr.Update(s8.Raw, nil); !errors.Is(err, tlog.ErrInconsistent) {
		t.Errorf("fork at equal size: %v, want ErrInconsistent", err)
	}
	// An older checkpoint (a lagging mirror, or a log that lost entries)
	// is stale, not proof of a rewrite.
	if _, err := tr.Update(cp5.Raw, nil); !errors.Is(err, tlog.ErrStale) || errors.Is(err, tlog.ErrInconsistent) {
		t.Errorf("older checkpoint: %v, want ErrStale only", err)
	}
	if got := tr.Latest(); got.Size != 8 || got.Root != cp8.Root {
		t.Errorf("tracker moved to %d after refused updates", got.Size)
	}
	// A receipt from the forged log verifies against the key (the forger
	// has it) but its checkpoint is inconsistent with what the tracker saw.
	r, err := forged.Lookup(t.Context(), anchortest.Commitment("rewritten").Root)
	if err != nil {
		t.Fatal(err)
	}
	if err := forged.VerifyReceipt(t.Context(), r); err != nil {
		t.Fatal(err)
	}
}

// copyLog copies the log files of src over dst, leaving dst's index.
func copyLog(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if strings.HasPrefix(rel, ".iotrust") {
			return nil
		}
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if info.Mode()&os.ModeSymlink != 0 {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpenDetectsRewrittenStorage replaces a log's files with a history
// rewritten and re-signed with the log's own key: the log's index
// remembers what it verified, and Open refuses.
func TestOpenDetectsRewrittenStorage(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	l, err := tlog.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	anchorAll(t, l, seeds("a", 6)...)
	l.Close()

	forgedDir := t.TempDir()
	f, err := tlog.Open(t.Context(), testConfig(t, forgedDir))
	if err != nil {
		t.Fatal(err)
	}
	h := seeds("a", 6)
	h[2] = "swapped"
	anchorAll(t, f, append(h, "extra")...)
	f.Close()
	copyLog(t, forgedDir, dir)

	_, err = tlog.Open(t.Context(), cfg)
	t.Log(err)
	if !errors.Is(err, tlog.ErrInconsistent) {
		t.Fatalf("Open of rewritten storage: %v, want ErrInconsistent", err)
	}
}

// TestCheckDetectsTamperedEntry flips one byte of an entry bundle: the
// signed checkpoint and tiles still agree, so only a full check that
// re-hashes the entries sees it, and it does.
func TestCheckDetectsTamperedEntry(t *testing.T) {
	dir := t.TempDir()
	l := openTestLog(t, testConfig(t, dir))
	anchorAll(t, l, seeds("t", 3)...)
	if err := tlog.Check(t.Context(), dir, l.Verifier()); err != nil {
		t.Fatalf("Check of an intact log: %v", err)
	}
	bundles, _ := filepath.Glob(filepath.Join(dir, "tile", "entries", "*.p", "*"))
	if len(bundles) == 0 {
		t.Fatal("no entry bundle found")
	}
	b, err := os.ReadFile(bundles[len(bundles)-1])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x20
	if err := os.WriteFile(bundles[len(bundles)-1], b, 0o644); err != nil {
		t.Fatal(err)
	}
	err = tlog.Check(t.Context(), dir, l.Verifier())
	t.Log(err)
	if !errors.Is(err, tlog.ErrCorrupt) {
		t.Fatalf("Check of a tampered entry: %v, want ErrCorrupt", err)
	}
}

// TestRestartAndRebuild closes and reopens a log, with and without its
// index: everything is still found, re-anchoring writes nothing, and
// Follow replays the same history.
func TestRestartAndRebuild(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	l, err := tlog.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	names := seeds("r", 300) // more than one entry bundle
	pos := make([]uint64, len(names))
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(names); i += 32 {
				r, err := l.Anchor(t.Context(), anchortest.Commitment(names[i]))
				if err != nil {
					t.Error(err)
					return
				}
				pos[i] = r.Position
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	last := anchorAll(t, l, "r-last")
	l.Close()
	for _, dropIndex := range []bool{false, true} {
		if dropIndex {
			if err := os.RemoveAll(filepath.Join(dir, ".iotrust")); err != nil {
				t.Fatal(err)
			}
		}
		l, err := tlog.Open(t.Context(), cfg)
		if err != nil {
			t.Fatalf("reopen (index dropped: %v): %v", dropIndex, err)
		}
		for i, s := range names {
			r, err := l.Lookup(t.Context(), anchortest.Commitment(s).Root)
			if err != nil || r.Position != pos[i] || r.State != anchor.Final {
				t.Fatalf("index dropped %v: %s at %d (%v), %v", dropIndex, s, r.Position, r.State, err)
			}
		}
		again, err := l.Anchor(t.Context(), anchortest.Commitment(names[7]))
		if err != nil || again.Position != pos[7] {
			t.Fatalf("re-anchor after restart: %d, %v", again.Position, err)
		}
		if got := l.Checkpoint().Size; got != last.Position+1 {
			t.Fatalf("log grew to %d on re-anchoring", got)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestVerifier(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	l := openTestLog(t, cfg)
	r := anchorAll(t, l, "v")
	if err := l.Verifier().VerifyReceipt(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	// Another key under the same origin.
	_, otherV, _ := tlog.NewEd25519Signer(testOrigin, ed25519.NewKeyFromSeed(make([]byte, 32)))
	other, err := tlog.NewVerifier(otherV)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.VerifyReceipt(t.Context(), r); !errors.Is(err, anchor.ErrBadReceipt) || !errors.Is(err, tlog.ErrBadCheckpoint) {
		t.Errorf("receipt under another key: %v", err)
	}
	// An Included receipt has no proof yet.
	inc := r
	inc.State, inc.Proof = anchor.Included, nil
	if err := l.Verifier().VerifyReceipt(t.Context(), inc); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("receipt without proof: %v", err)
	}

	// Witness cosignatures: a verifier that requires them refuses the
	// log's own checkpoint, and accepts it once a witness cosigned.
	wSkey, wVkey, _ := note.GenerateKey(nil, "witness.example.com")
	ws, _ := note.NewSigner(wSkey)
	wv, _ := note.NewVerifier(wVkey)
	strict, err := l.Verifier().RequireWitnesses(1, wv)
	if err != nil {
		t.Fatal(err)
	}
	cp := l.Checkpoint()
	if _, err := strict.ParseCheckpoint(cp.Raw); !errors.Is(err, tlog.ErrBadCheckpoint) {
		t.Errorf("uncosigned checkpoint under a witness policy: %v", err)
	}
	n, err := note.Open(cp.Raw, note.VerifierList(cfg.Verifier))
	if err != nil {
		t.Fatal(err)
	}
	cosigned, err := note.Sign(&note.Note{Text: n.Text}, cfg.Signer, ws)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strict.ParseCheckpoint(cosigned); err != nil {
		t.Errorf("cosigned checkpoint: %v", err)
	}
	if _, err := l.Verifier().RequireWitnesses(2, wv); !errors.Is(err, tlog.ErrBadKey) {
		t.Errorf("quorum above witness count: %v", err)
	}
}

func TestBadKeys(t *testing.T) {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	for _, origin := range []string{"", "has space", "a+b", "tab\t"} {
		if _, _, err := tlog.NewEd25519Signer(origin, key); !errors.Is(err, tlog.ErrBadKey) {
			t.Errorf("origin %q: %v", origin, err)
		}
	}
	if _, _, err := tlog.NewEd25519Signer("ok", key[:10]); !errors.Is(err, tlog.ErrBadKey) {
		t.Errorf("short key: %v", err)
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if _, _, err := tlog.NewSigner("ok", ec); !errors.Is(err, tlog.ErrBadKey) {
		t.Errorf("P-256 key: %v", err)
	}
	s, _, _ := tlog.NewEd25519Signer("log-a", key)
	_, v, _ := tlog.NewEd25519Signer("log-a", ed25519.NewKeyFromSeed(append(make([]byte, 31), 1)))
	if _, err := tlog.Open(t.Context(), tlog.Config{Dir: t.TempDir(), Signer: s, Verifier: v}); !errors.Is(err, tlog.ErrBadKey) {
		t.Errorf("mismatched signer and verifier: %v", err)
	}
}

// wrappedKey is a crypto.Signer that is not an ed25519.PrivateKey, like a
// key in an HSM or behind a did:key.
type wrappedKey struct{ k ed25519.PrivateKey }

func (w wrappedKey) Public() crypto.PublicKey { return w.k.Public() }
func (w wrappedKey) Sign(r io.Reader, msg []byte, o crypto.SignerOpts) ([]byte, error) {
	return w.k.Sign(r, msg, o)
}

// TestSignerMatchesNote cross-checks NewSigner with x/mod's own note
// signer for the same key: Ed25519 is deterministic, so both must produce
// byte-identical signed checkpoints.
func TestSignerMatchesNote(t *testing.T) {
	key := ed25519.NewKeyFromSeed([]byte("0123456789abcdef0123456789abcdef"))
	ours, v, err := tlog.NewSigner("example.com/log", wrappedKey{key})
	if err != nil {
		t.Fatal(err)
	}
	vkey, _ := note.NewEd25519VerifierKey("example.com/log", key.Public().(ed25519.PublicKey))
	skey := "PRIVATE+KEY+example.com/log+" + strings.SplitN(strings.TrimPrefix(vkey, "example.com/log+"), "+", 2)[0] +
		"+" + base64.StdEncoding.EncodeToString(append([]byte{1}, key.Seed()...))
	theirs, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	body := &note.Note{Text: "example.com/log\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"}
	a, err := note.Sign(body, ours)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := note.Sign(body, theirs)
	if !bytes.Equal(a, b) {
		t.Fatalf("signed notes differ:\n%s\n%s", a, b)
	}
	if _, err := note.Open(a, note.VerifierList(v)); err != nil {
		t.Fatal(err)
	}
	// And a log runs on it.
	l := openTestLog(t, tlog.Config{Dir: t.TempDir(), Signer: ours, Verifier: v, CheckpointInterval: tlog.MinCheckpointInterval})
	r := anchorAll(t, l, "hsm")
	pv, err := tlog.NewEd25519Verifier("example.com/log", key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	vv, _ := tlog.NewVerifier(pv)
	if err := vv.VerifyReceipt(t.Context(), r); err != nil {
		t.Fatal(err)
	}
}
