package evm

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/iotrust/iotrust/anchor"
)

// blockReceiptsReader is implemented by clients that fetch every receipt
// of a block in one call (eth_getBlockReceipts).
type blockReceiptsReader interface {
	BlockReceipts(ctx context.Context, blockNrOrHash rpc.BlockNumberOrHash) ([]*types.Receipt, error)
}

// errRaced reports a chain that reorganised while a receipt was being
// made; asking again gives the receipt of the anchor where it is now.
var errRaced = fmt.Errorf("%w: the chain reorganised while the receipt was made", anchor.ErrUnavailable)

// maxCachedProofs bounds the proofs a Ledger keeps.
const maxCachedProofs = 1024

// proofCache keeps the proofs a Ledger made, by block hash, transaction
// and log, so that polling (WaitFinal) and Follow ask the node for a
// block's transactions and receipts once.
type proofCache struct {
	mu     sync.Mutex
	proofs map[proofKey][]byte
	// block and receipts are the last block fetched, for anchors that
	// share it.
	block    *types.Block
	receipts types.Receipts
}

type proofKey struct {
	block, tx common.Hash
	log       uint
}

// proof returns the proof of ev's receipt, from the cache or built from
// the block's transactions and receipts. It fails with errNoProof when no
// proof can be made of what the node answers.
func (l *Ledger) proof(ctx context.Context, ev AnchoredEvent) ([]byte, error) {
	k := proofKey{block: ev.BlockHash, tx: ev.TxHash, log: ev.LogIndex}
	pc := &l.proofs
	pc.mu.Lock()
	p, ok := pc.proofs[k]
	block, receipts := pc.block, pc.receipts
	pc.mu.Unlock()
	if ok {
		return p, nil
	}
	if block == nil || block.Hash() != ev.BlockHash {
		var err error
		if block, receipts, err = l.fetchBlock(ctx, ev.BlockHash); err != nil {
			return nil, err
		}
	}
	txIndex, logIndex := -1, -1
	for i, tx := range block.Transactions() {
		if tx.Hash() == ev.TxHash {
			txIndex = i
			break
		}
	}
	if txIndex >= 0 && txIndex < len(receipts) {
		for i, lg := range receipts[txIndex].Logs {
			if lg.Index == ev.LogIndex {
				logIndex = i
			}
		}
	}
	if txIndex < 0 || logIndex < 0 {
		return nil, fmt.Errorf("%w: block %s has no log %d of transaction %s", errNoProof, ev.BlockHash, ev.LogIndex, ev.TxHash)
	}
	p, err := buildProof(block, receipts, uint64(txIndex), uint64(logIndex))
	if err != nil {
		return nil, err
	}
	pc.mu.Lock()
	if pc.proofs == nil || len(pc.proofs) >= maxCachedProofs {
		pc.proofs = map[proofKey][]byte{}
	}
	pc.proofs[k] = p
	pc.block, pc.receipts = block, receipts
	pc.mu.Unlock()
	return p, nil
}

// fetchBlock returns the block with the given hash and its receipts in
// transaction order.
func (l *Ledger) fetchBlock(ctx context.Context, hash common.Hash) (*types.Block, types.Receipts, error) {
	var block *types.Block
	if err := l.retry.Do(ctx, "block", func(ctx context.Context) (err error) {
		block, err = l.c.BlockByHash(ctx, hash)
		return err
	}); err != nil {
		if errors.Is(err, ethereum.NotFound) {
			return nil, nil, fmt.Errorf("%w: block %s is gone", errRaced, hash)
		}
		return nil, nil, err
	}
	var receipts types.Receipts
	if br, ok := l.c.(blockReceiptsReader); ok {
		err := l.retry.Do(ctx, "block receipts", func(ctx context.Context) (err error) {
			receipts, err = br.BlockReceipts(ctx, rpc.BlockNumberOrHashWithHash(hash, false))
			return err
		})
		if err != nil {
			if tagUnknown(err) { // the node refuses the method, or forgot the block
				return nil, nil, fmt.Errorf("%w: receipts of block %s: %w", errNoProof, hash, err)
			}
			return nil, nil, err
		}
	} else {
		for _, tx := range block.Transactions() {
			var r *types.Receipt
			err := l.retry.Do(ctx, "transaction receipt", func(ctx context.Context) (err error) {
				r, err = l.c.TransactionReceipt(ctx, tx.Hash())
				return err
			})
			if errors.Is(err, ethereum.NotFound) {
				return nil, nil, fmt.Errorf("%w: receipt of %s is gone", errRaced, tx.Hash())
			}
			if err != nil {
				return nil, nil, err
			}
			receipts = append(receipts, r)
		}
	}
	for _, r := range receipts {
		if r == nil || r.BlockHash != hash {
			// A reorganisation between the questions.
			return nil, nil, fmt.Errorf("%w: receipts of block %s are not all of it", errRaced, hash)
		}
	}
	return block, receipts, nil
}
