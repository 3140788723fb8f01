package evm

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/anchor"
)

// ErrUntrustedBlock is returned (with anchor.ErrBadReceipt) by a
// HeaderVerifier for a receipt in a block its TrustedHeaders do not
// vouch for.
var ErrUntrustedBlock = errors.New("evm: no trusted header for the block")

// TrustedHeaders says which block is canonical at a height, from a source
// the verifier trusts: a checkpoint of block hashes (Checkpoint), a light
// client or the verifier's own node (HeaderFunc). HeaderHash returns the
// hash of the block at number, or an error matching ErrUntrustedBlock
// when the source does not vouch for one.
type TrustedHeaders interface {
	HeaderHash(ctx context.Context, number uint64) (common.Hash, error)
}

// Checkpoint is a set of block hashes the caller trusts, by block
// number: typically finalized blocks that hold anchors, taken from a
// source the caller trusts once.
type Checkpoint map[uint64]common.Hash

// HeaderHash implements TrustedHeaders.
func (c Checkpoint) HeaderHash(_ context.Context, number uint64) (common.Hash, error) {
	h, ok := c[number]
	if !ok {
		return common.Hash{}, fmt.Errorf("%w: block %d is not in the checkpoint", ErrUntrustedBlock, number)
	}
	return h, nil
}

// HeaderFunc returns the trusted header of the block at number; it
// answers ethereum.NotFound (or ErrUntrustedBlock) for a block it does not
// know. It adapts a light client, or a node the verifier runs itself.
type HeaderFunc func(ctx context.Context, number uint64) (*types.Header, error)

// HeaderHash implements TrustedHeaders.
func (f HeaderFunc) HeaderHash(ctx context.Context, number uint64) (common.Hash, error) {
	if f == nil {
		return common.Hash{}, fmt.Errorf("%w: block %d: nil HeaderFunc", ErrUntrustedBlock, number)
	}
	h, err := f(ctx, number)
	if errors.Is(err, ethereum.NotFound) {
		return common.Hash{}, fmt.Errorf("%w: block %d: %w", ErrUntrustedBlock, number, err)
	}
	if err != nil {
		return common.Hash{}, err
	}
	if h == nil || h.Number == nil || h.Number.Uint64() != number {
		return common.Hash{}, fmt.Errorf("%w: the header source answered another block for %d", ErrUntrustedBlock, number)
	}
	return h.Hash(), nil
}

// HeaderVerifier checks receipts of one anchor contract offline: from the
// receipt's Proof and a block hash the caller trusts, with no node to ask.
// It implements anchor.ReceiptVerifier.
type HeaderVerifier struct {
	chainID  *big.Int
	chain    string
	contract common.Address
	trusted  TrustedHeaders
}

var _ anchor.ReceiptVerifier = (*HeaderVerifier)(nil)

// NewHeaderVerifier returns a verifier of receipts of the anchor contract
// at contract on the chain with ID chainID, trusting the blocks trusted
// vouches for. A nil chainID or trusted gives a verifier that refuses
// every receipt.
func NewHeaderVerifier(chainID *big.Int, contract common.Address, trusted TrustedHeaders) *HeaderVerifier {
	if chainID == nil {
		return &HeaderVerifier{contract: contract, trusted: trusted}
	}
	return &HeaderVerifier{chainID: new(big.Int).Set(chainID), chain: "eip155:" + chainID.String(), contract: contract, trusted: trusted}
}

// VerifyReceipt returns nil only if r is a receipt of this verifier's
// chain and contract, and its Proof proves, from the header of the block
// the trusted source names at r.Position: that the block holds
// transaction r.TxID (signed for the chain), that the transaction
// succeeded, and that it emitted, from the anchor contract, the Anchored
// event of exactly r's commitment, at r.Time. Errors about r match
// anchor.ErrBadReceipt (and ErrBadProof for proof bytes that do not
// decode or do not prove, ErrUntrustedBlock for a block the source does not
// vouch for); other errors of the source are returned as they are.
//
// It does not check r.State: whether the block is final is what the
// caller decides by trusting its hash (a checkpoint of finalized blocks,
// or FinalHeaders of a node, makes every receipt it verifies final).
func (v *HeaderVerifier) VerifyReceipt(ctx context.Context, r anchor.Receipt) error {
	if err := ctx.Err(); err != nil {
		return wrap(err, "verify receipt")
	}
	if v == nil || v.chainID == nil || v.trusted == nil {
		return fmt.Errorf("%w: %w: a HeaderVerifier without a chain ID or trusted headers", anchor.ErrBadReceipt, ErrUntrustedBlock)
	}
	p, err := checkReceipt(r, v.chain)
	if err != nil {
		return err
	}
	want, err := v.trusted.HeaderHash(ctx, r.Position)
	if errors.Is(err, ErrUntrustedBlock) {
		return fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
	}
	if err != nil {
		return wrap(err, "verify receipt: trusted header %d", r.Position)
	}
	return checkProof(p, want, r, v.contract, v.chainID)
}

// checkReceipt checks r's ledger, chain and commitment and decodes its
// proof.
func checkReceipt(r anchor.Receipt, chain string) (Proof, error) {
	if r.Ledger != LedgerName || r.Chain != chain {
		return Proof{}, fmt.Errorf("%w: evm: receipt of %s %s, this is %s %s", anchor.ErrBadReceipt, r.Ledger, r.Chain, LedgerName, chain)
	}
	if err := r.Commitment.Validate(); err != nil {
		return Proof{}, fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
	}
	p, err := DecodeProof(r.Proof)
	if err != nil {
		return Proof{}, fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
	}
	return p, nil
}

// checkProof checks that p's header is the trusted block want and proves r.
func checkProof(p Proof, want common.Hash, r anchor.Receipt, contract common.Address, chainID *big.Int) error {
	if got := p.BlockHash(); got != want {
		return fmt.Errorf("%w: evm: the proof's header is block %s, the trusted block %d is %s (reorganised or forged)", anchor.ErrBadReceipt, got, r.Position, want)
	}
	if err := p.check(r, contract, chainID); err != nil {
		return fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
	}
	return nil
}

// VerifyReceipt checks r against the chain as the Ledger's node sees it:
// the node's canonical block at r.Position is the trusted header, and r's
// Proof must prove r from it exactly as HeaderVerifier checks (see there).
// A receipt without a Proof (the backend issues those only when the node's
// block data could not be proved, see Client) is checked by asking the
// node for the block's Anchored logs instead. Errors about r match
// anchor.ErrBadReceipt; a node that cannot be asked gives
// anchor.ErrUnavailable. It does not check r.State.
//
// This trusts the node the Ledger talks to. A verifier that trusts no
// node uses a HeaderVerifier, with block hashes from a source it trusts.
func (l *Ledger) VerifyReceipt(ctx context.Context, r anchor.Receipt) error {
	if err := l.check(ctx); err != nil {
		return wrap(err, "verify receipt")
	}
	if len(r.Proof) == 0 {
		return l.verifyByLogs(ctx, r)
	}
	p, err := checkReceipt(r, l.chain)
	if err != nil {
		return err
	}
	var header *types.Header
	err = l.retry.Do(ctx, "block header", func(ctx context.Context) (err error) {
		header, err = l.c.HeaderByNumber(ctx, new(big.Int).SetUint64(r.Position))
		return err
	})
	if errors.Is(err, ethereum.NotFound) {
		return fmt.Errorf("%w: evm: no block %d", anchor.ErrBadReceipt, r.Position)
	}
	if err != nil {
		return wrap(err, "verify receipt")
	}
	return checkProof(p, header.Hash(), r, l.cfg.Contract, l.chainID)
}

// verifyByLogs checks a receipt without a proof against the node: the
// block at r.Position must hold an Anchored log of the contract in
// transaction r.TxID carrying exactly r's commitment, at r.Time.
func (l *Ledger) verifyByLogs(ctx context.Context, r anchor.Receipt) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: evm: %s", anchor.ErrBadReceipt, fmt.Sprintf(format, args...))
	}
	if err := l.ours(r); err != nil {
		return err
	}
	var header *types.Header
	err := l.retry.Do(ctx, "block header", func(ctx context.Context) (err error) {
		header, err = l.c.HeaderByNumber(ctx, new(big.Int).SetUint64(r.Position))
		return err
	})
	if errors.Is(err, ethereum.NotFound) {
		return bad("no block %d", r.Position)
	}
	if err != nil {
		return wrap(err, "verify receipt")
	}
	if !r.Time.Equal(blockTimeOf(header)) {
		return bad("time %s, block %d has %s", r.Time, r.Position, blockTimeOf(header))
	}
	blockHash := header.Hash()
	var logs []types.Log
	q := ethereum.FilterQuery{
		BlockHash: &blockHash,
		Addresses: []common.Address{l.cfg.Contract},
		Topics:    [][]common.Hash{{anchoredTopic}, {r.Commitment.Root.Sum}},
	}
	if err := l.retry.Do(ctx, "Anchored logs", func(ctx context.Context) (err error) {
		logs, err = l.c.FilterLogs(ctx, q)
		return err
	}); err != nil {
		return wrap(err, "verify receipt")
	}
	for _, lg := range logs {
		if lg.Removed || lg.TxHash.Hex() != r.TxID {
			continue
		}
		ev, err := DecodeAnchored(lg)
		if err != nil {
			return fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
		}
		if !ev.Commitment.Equal(r.Commitment) {
			return bad("block %d anchors another commitment under root %s", r.Position, r.Commitment.Root)
		}
		return nil
	}
	return bad("block %d has no Anchored log of transaction %s for root %s", r.Position, r.TxID, r.Commitment.Root)
}
