package aggregate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
)

// FuzzProof: UnmarshalBinary accepts exactly what MarshalBinary writes.
func FuzzProof(f *testing.F) {
	for _, r := range offlineReceipts(f, merkle.SHA256, 3) {
		f.Add(r.Proof)
	}
	for _, b := range hostileProofs(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p aggregate.Proof
		if err := p.UnmarshalBinary(b); err != nil {
			if !errors.Is(err, aggregate.ErrBadProof) {
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

// FuzzOpenReceipt feeds receipts in their JSON form to OpenReceipt: it
// returns ErrBadReceipt or a proof whose path leads from the member to
// the inner commitment's root.
func FuzzOpenReceipt(f *testing.F) {
	for _, r := range offlineReceipts(f, merkle.BLAKE3, 3) {
		j, _ := json.Marshal(r)
		f.Add(j)
	}
	for _, r := range hostileReceipts(f) {
		j, err := json.Marshal(r)
		if err == nil {
			f.Add(j)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := anchor.ParseReceipt(b)
		if err != nil {
			return
		}
		p, err := aggregate.OpenReceipt(r)
		if err != nil {
			if !errors.Is(err, anchor.ErrBadReceipt) {
				t.Fatalf("error %v does not match ErrBadReceipt", err)
			}
			return
		}
		id, _ := r.Commitment.ID()
		root, err := p.Path.Hasher.FromDigest(p.Inner.Commitment.Root)
		if err != nil || p.Path.Verify(p.Path.Hasher.HashLeaf(id.Sum[:]), root) != nil {
			t.Fatal("opened a receipt whose path does not lead to the aggregate root")
		}
	})
}

// nothingLedger holds nothing: the handler's decoding is what FuzzHandler
// exercises, and every request it decodes reaches this ledger.
type nothingLedger struct{}

func (nothingLedger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	if err := c.Validate(); err != nil {
		return anchor.Receipt{}, err
	}
	return anchor.Receipt{}, anchor.ErrUnavailable
}
func (nothingLedger) Lookup(context.Context, canon.Digest) (anchor.Receipt, error) {
	return anchor.Receipt{}, anchor.ErrNotAnchored
}
func (nothingLedger) WaitFinal(context.Context, anchor.Receipt) (anchor.Receipt, error) {
	return anchor.Receipt{}, anchor.ErrBadReceipt
}
func (nothingLedger) Upgrade(context.Context, anchor.Receipt) (anchor.Receipt, error) {
	return anchor.Receipt{}, anchor.ErrNotAnchored
}
func (nothingLedger) Follow(ctx context.Context, _ uint64) iter.Seq2[anchor.Receipt, error] {
	return func(yield func(anchor.Receipt, error) bool) { yield(anchor.Receipt{}, anchor.ErrClosed) }
}

// FuzzHandler: whatever the request, the handler answers with a status it
// documents and, for errors, a strict JSON body naming what went wrong;
// it never answers 500 for a request it could not decode.
func FuzzHandler(f *testing.F) {
	for _, tc := range hostileRequests(f) {
		f.Add(tc.method, tc.path, []byte(tc.body))
	}
	f.Add("GET", "/follow?from=0", []byte(nil))
	h := aggregate.Handler(nothingLedger{})
	f.Fuzz(func(t *testing.T, method, path string, body []byte) {
		if method != "GET" && method != "POST" || !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n#") {
			return
		}
		req, err := http.NewRequestWithContext(t.Context(), method, "http://aggregator"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		ours := strings.HasPrefix(w.Header().Get("Content-Type"), "application/json")
		switch w.Code {
		case 200, 400, 409, 422, 503:
			ours = ours || w.Code != 200
		case 404, 405, 301, 307, 308: // also the mux's: unknown path, method, unclean path
		default:
			t.Fatalf("%s %s %q: status %d: %s", method, path, body, w.Code, w.Body)
		}
		if ours && w.Code != 200 {
			var eb struct {
				Codes   []string `json:"codes"`
				Message string   `json:"message"`
			}
			if err := canon.Decode(bytes.TrimSpace(w.Body.Bytes()), &eb); err != nil || len(eb.Codes) == 0 {
				t.Fatalf("%s %s: error body %q: %v", method, path, w.Body, err)
			}
		}
	})
}
