package evm

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/evmtx"
	"github.com/iotrust/iotrust/internal/nilable"
)

// LedgerName is the Ledger field of every receipt of this backend.
const LedgerName = "evm"

// maxRounds bounds how often one Anchor goes back to look at the chain
// after losing a race or a transaction.
const maxRounds = 4

// maxSent bounds the memory of transactions this Ledger sent, which
// WaitFinal uses to re-anchor what a reorganisation dropped.
const maxSent = 4096

// Ledger anchors commitments through the anchor contract on an EVM chain.
// It implements anchor.Ledger and anchor.ReceiptVerifier and is safe for
// concurrent use.
type Ledger struct {
	c       Client
	cfg     Config
	retry   evmtx.Retry
	send    *evmtx.Sender // nil when read-only
	chainID *big.Int
	chain   string // "eip155:<chain id>"
	closed  atomic.Bool
	proofs  proofCache

	mu       sync.Mutex
	inflight map[[32]byte]chan struct{} // roots an Anchor is working on
	pending  map[[32]byte]*evmtx.Tx     // roots with a sent, unmined transaction
	sent     map[common.Hash]canon.Digest
	sentFIFO []common.Hash
	times    map[common.Hash]uint64 // block hash → block time, a small cache
}

var (
	_ anchor.Ledger          = (*Ledger)(nil)
	_ anchor.ReceiptVerifier = (*Ledger)(nil)
)

// Open returns a Ledger on the anchor contract cfg.Contract reached
// through client. It checks that the contract exists; it does not check
// that the signer is a registered gateway (Anchor reports ErrNotGateway).
func Open(ctx context.Context, client Client, cfg Config) (*Ledger, error) {
	if nilable.Is(client) {
		return nil, fmt.Errorf("%w: no client", ErrBadConfig)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	l := &Ledger{
		c:        client,
		cfg:      cfg,
		retry:    cfg.retry(),
		inflight: map[[32]byte]chan struct{}{},
		pending:  map[[32]byte]*evmtx.Tx{},
		sent:     map[common.Hash]canon.Digest{},
		times:    map[common.Hash]uint64{},
	}
	if err := l.retry.Do(ctx, "chain id", func(ctx context.Context) (err error) {
		l.chainID, err = client.ChainID(ctx)
		return err
	}); err != nil {
		return nil, wrap(err, "open")
	}
	l.chain = "eip155:" + l.chainID.String()
	var code []byte
	if err := l.retry.Do(ctx, "contract code", func(ctx context.Context) (err error) {
		code, err = client.CodeAt(ctx, cfg.Contract, nil)
		return err
	}); err != nil {
		return nil, wrap(err, "open")
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: %s on chain %s", ErrNoContract, cfg.Contract, l.chainID)
	}
	if cfg.Signer != nil {
		if l.send, err = evmtx.NewSender(ctx, client, cfg.Signer, cfg.txConfig()); err != nil {
			return nil, wrap(err, "open")
		}
	}
	return l, nil
}

// Chain returns the chain's CAIP-2 name, "eip155:<chain id>", as receipts
// carry it.
func (l *Ledger) Chain() string { return l.chain }

// Close marks the Ledger closed: later calls fail with anchor.ErrClosed.
// The client stays open; it belongs to the caller.
func (l *Ledger) Close() error {
	l.closed.Store(true)
	return nil
}

func (l *Ledger) check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.closed.Load() {
		return anchor.ErrClosed
	}
	return nil
}

// Anchor anchors c and returns its receipt once the transaction is in a
// block (State Included, or Final when the block is final already). If the
// chain already holds c, it returns c's receipt and sends nothing; if it
// holds another commitment with c's root bytes, it returns
// anchor.ErrRootConflict. Concurrent calls for one root share one
// transaction, and a call that was cancelled while its transaction was in
// the pool leaves it there for the retry to wait on (and replace at a
// higher fee, see Config.FeeBumpBlocks).
func (l *Ledger) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	if err := l.check(ctx); err != nil {
		return anchor.Receipt{}, wrap(err, "anchor")
	}
	if err := c.Validate(); err != nil {
		return anchor.Receipt{}, err
	}
	if l.send == nil {
		return anchor.Receipt{}, ErrReadOnly
	}
	key := c.Root.Sum
	for {
		l.mu.Lock()
		wait, busy := l.inflight[key]
		if !busy {
			done := make(chan struct{})
			l.inflight[key] = done
			l.mu.Unlock()
			defer func() {
				l.mu.Lock()
				delete(l.inflight, key)
				l.mu.Unlock()
				close(done)
			}()
			break
		}
		l.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return anchor.Receipt{}, wrap(ctx.Err(), "anchor %s", c.Root)
		}
	}
	r, err := l.anchorOnce(ctx, c)
	return r, wrap(err, "anchor %s", c.Root)
}

// anchorOnce runs while holding the root's inflight slot.
func (l *Ledger) anchorOnce(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	key := c.Root.Sum
	id, err := c.ID()
	if err != nil {
		return anchor.Receipt{}, err
	}
	for range maxRounds {
		r, err := l.lookupBytes(ctx, key)
		if err == nil {
			if r.Commitment.Equal(c) {
				return r, nil
			}
			return anchor.Receipt{}, fmt.Errorf("%w: in block %d with %s", anchor.ErrRootConflict, r.Position, r.TxID)
		}
		if !errors.Is(err, anchor.ErrNotAnchored) {
			return anchor.Receipt{}, err
		}
		l.mu.Lock()
		tx, inPool := l.pending[key]
		l.mu.Unlock()
		if !inPool {
			data, err := packAnchor(c)
			if err != nil {
				return anchor.Receipt{}, fmt.Errorf("pack: %w", err)
			}
			tx, err = l.send.Send(ctx, evmtx.Call{To: &l.cfg.Contract, Data: data})
			err = revertError(err)
			if errors.Is(err, errAlreadyAnchored) {
				continue // another gateway was faster: compare with its anchor
			}
			if err != nil {
				return anchor.Receipt{}, err
			}
			l.rememberSent(key, tx, id)
		}
		rcpt, err := l.send.Wait(ctx, tx)
		if errors.Is(err, evmtx.ErrDropped) {
			l.cfg.Logger.Warn("evm: anchor transaction dropped, sending again", "tx", tx.Latest().Hash(), "root", c.Root)
			l.forgetPending(key)
			l.send.ResetNonce()
			continue
		}
		if err != nil {
			return anchor.Receipt{}, err
		}
		l.forgetPending(key)
		l.recordSent(rcpt.TxHash, id)
		if rcpt.Status != types.ReceiptStatusSuccessful {
			// Lost a race in the same block, or the gateway was removed:
			// the next round's lookup and estimate tell which.
			continue
		}
		for _, lg := range rcpt.Logs {
			if lg.Address != l.cfg.Contract {
				continue
			}
			ev, err := DecodeAnchored(*lg)
			if err != nil || !ev.Commitment.Equal(c) {
				continue
			}
			v, err := l.view(ctx)
			if err != nil {
				return anchor.Receipt{}, err
			}
			return l.receipt(ctx, ev, v)
		}
		return anchor.Receipt{}, fmt.Errorf("%w: transaction %s has no Anchored log", ErrReverted, rcpt.TxHash)
	}
	return anchor.Receipt{}, fmt.Errorf("%w: gave up after %d rounds", anchor.ErrUnavailable, maxRounds)
}

// rememberSent records tx as the pending transaction of root key and each
// of its versions as sent by this Ledger for commitment id.
func (l *Ledger) rememberSent(key [32]byte, tx *evmtx.Tx, id canon.Digest) {
	l.mu.Lock()
	l.pending[key] = tx
	l.mu.Unlock()
	for _, h := range tx.Hashes() {
		l.recordSent(h, id)
	}
}

func (l *Ledger) recordSent(hash common.Hash, id canon.Digest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.sent[hash]; ok {
		return
	}
	if len(l.sentFIFO) >= maxSent {
		delete(l.sent, l.sentFIFO[0])
		l.sentFIFO = l.sentFIFO[1:]
	}
	l.sent[hash] = id
	l.sentFIFO = append(l.sentFIFO, hash)
}

func (l *Ledger) forgetPending(key [32]byte) {
	l.mu.Lock()
	delete(l.pending, key)
	l.mu.Unlock()
}

func (l *Ledger) sentBy(hash common.Hash, id canon.Digest) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	got, ok := l.sent[hash]
	return ok && got == id
}

// blockTime returns the time of the block with the given hash.
func (l *Ledger) blockTime(ctx context.Context, hash common.Hash) (time.Time, error) {
	l.mu.Lock()
	t, ok := l.times[hash]
	l.mu.Unlock()
	if !ok {
		var h *types.Header
		if err := l.retry.Do(ctx, "block header", func(ctx context.Context) (err error) {
			h, err = l.c.HeaderByHash(ctx, hash)
			return err
		}); err != nil {
			return time.Time{}, err
		}
		t = h.Time
		l.mu.Lock()
		if len(l.times) >= 1024 {
			clear(l.times)
		}
		l.times[hash] = t
		l.mu.Unlock()
	}
	return time.Unix(int64(t), 0).UTC(), nil
}

func blockTimeOf(h *types.Header) time.Time { return time.Unix(int64(h.Time), 0).UTC() }

// receipt returns the receipt of ev seen from v, with its proof.
func (l *Ledger) receipt(ctx context.Context, ev AnchoredEvent, v view) (anchor.Receipt, error) {
	t, err := l.blockTime(ctx, ev.BlockHash)
	if err != nil {
		return anchor.Receipt{}, err
	}
	proof, err := l.proof(ctx, ev)
	if errors.Is(err, errNoProof) {
		// The receipt still verifies by asking a node (VerifyReceipt).
		l.cfg.Logger.Warn("evm: receipt without proof", "tx", ev.TxHash, "err", err)
		proof, err = nil, nil
	}
	if err != nil {
		return anchor.Receipt{}, err
	}
	return anchor.Receipt{
		Ledger:     LedgerName,
		Chain:      l.chain,
		Commitment: ev.Commitment,
		Position:   ev.Block,
		TxID:       ev.TxHash.Hex(),
		Time:       t,
		State:      v.state(ev.Block),
		Proof:      proof,
	}, nil
}

// lookupBytes returns the receipt of the commitment anchored under the
// root bytes key, whatever its hash function, from the contract's state
// at the chain's head and the Anchored log of that block.
func (l *Ledger) lookupBytes(ctx context.Context, key [32]byte) (anchor.Receipt, error) {
	for range maxRounds {
		v, err := l.view(ctx)
		if err != nil {
			return anchor.Receipt{}, err
		}
		var out []byte
		if err := l.retry.Do(ctx, "anchoredAt", func(ctx context.Context) (err error) {
			out, err = l.c.CallContract(ctx, ethereum.CallMsg{To: &l.cfg.Contract, Data: binding.PackAnchoredAt(key)}, v.head.Number)
			return err
		}); err != nil {
			return anchor.Receipt{}, err
		}
		at, err := binding.UnpackAnchoredAt(out)
		if err != nil {
			return anchor.Receipt{}, fmt.Errorf("%w: anchoredAt answer: %v", anchor.ErrUnavailable, err)
		}
		if at.BlockNumber == 0 {
			return anchor.Receipt{}, fmt.Errorf("%w: %x", anchor.ErrNotAnchored, key)
		}
		var logs []types.Log
		q := ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(at.BlockNumber),
			ToBlock:   new(big.Int).SetUint64(at.BlockNumber),
			Addresses: []common.Address{l.cfg.Contract},
			Topics:    [][]common.Hash{{anchoredTopic}, {key}},
		}
		if err := l.retry.Do(ctx, "Anchored logs", func(ctx context.Context) (err error) {
			logs, err = l.c.FilterLogs(ctx, q)
			return err
		}); err != nil {
			return anchor.Receipt{}, err
		}
		for _, lg := range logs {
			if lg.Removed {
				continue
			}
			ev, err := DecodeAnchored(lg)
			if err != nil {
				return anchor.Receipt{}, fmt.Errorf("root %x: %w", key, err)
			}
			r, err := l.receipt(ctx, ev, v)
			if errors.Is(err, errRaced) {
				break // ask again
			}
			return r, err
		}
		// The state said block n, the logs of block n say nothing: the
		// chain reorganised between the two questions. Ask again.
		l.cfg.Logger.Debug("evm: lookup raced a reorganisation", "block", at.BlockNumber)
	}
	return anchor.Receipt{}, fmt.Errorf("%w: chain state and logs disagree about root %x", anchor.ErrUnavailable, key)
}

// Lookup returns the receipt of the commitment anchored under root, read
// from the contract's state at the chain's head, or an error matching
// anchor.ErrNotAnchored. Its State says how final the anchor is now, and
// its Proof verifies offline (HeaderVerifier).
func (l *Ledger) Lookup(ctx context.Context, root canon.Digest) (anchor.Receipt, error) {
	if err := l.check(ctx); err != nil {
		return anchor.Receipt{}, wrap(err, "lookup")
	}
	if _, err := anchor.NewRoot(root.Func, root.Sum[:]); err != nil {
		return anchor.Receipt{}, err
	}
	r, err := l.lookupBytes(ctx, root.Sum)
	if err != nil {
		return anchor.Receipt{}, wrap(err, "lookup %s", root)
	}
	if r.Commitment.Root != root {
		return anchor.Receipt{}, fmt.Errorf("%w: %s (its bytes are anchored as %s)", anchor.ErrNotAnchored, root, r.Commitment.Root)
	}
	return r, nil
}

// Upgrade returns r's anchor as the chain holds it now (see
// anchor.Upgrader), from Lookup: the block it is in at the head, its
// State by Config.Finality, a fresh Proof. It does not wait and sends
// nothing; a receipt whose commitment is not on the chain (never anchored,
// or dropped by a reorganisation) fails with anchor.ErrNotAnchored.
func (l *Ledger) Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	if err := l.check(ctx); err != nil {
		return anchor.Receipt{}, wrap(err, "upgrade")
	}
	if err := l.ours(r); err != nil {
		return anchor.Receipt{}, err
	}
	cur, err := l.Lookup(ctx, r.Commitment.Root)
	if err != nil {
		return anchor.Receipt{}, err
	}
	if !cur.Commitment.Equal(r.Commitment) {
		return anchor.Receipt{}, fmt.Errorf("%w: evm: root %s holds another commitment (tx %s)", anchor.ErrBadReceipt, r.Commitment.Root, cur.TxID)
	}
	return cur, nil
}

// ours checks that r names this ledger and a valid commitment.
func (l *Ledger) ours(r anchor.Receipt) error {
	if r.Ledger != LedgerName || r.Chain != l.chain {
		return fmt.Errorf("%w: evm: receipt of %s %s, this is %s %s", anchor.ErrBadReceipt, r.Ledger, r.Chain, LedgerName, l.chain)
	}
	if err := r.Commitment.Validate(); err != nil {
		return fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
	}
	return nil
}

// WaitFinal waits until r's commitment is final by Config.Finality and
// returns its current receipt.
//
// Reorganisations: the receipt is re-derived from the chain on every poll,
// never trusted, so an anchor that a reorganisation moved to another block
// is followed there (the returned receipt names the new block). If the
// anchor left the chain and its transaction is back in the node's pool,
// WaitFinal waits for it to be mined again. If the transaction is gone for
// good (replaced, evicted) and this Ledger sent it, WaitFinal anchors the
// commitment again, with a new transaction. A receipt the chain does not
// hold and this Ledger did not send fails with anchor.ErrBadReceipt;
// calling Anchor with its commitment re-anchors it.
func (l *Ledger) WaitFinal(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	if err := l.check(ctx); err != nil {
		return anchor.Receipt{}, wrap(err, "wait final")
	}
	if err := l.ours(r); err != nil {
		return anchor.Receipt{}, err
	}
	id, err := r.Commitment.ID()
	if err != nil {
		return anchor.Receipt{}, fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
	}
	for {
		cur, err := l.Lookup(ctx, r.Commitment.Root)
		switch {
		case err == nil && !cur.Commitment.Equal(r.Commitment):
			return anchor.Receipt{}, fmt.Errorf("%w: evm: root %s holds another commitment (tx %s)", anchor.ErrBadReceipt, r.Commitment.Root, cur.TxID)
		case err == nil && cur.State == anchor.Final:
			return cur, nil
		case err == nil:
			// Included: wait for more blocks.
		case errors.Is(err, anchor.ErrNotAnchored):
			hash := common.HexToHash(r.TxID)
			pending := false
			terr := l.retry.Do(ctx, "transaction by hash", func(ctx context.Context) (err error) {
				_, pending, err = l.c.TransactionByHash(ctx, hash)
				return err
			})
			if terr != nil && !errors.Is(terr, ethereum.NotFound) {
				return anchor.Receipt{}, wrap(terr, "wait final")
			}
			if terr == nil && pending {
				break // back in the pool after a reorganisation
			}
			if l.send == nil || !l.sentBy(hash, id) {
				return anchor.Receipt{}, fmt.Errorf("%w: evm: %s is not anchored and transaction %s is not this ledger's", anchor.ErrBadReceipt, r.Commitment.Root, r.TxID)
			}
			l.cfg.Logger.Warn("evm: anchor lost in a reorganisation, anchoring again", "root", r.Commitment.Root, "tx", r.TxID)
			l.send.ResetNonce()
			nr, err := l.Anchor(ctx, r.Commitment)
			if err != nil {
				return anchor.Receipt{}, err
			}
			r = nr
			continue
		default:
			return anchor.Receipt{}, err
		}
		if err := evmtx.Sleep(ctx, l.cfg.PollInterval); err != nil {
			return anchor.Receipt{}, wrap(err, "wait final")
		}
	}
}
