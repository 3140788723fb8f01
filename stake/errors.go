package stake

import "errors"

// Errors of the contract and of Misreport. A contract revert is returned as
// the sentinel of its kind (wrapped with its arguments); test with
// errors.Is.
var (
	// ErrBadParameters: a deployment without an arbiter or with an
	// unbonding delay under one second; an invalid Rule.
	ErrBadParameters = errors.New("stake: bad parameters")
	// ErrZeroAmount: a bond or slash of nothing.
	ErrZeroAmount = errors.New("stake: zero amount")
	// ErrNothingBonded: unbonding an account with no bond.
	ErrNothingBonded = errors.New("stake: nothing bonded")
	// ErrUnbonding: bonding more, or unbonding again, while unbonding.
	ErrUnbonding = errors.New("stake: bond is unbonding")
	// ErrNotUnbonding: withdrawing without having unbonded.
	ErrNotUnbonding = errors.New("stake: bond is not unbonding")
	// ErrLocked: withdrawing before the unbonding delay has passed.
	ErrLocked = errors.New("stake: bond still locked")
	// ErrNotArbiter: a slash by another account than the arbiter.
	ErrNotArbiter = errors.New("stake: caller is not the arbiter")
	// ErrInsufficientBond: slashing more than the bond holds.
	ErrInsufficientBond = errors.New("stake: slash exceeds the bond")
	// ErrAlreadySlashed: a second slash for the same evidence.
	ErrAlreadySlashed = errors.New("stake: evidence already slashed")
	// ErrTransferFailed: the withdrawal could not be paid out.
	ErrTransferFailed = errors.New("stake: transfer failed")
	// ErrReverted: a revert this package has no more specific error for.
	ErrReverted = errors.New("stake: contract call reverted")
	// ErrTxFailed: a mined transaction with status 0.
	ErrTxFailed = errors.New("stake: transaction failed")
	// ErrNoContract: no code at the address given to New.
	ErrNoContract = errors.New("stake: no contract at address")
	// ErrNotProven: a Misreport whose evidence does not verify or does not
	// show the rule broken; the cause is wrapped.
	ErrNotProven = errors.New("stake: misreport not proven")
)
