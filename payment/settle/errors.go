package settle

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/internal/evmtx"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/contracts"
)

// Errors of on-chain settlement. A contract revert is returned as a
// *RevertError that wraps one of these (or one of package payment's) and
// names the contract's custom error.
var (
	// ErrReverted is wrapped by every *RevertError.
	ErrReverted = errors.New("settle: contract call reverted")
	// ErrTooEarly: collect before the challenge period is over, or recover
	// before the channel expired.
	ErrTooEarly = errors.New("settle: too early")
	// ErrChallengeOver: a challenge after the challenge period.
	ErrChallengeOver = errors.New("settle: challenge period over")
	// ErrNotClosing: challenge or collect on a channel nobody closed.
	ErrNotClosing = errors.New("settle: channel is not closing")
	// ErrAlreadyClosing: close, top-up or recover on a closing channel.
	ErrAlreadyClosing = errors.New("settle: channel is already closing")
	// ErrNotAllowed: the caller may not do this on this channel.
	ErrNotAllowed = errors.New("settle: caller not allowed")
	// ErrBadDeposit: value and amount disagree, or the token transfer failed.
	ErrBadDeposit = errors.New("settle: bad deposit")
	// ErrBadProof: an inclusion proof the contract rejected.
	ErrBadProof = errors.New("settle: bad inclusion proof")
	// ErrTxFailed: a mined transaction with status 0.
	ErrTxFailed = errors.New("settle: transaction failed")
	// ErrUnavailable: the chain's node could not be reached (after
	// Config.Retries retries) or its client is closed; retrying later is
	// safe.
	ErrUnavailable = errors.New("settle: chain node unavailable")
	// ErrFeeTooHigh: the fee per gas a transaction needs, to be mined or to
	// replace a stuck one, exceeds Config.MaxFeePerGas. A stuck
	// transaction stays in the node's pool.
	ErrFeeTooHigh = evmtx.ErrFeeTooHigh
	// ErrNotOnChain: a channel, voucher or condition the contract cannot
	// handle (a DID-key signer, a BLAKE3 condition, another contract).
	ErrNotOnChain = errors.New("settle: not settleable on this contract")
)

// RevertError is a revert of the channel contract, decoded from its ABI.
type RevertError struct {
	// Name is the contract's custom error, e.g. "StaleVoucher".
	Name string
	// Args are its decoded arguments.
	Args []any
	kind error
}

// Error names the contract error and its arguments.
func (e *RevertError) Error() string {
	return fmt.Sprintf("settle: contract reverted with %s%v", e.Name, e.Args)
}

// Is makes errors.Is match ErrReverted and the error's kind.
func (e *RevertError) Is(target error) bool { return target == ErrReverted || target == e.kind }

// Unwrap returns the error's kind.
func (e *RevertError) Unwrap() error { return e.kind }

var revertKinds = map[string]error{
	"UnknownChannel": payment.ErrUnknownChannel,
	"ChannelExists":  payment.ErrBadChannel,
	"BadDeposit":     ErrBadDeposit,
	"BadTiming":      payment.ErrBadChannel,
	"NotAllowed":     ErrNotAllowed,
	"AlreadyClosing": ErrAlreadyClosing,
	"NotClosing":     ErrNotClosing,
	"ChallengeOver":  ErrChallengeOver,
	"SettleTooEarly": ErrTooEarly,
	"Expired":        payment.ErrExpired,
	"NotExpired":     ErrTooEarly,
	"WrongChannel":   payment.ErrUnknownChannel,
	"BadSignature":   payment.ErrBadSignature,
	"StaleVoucher":   payment.ErrStale,
	"TimeLocked":     payment.ErrTimeLocked,
	"ConditionUnmet": payment.ErrConditionUnmet,
	"BadProof":       ErrBadProof,
	"TransferFailed": ErrBadDeposit,
}

var contractABI = evmtx.MustParseABI(contracts.PaymentChannelsMetaData.ParseABI)

// decodeRevert turns an RPC error carrying revert data into a *RevertError;
// other errors are returned as they are.
func decodeRevert(err error) error {
	name, args, ok := evmtx.DecodeRevert(contractABI, err)
	if !ok {
		return err
	}
	return &RevertError{Name: name, Args: args, kind: cmp.Or(revertKinds[name], ErrReverted)}
}
