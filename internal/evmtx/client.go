package evmtx

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Client is the part of a JSON-RPC client a Sender uses. *ethclient.Client
// and the client of go-ethereum's ethclient/simulated backend implement it.
type Client interface {
	ethereum.ChainIDReader
	ethereum.GasEstimator
	ethereum.GasPricer
	ethereum.GasPricer1559
	ethereum.TransactionReader
	ethereum.TransactionSender
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
}

// Signer signs transactions for one account: a key in memory (KeySigner),
// or a wallet, HSM or KMS behind the same two methods.
type Signer interface {
	// Address is the account that pays for and sends the transactions.
	Address() common.Address
	// SignTx returns tx signed for the chain with ID chainID.
	SignTx(tx *types.Transaction, chainID *big.Int) (*types.Transaction, error)
}

// KeySigner returns a Signer for a private key held in memory. For a nil
// key it returns a Signer of the zero address whose SignTx fails with
// ErrNoKey, so that a missing key is an error where it is used, not a
// panic.
func KeySigner(key *ecdsa.PrivateKey) Signer {
	if key == nil {
		return noKey{}
	}
	return keySigner{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
}

// ErrNoKey is the error of KeySigner(nil)'s SignTx.
var ErrNoKey = errors.New("no private key to sign with")

// NoKey reports whether s is KeySigner(nil), for callers that refuse it
// before they start.
func NoKey(s Signer) bool {
	_, ok := s.(noKey)
	return ok
}

// noKey is KeySigner(nil).
type noKey struct{}

func (noKey) Address() common.Address { return common.Address{} }

func (noKey) SignTx(*types.Transaction, *big.Int) (*types.Transaction, error) {
	return nil, ErrNoKey
}

type keySigner struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

func (k keySigner) Address() common.Address { return k.addr }

func (k keySigner) SignTx(tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	return types.SignTx(tx, types.LatestSignerForChainID(chainID), k.key)
}
