package escrow

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/escrow/contracts"
	"github.com/iotrust/iotrust/internal/evmtx"
)

// Errors of the escrow. A contract revert is returned as a *RevertError
// that wraps one of these and names the contract's custom error.
var (
	// ErrReverted is wrapped by every *RevertError.
	ErrReverted = errors.New("escrow: contract call reverted")
	// ErrUnknownDeal: no deal with this ID.
	ErrUnknownDeal = errors.New("escrow: unknown deal")
	// ErrBadTerms: terms the contract refuses (a zero address or amount,
	// an amount beyond uint256, lo above hi, a deadline not in the future, a deal ID in use), a
	// deposit that does not match the amount, or an interval the escrow's
	// Shape cannot prove (Open refuses it before sending; zkp.ErrOutOfRange
	// is wrapped too).
	ErrBadTerms = errors.New("escrow: bad terms")
	// ErrNotAttester: attest from another account than the deal's attester.
	ErrNotAttester = errors.New("escrow: caller is not the deal's attester")
	// ErrWrongState: a call the deal's state does not allow (attest twice,
	// release before attest, anything after release or expiry).
	ErrWrongState = errors.New("escrow: deal is not in a state that allows this")
	// ErrBadAttestation: a root that is not a field element, or no readings.
	ErrBadAttestation = errors.New("escrow: bad attestation")
	// ErrDeadlinePassed: attest or release at or after the deadline.
	ErrDeadlinePassed = errors.New("escrow: deadline passed")
	// ErrDeadlineNotReached: expire before the deadline.
	ErrDeadlineNotReached = errors.New("escrow: deadline not reached")
	// ErrBadProof: a proof the verifier contract rejects for the deal's
	// interval and attested commitments.
	ErrBadProof = errors.New("escrow: proof does not verify for the deal")
	// ErrTransfer: a token transfer failed, or a withdrawal was refused.
	ErrTransfer = errors.New("escrow: transfer failed")
	// ErrShape: a key or proof of another circuit than the escrow's, or more
	// commitments than its capacity.
	ErrShape = errors.New("escrow: circuit shape mismatch")
	// ErrNoCommitment: a reading that carries a value instead of a
	// commitment, or two readings with the same device and sequence number.
	ErrNoCommitment = errors.New("escrow: reading without a distinct value commitment")
	// ErrOpeningMismatch: ClaimOpenings was given an opening that does not
	// open its reading's commitment (or not one per reading).
	ErrOpeningMismatch = errors.New("escrow: opening does not open its reading's commitment")
	// ErrNoContract: New was given an address that holds no contract code.
	ErrNoContract = errors.New("escrow: no contract at the escrow's address")
	// ErrNoSigner: a call that sends a transaction was given a nil Signer
	// or KeySigner(nil).
	ErrNoSigner = errors.New("escrow: no signer")
	// ErrTxFailed: a mined transaction with status 0.
	ErrTxFailed = errors.New("escrow: transaction failed")
	// ErrContractName: VerifierSource was given a name that is not a
	// Solidity identifier (letters, digits, _ and $, not starting with a
	// digit, at most 64 characters).
	ErrContractName = errors.New("escrow: not a Solidity contract name")
)

// RevertError is a revert of the escrow contract, decoded from its ABI.
type RevertError struct {
	// Name is the contract's custom error, e.g. "BadProof".
	Name string
	// Args are its decoded arguments.
	Args []any
	kind error
}

// Error names the contract error and its arguments.
func (e *RevertError) Error() string {
	if len(e.Args) == 0 {
		return "escrow: contract reverted with " + e.Name
	}
	return fmt.Sprintf("escrow: contract reverted with %s%v", e.Name, e.Args)
}

// Is makes errors.Is match ErrReverted and the error's kind.
func (e *RevertError) Is(target error) bool { return target == ErrReverted || target == e.kind }

// Unwrap returns the error's kind.
func (e *RevertError) Unwrap() error { return e.kind }

var revertKinds = map[string]error{
	"NoVerifier":         ErrBadTerms,
	"UnknownDeal":        ErrUnknownDeal,
	"DealExists":         ErrBadTerms,
	"BadTerms":           ErrBadTerms,
	"BadDeposit":         ErrBadTerms,
	"NotAttester":        ErrNotAttester,
	"WrongState":         ErrWrongState,
	"BadAttestation":     ErrBadAttestation,
	"DeadlinePassed":     ErrDeadlinePassed,
	"DeadlineNotReached": ErrDeadlineNotReached,
	"BadProof":           ErrBadProof,
	"TransferFailed":     ErrTransfer,
}

var escrowABI = evmtx.MustParseABI(contracts.RangeEscrowMetaData.ParseABI)

// decodeRevert turns an RPC error carrying revert data of the escrow
// contract into a *RevertError; other errors are returned as they are.
func decodeRevert(err error) error {
	name, args, ok := evmtx.DecodeRevert(escrowABI, err)
	if !ok {
		return err
	}
	return &RevertError{Name: name, Args: args, kind: cmp.Or(revertKinds[name], ErrReverted)}
}
