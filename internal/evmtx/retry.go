package evmtx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/rpc"
)

// ErrUnavailable is what errors of an unreachable node match when
// Retry.Unavailable is not set.
var ErrUnavailable = errors.New("evm node unavailable")

// Retry is how one RPC is retried after a transient failure (refused
// connection, timeout, HTTP 429 or 5xx, a node behind on headers).
// The zero value retries 5 times, starting 200ms apart.
type Retry struct {
	// Retries bounds the attempts after the first. Default 5.
	Retries int
	// Backoff is the wait before the first retry; it doubles on each
	// further retry. Default 200ms.
	Backoff time.Duration
	// Unavailable is the sentinel that errors of a node that cannot be
	// reached (retries exhausted, client closed) wrap: the caller's own,
	// such as anchor.ErrUnavailable. Default ErrUnavailable.
	Unavailable error
	// Logger receives a warning per retry; nil discards them.
	Logger *slog.Logger
}

func (r Retry) withDefaults() Retry {
	if r.Retries <= 0 {
		r.Retries = 5
	}
	if r.Backoff <= 0 {
		r.Backoff = 200 * time.Millisecond
	}
	if r.Unavailable == nil {
		r.Unavailable = ErrUnavailable
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	return r
}

// Do runs op, retrying transient errors up to r.Retries times with
// doubling backoff while ctx allows. Errors name what was attempted; a
// node that stays unreachable or a closed client yields an error matching
// r.Unavailable, ctx's end an error matching ctx.Err(), and any other
// answer of the node (a revert, a bad nonce) that answer, wrapped.
func (r Retry) Do(ctx context.Context, what string, op func(context.Context) error) error {
	r = r.withDefaults()
	wait := r.Backoff
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		err := op(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
		if !Transient(err) {
			if errors.Is(err, rpc.ErrClientQuit) {
				return fmt.Errorf("%w: %s: %w", r.Unavailable, what, err)
			}
			return fmt.Errorf("%s: %w", what, err)
		}
		if attempt >= r.Retries {
			return fmt.Errorf("%w: %s failed %d times: %w", r.Unavailable, what, attempt+1, err)
		}
		r.Logger.Warn("transient RPC error, retrying", "op", what, "attempt", attempt+1, "wait", wait, "err", err)
		if err := Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		wait *= 2
	}
}

// Transient reports whether err is worth retrying: the node could not be
// reached or was momentarily overloaded, as opposed to a definite answer
// (a revert, a bad nonce, a closed client, "not found").
func Transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, rpc.ErrClientQuit) || errors.Is(err, ethereum.NotFound) {
		return false
	}
	var httpErr rpc.HTTPError
	if errors.As(err, &httpErr) {
		return httpErr.StatusCode == 429 || httpErr.StatusCode >= 500
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		// A JSON-RPC error is an answer; only a node that lags behind its
		// load balancer's peers or rate-limits deserves another try.
		msg := strings.ToLower(rpcErr.Error())
		return rpcErr.ErrorCode() == -32005 || strings.Contains(msg, "header not found") ||
			strings.Contains(msg, "rate limit") || strings.Contains(msg, "too many requests")
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// Sleep waits for d or until ctx is done, returning ctx's error then.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
