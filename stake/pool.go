package stake

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/evmtx"
	"github.com/iotrust/iotrust/stake/contracts"
)

// Backend is what a Pool needs of a chain: what sending transactions
// takes (chain ID, gas estimates and prices, nonces, headers, sending,
// transactions and receipts) and the contract-binding interfaces.
// *ethclient.Client (any JSON-RPC endpoint) and go-ethereum's
// simulated.Client implement it.
type Backend interface {
	evmtx.Client
	bind.ContractBackend
}

// Signer signs the transactions of one account (a staker, the arbiter or a
// deployer): a key in memory (KeySigner), or a wallet, HSM or KMS behind
// the same two methods, Address and SignTx.
type Signer = evmtx.Signer

// KeySigner returns a Signer for a private key held in memory.
func KeySigner(key *ecdsa.PrivateKey) Signer { return evmtx.KeySigner(key) }

// Config configures how a Pool sends transactions. The zero value of
// every field selects the default documented on it.
type Config struct {
	// PollInterval is how often a call asks the node whether its
	// transaction is mined. Default 1s; tests on a simulated chain use
	// milliseconds.
	PollInterval time.Duration
	// MaxFeePerGas, if set, caps the fee per gas of every transaction,
	// also when a stuck one is replaced; a call that would need more fails
	// with an error wrapping the cap.
	MaxFeePerGas *big.Int
}

// senders returns the transaction senders of backend's chain.
func (cfg Config) senders(backend Backend) *evmtx.Senders {
	return evmtx.NewSenders(backend, evmtx.Config{PollInterval: cfg.PollInterval, MaxFeePerGas: cfg.MaxFeePerGas})
}

// binding packs calls and unpacks results and reverts; it holds no state.
var binding = contracts.NewStake()

// Deploy deploys the Stake contract from from's account with arbiter,
// the only account that may slash, and the unbonding delay (whole seconds,
// at least one) between Unbond and the earliest Withdraw.
func Deploy(ctx context.Context, backend Backend, from Signer, arbiter common.Address, unbondingDelay time.Duration, cfg Config) (common.Address, *types.Receipt, error) {
	if arbiter == (common.Address{}) || unbondingDelay < time.Second {
		return common.Address{}, nil, fmt.Errorf("%w: arbiter %s, unbonding delay %v", ErrBadParameters, arbiter, unbondingDelay)
	}
	code, err := hexutil.Decode(contracts.StakeMetaData.Bin)
	if err != nil {
		return common.Address{}, nil, err
	}
	data := append(code, binding.PackConstructor(arbiter, uint64(unbondingDelay/time.Second))...)
	r, err := send(ctx, cfg.senders(backend), from, evmtx.Call{Data: data}, "deploy")
	if err != nil {
		return common.Address{}, r, err
	}
	return r.ContractAddress, r, nil
}

// Pool is one deployment of the Stake contract: stakers bond coin, the
// arbiter slashes bonds for published evidence (see Misreport), stakers
// leave through the unbonding delay. Its methods send one transaction
// each, or read the contract's state; it is safe for concurrent use.
type Pool struct {
	address  common.Address
	contract *bind.BoundContract
	senders  *evmtx.Senders
}

// New returns the Pool of the contract at address, after checking that
// code is deployed there (ErrNoContract otherwise).
func New(ctx context.Context, backend Backend, address common.Address, cfg Config) (*Pool, error) {
	code, err := backend.CodeAt(ctx, address, nil)
	if err != nil {
		return nil, err
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoContract, address)
	}
	return &Pool{address: address, contract: binding.Instance(backend, address), senders: cfg.senders(backend)}, nil
}

// Address returns the contract's address.
func (p *Pool) Address() common.Address { return p.address }

// Bond adds amount (wei, more than zero) to the bond of from's account.
// A bond that is unbonding takes no more (ErrUnbonding).
func (p *Pool) Bond(ctx context.Context, from Signer, amount *big.Int) (*types.Receipt, error) {
	if amount == nil || amount.Sign() <= 0 {
		return nil, fmt.Errorf("%w: bond of %v", ErrZeroAmount, amount)
	}
	return p.send(ctx, from, amount, binding.PackBond(), "bond")
}

// Unbond starts the unbonding delay of the whole bond of from's account.
// The bond can still be slashed until it is withdrawn.
func (p *Pool) Unbond(ctx context.Context, from Signer) (*types.Receipt, error) {
	return p.send(ctx, from, nil, binding.PackUnbond(), "unbond")
}

// Withdraw pays from's account what is left of its bond once the unbonding
// delay has passed (ErrLocked before, ErrNotUnbonding without Unbond).
func (p *Pool) Withdraw(ctx context.Context, from Signer) (*types.Receipt, error) {
	return p.send(ctx, from, nil, binding.PackWithdraw(), "withdraw")
}

// Slash burns amount of staker's bond for the evidence whose digest is
// evidence (Misreport.Digest). Only the arbiter may (ErrNotArbiter), each
// evidence once (ErrAlreadySlashed), at most the bond (ErrInsufficientBond).
// Only the digest's 32 bytes go on chain; its hash function is the
// Misreport's, BLAKE3.
func (p *Pool) Slash(ctx context.Context, from Signer, staker common.Address, amount *big.Int, evidence canon.Digest) (*types.Receipt, error) {
	if amount == nil || amount.Sign() <= 0 || amount.BitLen() > 256 {
		return nil, fmt.Errorf("%w: slash of %v", ErrZeroAmount, amount)
	}
	return p.send(ctx, from, nil, binding.PackSlash(staker, amount, evidence.Sum), "slash")
}

// BondState is a staker's bond as the contract holds it.
type BondState struct {
	// Amount is what is bonded, in wei, after any slash.
	Amount *big.Int
	// UnlocksAt is when Withdraw may be called; zero while bonded.
	UnlocksAt time.Time
}

// BondOf returns staker's bond.
func (p *Pool) BondOf(ctx context.Context, staker common.Address) (BondState, error) {
	out, err := bind.Call(p.contract, &bind.CallOpts{Context: ctx}, binding.PackBonds(staker), binding.UnpackBonds)
	if err != nil {
		return BondState{}, err
	}
	b := BondState{Amount: out.Amount}
	if out.UnlocksAt != 0 {
		b.UnlocksAt = time.Unix(int64(out.UnlocksAt), 0).UTC()
	}
	return b, nil
}

// Burned returns the wei slashed so far, which stays in the contract.
func (p *Pool) Burned(ctx context.Context) (*big.Int, error) {
	return bind.Call(p.contract, &bind.CallOpts{Context: ctx}, binding.PackBurned(), binding.UnpackBurned)
}

// Slashed reports whether evidence has slashed a bond.
func (p *Pool) Slashed(ctx context.Context, evidence canon.Digest) (bool, error) {
	return bind.Call(p.contract, &bind.CallOpts{Context: ctx}, binding.PackSlashedFor(evidence.Sum), binding.UnpackSlashedFor)
}

// Arbiter returns the account that may slash.
func (p *Pool) Arbiter(ctx context.Context) (common.Address, error) {
	return bind.Call(p.contract, &bind.CallOpts{Context: ctx}, binding.PackArbiter(), binding.UnpackArbiter)
}

// send transacts data with value from from's account and waits for the
// receipt.
func (p *Pool) send(ctx context.Context, from Signer, value *big.Int, data []byte, what string) (*types.Receipt, error) {
	return send(ctx, p.senders, from, evmtx.Call{To: &p.address, Data: data, Value: value}, what)
}

// send sends c from from's account and waits until it is mined: a revert
// (at estimation) becomes the package's error for it, a mined failure
// ErrTxFailed with its receipt.
func send(ctx context.Context, senders *evmtx.Senders, from Signer, c evmtx.Call, what string) (*types.Receipt, error) {
	s, err := senders.Of(ctx, from)
	if err != nil {
		return nil, evmtx.Wrap("stake", err, "%s", what)
	}
	r, err := s.Transact(ctx, c)
	if err != nil {
		if _, ok := evmtx.RevertData(err); ok {
			return nil, revertError(err)
		}
		return nil, evmtx.Wrap("stake", err, "%s", what)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("%w: %s in %s", ErrTxFailed, what, r.TxHash)
	}
	return r, nil
}

// revertError maps a contract revert carried by err to the package's
// errors; other errors are returned unchanged.
func revertError(err error) error {
	v, reverted := evmtx.UnpackRevert(err, binding.UnpackError)
	if !reverted {
		return err
	}
	switch v := v.(type) {
	case *contracts.StakeBadParameters:
		return ErrBadParameters
	case *contracts.StakeZeroAmount:
		return ErrZeroAmount
	case *contracts.StakeNothingBonded:
		return fmt.Errorf("%w: %s", ErrNothingBonded, v.Staker)
	case *contracts.StakeUnbonding:
		return fmt.Errorf("%w: unlocks at %d", ErrUnbonding, v.UnlocksAt)
	case *contracts.StakeNotUnbonding:
		return ErrNotUnbonding
	case *contracts.StakeLocked:
		return fmt.Errorf("%w: unlocks at %d", ErrLocked, v.UnlocksAt)
	case *contracts.StakeNotArbiter:
		return fmt.Errorf("%w: %s", ErrNotArbiter, v.Caller)
	case *contracts.StakeInsufficientBond:
		return fmt.Errorf("%w: bond %s, amount %s", ErrInsufficientBond, v.Bond, v.Amount)
	case *contracts.StakeAlreadySlashed:
		return fmt.Errorf("%w: %x", ErrAlreadySlashed, v.Evidence)
	case *contracts.StakeTransferFailed:
		return ErrTransferFailed
	}
	return fmt.Errorf("%w: %v", ErrReverted, err)
}
