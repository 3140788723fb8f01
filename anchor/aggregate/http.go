package aggregate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/internal/errchain"
	"github.com/iotrust/iotrust/canon"
)

// Paths of the HTTP interface, relative to the base URL of a Client.
const (
	pathAnchor    = "/anchor"     // POST a commitment's JSON; the receipt
	pathLookup    = "/lookup"     // POST {"root":"<func>:<hex>"}; the receipt
	pathUpgrade   = "/upgrade"    // POST a receipt; the upgraded receipt
	pathWaitFinal = "/wait-final" // POST a receipt; the final receipt
	pathFollow    = "/follow"     // GET ?from=<position>; NDJSON of {"receipt":…} and a final {"error":…}
)

// Bounds of the HTTP interface.
const (
	// maxLookupLen bounds a lookup request's body.
	maxLookupLen = 512
	// maxErrorLen bounds an error body and the message a client keeps.
	maxErrorLen = 4096
	// maxFollowLine bounds one line of a follow stream.
	maxFollowLine = anchor.MaxReceiptJSONLen + 64
)

// errorCodes names, on the wire, every sentinel an error may match, so
// that a Client's errors match the same sentinels as the server's. The
// first code an error matches sets the HTTP status.
var errorCodes = []struct {
	code   string
	err    error
	status int
}{
	{"invalid-commitment", anchor.ErrInvalidCommitment, http.StatusBadRequest},
	{"malformed-receipt", anchor.ErrMalformedReceipt, http.StatusBadRequest},
	{"malformed-request", errMalformedRequest, http.StatusBadRequest},
	{"root-conflict", anchor.ErrRootConflict, http.StatusConflict},
	{"bad-receipt", anchor.ErrBadReceipt, http.StatusUnprocessableEntity},
	{"not-anchored", anchor.ErrNotAnchored, http.StatusNotFound},
	{"closed", anchor.ErrClosed, http.StatusServiceUnavailable},
	{"unavailable", anchor.ErrUnavailable, http.StatusServiceUnavailable},
	{"deadline-exceeded", context.DeadlineExceeded, http.StatusGatewayTimeout},
	{"canceled", context.Canceled, 499},
	{"bad-root", anchor.ErrBadRoot, 0},
	{"bad-cid", anchor.ErrBadCID, 0},
	{"bad-window", anchor.ErrBadWindow, 0},
	{"zero-count", anchor.ErrZeroCount, 0},
	{"bad-topic", anchor.ErrBadTopic, 0},
	{"metadata-too-large", anchor.ErrMetadataTooLarge, 0},
	{"bad-encoding", anchor.ErrBadEncoding, 0},
	{"bad-state", anchor.ErrBadState, 0},
}

// errMalformedRequest is a request the handler cannot read.
var errMalformedRequest = errors.New("aggregate: malformed request")

// errorBody is the JSON body of every error answer.
type errorBody struct {
	Codes   []string `json:"codes"`
	Message string   `json:"message"`
}

func errorOf(err error) (int, errorBody) {
	status := http.StatusInternalServerError
	body := errorBody{Codes: []string{}, Message: truncate(err.Error(), maxErrorLen)}
	for _, c := range errorCodes {
		if errors.Is(err, c.err) {
			if len(body.Codes) == 0 && c.status != 0 {
				status = c.status
			}
			body.Codes = append(body.Codes, c.code)
		}
	}
	return status, body
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Handler serves l (an Aggregator, or any anchor.Ledger) over HTTP, so
// that several gateways share it through NewClient: POST /anchor (a
// commitment), /lookup ({"root":…}), /upgrade and /wait-final (a
// receipt) answer with a receipt; GET /follow?from=N streams
// newline-delimited {"receipt":…} lines and ends with {"error":…}.
// Request bodies are
// bounded and decoded strictly (one JSON form; unknown, duplicate and
// case-variant members refused); errors answer with a status and a JSON
// body naming every sentinel the error matches. Each request runs under
// the request's context: a gateway that disconnects cancels its wait. The
// handler does not authenticate callers: serve it behind whatever admits
// your gateways (mutual TLS, a reverse proxy).
func Handler(l anchor.Ledger) http.Handler {
	h := &handler{l: l}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+pathAnchor, h.anchor)
	mux.HandleFunc("POST "+pathLookup, h.lookup)
	mux.HandleFunc("POST "+pathUpgrade, h.receipt(l.Upgrade))
	mux.HandleFunc("POST "+pathWaitFinal, h.receipt(l.WaitFinal))
	mux.HandleFunc("GET "+pathFollow, h.follow)
	return mux
}

type handler struct{ l anchor.Ledger }

// body reads a request body of at most limit bytes.
func body(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, fmt.Errorf("%w: body over %d bytes", errMalformedRequest, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errMalformedRequest, err)
	}
	return b, nil
}

func writeError(w http.ResponseWriter, err error) {
	status, eb := errorOf(err)
	writeJSON(w, status, eb)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, v = errorOf(err)
		b, _ = json.Marshal(v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func (h *handler) anchor(w http.ResponseWriter, r *http.Request) {
	b, err := body(w, r, anchor.MaxJSONLen)
	if err != nil {
		writeError(w, err)
		return
	}
	var c anchor.Commitment
	if err := c.UnmarshalJSON(b); err != nil {
		writeError(w, err)
		return
	}
	rc, err := h.l.Anchor(r.Context(), c)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rc)
}

// lookupRequest is the body of a lookup.
type lookupRequest struct {
	Root canon.Digest `json:"root"`
}

func (h *handler) lookup(w http.ResponseWriter, r *http.Request) {
	b, err := body(w, r, maxLookupLen)
	if err != nil {
		writeError(w, err)
		return
	}
	var req lookupRequest
	if err := (canon.Limits{MaxBytes: maxLookupLen, MaxDepth: 1}).Decode(b, &req); err != nil {
		writeError(w, fmt.Errorf("%w: %w", errMalformedRequest, err))
		return
	}
	rc, err := h.l.Lookup(r.Context(), req.Root)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rc)
}

func (h *handler) receipt(op func(context.Context, anchor.Receipt) (anchor.Receipt, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := body(w, r, anchor.MaxReceiptJSONLen)
		if err != nil {
			writeError(w, err)
			return
		}
		in, err := anchor.ParseReceipt(b)
		if err != nil {
			writeError(w, err)
			return
		}
		out, err := op(r.Context(), in)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// followLine is one line of a follow stream: a receipt, or the error that
// ended the stream.
type followLine struct {
	Receipt *anchor.Receipt `json:"receipt,omitempty"`
	Error   *errorBody      `json:"error,omitempty"`
}

func (h *handler) follow(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if len(q) != 1 || len(q["from"]) != 1 {
		writeError(w, fmt.Errorf("%w: want exactly the query parameter from", errMalformedRequest))
		return
	}
	from, err := strconv.ParseUint(q.Get("from"), 10, 64)
	if err != nil || strconv.FormatUint(from, 10) != q.Get("from") {
		writeError(w, fmt.Errorf("%w: from %q is not a position", errMalformedRequest, truncate(q.Get("from"), 32)))
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	write := func(l followLine) bool {
		b, err := json.Marshal(l)
		if err != nil {
			_, eb := errorOf(err)
			b, _ = json.Marshal(followLine{Error: &eb})
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	write(followLine{}) // headers and a first line out: the stream is open
	for rcp, err := range h.l.Follow(r.Context(), from) {
		if err != nil {
			_, eb := errorOf(err)
			write(followLine{Error: &eb})
			return
		}
		if !write(followLine{Receipt: &rcp}) {
			return
		}
	}
}

// Client is an anchor.Ledger served by Handler at a base URL: a gateway's
// handle on a shared aggregator. Answers are bounded and decoded strictly;
// errors match the sentinels the server's errors matched
// (anchor.ErrNotAnchored, anchor.ErrInvalidCommitment and its reason,
// …), and a server that cannot be reached gives anchor.ErrUnavailable, as
// does a server whose ledger is closed (besides anchor.ErrClosed: the
// Client is not closed, and a restarted server answers again). A Client is
// safe for concurrent use.
type Client struct {
	base string
	hc   *http.Client
}

// NewClient returns a Client of the Handler at baseURL (http or https),
// sending requests with hc; nil selects a new http.Client without a
// timeout (Anchor and WaitFinal wait for the ledger: bound them with
// their context).
func NewClient(baseURL string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("aggregate: base URL %q must be an http(s) URL without query", baseURL)
	}
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{base: strings.TrimSuffix(u.String(), "/"), hc: hc}, nil
}

// remoteError is an error answered by a Handler: the server's message,
// matching the sentinels it named.
type remoteError struct {
	msg  string
	errs []error
}

func (e *remoteError) Error() string   { return e.msg }
func (e *remoteError) Unwrap() []error { return e.errs }

// decodeError turns an error answer into an error matching what the
// server's did.
func decodeError(status int, b []byte) error {
	var eb errorBody
	if err := (canon.Limits{MaxBytes: maxErrorLen + 1024, MaxDepth: 2}).Decode(b, &eb); err != nil {
		return fmt.Errorf("%w: aggregate: answer %d with an unreadable body: %w", anchor.ErrUnavailable, status, err)
	}
	e := &remoteError{msg: truncate(eb.Message, maxErrorLen)}
	for _, code := range eb.Codes {
		for _, c := range errorCodes {
			if c.code == code {
				e.errs = append(e.errs, c.err)
			}
		}
	}
	if len(e.errs) == 0 {
		e.errs = []error{anchor.ErrUnavailable}
		e.msg = fmt.Sprintf("aggregate: server answered %d: %s", status, e.msg)
	}
	if slices.Contains(e.errs, anchor.ErrClosed) && !slices.Contains(e.errs, anchor.ErrUnavailable) {
		// The server's ledger is closed, not this Client: a restarted
		// server answers again, so the call may be retried.
		e.errs = append(e.errs, anchor.ErrUnavailable)
	}
	return e
}

// call POSTs body to path and decodes the receipt answered.
func (c *Client) call(ctx context.Context, path string, body []byte) (anchor.Receipt, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return anchor.Receipt{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return anchor.Receipt{}, fmt.Errorf("aggregate: %s: %w", path, ctx.Err())
		}
		return anchor.Receipt{}, fmt.Errorf("%w: aggregate: %w", anchor.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, anchor.MaxReceiptJSONLen+1))
	if err != nil {
		if ctx.Err() != nil {
			return anchor.Receipt{}, fmt.Errorf("aggregate: %s: %w", path, ctx.Err())
		}
		return anchor.Receipt{}, fmt.Errorf("%w: aggregate: reading the answer: %w", anchor.ErrUnavailable, err)
	}
	if len(b) > anchor.MaxReceiptJSONLen {
		return anchor.Receipt{}, fmt.Errorf("%w: aggregate: answer over %d bytes", anchor.ErrUnavailable, anchor.MaxReceiptJSONLen)
	}
	if resp.StatusCode != http.StatusOK {
		return anchor.Receipt{}, decodeError(resp.StatusCode, b)
	}
	r, err := anchor.ParseReceipt(bytes.TrimSuffix(b, []byte("\n")))
	if err != nil {
		return anchor.Receipt{}, fmt.Errorf("%w: aggregate: the server's receipt: %w", anchor.ErrUnavailable, err)
	}
	return r, nil
}

// Anchor sends c to the aggregator and waits for its receipt (see
// Aggregator.Anchor).
func (c *Client) Anchor(ctx context.Context, cm anchor.Commitment) (anchor.Receipt, error) {
	if err := cm.Validate(); err != nil {
		return anchor.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return anchor.Receipt{}, err
	}
	b, err := json.Marshal(cm)
	if err != nil {
		return anchor.Receipt{}, err
	}
	r, err := c.call(ctx, pathAnchor, b)
	if err == nil && !r.Commitment.Equal(cm) {
		return anchor.Receipt{}, fmt.Errorf("%w: aggregate: the server answered with the receipt of another commitment", anchor.ErrBadReceipt)
	}
	return r, err
}

// Lookup asks the aggregator for the receipt of the commitment under root.
func (c *Client) Lookup(ctx context.Context, root canon.Digest) (anchor.Receipt, error) {
	if !root.Valid() {
		return anchor.Receipt{}, fmt.Errorf("%w: %w: invalid root", anchor.ErrInvalidCommitment, anchor.ErrBadRoot)
	}
	b, err := json.Marshal(lookupRequest{Root: root})
	if err != nil {
		return anchor.Receipt{}, err
	}
	r, err := c.call(ctx, pathLookup, b)
	if err == nil && r.Commitment.Root != root {
		return anchor.Receipt{}, fmt.Errorf("%w: aggregate: the server answered with the receipt of root %s", anchor.ErrBadReceipt, r.Commitment.Root)
	}
	return r, err
}

// receiptCall sends r to path; a receipt that cannot be sent (an invalid
// commitment) is refused here with anchor.ErrBadReceipt.
func (c *Client) receiptCall(ctx context.Context, path string, r anchor.Receipt) (anchor.Receipt, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return anchor.Receipt{}, errchain.Wrap(anchor.ErrBadReceipt, err)
	}
	out, err := c.call(ctx, path, b)
	if err == nil && !out.Commitment.Equal(r.Commitment) {
		return anchor.Receipt{}, fmt.Errorf("%w: aggregate: the server answered with the receipt of another commitment", anchor.ErrBadReceipt)
	}
	return out, err
}

// Upgrade asks the aggregator for r in its latest state (see
// Aggregator.Upgrade).
func (c *Client) Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	return c.receiptCall(ctx, pathUpgrade, r)
}

// WaitFinal waits, on the aggregator, until r's anchor is final.
func (c *Client) WaitFinal(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	return c.receiptCall(ctx, pathWaitFinal, r)
}

// Follow streams the aggregator's Follow: receipts are read from the
// connection as fast as the loop consumes them, and breaking out of the
// loop closes the connection.
func (c *Client) Follow(ctx context.Context, from uint64) iter.Seq2[anchor.Receipt, error] {
	return func(yield func(anchor.Receipt, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		fail := func(err error) {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			yield(anchor.Receipt{}, err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+pathFollow+"?from="+strconv.FormatUint(from, 10), nil)
		if err != nil {
			fail(err)
			return
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			fail(fmt.Errorf("%w: aggregate: %w", anchor.ErrUnavailable, err))
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorLen+1024))
			fail(decodeError(resp.StatusCode, b))
			return
		}
		rd := bufio.NewReaderSize(resp.Body, 4096)
		first := true
		for {
			line, err := readLine(rd, maxFollowLine)
			if err != nil {
				fail(fmt.Errorf("%w: aggregate: follow stream: %w", anchor.ErrUnavailable, err))
				return
			}
			var fl followLine
			if err := (canon.Limits{MaxBytes: maxFollowLine, MaxDepth: 4}).Decode(line, &fl); err != nil {
				fail(fmt.Errorf("%w: aggregate: follow stream: %w", anchor.ErrUnavailable, err))
				return
			}
			switch {
			case first && fl.Receipt == nil && fl.Error == nil:
				first = false // the opening line
			case fl.Error != nil && fl.Receipt == nil:
				b, _ := json.Marshal(fl.Error)
				fail(decodeError(http.StatusOK, b))
				return
			case fl.Receipt != nil && fl.Error == nil && fl.Receipt.State.Valid() && fl.Receipt.Commitment.Validate() == nil:
				first = false
				if !yield(*fl.Receipt, nil) {
					return
				}
			default:
				fail(fmt.Errorf("%w: aggregate: follow stream: a line that is neither a receipt nor an error", anchor.ErrUnavailable))
				return
			}
		}
	}
}

// readLine reads one '\n'-terminated line of at most limit bytes.
func readLine(rd *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := rd.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > limit+1 {
			return nil, fmt.Errorf("line over %d bytes", limit)
		}
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) == 0:
			return nil, errors.New("stream ended")
		default:
			return nil, err
		}
	}
}

var _ anchor.Ledger = (*Client)(nil)
