package evm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/internal/evmtx"
	"github.com/iotrust/iotrust/internal/nilable"
)

// view is the chain as one question saw it: its head, and the highest
// block that is final by Config.Finality (none while final is false).
type view struct {
	head  *types.Header
	final uint64
	any   bool
}

// state is the State of an anchor in block n.
func (v view) state(n uint64) anchor.State {
	if v.any && n <= v.final {
		return anchor.Final
	}
	return anchor.Included
}

// view asks the node for its head and, by Config.Finality, its finalized
// block.
func (l *Ledger) view(ctx context.Context) (view, error) {
	return chainView(ctx, l.c, l.retry, l.cfg)
}

// chainView asks c for its head and, by cfg.Finality, the highest final
// block: the one question Ledger and FinalHeaders share.
func chainView(ctx context.Context, c evmtx.Client, retry evmtx.Retry, cfg Config) (view, error) {
	var head *types.Header
	if err := retry.Do(ctx, "latest header", func(ctx context.Context) (err error) {
		head, err = c.HeaderByNumber(ctx, nil)
		return err
	}); err != nil {
		return view{}, err
	}
	h := head.Number.Uint64()
	switch cfg.Finality {
	case Immediate:
		return view{head: head, final: h, any: true}, nil
	case FinalizedTag:
		var fh *types.Header
		err := retry.Do(ctx, "finalized header", func(ctx context.Context) (err error) {
			fh, err = c.HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
			return err
		})
		if err == nil && fh != nil && fh.Number != nil {
			// A node behind a load balancer may answer the two questions
			// from different peers: never beyond the head we saw.
			return view{head: head, final: min(fh.Number.Uint64(), h), any: true}, nil
		}
		if err != nil && !tagUnknown(err) {
			return view{}, err
		}
		cfg.Logger.Debug("evm: node does not know the finalized block; counting confirmations", "err", err)
	}
	if h < cfg.Confirmations {
		return view{head: head}, nil
	}
	return view{head: head, final: h - cfg.Confirmations, any: true}, nil
}

// FinalHeaders returns TrustedHeaders that vouch, through client, only
// for blocks final by finality: the node's finalized block (FinalizedTag,
// counting confirmations on a node that does not know the tag),
// confirmations blocks built on top (ConfirmationCount; 0 means 12, as in
// Config), or the head (Immediate). HeaderHash answers the node's hash of
// such a block, and an error matching ErrUntrustedBlock for a block not
// final yet, so a HeaderVerifier over it accepts a receipt only in a
// final block: a receipt marked Final whose block the node does not hold
// final fails. The node is trusted, as a light client would be; a node
// that cannot be reached gives errors matching anchor.ErrUnavailable
// (after Config's default retries).
func FinalHeaders(client Client, finality Finality, confirmations uint64) (TrustedHeaders, error) {
	if nilable.Is(client) {
		return nil, fmt.Errorf("%w: no client", ErrBadConfig)
	}
	if finality > Immediate {
		return nil, fmt.Errorf("%w: finality %v", ErrBadConfig, finality)
	}
	cfg := Config{Finality: finality, Confirmations: confirmations, Logger: slog.New(slog.DiscardHandler)}
	if cfg.Confirmations == 0 {
		cfg.Confirmations = 12
	}
	return &finalHeaders{c: client, retry: cfg.retry(), cfg: cfg}, nil
}

type finalHeaders struct {
	c     evmtx.Client
	retry evmtx.Retry
	cfg   Config
}

func (f *finalHeaders) HeaderHash(ctx context.Context, number uint64) (common.Hash, error) {
	v, err := chainView(ctx, f.c, f.retry, f.cfg)
	if err != nil {
		return common.Hash{}, wrap(err, "final headers")
	}
	if !v.any || number > v.final {
		final := "none yet"
		if v.any {
			final = fmt.Sprintf("up to %d", v.final)
		}
		return common.Hash{}, fmt.Errorf("%w: block %d is not final on the node (final: %s, head %d)", ErrUntrustedBlock, number, final, v.head.Number.Uint64())
	}
	var h *types.Header
	err = f.retry.Do(ctx, "block header", func(ctx context.Context) (err error) {
		h, err = f.c.HeaderByNumber(ctx, new(big.Int).SetUint64(number))
		return err
	})
	if errors.Is(err, ethereum.NotFound) {
		return common.Hash{}, fmt.Errorf("%w: block %d: %w", ErrUntrustedBlock, number, err)
	}
	if err != nil {
		return common.Hash{}, wrap(err, "final headers: block %d", number)
	}
	return h.Hash(), nil
}

// tagUnknown reports whether err is the node's answer that it does not
// know the "finalized" block tag (a chain or client without it, or no
// finalized block yet), as opposed to a node that cannot be reached.
func tagUnknown(err error) bool {
	if errors.Is(err, ethereum.NotFound) {
		return true
	}
	var re rpc.Error
	return errors.As(err, &re) && !evmtx.Transient(err)
}
