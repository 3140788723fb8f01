package stake

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/stake/contracts"
)

// Backend is what a Pool needs of a chain: *ethclient.Client (any JSON-RPC
// endpoint) and go-ethereum's simulated.Client implement it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
}

// MinedFunc waits until tx is mined and returns its receipt. nil means
// bind.WaitMined; on go-ethereum's simulated chain, seal a block instead.
type MinedFunc func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error)

// binding packs calls and unpacks results and reverts; it holds no state.
var binding = contracts.NewStake()

// Deploy deploys the Stake contract from auth with arbiter, the only
// account that may slash, and the unbonding delay (whole seconds, at least
// one) between Unbond and the earliest Withdraw.
func Deploy(ctx context.Context, backend Backend, auth *bind.TransactOpts, arbiter common.Address, unbondingDelay time.Duration, mined MinedFunc) (common.Address, *types.Receipt, error) {
	if arbiter == (common.Address{}) || unbondingDelay < time.Second {
		return common.Address{}, nil, fmt.Errorf("%w: arbiter %s, unbonding delay %v", ErrBadParameters, arbiter, unbondingDelay)
	}
	code, err := hexutil.Decode(contracts.StakeMetaData.Bin)
	if err != nil {
		return common.Address{}, nil, err
	}
	opts := *auth
	opts.Context = ctx
	addr, tx, err := bind.DeployContract(&opts, code, backend, binding.PackConstructor(arbiter, uint64(unbondingDelay/time.Second)))
	if err != nil {
		return common.Address{}, nil, revertError(err)
	}
	r, err := wait(ctx, backend, mined, tx, "deploy")
	return addr, r, err
}

// Pool is one deployment of the Stake contract: stakers bond coin, the
// arbiter slashes bonds for published evidence (see Misreport), stakers
// leave through the unbonding delay. Its methods send one transaction
// each, or read the contract's state; it is safe for concurrent use.
type Pool struct {
	backend  Backend
	address  common.Address
	contract *bind.BoundContract
	mined    MinedFunc
}

// New returns the Pool of the contract at address, after checking that
// code is deployed there (ErrNoContract otherwise).
func New(ctx context.Context, backend Backend, address common.Address, mined MinedFunc) (*Pool, error) {
	code, err := backend.CodeAt(ctx, address, nil)
	if err != nil {
		return nil, err
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoContract, address)
	}
	return &Pool{backend: backend, address: address, contract: binding.Instance(backend, address), mined: mined}, nil
}

// Address returns the contract's address.
func (p *Pool) Address() common.Address { return p.address }

// Bond adds amount (wei, more than zero) to the bond of auth's account.
// A bond that is unbonding takes no more (ErrUnbonding).
func (p *Pool) Bond(ctx context.Context, auth *bind.TransactOpts, amount *big.Int) (*types.Receipt, error) {
	if amount == nil || amount.Sign() <= 0 {
		return nil, fmt.Errorf("%w: bond of %v", ErrZeroAmount, amount)
	}
	return p.send(ctx, auth, amount, binding.PackBond(), "bond")
}

// Unbond starts the unbonding delay of the whole bond of auth's account.
// The bond can still be slashed until it is withdrawn.
func (p *Pool) Unbond(ctx context.Context, auth *bind.TransactOpts) (*types.Receipt, error) {
	return p.send(ctx, auth, nil, binding.PackUnbond(), "unbond")
}

// Withdraw pays auth's account what is left of its bond once the unbonding
// delay has passed (ErrLocked before, ErrNotUnbonding without Unbond).
func (p *Pool) Withdraw(ctx context.Context, auth *bind.TransactOpts) (*types.Receipt, error) {
	return p.send(ctx, auth, nil, binding.PackWithdraw(), "withdraw")
}

// Slash burns amount of staker's bond for the evidence whose digest is
// evidence (Misreport.Digest). Only the arbiter may (ErrNotArbiter), each
// evidence once (ErrAlreadySlashed), at most the bond (ErrInsufficientBond).
// Only the digest's 32 bytes go on chain; its hash function is the
// Misreport's, BLAKE3.
func (p *Pool) Slash(ctx context.Context, auth *bind.TransactOpts, staker common.Address, amount *big.Int, evidence canon.Digest) (*types.Receipt, error) {
	if amount == nil || amount.Sign() <= 0 || amount.BitLen() > 256 {
		return nil, fmt.Errorf("%w: slash of %v", ErrZeroAmount, amount)
	}
	return p.send(ctx, auth, nil, binding.PackSlash(staker, amount, evidence.Sum), "slash")
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

// send transacts data with value from auth and waits for the receipt.
func (p *Pool) send(ctx context.Context, auth *bind.TransactOpts, value *big.Int, data []byte, what string) (*types.Receipt, error) {
	opts := *auth
	opts.Context = ctx
	opts.Value = value
	tx, err := bind.Transact(p.contract, &opts, data)
	if err != nil {
		return nil, revertError(err)
	}
	return wait(ctx, p.backend, p.mined, tx, what)
}

func wait(ctx context.Context, backend Backend, mined MinedFunc, tx *types.Transaction, what string) (*types.Receipt, error) {
	var (
		r   *types.Receipt
		err error
	)
	if mined != nil {
		r, err = mined(ctx, tx)
	} else {
		r, err = bind.WaitMined(ctx, backend, tx.Hash())
	}
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("%w: %s in %s", ErrTxFailed, what, tx.Hash())
	}
	return r, nil
}

// revertError maps a contract revert carried by err to the package's
// errors; other errors are returned unchanged.
func revertError(err error) error {
	var de interface{ ErrorData() any }
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
