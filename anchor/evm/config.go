package evm

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/internal/evmtx"
)

// Client is the part of a JSON-RPC client the backend uses: what sending
// transactions takes (chain ID, gas estimates and prices, pending nonce,
// headers by number, sending, transactions and receipts by hash), contract
// calls and code, log queries, and headers and blocks by hash. Both
// *ethclient.Client (any endpoint, L1 or L2) and the client of
// go-ethereum's ethclient/simulated backend implement it.
//
// To make a receipt's proof the backend needs every receipt of the
// anchor's block: a client that also has BlockReceipts (eth_getBlockReceipts,
// as *ethclient.Client and the simulated client do) fetches them in one
// call, any other one transaction receipt at a time.
type Client interface {
	evmtx.Client
	ethereum.ContractCaller
	ethereum.LogFilterer
	HeaderByHash(ctx context.Context, hash common.Hash) (*types.Header, error)
	BlockByHash(ctx context.Context, hash common.Hash) (*types.Block, error)
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
}

// Signer signs transactions for one account: a key in memory (KeySigner),
// or a wallet, HSM or KMS behind the same two methods, Address (the
// account that pays for and sends the transactions) and SignTx (tx signed
// for the chain with the given ID).
type Signer = evmtx.Signer

// KeySigner returns a Signer for a private key held in memory.
func KeySigner(key *ecdsa.PrivateKey) Signer { return evmtx.KeySigner(key) }

// ErrBadConfig is returned by Open and NewOwner for a Config that cannot
// work, or no client.
var ErrBadConfig = errors.New("evm: bad configuration")

// Finality says when an anchor's receipt is Final.
type Finality uint8

const (
	// FinalizedTag, the default: Final once the node's "finalized" block
	// (the chain's own finality: two epochs of attestations on Ethereum,
	// settlement on L1 for a rollup) is the anchor's block or later. A
	// node that does not know the tag (an error answer, or no finalized
	// block yet) is asked again next time; meanwhile Confirmations
	// decides.
	FinalizedTag Finality = iota
	// ConfirmationCount: Final once Confirmations blocks are built on top
	// of the anchor's block, whatever the node calls finalized.
	ConfirmationCount
	// Immediate: Final as soon as the anchor is in a block, for chains
	// with instant finality.
	Immediate
)

// String returns "finalized-tag", "confirmations" or "immediate".
func (f Finality) String() string {
	switch f {
	case FinalizedTag:
		return "finalized-tag"
	case ConfirmationCount:
		return "confirmations"
	case Immediate:
		return "immediate"
	}
	return fmt.Sprintf("Finality(%d)", uint8(f))
}

// Config configures a Ledger. Contract is required, and Signer to anchor;
// the zero value of every other field selects the default documented on
// it.
type Config struct {
	// Contract is the address of a deployed anchor contract (see
	// Owner.Deploy).
	Contract common.Address
	// DeployBlock is the block the contract was deployed in: Follow and
	// log queries never look below it. Zero searches from genesis.
	DeployBlock uint64
	// Signer sends the anchoring transactions; its address must be a
	// registered gateway of the contract. It may be nil for a read-only
	// Ledger, whose Anchor fails with ErrReadOnly.
	Signer Signer
	// Finality says when a receipt is Final. Default FinalizedTag.
	Finality Finality
	// Confirmations is the number of blocks that must be built on top of
	// an anchor's block before its receipt is Final under
	// ConfirmationCount, or under FinalizedTag on a node that does not
	// know the tag. Default 12; pick the chain's reorg depth (an L2 whose
	// sequencer does not reorg can use 1).
	Confirmations uint64
	// PollInterval is how often the backend asks the node for new blocks
	// and receipts. Default 1s; tests on a simulated chain use
	// milliseconds.
	PollInterval time.Duration
	// Retries bounds how often one RPC is retried after a transient error
	// (connection refused, timeout, HTTP 429/5xx). Default 5.
	Retries int
	// RetryBackoff is the wait before the first retry; it doubles on each
	// further retry. Default 200ms.
	RetryBackoff time.Duration
	// GasMargin is added to the node's gas estimate, in percent, because
	// state can change between estimate and inclusion. Default 20.
	GasMargin uint64
	// MaxFeePerGas, if set, caps the fee per gas the backend offers, also
	// when it replaces a stuck transaction; an anchor that would need more
	// fails with ErrFeeTooHigh instead of draining the gateway's account
	// at a fee spike.
	MaxFeePerGas *big.Int
	// FeeBumpBlocks is how many blocks an anchoring transaction may wait in
	// the pool before it is replaced by one with the same nonce and fees
	// raised by more than 10% (tip and fee cap both: the least a node
	// accepts), or to what the market asks, up to MaxFeePerGas. Default 3.
	FeeBumpBlocks uint64
	// LogRange bounds the block range of one log query; public endpoints
	// often refuse wider ones. Default 2000.
	LogRange uint64
	// Logger receives debug and warning records; nil discards them.
	Logger *slog.Logger
}

// withDefaults returns cfg with defaults filled in, or ErrBadConfig.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Contract == (common.Address{}) {
		return cfg, fmt.Errorf("%w: no contract address", ErrBadConfig)
	}
	if cfg.Finality > Immediate {
		return cfg, fmt.Errorf("%w: finality %v", ErrBadConfig, cfg.Finality)
	}
	if cfg.Confirmations == 0 {
		cfg.Confirmations = 12
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Retries < 0 {
		return cfg, fmt.Errorf("%w: negative retries %d", ErrBadConfig, cfg.Retries)
	}
	if cfg.MaxFeePerGas != nil && cfg.MaxFeePerGas.Sign() <= 0 {
		return cfg, fmt.Errorf("%w: maximum fee per gas %s", ErrBadConfig, cfg.MaxFeePerGas)
	}
	if cfg.LogRange == 0 {
		cfg.LogRange = 2000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

// retry is cfg's RPC retry policy; unreachable nodes give
// anchor.ErrUnavailable.
func (cfg Config) retry() evmtx.Retry {
	return evmtx.Retry{Retries: cfg.Retries, Backoff: cfg.RetryBackoff, Unavailable: anchor.ErrUnavailable, Logger: cfg.Logger}
}

// txConfig is cfg's transaction policy.
func (cfg Config) txConfig() evmtx.Config {
	return evmtx.Config{Retry: cfg.retry(), PollInterval: cfg.PollInterval, GasMargin: cfg.GasMargin,
		MaxFeePerGas: cfg.MaxFeePerGas, BumpAfter: cfg.FeeBumpBlocks}
}
