package evm

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/iotrust/iotrust/anchor/evm/contracts"
)

// Errors of sending transactions.
var (
	// ErrNotGateway is returned when the signer's address is not a
	// registered gateway of the contract.
	ErrNotGateway = errors.New("evm: sender is not a registered gateway")
	// ErrNotOwner is returned when a gateway change is signed by an
	// account other than the contract's owner.
	ErrNotOwner = errors.New("evm: sender is not the contract owner")
	// ErrReverted is returned when the contract refuses a call for a
	// reason this package has no more specific error for.
	ErrReverted = errors.New("evm: transaction reverted")
	// ErrFeeTooHigh is returned when the current fee exceeds
	// Config.MaxFeePerGas.
	ErrFeeTooHigh = errors.New("evm: fee per gas above the configured maximum")
	// ErrReadOnly is returned by Anchor on a Ledger opened without a Signer.
	ErrReadOnly = errors.New("evm: ledger opened without a signer")
	// ErrNoContract is returned by Open when no code is deployed at
	// Config.Contract.
	ErrNoContract = errors.New("evm: no contract at address")
)

// errAlreadyAnchored is the contract's AlreadyAnchored revert: another
// transaction anchored the root first.
var errAlreadyAnchored = errors.New("evm: root already anchored on chain")

// errDropped reports a transaction the node no longer knows: replaced, or
// evicted from the pool, or removed by a reorganisation.
var errDropped = errors.New("evm: transaction dropped")

// maxNonceCollisions bounds how often one send retries after finding its
// nonce taken by another sender using the same key.
const maxNonceCollisions = 16

// sender signs and sends transactions from one account. Sends are
// serialised so that concurrent callers never reuse a nonce; waiting for
// inclusion is not.
type sender struct {
	*rpcNode
	signer  Signer
	chainID *big.Int

	mu      sync.Mutex
	nonce   uint64
	nonceOK bool // nonce is the next one to use; false: ask the node
}

// revertError maps a contract revert carried by err to this package's
// errors; other errors are returned unchanged.
func revertError(err error) error {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return err
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return err
	}
	raw, derr := hexutil.Decode(s)
	if derr != nil || len(raw) < 4 {
		return fmt.Errorf("%w: %v", ErrReverted, err)
	}
	v, uerr := binding.UnpackError(raw)
	if uerr != nil {
		return fmt.Errorf("%w: %v", ErrReverted, err)
	}
	switch v := v.(type) {
	case *contracts.AnchorNotGateway:
		return fmt.Errorf("%w: %s", ErrNotGateway, v.Caller)
	case *contracts.AnchorNotOwner:
		return fmt.Errorf("%w: %s", ErrNotOwner, v.Caller)
	case *contracts.AnchorAlreadyAnchored:
		return fmt.Errorf("%w: %x in block %d", errAlreadyAnchored, v.Root, v.BlockNumber)
	case *contracts.AnchorBadWindow:
		return fmt.Errorf("%w: window %d..%d", ErrReverted, v.WindowStart, v.WindowEnd)
	case *contracts.AnchorZeroAddress:
		return fmt.Errorf("%w: zero address", ErrReverted)
	}
	return fmt.Errorf("%w: %v", ErrReverted, err)
}

// send estimates, prices, signs and sends a call of data to `to` (a
// contract creation if to is nil) and returns the sent transaction. It
// does not wait for inclusion.
func (s *sender) send(ctx context.Context, to *common.Address, data []byte) (*types.Transaction, error) {
	from := s.signer.Address()
	var gas uint64
	err := s.call(ctx, "estimate gas", func(ctx context.Context) (err error) {
		gas, err = s.c.EstimateGas(ctx, ethereum.CallMsg{From: from, To: to, Data: data})
		return err
	})
	if err != nil {
		return nil, revertError(err)
	}
	gas += gas * s.cfg.GasMargin / 100

	var head *types.Header
	if err := s.call(ctx, "latest header", func(ctx context.Context) (err error) {
		head, err = s.c.HeaderByNumber(ctx, nil)
		return err
	}); err != nil {
		return nil, err
	}
	var tip, feeCap *big.Int
	if head.BaseFee != nil {
		if err := s.call(ctx, "suggest tip", func(ctx context.Context) (err error) {
			tip, err = s.c.SuggestGasTipCap(ctx)
			return err
		}); err != nil {
			return nil, err
		}
		// Twice the base fee rides out six full blocks of base-fee rises.
		feeCap = new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
		if max := s.cfg.MaxFeePerGas; max != nil && feeCap.Cmp(max) > 0 {
			if need := new(big.Int).Add(tip, head.BaseFee); need.Cmp(max) > 0 {
				return nil, fmt.Errorf("%w: need %s wei, maximum %s", ErrFeeTooHigh, need, max)
			}
			feeCap = new(big.Int).Set(max)
		}
	} else {
		if err := s.call(ctx, "suggest gas price", func(ctx context.Context) (err error) {
			feeCap, err = s.c.SuggestGasPrice(ctx)
			return err
		}); err != nil {
			return nil, err
		}
		if max := s.cfg.MaxFeePerGas; max != nil && feeCap.Cmp(max) > 0 {
			return nil, fmt.Errorf("%w: need %s wei, maximum %s", ErrFeeTooHigh, feeCap, max)
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var floor uint64 // after a collision: above the nonce another sender took
	for attempt := 0; ; attempt++ {
		if !s.nonceOK {
			if err := s.call(ctx, "pending nonce", func(ctx context.Context) (err error) {
				s.nonce, err = s.c.PendingNonceAt(ctx, from)
				return err
			}); err != nil {
				return nil, err
			}
			s.nonce = max(s.nonce, floor)
			s.nonceOK = true
		}
		var unsigned *types.Transaction
		if tip != nil {
			unsigned = types.NewTx(&types.DynamicFeeTx{ChainID: s.chainID, Nonce: s.nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: to, Data: data})
		} else {
			unsigned = types.NewTx(&types.LegacyTx{Nonce: s.nonce, GasPrice: feeCap, Gas: gas, To: to, Data: data})
		}
		tx, err := s.signer.SignTx(unsigned, s.chainID)
		if err != nil {
			return nil, fmt.Errorf("evm: sign: %w", err)
		}
		err = s.call(ctx, "send transaction", func(ctx context.Context) error {
			err := s.c.SendTransaction(ctx, tx)
			// A retry after a lost answer finds the transaction known.
			if err != nil && strings.Contains(strings.ToLower(err.Error()), "already known") {
				return nil
			}
			return err
		})
		if err == nil {
			s.nonce++
			s.cfg.Logger.Debug("evm: sent", "tx", tx.Hash(), "nonce", tx.Nonce(), "gas", gas)
			return tx, nil
		}
		// Whatever happened, the node knows the nonce better than we do:
		// someone else used the account, or a reorganisation moved it.
		s.nonceOK = false
		msg := strings.ToLower(err.Error())
		if attempt < maxNonceCollisions && (strings.Contains(msg, "nonce too low") || strings.Contains(msg, "replacement transaction underpriced")) {
			floor = tx.Nonce() + 1
			continue
		}
		return nil, err
	}
}

// resetNonce makes the next send ask the node for the account's nonce.
func (s *sender) resetNonce() {
	s.mu.Lock()
	s.nonceOK = false
	s.mu.Unlock()
}

// waitMined polls for the receipt of the transaction hash until it is
// mined, ctx ends (ctx's error), or the node forgets the transaction
// (errDropped).
func (s *sender) waitMined(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	for polls := 1; ; polls++ {
		var rcpt *types.Receipt
		err := s.call(ctx, "transaction receipt", func(ctx context.Context) (err error) {
			rcpt, err = s.c.TransactionReceipt(ctx, hash)
			if err != nil && strings.Contains(err.Error(), "indexing is in progress") {
				// A node still indexing answers this for fresh blocks.
				return ethereum.NotFound
			}
			return err
		})
		if err == nil {
			// Return only once the node's canonical chain holds the
			// receipt's block: a node (or the node behind a load balancer)
			// can serve a receipt before its head, and state read at the
			// head, has moved there.
			var head, h *types.Header
			herr := s.call(ctx, "latest header", func(ctx context.Context) (err error) {
				head, err = s.c.HeaderByNumber(ctx, nil)
				return err
			})
			if herr == nil && head.Number.Cmp(rcpt.BlockNumber) >= 0 {
				herr = s.call(ctx, "receipt's block", func(ctx context.Context) (err error) {
					h, err = s.c.HeaderByNumber(ctx, rcpt.BlockNumber)
					return err
				})
				if herr == nil && h.Hash() == rcpt.BlockHash {
					return rcpt, nil
				}
			}
			if herr != nil && !errors.Is(herr, ethereum.NotFound) {
				return nil, herr
			}
			err = ethereum.NotFound
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, err
		}
		// Not mined yet: still in the pool? Asked now and then, because
		// the answer only matters when something went wrong.
		if polls%8 == 0 {
			err := s.call(ctx, "transaction by hash", func(ctx context.Context) error {
				_, _, err := s.c.TransactionByHash(ctx, hash)
				return err
			})
			if errors.Is(err, ethereum.NotFound) {
				return nil, fmt.Errorf("%w: %s", errDropped, hash)
			}
			if err != nil {
				return nil, err
			}
		}
		if err := sleep(ctx, s.cfg.PollInterval); err != nil {
			return nil, fmt.Errorf("evm: waiting for %s: %w", hash, err)
		}
	}
}
