package evm

import (
	"context"
	"iter"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/internal/evmtx"
)

// Follow yields every anchor in blocks >= from in chain order (block, then
// log index), first those on the chain, then new ones as blocks arrive,
// polling every Config.PollInterval.
//
// It yields only Final anchors (by Config.Finality), each with its proof:
// a follower then never sees an anchor that a reorganisation of blocks not
// yet final takes back, nor misses one that it moves. Positions are block
// numbers; several anchors can share one, so a follower that resumes after
// a restart passes the last block it processed and skips the IDs it has
// seen there. Logs are read at most Config.LogRange blocks at a time, only
// as fast as the loop consumes them.
func (l *Ledger) Follow(ctx context.Context, from uint64) iter.Seq2[anchor.Receipt, error] {
	return func(yield func(anchor.Receipt, error) bool) {
		fail := func(err error) { yield(anchor.Receipt{}, wrap(err, "follow")) }
		next := max(from, l.cfg.DeployBlock)
		for {
			if err := l.check(ctx); err != nil {
				fail(err)
				return
			}
			v, err := l.view(ctx)
			if err != nil {
				fail(err)
				return
			}
			if !v.any || v.final < next {
				if err := evmtx.Sleep(ctx, l.cfg.PollInterval); err != nil {
					fail(err)
					return
				}
				continue
			}
			last := min(v.final, next+l.cfg.LogRange-1)
			var logs []types.Log
			q := ethereum.FilterQuery{
				FromBlock: new(big.Int).SetUint64(next),
				ToBlock:   new(big.Int).SetUint64(last),
				Addresses: []common.Address{l.cfg.Contract},
				Topics:    [][]common.Hash{{anchoredTopic}},
			}
			if err := l.retry.Do(ctx, "Anchored logs", func(ctx context.Context) (err error) {
				logs, err = l.c.FilterLogs(ctx, q)
				return err
			}); err != nil {
				fail(err)
				return
			}
			for _, lg := range logs {
				if lg.Removed {
					continue
				}
				ev, err := DecodeAnchored(lg)
				if err != nil {
					// Only the contract emits these logs and it validates
					// nothing we rely on; a log we cannot read is a node
					// answering garbage.
					fail(wrap(err, "block %d", lg.BlockNumber))
					return
				}
				r, err := l.receipt(ctx, ev, v)
				if err != nil {
					fail(err)
					return
				}
				if !yield(r, nil) {
					return
				}
			}
			next = last + 1
		}
	}
}
