package aggregate_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/merkle"
)

// offlineReceipts returns receipts of members of one aggregate anchored by
// a made-up inner receipt: OpenReceipt checks everything but the inner
// receipt, so none is needed.
func offlineReceipts(t testing.TB, h merkle.Hasher, n int) []anchor.Receipt {
	t.Helper()
	var cs []anchor.Commitment
	for i := range n {
		cs = append(cs, anchortest.Commitment(fmt.Sprintf("offline-%d", i)))
	}
	agg, tree, err := aggregate.Aggregate(h, aggregate.DefaultTopic, cs)
	if err != nil {
		t.Fatal(err)
	}
	inner := anchor.Receipt{Ledger: "tlog", Chain: "example.com/log", Commitment: agg, Position: 41,
		TxID: strings.Repeat("ab", 32), Time: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), State: anchor.Final, Proof: []byte{1, 2, 3}}
	var rs []anchor.Receipt
	for i, c := range cs {
		path, err := tree.InclusionProof(uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		pb, err := aggregate.Proof{Path: path, Inner: inner}.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, anchor.Receipt{Ledger: aggregate.LedgerName, Chain: inner.Chain, Commitment: c, Position: inner.Position,
			TxID: inner.TxID, Time: inner.Time, State: inner.State, Proof: pb})
	}
	return rs
}

func mustProof(t testing.TB, r anchor.Receipt) aggregate.Proof {
	t.Helper()
	var p aggregate.Proof
	if err := p.UnmarshalBinary(r.Proof); err != nil {
		t.Fatal(err)
	}
	return p
}

func encodeProof(t testing.TB, p aggregate.Proof) []byte {
	t.Helper()
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hostileReceipts is the catalogue of aggregate receipts OpenReceipt must
// refuse with anchor.ErrBadReceipt, each one change from a valid one.
func hostileReceipts(t testing.TB) map[string]anchor.Receipt {
	rs := offlineReceipts(t, merkle.BLAKE3, 5)
	good := rs[2]
	edit := func(f func(r *anchor.Receipt)) anchor.Receipt {
		r := good
		r.Proof = bytes.Clone(good.Proof)
		f(&r)
		return r
	}
	withProof := func(f func(p *aggregate.Proof)) anchor.Receipt {
		return edit(func(r *anchor.Receipt) {
			p := mustProof(t, good)
			f(&p)
			r.Proof = encodeProof(t, p)
		})
	}
	return map[string]anchor.Receipt{
		"another ledger":              edit(func(r *anchor.Receipt) { r.Ledger = "tlog" }),
		"no proof":                    edit(func(r *anchor.Receipt) { r.Proof = nil }),
		"invalid commitment":          edit(func(r *anchor.Receipt) { r.Commitment.Count = 0 }),
		"chain not the inner chain":   edit(func(r *anchor.Receipt) { r.Chain = "other.example/log" }),
		"position not the inner one":  edit(func(r *anchor.Receipt) { r.Position++ }),
		"txid not the inner one":      edit(func(r *anchor.Receipt) { r.TxID = "cd" }),
		"time not the inner one":      edit(func(r *anchor.Receipt) { r.Time = r.Time.Add(-time.Hour) }),
		"state relabelled":            edit(func(r *anchor.Receipt) { r.State = anchor.Included }),
		"member count changed":        edit(func(r *anchor.Receipt) { r.Commitment.Count++ }),
		"another member's commitment": edit(func(r *anchor.Receipt) { r.Commitment = rs[3].Commitment }),
		"another member's path":       edit(func(r *anchor.Receipt) { r.Proof = rs[3].Proof }),
		"proof truncated":             edit(func(r *anchor.Receipt) { r.Proof = r.Proof[:len(r.Proof)-1] }),
		"proof byte flipped in path":  edit(func(r *anchor.Receipt) { r.Proof[len(r.Proof)/8] ^= 1 }),
		"inner not an aggregate": withProof(func(p *aggregate.Proof) {
			p.Inner.Commitment.Metadata = []byte("iotrust.aggregate.v2")
		}),
		"inner count not the tree size": withProof(func(p *aggregate.Proof) { p.Inner.Commitment.Count++ }),
		"path of another hasher": withProof(func(p *aggregate.Proof) {
			p.Path.Hasher = merkle.SHA256
		}),
		"path of another size": withProof(func(p *aggregate.Proof) {
			p.Path.Size, p.Path.Index = 4, 2
			p.Path.Path = p.Path.Path[:2]
		}),
		"member window outside the aggregate": withProof(func(p *aggregate.Proof) {
			p.Inner.Commitment.WindowEnd = p.Inner.Commitment.WindowStart
		}),
	}
}

func TestHostileReceipts(t *testing.T) {
	good := offlineReceipts(t, merkle.BLAKE3, 5)
	for _, r := range good {
		if _, err := aggregate.OpenReceipt(r); err != nil {
			t.Fatalf("the catalogue's base receipt: %v", err)
		}
	}
	for name, r := range hostileReceipts(t) {
		_, err := aggregate.OpenReceipt(r)
		if !errors.Is(err, anchor.ErrBadReceipt) {
			t.Errorf("%s: %v, want ErrBadReceipt", name, err)
		} else if stutters(err) {
			t.Errorf("%s: error stutters: %v", name, err)
		}
	}
}

// hostileProofs is the catalogue of proof encodings UnmarshalBinary must
// refuse with ErrBadProof.
func hostileProofs(t testing.TB) map[string][]byte {
	good := offlineReceipts(t, merkle.BLAKE3, 5)[2].Proof
	pl := int(binary.BigEndian.Uint16(good[1:]))
	path, inner := good[3:3+pl], good[3+pl:]
	with := func(path, inner []byte) []byte {
		b := append([]byte{1}, binary.BigEndian.AppendUint16(nil, uint16(len(path)))...)
		return append(append(b, path...), inner...)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(inner, &m); err != nil {
		t.Fatal(err)
	}
	sorted, _ := json.Marshal(m) // members in another order
	indented := &bytes.Buffer{}
	json.Indent(indented, inner, "", " ")
	return map[string][]byte{
		"empty":                         {},
		"version only":                  {1},
		"version 2":                     append([]byte{2}, good[1:]...),
		"path length beyond the end":    append([]byte{1, 0xff, 0xff}, good[3:]...),
		"path one hash short":           with(path[:len(path)-32], inner),
		"path with an extra hash":       with(append(bytes.Clone(path), make([]byte, 32)...), inner),
		"no inner receipt":              with(path, nil),
		"inner not JSON":                with(path, []byte("receipt")),
		"inner members reordered":       with(path, sorted),
		"inner indented":                with(path, indented.Bytes()),
		"inner with trailing data":      with(path, append(bytes.Clone(inner), '{', '}')),
		"inner with a trailing newline": with(path, append(bytes.Clone(inner), '\n')),
		"inner case-variant member":     with(path, bytes.Replace(inner, []byte(`"ledger"`), []byte(`"Ledger"`), 1)),
		"inner duplicate member":        with(path, bytes.Replace(inner, []byte(`"ledger":"tlog"`), []byte(`"ledger":"tlog","ledger":"tlog"`), 1)),
		"inner over the bound":          with(path, append(bytes.Clone(inner), bytes.Repeat([]byte(" "), aggregate.MaxInnerReceiptLen)...)),
	}
}

func TestHostileProofs(t *testing.T) {
	for name, b := range hostileProofs(t) {
		var p aggregate.Proof
		if err := p.UnmarshalBinary(b); !errors.Is(err, aggregate.ErrBadProof) {
			t.Errorf("%s: %v, want ErrBadProof", name, err)
		}
	}
}

// hostileRequests is the catalogue of requests the Handler must refuse,
// with the status and the codes of its answer.
type hostileRequest struct {
	name, method, path, body string
	status                   int
	codes                    []string
}

func hostileRequests(t testing.TB) []hostileRequest {
	c, err := json.Marshal(anchortest.Commitment("http"))
	if err != nil {
		t.Fatal(err)
	}
	cj := string(c)
	rj, err := json.Marshal(offlineReceipts(t, merkle.BLAKE3, 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	r := string(rj)
	bad := []string{"invalid-commitment", "bad-encoding"}
	return []hostileRequest{
		{"anchor: case-variant member", "POST", "/anchor", strings.Replace(cj, `"root"`, `"Root"`, 1), 400, bad},
		{"anchor: duplicate member", "POST", "/anchor", strings.Replace(cj, `"count"`, `"count":1,"count"`, 1), 400, bad},
		{"anchor: unknown member", "POST", "/anchor", strings.Replace(cj, `{`, `{"extra":1,`, 1), 400, bad},
		{"anchor: empty body", "POST", "/anchor", "", 400, bad},
		{"anchor: trailing garbage", "POST", "/anchor", cj + "]", 400, bad},
		{"anchor: two commitments", "POST", "/anchor", cj + cj, 400, bad},
		{"anchor: body over the bound", "POST", "/anchor", cj + strings.Repeat(" ", anchor.MaxJSONLen), 400, []string{"malformed-request"}},
		{"anchor: zero count", "POST", "/anchor", strings.Replace(cj, `"count":`, `"count":0,"x":`, 1), 400, bad},
		{"anchor: null", "POST", "/anchor", "null", 400, []string{"invalid-commitment", "bad-root"}},
		{"lookup: case-variant member", "POST", "/lookup", `{"Root":"blake3:` + strings.Repeat("00", 32) + `"}`, 400, []string{"malformed-request"}},
		{"lookup: unknown member", "POST", "/lookup", `{"root":"blake3:` + strings.Repeat("01", 32) + `","x":1}`, 400, []string{"malformed-request"}},
		{"lookup: not a digest", "POST", "/lookup", `{"root":"blake3:zz"}`, 400, []string{"malformed-request"}},
		{"lookup: empty", "POST", "/lookup", ``, 400, []string{"malformed-request"}},
		{"lookup: body over the bound", "POST", "/lookup", strings.Repeat(" ", 1024), 400, []string{"malformed-request"}},
		{"upgrade: case-variant member", "POST", "/upgrade", strings.Replace(r, `"ledger"`, `"LEDGER"`, 1), 400, []string{"malformed-receipt"}},
		{"upgrade: trailing garbage", "POST", "/upgrade", r + "x", 400, []string{"malformed-receipt"}},
		{"upgrade: empty", "POST", "/upgrade", "", 400, []string{"malformed-receipt"}},
		{"upgrade: no state", "POST", "/upgrade", strings.Replace(r, `"state":"final",`, ``, 1), 400, []string{"malformed-receipt", "bad-state"}},
		{"wait-final: body over the bound", "POST", "/wait-final", r + strings.Repeat(" ", anchor.MaxReceiptJSONLen), 400, []string{"malformed-request"}},
		{"follow: negative from", "GET", "/follow?from=-1", "", 400, []string{"malformed-request"}},
		{"follow: leading zero", "GET", "/follow?from=01", "", 400, []string{"malformed-request"}},
		{"follow: no from", "GET", "/follow", "", 400, []string{"malformed-request"}},
		{"follow: two froms", "GET", "/follow?from=1&from=2", "", 400, []string{"malformed-request"}},
		{"follow: extra parameter", "GET", "/follow?from=1&x=2", "", 400, []string{"malformed-request"}},
		{"anchor: GET", "GET", "/anchor", "", 405, nil},
	}
}

func TestHostileRequests(t *testing.T) {
	a := openAggregator(t, testConfig(openLog(t, t.TempDir()), t.TempDir()))
	h := aggregate.Handler(a)
	for _, tc := range hostileRequests(t) {
		req := httptest.NewRequestWithContext(t.Context(), tc.method, tc.path, strings.NewReader(tc.body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d (%s)", tc.name, w.Code, tc.status, w.Body)
			continue
		}
		if tc.codes == nil {
			continue
		}
		var eb struct {
			Codes   []string `json:"codes"`
			Message string   `json:"message"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil {
			t.Errorf("%s: error body %q: %v", tc.name, w.Body, err)
			continue
		}
		if fmt.Sprint(eb.Codes) != fmt.Sprint(tc.codes) {
			t.Errorf("%s: codes %v, want %v (%s)", tc.name, eb.Codes, tc.codes, eb.Message)
		}
	}
}

// hostileAnswers is the catalogue of answers from a server that a Client
// must refuse, with the sentinels its error must match.
type hostileAnswer struct {
	name   string
	status int
	body   string
	want   []error
}

func hostileAnswers(t testing.TB) []hostileAnswer {
	rj, err := json.Marshal(offlineReceipts(t, merkle.BLAKE3, 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	r := string(rj)
	u := []error{anchor.ErrUnavailable}
	return []hostileAnswer{
		{"receipt with a case-variant member", 200, strings.Replace(r, `"txId"`, `"TxId"`, 1), u},
		{"receipt with an unknown member", 200, strings.Replace(r, `{`, `{"extra":true,`, 1), u},
		{"receipt with trailing garbage", 200, r + "}", u},
		{"empty answer", 200, "", u},
		{"answer over the bound", 200, r + strings.Repeat(" ", anchor.MaxReceiptJSONLen), u},
		{"receipt of another commitment", 200, r, []error{anchor.ErrBadReceipt}},
		{"error naming not-anchored", 404, `{"codes":["not-anchored"],"message":"anchor: root not anchored"}`, []error{anchor.ErrNotAnchored}},
		{"error naming several", 400, `{"codes":["invalid-commitment","zero-count"],"message":"m"}`, []error{anchor.ErrInvalidCommitment, anchor.ErrZeroCount}},
		{"error with unknown codes only", 418, `{"codes":["teapot"],"message":"m"}`, u},
		{"error body with a case-variant member", 404, `{"Codes":["not-anchored"],"message":"m"}`, u},
		{"error body not JSON", 502, `<html>bad gateway</html>`, u},
	}
}

func TestHostileAnswers(t *testing.T) {
	for _, tc := range hostileAnswers(t) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.status)
			w.Write([]byte(tc.body))
		}))
		c, err := aggregate.NewClient(srv.URL+"/", srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Anchor(t.Context(), anchortest.Commitment("asked"))
		srv.Close()
		for _, w := range tc.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v, does not match %v", tc.name, err, w)
			}
		}
	}
	// A follow stream that breaks its format.
	rj, _ := json.Marshal(offlineReceipts(t, merkle.BLAKE3, 1)[0])
	for name, stream := range map[string]string{
		"line over the bound":       "{}\n" + `{"receipt":` + string(rj) + strings.Repeat(" ", anchor.MaxReceiptJSONLen+100) + "}\n",
		"neither receipt nor error": "{}\n" + `{"receipt":` + string(rj) + `,"error":{"codes":[],"message":""}}` + "\n",
		"receipt without state":     "{}\n" + `{"receipt":` + strings.Replace(string(rj), `"state":"final",`, "", 1) + "}\n",
		"unknown member":            "{}\n" + `{"receipts":[]}` + "\n",
		"stream cut":                "{}\n" + `{"receipt":`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte(stream))
		}))
		c, _ := aggregate.NewClient(srv.URL, srv.Client())
		var last error
		n := 0
		for _, err := range c.Follow(t.Context(), 0) {
			if err != nil {
				last = err
				break
			}
			n++
		}
		srv.Close()
		if !errors.Is(last, anchor.ErrUnavailable) || n != 0 {
			t.Errorf("follow stream %s: %d receipts, then %v; want ErrUnavailable", name, n, last)
		}
	}
}

// stutters reports whether err's text names one of the anchor packages
// twice in a row ("anchor: x: anchor: y"), rather than once per package
// it passed through.
func stutters(err error) bool {
	last := ""
	for _, seg := range strings.Split(err.Error(), ": ") {
		switch seg {
		case "anchor", "tlog", "aggregate":
			if seg == last {
				return true
			}
			last = seg
		case "canon", "merkle":
			last = seg
		}
	}
	return false
}
