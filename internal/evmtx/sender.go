package evmtx

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// ErrDropped is returned by Wait when the node knows no version of the
// transaction any more and none was mined: it was evicted from the pool,
// another transaction took its nonce, or a reorganisation removed it and
// the pool did not take it back.
var ErrDropped = errors.New("transaction dropped")

// Config configures a Sender. The zero value of every field selects the
// default documented on it.
type Config struct {
	// Retry is the policy for each RPC.
	Retry Retry
	// PollInterval is how often Wait asks for the receipt. Default 1s.
	PollInterval time.Duration
	// GasMargin is added to the node's gas estimate, in percent, because
	// state can change between estimate and inclusion. Default 20.
	GasMargin uint64
	// MaxFeePerGas, if set, caps the fee per gas of every transaction and
	// replacement; one that would need more fails with ErrFeeTooHigh.
	MaxFeePerGas *big.Int
	// BumpAfter is how many blocks a transaction may wait unmined after
	// it (or its last replacement) was sent before Wait replaces it with
	// the same nonce at higher fees. Default 3.
	BumpAfter uint64
}

// maxVersions bounds how often one transaction is replaced; after that
// Wait keeps waiting for the last version.
const maxVersions = 16

// maxNonceCollisions bounds how often one send retries after finding its
// nonce taken by another sender using the same key.
const maxNonceCollisions = 16

// maxRounds bounds how often Transact sends again after a drop.
const maxRounds = 4

// Sender signs, sends and sees mined the transactions of one account.
// Sends are serialised so that concurrent callers never share a nonce;
// waiting is not. It is safe for concurrent use.
type Sender struct {
	c       Client
	signer  Signer
	chainID *big.Int
	cfg     Config

	mu      sync.Mutex
	nonce   uint64
	nonceOK bool // nonce is the next one to use; false: ask the node
}

// NewSender returns a Sender for signer's account on the chain client
// reaches; it asks the node for the chain ID.
func NewSender(ctx context.Context, c Client, signer Signer, cfg Config) (*Sender, error) {
	cfg.Retry = cfg.Retry.withDefaults()
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.GasMargin == 0 {
		cfg.GasMargin = 20
	}
	if cfg.BumpAfter == 0 {
		cfg.BumpAfter = 3
	}
	var id *big.Int
	if err := cfg.Retry.Do(ctx, "chain id", func(ctx context.Context) (err error) {
		id, err = c.ChainID(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	return &Sender{c: c, signer: signer, chainID: id, cfg: cfg}, nil
}

// Address returns the sending account.
func (s *Sender) Address() common.Address { return s.signer.Address() }

// ChainID returns the chain's ID.
func (s *Sender) ChainID() *big.Int { return new(big.Int).Set(s.chainID) }

// Call is a transaction to send: a call of To (a contract creation when
// To is nil) with Data and Value wei.
type Call struct {
	To    *common.Address
	Data  []byte
	Value *big.Int
	// Gas is the gas limit; zero asks the node for an estimate and adds
	// Config.GasMargin percent.
	Gas uint64
}

// Tx is a transaction a Sender sent: one nonce and every version sent
// with it (replacements at higher fees). It is safe for concurrent use.
type Tx struct {
	mu       sync.Mutex
	call     Call
	nonce    uint64
	versions []*types.Transaction // oldest first
	floor    fees                 // what a replacement must beat
	sentAt   uint64               // head when the last version was sent
}

// Nonce returns the transaction's nonce.
func (t *Tx) Nonce() uint64 { return t.nonce }

// Latest returns the most recent version sent.
func (t *Tx) Latest() *types.Transaction {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.versions[len(t.versions)-1]
}

// Hashes returns the hashes of every version sent, oldest first.
func (t *Tx) Hashes() []common.Hash {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]common.Hash, len(t.versions))
	for i, v := range t.versions {
		out[i] = v.Hash()
	}
	return out
}

// Send estimates (unless c.Gas is set), prices, signs and sends c with the
// account's next nonce, and returns without waiting for inclusion. An
// estimate the node refuses (a revert) is returned wrapped, with the
// node's error data reachable through errors.As (rpc.DataError).
func (s *Sender) Send(ctx context.Context, c Call) (*Tx, error) {
	gas, err := s.gas(ctx, c)
	if err != nil {
		return nil, err
	}
	head, err := s.head(ctx)
	if err != nil {
		return nil, err
	}
	var f fees
	if head.BaseFee != nil {
		tip, err := s.suggestTip(ctx)
		if err != nil {
			return nil, err
		}
		f, err = initialFees(head.BaseFee, tip, s.cfg.MaxFeePerGas)
		if err != nil {
			return nil, err
		}
	} else {
		price, err := s.suggestPrice(ctx)
		if err != nil {
			return nil, err
		}
		if f, err = initialFees(nil, price, s.cfg.MaxFeePerGas); err != nil {
			return nil, err
		}
	}
	c.Gas = gas
	return s.sendPriced(ctx, c, f, head.Number.Uint64())
}

func (s *Sender) gas(ctx context.Context, c Call) (uint64, error) {
	if c.Gas != 0 {
		return c.Gas, nil
	}
	var gas uint64
	err := s.cfg.Retry.Do(ctx, "estimate gas", func(ctx context.Context) (err error) {
		gas, err = s.c.EstimateGas(ctx, ethereum.CallMsg{From: s.signer.Address(), To: c.To, Data: c.Data, Value: c.Value})
		return err
	})
	if err != nil {
		return 0, err
	}
	return gas + gas*s.cfg.GasMargin/100, nil
}

// sendPriced signs and sends c (its Gas set) at fees f with the next
// nonce; head is the chain's head number at pricing.
func (s *Sender) sendPriced(ctx context.Context, c Call, f fees, head uint64) (*Tx, error) {
	from := s.signer.Address()
	s.mu.Lock()
	defer s.mu.Unlock()
	var floor uint64 // after a collision: above the nonce another sender took
	for attempt := 0; ; attempt++ {
		if !s.nonceOK {
			if err := s.cfg.Retry.Do(ctx, "pending nonce", func(ctx context.Context) (err error) {
				s.nonce, err = s.c.PendingNonceAt(ctx, from)
				return err
			}); err != nil {
				return nil, err
			}
			s.nonce = max(s.nonce, floor)
			s.nonceOK = true
		}
		tx, err := s.sign(c, s.nonce, f)
		if err != nil {
			return nil, err
		}
		err = s.submit(ctx, tx)
		if err == nil {
			s.nonce++
			s.cfg.Retry.Logger.Debug("sent transaction", "tx", tx.Hash(), "nonce", tx.Nonce(), "gas", c.Gas, "fees", f)
			return &Tx{call: c, nonce: tx.Nonce(), versions: []*types.Transaction{tx}, floor: f, sentAt: head}, nil
		}
		// Whatever happened, the node knows the nonce better than we do:
		// someone else used the account, or a reorganisation moved it.
		s.nonceOK = false
		if attempt < maxNonceCollisions && (nonceTaken(err) || underpriced(err)) {
			floor = tx.Nonce() + 1
			continue
		}
		return nil, err
	}
}

func (s *Sender) sign(c Call, nonce uint64, f fees) (*types.Transaction, error) {
	var unsigned *types.Transaction
	if f.legacy() {
		unsigned = types.NewTx(&types.LegacyTx{Nonce: nonce, GasPrice: f.feeCap, Gas: c.Gas, To: c.To, Value: c.Value, Data: c.Data})
	} else {
		unsigned = types.NewTx(&types.DynamicFeeTx{ChainID: s.chainID, Nonce: nonce, GasTipCap: f.tip, GasFeeCap: f.feeCap,
			Gas: c.Gas, To: c.To, Value: c.Value, Data: c.Data})
	}
	tx, err := s.signer.SignTx(unsigned, s.chainID)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return tx, nil
}

// submit sends tx; a retry after a lost answer finds it known, which is
// success.
func (s *Sender) submit(ctx context.Context, tx *types.Transaction) error {
	return s.cfg.Retry.Do(ctx, "send transaction", func(ctx context.Context) error {
		err := s.c.SendTransaction(ctx, tx)
		if err != nil && strings.Contains(strings.ToLower(err.Error()), "already known") {
			return nil
		}
		return err
	})
}

func nonceTaken(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "nonce too low")
}

func underpriced(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "replacement transaction underpriced")
}

// ResetNonce makes the next send ask the node for the account's nonce: after
// a reorganisation, or when another process may have used the key.
func (s *Sender) ResetNonce() {
	s.mu.Lock()
	s.nonceOK = false
	s.mu.Unlock()
}

// Wait returns the receipt of whichever version of t is mined, once the
// node's canonical chain holds its block (a node can serve a receipt
// before its head has moved there), whether it succeeded or reverted.
//
// A version that stays unmined for Config.BumpAfter blocks is replaced:
// same nonce, call and gas, tip and fee cap each raised by more than
// PriceBump percent and to what the market asks now, never above
// Config.MaxFeePerGas. When the cap leaves no room for a replacement that
// could be mined, Wait fails with ErrFeeTooHigh; the transaction stays in
// the pool and a later Wait (with a higher cap, say) takes it up again.
// Wait fails with ErrDropped when the node forgets every version, and
// with ctx's error when ctx ends first: t stays valid for a later Wait.
func (s *Sender) Wait(ctx context.Context, t *Tx) (*types.Receipt, error) {
	for polls := 1; ; polls++ {
		head, err := s.head(ctx)
		if err != nil {
			return nil, err
		}
		for _, h := range reversed(t.Hashes()) {
			rcpt, err := s.minedAt(ctx, h, head)
			if err != nil {
				return nil, err
			}
			if rcpt != nil {
				return rcpt, nil
			}
		}
		if err := s.maybeBump(ctx, t, head); err != nil {
			return nil, err
		}
		// Still in the pool? Asked now and then, because the answer only
		// matters when something went wrong.
		if polls%8 == 0 {
			known, err := s.known(ctx, t)
			if err != nil {
				return nil, err
			}
			if !known {
				return nil, fmt.Errorf("%w: %s (nonce %d)", ErrDropped, t.Latest().Hash(), t.nonce)
			}
		}
		if err := Sleep(ctx, s.cfg.PollInterval); err != nil {
			return nil, fmt.Errorf("waiting for %s: %w", t.Latest().Hash(), err)
		}
	}
}

func reversed(hs []common.Hash) []common.Hash {
	for i, j := 0, len(hs)-1; i < j; i, j = i+1, j-1 {
		hs[i], hs[j] = hs[j], hs[i]
	}
	return hs
}

// minedAt returns the receipt of hash if head's chain holds it, or nil.
func (s *Sender) minedAt(ctx context.Context, hash common.Hash, head *types.Header) (*types.Receipt, error) {
	var rcpt *types.Receipt
	err := s.cfg.Retry.Do(ctx, "transaction receipt", func(ctx context.Context) (err error) {
		rcpt, err = s.c.TransactionReceipt(ctx, hash)
		if err != nil && strings.Contains(err.Error(), "indexing is in progress") {
			// A node still indexing answers this for fresh blocks.
			return ethereum.NotFound
		}
		return err
	})
	if errors.Is(err, ethereum.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if head.Number.Cmp(rcpt.BlockNumber) < 0 {
		return nil, nil // the head has not moved there yet
	}
	var h *types.Header
	err = s.cfg.Retry.Do(ctx, "receipt's block", func(ctx context.Context) (err error) {
		h, err = s.c.HeaderByNumber(ctx, rcpt.BlockNumber)
		return err
	})
	if errors.Is(err, ethereum.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if h.Hash() != rcpt.BlockHash {
		return nil, nil // a block a reorganisation replaced
	}
	return rcpt, nil
}

// known reports whether the node knows any version of t.
func (s *Sender) known(ctx context.Context, t *Tx) (bool, error) {
	for _, h := range t.Hashes() {
		err := s.cfg.Retry.Do(ctx, "transaction by hash", func(ctx context.Context) error {
			_, _, err := s.c.TransactionByHash(ctx, h)
			return err
		})
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return false, err
		}
	}
	return false, nil
}

// maybeBump replaces t's last version if it has waited Config.BumpAfter
// blocks.
func (s *Sender) maybeBump(ctx context.Context, t *Tx, head *types.Header) error {
	t.mu.Lock()
	due := head.Number.Uint64() >= t.sentAt+s.cfg.BumpAfter && len(t.versions) < maxVersions
	floor := t.floor
	t.mu.Unlock()
	if !due {
		return nil
	}
	var f fees
	var err error
	if floor.legacy() {
		var price *big.Int
		if price, err = s.suggestPrice(ctx); err != nil {
			return err
		}
		f, err = replacementFees(floor, nil, price, s.cfg.MaxFeePerGas)
	} else {
		var tip *big.Int
		if tip, err = s.suggestTip(ctx); err != nil {
			return err
		}
		baseFee := head.BaseFee
		if baseFee == nil {
			baseFee = new(big.Int)
		}
		f, err = replacementFees(floor, baseFee, tip, s.cfg.MaxFeePerGas)
	}
	if err != nil {
		return fmt.Errorf("transaction %s (nonce %d) unmined for %d blocks: %w", t.Latest().Hash(), t.nonce, head.Number.Uint64()-t.sentAt, err)
	}
	tx, err := s.sign(t.call, t.nonce, f)
	if err != nil {
		return err
	}
	err = s.submit(ctx, tx)
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case err == nil:
		s.cfg.Retry.Logger.Info("replaced stuck transaction", "old", t.versions[len(t.versions)-1].Hash(), "new", tx.Hash(), "nonce", t.nonce, "fees", f)
		t.versions = append(t.versions, tx)
		t.floor, t.sentAt = f, head.Number.Uint64()
		return nil
	case nonceTaken(err):
		// A version was mined meanwhile (or another sender took the
		// nonce): the next poll finds the receipt, or the drop.
		return nil
	case underpriced(err):
		// The node wants a larger bump than PriceBump: start the next one
		// from what it refused.
		t.floor, t.sentAt = f, head.Number.Uint64()
		return nil
	}
	return fmt.Errorf("replace %s: %w", t.versions[len(t.versions)-1].Hash(), err)
}

// Transact sends c and waits for it (Send, then Wait), sending again with a
// fresh nonce when the transaction is dropped, and returns the receipt
// whatever its status.
func (s *Sender) Transact(ctx context.Context, c Call) (*types.Receipt, error) {
	for range maxRounds {
		t, err := s.Send(ctx, c)
		if err != nil {
			return nil, err
		}
		rcpt, err := s.Wait(ctx, t)
		if errors.Is(err, ErrDropped) {
			s.cfg.Retry.Logger.Warn("transaction dropped, sending again", "tx", t.Latest().Hash())
			s.ResetNonce()
			continue
		}
		return rcpt, err
	}
	return nil, fmt.Errorf("%w %d times", ErrDropped, maxRounds)
}

func (s *Sender) head(ctx context.Context) (*types.Header, error) {
	var h *types.Header
	err := s.cfg.Retry.Do(ctx, "latest header", func(ctx context.Context) (err error) {
		h, err = s.c.HeaderByNumber(ctx, nil)
		return err
	})
	return h, err
}

func (s *Sender) suggestTip(ctx context.Context) (*big.Int, error) {
	var tip *big.Int
	err := s.cfg.Retry.Do(ctx, "suggest tip", func(ctx context.Context) (err error) {
		tip, err = s.c.SuggestGasTipCap(ctx)
		return err
	})
	return tip, err
}

func (s *Sender) suggestPrice(ctx context.Context) (*big.Int, error) {
	var price *big.Int
	err := s.cfg.Retry.Do(ctx, "suggest gas price", func(ctx context.Context) (err error) {
		price, err = s.c.SuggestGasPrice(ctx)
		return err
	})
	return price, err
}
