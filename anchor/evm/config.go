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
	"github.com/ethereum/go-ethereum/crypto"
)

// Client is the part of a JSON-RPC client the backend uses. Both
// *ethclient.Client (any endpoint, L1 or L2) and the client of go-ethereum's
// ethclient/simulated backend implement it.
type Client interface {
	ethereum.ChainIDReader
	ethereum.ContractCaller
	ethereum.GasEstimator
	ethereum.GasPricer
	ethereum.GasPricer1559
	ethereum.LogFilterer
	ethereum.TransactionReader
	ethereum.TransactionSender
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	HeaderByHash(ctx context.Context, hash common.Hash) (*types.Header, error)
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
}

// Signer signs transactions for one account: a key in memory (KeySigner),
// or a wallet, HSM or KMS behind the same two methods.
type Signer interface {
	// Address is the account that pays for and sends the transactions.
	Address() common.Address
	// SignTx returns tx signed for the chain with ID chainID.
	SignTx(tx *types.Transaction, chainID *big.Int) (*types.Transaction, error)
}

// KeySigner returns a Signer for a private key held in memory.
func KeySigner(key *ecdsa.PrivateKey) Signer {
	return keySigner{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
}

type keySigner struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

func (k keySigner) Address() common.Address { return k.addr }

func (k keySigner) SignTx(tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	return types.SignTx(tx, types.LatestSignerForChainID(chainID), k.key)
}

// ErrBadConfig is returned by Open and Deploy for a Config that cannot work.
var ErrBadConfig = errors.New("evm: bad configuration")

// Config configures a Ledger. Contract and Signer are required; the zero
// value of every other field selects the default documented on it.
type Config struct {
	// Contract is the address of a deployed anchor contract (see Deploy).
	Contract common.Address
	// DeployBlock is the block the contract was deployed in: Follow and
	// log queries never look below it. Zero searches from genesis.
	DeployBlock uint64
	// Signer sends the anchoring transactions; its address must be a
	// registered gateway of the contract. It may be nil for a read-only
	// Ledger, whose Anchor fails with ErrReadOnly.
	Signer Signer
	// Confirmations is the number of blocks that must be built on top of an
	// anchor's block before its receipt is Final. Default 12; pick the
	// chain's reorg depth (an L2 whose sequencer does not reorg can use 1).
	Confirmations uint64
	// NoConfirmations makes an anchor Final as soon as it is included
	// (Confirmations is ignored): for chains with instant finality.
	NoConfirmations bool
	// PollInterval is how often the backend asks the node for new blocks
	// and receipts. Default 1s; tests on a simulated chain use milliseconds.
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
	// MaxFeePerGas, if set, caps the fee per gas the backend offers; an
	// anchor that would need more fails with ErrFeeTooHigh instead of
	// draining the gateway's account at a fee spike.
	MaxFeePerGas *big.Int
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
	if cfg.NoConfirmations {
		cfg.Confirmations = 0
	} else if cfg.Confirmations == 0 {
		cfg.Confirmations = 12
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Retries < 0 {
		return cfg, fmt.Errorf("%w: negative retries %d", ErrBadConfig, cfg.Retries)
	}
	if cfg.Retries == 0 {
		cfg.Retries = 5
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = 200 * time.Millisecond
	}
	if cfg.GasMargin == 0 {
		cfg.GasMargin = 20
	}
	if cfg.LogRange == 0 {
		cfg.LogRange = 2000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}
