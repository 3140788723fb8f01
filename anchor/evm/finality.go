package evm

import (
	"context"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/internal/evmtx"
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
	var head *types.Header
	if err := l.retry.Do(ctx, "latest header", func(ctx context.Context) (err error) {
		head, err = l.c.HeaderByNumber(ctx, nil)
		return err
	}); err != nil {
		return view{}, err
	}
	h := head.Number.Uint64()
	switch l.cfg.Finality {
	case Immediate:
		return view{head: head, final: h, any: true}, nil
	case FinalizedTag:
		var fh *types.Header
		err := l.retry.Do(ctx, "finalized header", func(ctx context.Context) (err error) {
			fh, err = l.c.HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
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
		l.cfg.Logger.Debug("evm: node does not know the finalized block; counting confirmations", "err", err)
	}
	if h < l.cfg.Confirmations {
		return view{head: head}, nil
	}
	return view{head: head, final: h - l.cfg.Confirmations, any: true}, nil
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
