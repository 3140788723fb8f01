package tlog_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/transparency-dev/tessera/api/layout"
	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// fuzzKey is the key of the checkpoints in the fuzz seeds.
func fuzzVerifier(f *testing.F) (note.Signer, *tlog.Verifier) {
	s, v, err := tlog.NewEd25519Signer("fuzz.example/log", ed25519.NewKeyFromSeed(make([]byte, 32)))
	if err != nil {
		f.Fatal(err)
	}
	tv, err := tlog.NewVerifier(v)
	if err != nil {
		f.Fatal(err)
	}
	return s, tv
}

func signedCheckpoint(f *testing.F, s note.Signer, body string) []byte {
	b, err := note.Sign(&note.Note{Text: body}, s)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func FuzzParseCheckpoint(f *testing.F) {
	s, v := fuzzVerifier(f)
	f.Add(signedCheckpoint(f, s, "fuzz.example/log\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"))
	f.Add(signedCheckpoint(f, s, "fuzz.example/log\n+5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"))
	f.Add(signedCheckpoint(f, s, "fuzz.example/log\n5\nAAAA\n"))
	f.Add(signedCheckpoint(f, s, "other.example/log\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"))
	f.Add(signedCheckpoint(f, s, "fuzz.example/log\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next\n"))
	f.Add([]byte("fuzz.example/log\n5\n\n— fuzz.example/log AAAA\n"))
	o := newOfflineLog(f, 3)
	for _, raw := range hostileCheckpoints(f, o) {
		f.Add(raw)
	}
	f.Add(o.sign(f, o.body()))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if cp, err := o.v.ParseCheckpoint(raw); err == nil && cp.Origin != hostileOrigin {
			t.Fatalf("accepted a checkpoint of origin %q", cp.Origin)
		} else if err != nil && !errors.Is(err, tlog.ErrBadCheckpoint) {
			t.Fatalf("error %v does not match ErrBadCheckpoint", err)
		}
		cp, err := v.ParseCheckpoint(raw)
		if err != nil {
			if !errors.Is(err, tlog.ErrBadCheckpoint) {
				t.Fatalf("error %v does not match ErrBadCheckpoint", err)
			}
			return
		}
		if cp.Origin != v.Origin() || !bytes.Equal(cp.Raw, raw) {
			t.Fatalf("accepted checkpoint of origin %q", cp.Origin)
		}
		// Only the log's key could have made it: the body is canonical.
		again, err := v.ParseCheckpoint(cp.Raw)
		if err != nil || again.Size != cp.Size || again.Root != cp.Root {
			t.Fatalf("re-parse: %v", err)
		}
	})
}

func FuzzInclusionProof(f *testing.F) {
	p := tlog.InclusionProof{Index: 3, TreeSize: 7, Hashes: make([][32]byte, 3), Checkpoint: []byte("cp\n")}
	b, _ := p.MarshalBinary()
	f.Add(b)
	f.Add([]byte{1})
	f.Add(append(b, 0))
	for _, b := range hostileProofs(f, newOfflineLog(f, 3)) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p tlog.InclusionProof
		if err := p.UnmarshalBinary(b); err != nil {
			if !errors.Is(err, tlog.ErrBadProof) {
				t.Fatalf("error %v does not match ErrBadProof", err)
			}
			return
		}
		again, err := p.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("proof re-encodes to %x, %v; input %x", again, err, b)
		}
	})
}

// FuzzVerifyReceipt feeds receipts in their JSON form, as an auditor
// receives them, to the offline verifier: whatever the bytes, it returns
// nil or ErrBadReceipt, and never accepts a receipt whose proof was not
// made by the log.
func FuzzVerifyReceipt(f *testing.F) {
	s, v := fuzzVerifier(f)
	c := anchortest.Commitment("fuzz")
	cp := signedCheckpoint(f, s, "fuzz.example/log\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
	proof, _ := tlog.InclusionProof{Index: 0, TreeSize: 1, Checkpoint: cp}.MarshalBinary()
	r := anchor.Receipt{Ledger: tlog.LedgerName, Chain: "fuzz.example/log", Commitment: c, State: anchor.Final, Proof: proof}
	j, _ := json.Marshal(r)
	f.Add(j)
	f.Add([]byte(`{"ledger":"tlog"}`))
	o := newOfflineLog(f, 3)
	good := o.receipt(f, 1)
	j, _ = json.Marshal(good)
	f.Add(j)
	for _, r := range hostileReceipts(f, o) {
		j, _ := json.Marshal(r)
		f.Add(j)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := anchor.ParseReceipt(b)
		if err != nil {
			if !errors.Is(err, anchor.ErrMalformedReceipt) {
				t.Fatalf("error %v does not match ErrMalformedReceipt", err)
			}
			return
		}
		for _, v := range []*tlog.Verifier{v, o.v} {
			err := v.VerifyReceipt(t.Context(), r)
			if err != nil && !errors.Is(err, anchor.ErrBadReceipt) {
				t.Fatalf("error %v does not match ErrBadReceipt", err)
			}
			// The only receipts of o's log that verify are of its entries,
			// at their positions, final.
			if err == nil && v == o.v && (r.Position >= 3 || !r.Commitment.Equal(o.cs[r.Position]) || r.State != anchor.Final) {
				t.Fatalf("verified a receipt of %s at %d in state %v", r.Commitment.Topic, r.Position, r.State)
			}
		}
	})
}

// FuzzHandler requests arbitrary paths from Log.Handler: it never panics,
// answers 200 only for the checkpoint and canonical tile and bundle
// paths, and otherwise 404 (or a redirect to the cleaned path).
func FuzzHandler(f *testing.F) {
	l, err := tlog.Open(f.Context(), testConfig(f, f.TempDir()))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { l.Close() })
	for _, s := range []string{"a", "b", "c"} {
		r, err := l.Anchor(f.Context(), anchortest.Commitment(s))
		if err == nil {
			_, err = l.WaitFinal(f.Context(), r)
		}
		if err != nil {
			f.Fatal(err)
		}
	}
	for _, p := range []string{"/checkpoint", "/tile/0/000.p/3", "/tile/entries/000.p/3", "/tile/entries/000.p/2",
		"/tile/0/000", "/tile/0/000.p/05", "/tile/0/x000/000", "/tile/64/000", "/tile/entries/-01", "/tile/0/000.p/",
		"/tile/../checkpoint", "//tile/0/000.p/3", "/tile/entries/000.p/3/"} {
		f.Add(p)
	}
	h := l.Handler()
	f.Fuzz(func(t *testing.T, path string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = path
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			rest, isTile := strings.CutPrefix(path, "/tile/")
			level, n, _ := strings.Cut(rest, "/")
			var canonical string
			switch {
			case path == "/checkpoint":
				canonical = path
			case isTile && level == "entries":
				i, p, err := layout.ParseTileIndexPartial(n)
				if err == nil {
					canonical = "/" + layout.EntriesPath(i, p)
				}
			case isTile:
				lv, i, p, err := layout.ParseTileLevelIndexPartial(level, n)
				if err == nil {
					canonical = "/" + layout.TilePath(lv, i, p)
				}
			}
			if canonical != path {
				t.Fatalf("200 for %q (canonical %q)", path, canonical)
			}
		case http.StatusNotFound, http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		default:
			t.Fatalf("%q: status %d", path, rec.Code)
		}
	})
}
