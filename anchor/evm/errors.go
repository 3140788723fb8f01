package evm

import (
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/anchor/evm/contracts"
	"github.com/iotrust/iotrust/internal/evmtx"
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
	// ErrFeeTooHigh is returned when the fee per gas an anchor needs, to be
	// mined or to replace its stuck transaction, exceeds
	// Config.MaxFeePerGas. A stuck transaction stays in the pool; a
	// later Anchor of the same commitment waits for it.
	ErrFeeTooHigh = evmtx.ErrFeeTooHigh
	// ErrReadOnly is returned by Anchor on a Ledger opened without a Signer.
	ErrReadOnly = errors.New("evm: ledger opened without a signer")
	// ErrNoContract is returned by Open when no code is deployed at
	// Config.Contract.
	ErrNoContract = errors.New("evm: no contract at address")
)

// errAlreadyAnchored is the contract's AlreadyAnchored revert: another
// transaction anchored the root first.
var errAlreadyAnchored = errors.New("root already anchored on chain")

// revertError maps a contract revert carried by err to this package's
// errors; other errors are returned unchanged.
func revertError(err error) error {
	v, reverted := evmtx.UnpackRevert(err, binding.UnpackError)
	if !reverted {
		return err
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

// wrap puts "evm: " and the formatted context in front of err, without
// repeating the prefix; nil stays nil.
func wrap(err error, format string, args ...any) error {
	return evmtx.Wrap("evm", err, format, args...)
}
