package evm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/anchor"
)

// Follow yields every anchor in blocks >= from in chain order (block, then
// log index), first those on the chain, then new ones as blocks arrive,
// polling every Config.PollInterval.
//
// It yields only Final anchors, Config.Confirmations blocks deep: a
// follower then never sees an anchor that a shallower reorganisation takes
// back, nor misses one that it moves. Positions are block numbers; several
// anchors can share one, so a follower that resumes after a restart passes
// the last block it processed and skips the IDs it has seen there. Logs
// are read at most Config.LogRange blocks at a time, only as fast as the
// loop consumes them.
func (l *Ledger) Follow(ctx context.Context, from uint64) iter.Seq2[anchor.Receipt, error] {
	return func(yield func(anchor.Receipt, error) bool) {
		fail := func(err error) { yield(anchor.Receipt{}, err) }
		if err := l.check(ctx); err != nil {
			fail(fmt.Errorf("evm: follow: %w", err))
			return
		}
		next := max(from, l.node.cfg.DeployBlock)
		for {
			if err := l.check(ctx); err != nil {
				fail(fmt.Errorf("evm: follow: %w", err))
				return
			}
			head, err := l.head(ctx)
			if err != nil {
				fail(err)
				return
			}
			h := head.Number.Uint64()
			if h < l.node.cfg.Confirmations || h-l.node.cfg.Confirmations < next {
				if err := sleep(ctx, l.node.cfg.PollInterval); err != nil {
					fail(fmt.Errorf("evm: follow: %w", err))
					return
				}
				continue
			}
			last := min(h-l.node.cfg.Confirmations, next+l.node.cfg.LogRange-1)
			var logs []types.Log
			q := ethereum.FilterQuery{
				FromBlock: new(big.Int).SetUint64(next),
				ToBlock:   new(big.Int).SetUint64(last),
				Addresses: []common.Address{l.node.cfg.Contract},
				Topics:    [][]common.Hash{{anchoredTopic}},
			}
			if err := l.node.call(ctx, "Anchored logs", func(ctx context.Context) (err error) {
				logs, err = l.node.c.FilterLogs(ctx, q)
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
					fail(fmt.Errorf("evm: follow: block %d: %w", lg.BlockNumber, err))
					return
				}
				r, err := l.receipt(ctx, ev, head)
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

// VerifyReceipt checks r against the chain: the block at r.Position must be
// the block r's Proof names and still canonical, and hold an Anchored log
// of this contract at the named index, in transaction r.TxID, carrying
// exactly r's commitment, at r.Time. Errors about r match
// anchor.ErrBadReceipt; a node that cannot be asked gives
// anchor.ErrUnavailable.
//
// This is not an offline check: it trusts the node the Ledger talks to.
// Verifiers that do not trust the gateway's node point a read-only Ledger
// (Config without Signer) at their own node or light client.
func (l *Ledger) VerifyReceipt(ctx context.Context, r anchor.Receipt) error {
	if err := l.check(ctx); err != nil {
		return fmt.Errorf("evm: verify receipt: %w", err)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: evm: %s", anchor.ErrBadReceipt, fmt.Sprintf(format, args...))
	}
	if r.Ledger != LedgerName || r.Chain != l.chain {
		return bad("receipt of %s %s, this is %s %s", r.Ledger, r.Chain, LedgerName, l.chain)
	}
	if err := r.Commitment.Validate(); err != nil {
		return bad("%v", err)
	}
	blockHash, logIndex, err := DecodeProof(r.Proof)
	if err != nil {
		return bad("%v", err)
	}
	var header *types.Header
	err = l.node.call(ctx, "block header", func(ctx context.Context) (err error) {
		header, err = l.node.c.HeaderByNumber(ctx, new(big.Int).SetUint64(r.Position))
		return err
	})
	if errors.Is(err, ethereum.NotFound) {
		return bad("no block %d", r.Position)
	}
	if err != nil {
		return err
	}
	if header.Hash() != blockHash {
		return bad("block %d is %s, the receipt names %s (reorganised or forged)", r.Position, header.Hash(), blockHash)
	}
	if !r.Time.Equal(blockTimeOf(header)) {
		return bad("time %s, block %d has %s", r.Time, r.Position, blockTimeOf(header))
	}
	var logs []types.Log
	q := ethereum.FilterQuery{
		BlockHash: &blockHash,
		Addresses: []common.Address{l.node.cfg.Contract},
		Topics:    [][]common.Hash{{anchoredTopic}, {r.Commitment.Root.Sum}},
	}
	if err := l.node.call(ctx, "Anchored logs", func(ctx context.Context) (err error) {
		logs, err = l.node.c.FilterLogs(ctx, q)
		return err
	}); err != nil {
		return err
	}
	for _, lg := range logs {
		if lg.Removed || lg.Index != logIndex {
			continue
		}
		ev, err := DecodeAnchored(lg)
		if err != nil {
			return bad("%v", err)
		}
		if !ev.Commitment.Equal(r.Commitment) {
			return bad("block %d anchors another commitment under root %s", r.Position, r.Commitment.Root)
		}
		if ev.TxHash.Hex() != r.TxID {
			return bad("anchored by transaction %s, the receipt names %s", ev.TxHash.Hex(), r.TxID)
		}
		return nil
	}
	return bad("block %d has no Anchored log %d for root %s", r.Position, logIndex, r.Commitment.Root)
}
