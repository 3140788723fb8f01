package audit

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/internal/edkey"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

const origin = "example.com/audit-test"

// testLog makes a real log of n commitments in a temporary directory and
// returns it with its key and the Included receipts Anchor returned.
func testLog(t *testing.T, n int) (string, Key, []anchor.Receipt) {
	t.Helper()
	ctx := context.Background()
	_, priv, _ := ed25519.GenerateKey(nil)
	s, v, err := tlog.NewEd25519Signer(origin, priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	l, err := tlog.Open(ctx, tlog.Config{Dir: dir, Signer: s, Verifier: v, CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		t.Fatal(err)
	}
	var rs []anchor.Receipt
	for i := range n {
		r, err := l.Anchor(ctx, anchortest.Commitment(fmt.Sprint(i)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.WaitFinal(ctx, r); err != nil {
			t.Fatal(err)
		}
		r.State, r.Proof = anchor.Included, nil
		rs = append(rs, r)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	vkey, _ := note.NewEd25519VerifierKey(origin, priv.Public().(ed25519.PublicKey))
	k, err := ParseKey(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return dir, k, rs
}

func TestParseKeyHostile(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	good, _ := note.NewEd25519VerifierKey(origin, priv.Public().(ed25519.PublicKey))
	// vkey builds a verifier key from raw key bytes with a correct hash.
	// The hash covers the name, the algorithm byte and the key.
	vkey := func(name string, raw []byte) string {
		return fmt.Sprintf("%s+%08x+%s", name, keyHash(name, raw), base64.StdEncoding.EncodeToString(raw))
	}
	identity := append([]byte{1}, make([]byte, 32)...)
	identity[1] = 1 // the neutral element: every signature verifies for it
	nonCanonical := append([]byte{1}, make([]byte, 32)...)
	for i := 1; i < 33; i++ {
		nonCanonical[i] = 0xff
	}
	nonCanonical[32] = 0x7f // y = 2^255 - 1 ≥ p
	for _, tc := range []struct {
		name, key string
	}{
		{"empty", ""},
		{"no hash", origin + "+" + base64.StdEncoding.EncodeToString(identity)},
		{"wrong hash", strings.Replace(good, "+", "+0", 1)[:len(good)]},
		{"not base64", origin + "+01234567+!!!"},
		{"other algorithm", vkey(origin, append([]byte{2}, make([]byte, 32)...))},
		{"short key", vkey(origin, []byte{1, 2, 3})},
		{"small-order key", vkey(origin, identity)},
		{"non-canonical key", vkey(origin, nonCanonical)},
		{"origin with a space", vkey("example.com/a b", append([]byte{1}, priv.Public().(ed25519.PublicKey)...))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseKey(tc.key); !errors.Is(err, tlog.ErrBadKey) {
				t.Fatalf("ParseKey = %v, want ErrBadKey", err)
			}
		})
	}
	if _, err := ParseKey(vkey(origin, identity)); !errors.Is(err, edkey.ErrSmallOrder) {
		t.Errorf("small-order key: %v, want edkey.ErrSmallOrder too", err)
	}
	if k, err := ParseKey(" " + good + "\n"); err != nil || k.Origin() != origin {
		t.Errorf("good key with surrounding space: %v", err)
	}
}

func TestSourceBounds(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "checkpoint"), make([]byte, tlog.MaxCheckpointLen+1), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.ReadCheckpoint(ctx); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized checkpoint file: %v, want ErrTooLarge", err)
	}
	if _, err := src.ReadTile(ctx, 0, 0, 0); !errors.Is(err, ErrNotFound) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing tile: %v, want ErrNotFound matching os.ErrNotExist", err)
	}

	big := strings.Repeat("x", MaxTileSize+1)
	mux := http.NewServeMux()
	mux.HandleFunc("/log/checkpoint", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	mux.HandleFunc("/log/tile/0/000", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(big)) }) // with Content-Length
	mux.HandleFunc("/log/tile/0/001", func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush() // chunked: no Content-Length
		w.Write([]byte(big))
	})
	mux.HandleFunc("/log/tile/0/002", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("full")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	hs, err := Open(srv.URL + "/log")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hs.ReadCheckpoint(ctx); !errors.Is(err, ErrUnavailable) {
		t.Errorf("HTTP 503: %v, want ErrUnavailable", err)
	}
	for _, i := range []uint64{0, 1} {
		if _, err := hs.ReadTile(ctx, 0, i, 0); !errors.Is(err, ErrTooLarge) {
			t.Errorf("oversized tile %d: %v, want ErrTooLarge", i, err)
		}
	}
	// A partial tile gone: the full tile that replaced it is read.
	if b, err := hs.ReadTile(ctx, 0, 2, 7); err != nil || string(b) != "full" {
		t.Errorf("partial tile fallback: %q, %v", b, err)
	}
	if _, err := hs.ReadEntryBundle(ctx, 5, 0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing bundle over HTTP: %v, want os.ErrNotExist", err)
	}
	if _, err := Open(filepath.Join(dir, "checkpoint")); err == nil {
		t.Error("a file opened as a log directory")
	}
}

// headerTransport adds a header to every request.
type headerTransport struct{ key, value string }

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.key, h.value)
	return http.DefaultTransport.RoundTrip(r)
}

// OpenWithClient reads through the caller's client: here one whose
// transport authenticates to a server that refuses anybody else.
func TestOpenWithClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer auditor" {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		w.Write([]byte("a checkpoint"))
	}))
	defer srv.Close()
	ctx := context.Background()
	plain, err := Open(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.ReadCheckpoint(ctx); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("without credentials: %v, want ErrUnavailable", err)
	}
	authed, err := OpenWithClient(srv.URL, &http.Client{Transport: headerTransport{"Authorization", "Bearer auditor"}})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := authed.ReadCheckpoint(ctx); err != nil || string(b) != "a checkpoint" {
		t.Fatalf("with the caller's client: %q, %v", b, err)
	}
}

func TestUpgrader(t *testing.T) {
	ctx := context.Background()
	dir, k, rs := testLog(t, 3)
	src, _ := Open(dir)
	u := NewUpgrader(src, Keys{k})
	for _, r := range rs {
		got, err := u.Upgrade(ctx, r)
		if err != nil || got.State != anchor.Final {
			t.Fatalf("Upgrade(%d) = %v, %v", r.Position, got.State, err)
		}
		if err := k.Verifier.VerifyReceipt(ctx, got); err != nil {
			t.Fatalf("upgraded receipt does not verify: %v", err)
		}
	}
	for _, tc := range []struct {
		name string
		r    anchor.Receipt
		want error
	}{
		{"another ledger", func() anchor.Receipt { r := rs[0]; r.Ledger = "evm"; return r }(), anchor.ErrBadReceipt},
		{"another log", func() anchor.Receipt { r := rs[0]; r.Chain = "example.org/x"; return r }(), anchor.ErrBadReceipt},
		{"another position", func() anchor.Receipt { r := rs[0]; r.Position = 2; return r }(), anchor.ErrBadReceipt},
		{"invalid commitment", func() anchor.Receipt { r := rs[0]; r.Commitment.Count = 0; return r }(), anchor.ErrBadReceipt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := u.Upgrade(ctx, tc.r); !errors.Is(err, tc.want) {
				t.Fatalf("Upgrade = %v, want %v", err, tc.want)
			}
		})
	}
	// Beyond the checkpoint: still Included, not an error.
	r := rs[0]
	r.Position = 9
	if got, err := u.Upgrade(ctx, r); err != nil || got.State != anchor.Included || got.Proof != nil {
		t.Errorf("beyond the checkpoint: %v, %v", got.State, err)
	}
}

func TestConsistencyAndFsck(t *testing.T) {
	ctx := context.Background()
	dir, k, _ := testLog(t, 4)
	src, _ := Open(dir)
	cp, _, err := Checkpoint(ctx, src, Keys{k})
	if err != nil {
		t.Fatal(err)
	}
	if err := Consistency(ctx, src, cp, cp); err != nil {
		t.Errorf("a checkpoint with itself: %v", err)
	}
	var calls int
	if err := Fsck(ctx, src, k, cp, 2, func(done, total uint64) {
		calls++
		if done > total || total != 1 {
			t.Errorf("progress %d/%d", done, total)
		}
	}); err != nil {
		t.Errorf("fsck of a good log: %v", err)
	}
	if calls == 0 {
		t.Error("progress never reported")
	}
	if _, _, err := Checkpoint(ctx, src, nil); !errors.Is(err, ErrNoKey) {
		t.Errorf("no key: %v, want ErrNoKey", err)
	}
	// An entry bundle that cannot be read at all (a directory where the
	// file should be) is an I/O failure, not a finding about the log.
	bundle := filepath.Join(dir, "tile", "entries", "000.p", "4")
	if err := os.Remove(bundle); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(bundle, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Fsck(ctx, src, k, cp, 2, nil); !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrTilesCorrupt) {
		t.Errorf("unreadable bundle: %v, want ErrUnavailable only", err)
	}
}

func TestStateHostile(t *testing.T) {
	dir, k, _ := testLog(t, 1)
	src, _ := Open(dir)
	cp, _, err := Checkpoint(context.Background(), src, Keys{k})
	if err != nil {
		t.Fatal(err)
	}
	st := &State{}
	st.Remember(k, cp, time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC))
	path := filepath.Join(t.TempDir(), "d", "logs.json")
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	back, err := ParseState(good)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok, err := back.Remembered(k); err != nil || !ok || got.Size != cp.Size {
		t.Fatalf("Remembered = %v %v %v", got, ok, err)
	}
	cpJSON := strings.ReplaceAll(strings.ReplaceAll(string(cp.Raw), "\n", `\n`), "\u2014", `\u2014`)
	for _, tc := range []struct {
		name, raw string
	}{
		{"empty", ""},
		{"not JSON", "logs"},
		{"unknown member", `{"logs":{},"version":1,"x":0}`},
		{"duplicate member", `{"logs":{},"version":1,"version":1}`},
		{"case variant", `{"Logs":{},"version":1}`},
		{"other version", `{"logs":{},"version":2}`},
		{"trailing data", `{"logs":{},"version":1} {}`},
		{"time not in UTC", `{"logs":{"` + origin + `":{"checked":"2030-01-02T04:04:05+01:00","checkpoint":"` + cpJSON + `","key":"k"}},"version":1}`},
		{"checkpoint of another log", `{"logs":{"example.org/other":{"checked":"2030-01-02T03:04:05Z","checkpoint":"` + cpJSON + `","key":"k"}},"version":1}`},
		{"too large", `{"logs":{},"version":1,"pad":"` + strings.Repeat("x", MaxStateSize) + `"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseState([]byte(tc.raw)); !errors.Is(err, ErrBadState) {
				t.Fatalf("ParseState = %v, want ErrBadState", err)
			}
		})
	}
	// A remembered checkpoint that the key given now does not verify.
	_, other, _ := ed25519.GenerateKey(nil)
	vkey, _ := note.NewEd25519VerifierKey(origin, other.Public().(ed25519.PublicKey))
	k2, _ := ParseKey(vkey)
	if _, _, err := back.Remembered(k2); !errors.Is(err, ErrBadState) {
		t.Errorf("checkpoint under another key: %v, want ErrBadState", err)
	}
	if st, err := LoadState(filepath.Join(t.TempDir(), "none.json")); err != nil || len(st.Logs) != 0 {
		t.Errorf("missing state file: %v", err)
	}
}

func FuzzParseState(f *testing.F) {
	f.Add([]byte(`{"logs":{},"version":1}`))
	f.Add([]byte(`{"logs":{"a":{"checked":"2030-01-02T03:04:05Z","checkpoint":"a\n1\nAA==\n\n","key":"k"}},"version":1}`))
	f.Add([]byte(`{"logs":{},"version":1,"x":0}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		st, err := ParseState(raw)
		if err != nil {
			if !errors.Is(err, ErrBadState) {
				t.Fatalf("error %v does not match ErrBadState", err)
			}
			return
		}
		// What is accepted is written back in the same form.
		out, err := canonJSON(stateJSON{Logs: st.Logs, Version: stateVersion})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseState(out); err != nil {
			t.Fatalf("accepted state does not round-trip: %v", err)
		}
	})
}
