package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
	"github.com/iotrust/iotrust/zkp"
)

//go:embed templates/*.html
var templateFS embed.FS

// MaxRecentBatches is the most batches GET /v1/batches returns.
const MaxRecentBatches = 256

// Info is what the page tells a visitor about the gateway.
type Info struct {
	// Gateway is the gateway's DID.
	Gateway string
	// MQTT is where devices connect, e.g. "mqtt://127.0.0.1:1883".
	MQTT string
}

// Config configures the HTTP API and audit page.
type Config struct {
	// Gateway serves batches and evidence (required).
	Gateway *batch.Gateway
	// Admission issues challenges, admits devices over HTTP, supplies the
	// credentials bundles carry and verifies them (required).
	Admission *mqttgw.Admission
	// Ledgers are the ledgers whose receipts POST /v1/verify trusts (the
	// gateway's own log, its chain); MinReceipts how many must verify
	// (default 1).
	Ledgers     []evidence.Ledger
	MinReceipts int
	// Keys resolves device keys for POST /v1/verify (default
	// did.SelfCertifying).
	Keys did.KeyResolver
	// ZKPKeys are the zero-knowledge verifying keys POST /v1/verify
	// accepts proofs under.
	ZKPKeys []*zkp.VerifyingKey
	// Checkpoint returns the log's latest signed checkpoint (nil: GET
	// /v1/checkpoint answers 404).
	Checkpoint func() []byte
	// LogKey is the log's note verifier key (tlog.Log.VerifierKey), what
	// an auditor passes to `iotrust verify --log-key`; served at GET
	// /v1/log-key and shown on the page.
	LogKey string
	// Metrics is served at /metrics (nil: 404).
	Metrics http.Handler
	// History holds the readings the page charts (nil: no charts).
	History *History
	// Band is drawn on the charts of its sensor.
	Band *Band
	// Health reports whether the gateway is serving (nil: always healthy).
	Health func(context.Context) error
	// Info is shown on the page.
	Info Info
	// Logger receives request errors (default: discarded).
	Logger *slog.Logger
}

// Handler serves the gateway's HTTP API and audit page; see the package
// doc for the routes.
type Handler struct {
	cfg  Config
	mux  *http.ServeMux
	tmpl map[string]*template.Template
	log  *slog.Logger
}

// New returns the Handler for cfg.
func New(cfg Config) (*Handler, error) {
	if cfg.Gateway == nil || cfg.Admission == nil {
		return nil, errors.New("web: Config needs Gateway and Admission")
	}
	if cfg.Keys == nil {
		cfg.Keys = did.SelfCertifying{}
	}
	if cfg.History == nil {
		cfg.History = NewHistory(1, 1)
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), tmpl: map[string]*template.Template{}, log: cfg.Logger}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	for _, name := range []string{"index", "device", "report"} {
		t, err := template.New(name).Funcs(template.FuncMap{"quantity": Quantity}).ParseFS(templateFS, "templates/base.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		h.tmpl[name] = t
	}
	h.mux.HandleFunc("GET /v1/challenge", h.challenge)
	h.mux.HandleFunc("POST /v1/admit", h.admit)
	h.mux.HandleFunc("GET /v1/evidence/{id}", h.evidence)
	h.mux.HandleFunc("GET /v1/batches", h.batches)
	h.mux.HandleFunc("GET /v1/batches/{root}", h.batch)
	h.mux.HandleFunc("GET /v1/checkpoint", h.checkpoint)
	h.mux.HandleFunc("GET /v1/log-key", h.logKey)
	h.mux.HandleFunc("POST /v1/verify", h.verify)
	h.mux.HandleFunc("GET /v1/chart.svg", h.chart)
	h.mux.HandleFunc("GET /healthz", h.health)
	if cfg.Metrics != nil {
		h.mux.Handle("GET /metrics", cfg.Metrics)
	}
	h.mux.HandleFunc("GET /device", h.device)
	h.mux.HandleFunc("GET /{$}", h.index)
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func (h *Handler) challenge(w http.ResponseWriter, r *http.Request) {
	c, err := h.cfg.Admission.Challenge()
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, c)
}

func (h *Handler) admit(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, vc.MaxPresentationSize))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, err)
		return
	}
	device, err := h.cfg.Admission.Admit(r.Context(), bytes.TrimSpace(body))
	if err != nil {
		writeError(w, http.StatusForbidden, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"device": device})
}

// Bundle returns the evidence bundle of the acknowledged reading id, with
// the credential of its device attached when the gateway holds it.
func (h *Handler) Bundle(ctx context.Context, id canon.Digest) (*evidence.Bundle, error) {
	b, err := h.cfg.Gateway.Evidence(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(b.Readings) > 0 {
		s := b.Readings[0]
		if cred, err := h.cfg.Admission.Credential(s.Device, s.Topic); err == nil {
			b.Credential = cred
		}
	}
	return b, nil
}

func (h *Handler) evidence(w http.ResponseWriter, r *http.Request) {
	id, err := canon.ParseDigest(r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	b, err := h.Bundle(r.Context(), id)
	switch {
	case errors.Is(err, batch.ErrNotFound):
		writeError(w, http.StatusNotFound, err)
		return
	case errors.Is(err, batch.ErrNotSealed),
		// A sealed batch not anchored yet has no receipt, and a bundle
		// needs one.
		errors.Is(err, evidence.ErrMalformed) && h.cfg.Gateway.Metrics().Backlog > 0:
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusConflict, fmt.Errorf("reading acknowledged, its batch not yet sealed and anchored: %w", err))
		return
	case err != nil:
		h.log.Warn("evidence failed", "id", id.String(), "err", err)
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	raw, err := b.Marshal()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", evidence.MediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s.evidence.json"`, id.Hex()[:16]))
	_, _ = w.Write(raw)
}

// batchJSON is a batch as the API shows it.
type batchJSON struct {
	Number     uint64            `json:"number"`
	Commitment anchor.Commitment `json:"commitment"`
	Anchored   bool              `json:"anchored"`
	Final      bool              `json:"final"`
	SealedAt   time.Time         `json:"sealedAt"`
	Receipts   []receiptJSON     `json:"receipts"`
}

type receiptJSON struct {
	Ledger   string    `json:"ledger"`
	Chain    string    `json:"chain"`
	Position uint64    `json:"position"`
	TxID     string    `json:"txId"`
	Time     time.Time `json:"time"`
	State    string    `json:"state"`
}

func toJSON(bi batch.BatchInfo) batchJSON {
	out := batchJSON{Number: bi.Number, Commitment: bi.Commitment, Anchored: bi.Anchored, Final: bi.Final, SealedAt: bi.SealedAt, Receipts: []receiptJSON{}}
	for _, r := range bi.Receipts {
		out.Receipts = append(out.Receipts, receiptJSON{r.Ledger, r.Chain, r.Position, r.TxID, r.Time, r.State.String()})
	}
	return out
}

func (h *Handler) batches(w http.ResponseWriter, r *http.Request) {
	n := 20
	if s := r.URL.Query().Get("n"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			writeError(w, http.StatusBadRequest, fmt.Errorf("n: want a positive integer"))
			return
		}
		n = min(v, MaxRecentBatches)
	}
	bs, err := h.cfg.Gateway.Batches(r.Context(), n)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	out := make([]batchJSON, 0, len(bs))
	for _, b := range bs {
		out = append(out, toJSON(b))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) batch(w http.ResponseWriter, r *http.Request) {
	root, err := canon.ParseDigest(r.PathValue("root"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	b, err := h.cfg.Gateway.Batch(r.Context(), root)
	if errors.Is(err, batch.ErrNotFound) {
		writeError(w, http.StatusNotFound, err)
		return
	} else if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, toJSON(b))
}

func (h *Handler) checkpoint(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Checkpoint == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(h.cfg.Checkpoint())
}

func (h *Handler) logKey(w http.ResponseWriter, r *http.Request) {
	if h.cfg.LogKey == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, h.cfg.LogKey+"\n")
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Health != nil {
		if err := h.cfg.Health(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	_, _ = io.WriteString(w, "ok\n")
}

// Verify checks a bundle's bytes as POST /v1/verify does: parse, then
// evidence.Verify against the configured ledgers, device keys, the
// admission's trusted issuers (at the readings' time) and ZK keys.
// A bundle that does not parse gives a report with one failed "bundle"
// check and nil.
func (h *Handler) Verify(ctx context.Context, raw []byte) (*evidence.Report, *evidence.Bundle) {
	b, err := evidence.Parse(raw)
	if err != nil {
		return &evidence.Report{Checks: []evidence.Check{{Name: "bundle", Outcome: evidence.Fail, Reason: err.Error(), Err: err}}}, nil
	}
	trust := evidence.Trust{Keys: h.cfg.Keys, Ledgers: h.cfg.Ledgers, MinReceipts: h.cfg.MinReceipts, ZKPKeys: h.cfg.ZKPKeys}
	if len(b.Readings) > 0 {
		trust.Credentials = h.cfg.Admission.VerifierAt(b.Readings[0].Time)
	}
	return evidence.Verify(ctx, b, trust), b
}

// reportJSON is the body of POST /v1/verify's JSON answer.
type reportJSON struct {
	OK     bool             `json:"ok"`
	Checks []evidence.Check `json:"checks"`
}

func (h *Handler) verify(w http.ResponseWriter, r *http.Request) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	limit := int64(evidence.MaxSize)
	if ct == "multipart/form-data" || ct == "application/x-www-form-urlencoded" {
		limit = 3*limit + 4096
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	raw, err := requestBundle(r, ct)
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, err)
		return
	}
	rep, b := h.Verify(r.Context(), raw)
	w.Header().Add("Vary", "Accept")
	if !wantsHTML(r) {
		writeJSON(w, http.StatusOK, reportJSON{OK: rep.OK(), Checks: rep.Checks})
		return
	}
	data := struct {
		page
		OK              bool
		Failed, Skipped int
		Checks          []evidence.Check
		Readings        []reading.Signed
	}{page: h.page("verification report"), OK: rep.OK(), Checks: rep.Checks}
	for _, c := range rep.Checks {
		switch c.Outcome {
		case evidence.Fail:
			data.Failed++
		case evidence.Skip:
			data.Skipped++
		}
	}
	if b != nil {
		data.Readings = b.Readings
	}
	h.render(w, "report", data)
}

// requestBundle reads the bundle a POST /v1/verify carries, whose body's
// media type is ct: the file or the text of a form (multipart/form-data,
// as the page sends it, or application/x-www-form-urlencoded), or else the
// body itself. A urlencoded body that begins with "{" is a bundle as it
// is, not a form: curl --data-binary labels any body
// application/x-www-form-urlencoded, and a form encodes "{" as %7B.
func requestBundle(r *http.Request, ct string) ([]byte, error) {
	switch ct {
	case "multipart/form-data":
		return formBundle(r)
	case "application/x-www-form-urlencoded":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
			if len(body) > evidence.MaxSize {
				return nil, &http.MaxBytesError{Limit: evidence.MaxSize}
			}
			return body, nil
		}
		// A malformed form yields what it holds up to the error; an
		// empty bundle fails the report's "bundle" check.
		form, _ := url.ParseQuery(string(body))
		return []byte(strings.TrimSpace(form.Get("bundle"))), nil
	}
	return io.ReadAll(r.Body)
}

// wantsHTML reports whether r's Accept header names text/html (with a
// nonzero quality), as a browser submitting the page's form does; other
// clients (curl, scripts) get the JSON report.
func wantsHTML(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || mt != "text/html" {
				continue
			}
			if q, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}

// formBundle reads the bundle of the page's multipart form: the dropped or
// chosen file if any, else the pasted text.
func formBundle(r *http.Request) ([]byte, error) {
	if err := r.ParseMultipartForm(evidence.MaxSize); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return nil, err
	}
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return io.ReadAll(io.LimitReader(f, evidence.MaxSize+1))
		}
	}
	return []byte(strings.TrimSpace(r.FormValue("bundle"))), nil
}

type page struct {
	Title string
	Info  Info
}

func (h *Handler) page(title string) page { return page{Title: title, Info: h.cfg.Info} }

func (h *Handler) render(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := h.tmpl[name].ExecuteTemplate(&buf, name+".html", data); err != nil {
		h.log.Error("template failed", "template", name, "err", err)
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'")
	_, _ = w.Write(buf.Bytes())
}

func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	bs, err := h.cfg.Gateway.Batches(r.Context(), 20)
	if err != nil {
		h.log.Warn("batches failed", "err", err)
	}
	h.render(w, "index", struct {
		page
		Metrics batch.Metrics
		LogKey  string
		Devices []DeviceSummary
		Batches []batch.BatchInfo
	}{h.page("audit"), h.cfg.Gateway.Metrics(), h.cfg.LogKey, h.cfg.History.Devices(), bs})
}

// chartsOf groups a device's points by sensor and unit and renders one
// chart per group.
func (h *Handler) chartsOf(ctx context.Context, pts []Point) []chartView {
	bs, _ := h.cfg.Gateway.Batches(ctx, MaxRecentBatches)
	type key struct{ sensor, unit string }
	groups := map[key][]Point{}
	var order []key
	for _, p := range pts {
		k := key{p.Sensor, p.Unit}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], p)
	}
	var out []chartView
	for _, k := range order {
		out = append(out, chartView{Sensor: k.sensor, Unit: k.unit, SVG: template.HTML(Chart(groups[k], bs, h.cfg.Band))})
	}
	return out
}

type chartView struct {
	Sensor, Unit string
	SVG          template.HTML // produced by Chart, which escapes every text it takes
}

func (h *Handler) device(w http.ResponseWriter, r *http.Request) {
	dev := r.URL.Query().Get("id")
	pts := h.cfg.History.Points(dev)
	recent := pts
	if len(recent) > 50 {
		recent = recent[len(recent)-50:]
	}
	rev := make([]Point, len(recent))
	for i, p := range recent {
		rev[len(recent)-1-i] = p
	}
	h.render(w, "device", struct {
		page
		Device string
		Charts []chartView
		Recent []Point
	}{h.page("device"), dev, h.chartsOf(r.Context(), pts), rev})
}

func (h *Handler) chart(w http.ResponseWriter, r *http.Request) {
	pts := h.cfg.History.Points(r.URL.Query().Get("device"))
	sensor := r.URL.Query().Get("sensor")
	var sel []Point
	for _, p := range pts {
		if sensor == "" || p.Sensor == sensor {
			sel = append(sel, p)
		}
	}
	if sensor == "" && len(sel) > 0 {
		first := sel[0]
		var same []Point
		for _, p := range sel {
			if p.Sensor == first.Sensor && p.Unit == first.Unit {
				same = append(same, p)
			}
		}
		sel = same
	}
	bs, _ := h.cfg.Gateway.Batches(r.Context(), MaxRecentBatches)
	w.Header().Set("Content-Type", "image/svg+xml")
	_, _ = w.Write(Chart(sel, bs, h.cfg.Band))
}
