package evm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/iotrust/iotrust/anchor"
)

// transient reports whether err is worth retrying: the node could not be
// reached or was momentarily overloaded, as opposed to a definite answer
// (a revert, a bad nonce, a closed client).
func transient(err error) bool {
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

// unavailable reports whether err means the node cannot be used at all.
func unavailable(err error) bool {
	return errors.Is(err, rpc.ErrClientQuit) || transient(err)
}

// rpcNode is a client with the retry policy of a Config.
type rpcNode struct {
	c   Client
	cfg Config
}

// call runs op, retrying transient errors up to cfg.Retries times with
// doubling backoff while ctx allows. A node that stays unreachable yields
// an error matching anchor.ErrUnavailable; ctx's end yields ctx's error.
func (n *rpcNode) call(ctx context.Context, what string, op func(context.Context) error) error {
	wait := n.cfg.RetryBackoff
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("evm: %s: %w", what, err)
		}
		err := op(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("evm: %s: %w", what, ctx.Err())
		}
		if !transient(err) {
			if unavailable(err) {
				return fmt.Errorf("%w: evm: %s: %w", anchor.ErrUnavailable, what, err)
			}
			return fmt.Errorf("evm: %s: %w", what, err)
		}
		if attempt >= n.cfg.Retries {
			return fmt.Errorf("%w: evm: %s failed %d times: %w", anchor.ErrUnavailable, what, attempt+1, err)
		}
		n.cfg.Logger.Warn("evm: transient RPC error, retrying", "op", what, "attempt", attempt+1, "wait", wait, "err", err)
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("evm: %s: %w", what, err)
		}
		wait *= 2
	}
}

// sleep waits for d or until ctx is done, returning ctx's error then.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
