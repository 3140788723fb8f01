package escrow

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/escrow/contracts"
	"github.com/iotrust/iotrust/internal/evmtx"
	"github.com/iotrust/iotrust/zkp"
)

// Backend is what an Escrow needs of a chain: what sending transactions
// takes (chain ID, gas estimates and prices, nonces, headers, sending,
// transactions and receipts) and the contract-binding interfaces.
// *ethclient.Client (any JSON-RPC endpoint) and go-ethereum's
// simulated.Client implement it.
type Backend interface {
	evmtx.Client
	bind.ContractBackend
}

// Signer signs the transactions of one account (a payer, attester or
// anyone who releases or expires a deal): a key in memory (KeySigner), or
// a wallet, HSM or KMS behind the same two methods, Address and SignTx.
type Signer = evmtx.Signer

// KeySigner returns a Signer for a private key held in memory. For a nil
// key it returns a Signer that every call refuses with ErrNoSigner.
func KeySigner(key *ecdsa.PrivateKey) Signer { return evmtx.KeySigner(key) }

// noSigner reports a nil Signer or KeySigner(nil).
func noSigner(from Signer) bool { return from == nil || evmtx.NoKey(from) }

// Config configures an Escrow. Backend is required; the zero value of every
// other field selects the default documented on it.
type Config struct {
	// Backend is the chain.
	Backend Backend
	// Contract is the address of a deployed RangeEscrow (Deploy fills it).
	Contract common.Address
	// Shape is the batch circuit of the contract's verifier (default
	// DevShape()): proofs must be of this shape, and at most Shape.Size
	// commitments may be attested.
	Shape zkp.Shape
	// PollInterval is how often a call asks the node whether its
	// transaction is mined. Default 1s; tests on a simulated chain use
	// milliseconds.
	PollInterval time.Duration
	// MaxFeePerGas, if set, caps the fee per gas of every transaction,
	// also when a stuck one is replaced; a call that would need more fails
	// with an error wrapping the cap.
	MaxFeePerGas *big.Int
	// Logger receives one debug record per mined transaction (default:
	// discarded).
	Logger *slog.Logger
}

func (cfg Config) withDefaults() (Config, error) {
	if cfg.Backend == nil {
		return cfg, fmt.Errorf("%w: no backend", ErrBadTerms)
	}
	if cfg.Shape == (zkp.Shape{}) {
		cfg.Shape = DevShape()
	}
	if cfg.Shape.Kind != zkp.KindBatch || cfg.Shape.Validate() != nil {
		return cfg, fmt.Errorf("%w: %v is not a batch shape", ErrShape, cfg.Shape)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

// senders returns the transaction senders of cfg's chain.
func (cfg Config) senders() *evmtx.Senders {
	return evmtx.NewSenders(cfg.Backend, evmtx.Config{
		Retry:        evmtx.Retry{Logger: cfg.Logger},
		PollInterval: cfg.PollInterval, MaxFeePerGas: cfg.MaxFeePerGas,
	})
}

// Escrow opens, attests, releases and expires deals on one deployment of
// the RangeEscrow contract. Each call names the account that sends it (a
// Signer); the Escrow keeps one transaction sender per account, so that
// concurrent calls from one account never share a nonce. It is safe for
// concurrent use.
type Escrow struct {
	cfg      Config
	chainID  *big.Int
	binding  *contracts.RangeEscrow
	instance *bind.BoundContract
	senders  *evmtx.Senders
}

// DeployDevVerifier deploys the development BatchVerifier (the verifier of
// DevVerifyingKey, for which anyone can forge proofs: see DevSeed) and
// returns its address, to pass to Deploy.
func DeployDevVerifier(ctx context.Context, cfg Config, from Signer) (common.Address, *types.Receipt, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return common.Address{}, nil, err
	}
	if cfg.Shape != DevShape() {
		return common.Address{}, nil, fmt.Errorf("%w: the development verifier checks %v, not %v", ErrShape, DevShape(), cfg.Shape)
	}
	return deploy(ctx, cfg, from, "BatchVerifier", contracts.BatchVerifierMetaData.Bin, nil)
}

// Deploy deploys a RangeEscrow whose deals are checked by the batch
// verifier contract at verifier (DeployDevVerifier, or the export of a
// ceremony's key: VerifierSource), and returns an Escrow for it.
func Deploy(ctx context.Context, cfg Config, from Signer, verifier common.Address) (*Escrow, *types.Receipt, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	input := contracts.NewRangeEscrow().PackConstructor(verifier)
	addr, r, err := deploy(ctx, cfg, from, "RangeEscrow", contracts.RangeEscrowMetaData.Bin, input)
	if err != nil {
		return nil, r, err
	}
	cfg.Contract = addr
	e, err := newEscrow(ctx, cfg)
	return e, r, err
}

func deploy(ctx context.Context, cfg Config, from Signer, name, bin string, input []byte) (common.Address, *types.Receipt, error) {
	if noSigner(from) {
		return common.Address{}, nil, fmt.Errorf("%w: deploying %s", ErrNoSigner, name)
	}
	send, err := cfg.senders().Of(ctx, from)
	if err != nil {
		return common.Address{}, nil, sendError("deploying "+name, err)
	}
	r, err := send.Transact(ctx, evmtx.Call{Data: append(common.FromHex(bin), input...)})
	if err != nil {
		return common.Address{}, nil, sendError("deploying "+name, err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return common.Address{}, r, fmt.Errorf("%w: deploying %s in %s", ErrTxFailed, name, r.TxHash)
	}
	cfg.Logger.Debug("escrow: deployed", "contract", name, "address", r.ContractAddress, "gas", r.GasUsed)
	return r.ContractAddress, r, nil
}

// New returns an Escrow for the RangeEscrow at cfg.Contract. An address
// that holds no contract code (the zero address, a mistyped one, a
// contract not yet mined) is refused with ErrNoContract: a transaction to
// it would succeed without running any contract, so Open would hand the
// deposit to that address and report a deal that does not exist.
func New(ctx context.Context, cfg Config) (*Escrow, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.Contract == (common.Address{}) {
		return nil, fmt.Errorf("%w: no contract address", ErrNoContract)
	}
	code, err := cfg.Backend.CodeAt(ctx, cfg.Contract, nil)
	if err != nil {
		return nil, evmtx.Wrap("escrow", err, "contract code")
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: %v", ErrNoContract, cfg.Contract)
	}
	return newEscrow(ctx, cfg)
}

// newEscrow is New without the code check, for Deploy, which has the
// contract's creation receipt (a load-balanced node may not yet serve the
// code a moment later).
func newEscrow(ctx context.Context, cfg Config) (*Escrow, error) {
	id, err := cfg.Backend.ChainID(ctx)
	if err != nil {
		return nil, evmtx.Wrap("escrow", err, "chain ID")
	}
	b := contracts.NewRangeEscrow()
	return &Escrow{cfg: cfg, chainID: id, binding: b, instance: b.Instance(cfg.Backend, cfg.Contract), senders: cfg.senders()}, nil
}

// Address returns the contract's address.
func (e *Escrow) Address() common.Address { return e.cfg.Contract }

// Shape returns the batch circuit the escrow's verifier checks.
func (e *Escrow) Shape() zkp.Shape { return e.cfg.Shape }

// Verifier asks the contract for the address of its verifier.
func (e *Escrow) Verifier(ctx context.Context) (common.Address, error) {
	return bind.Call(e.instance, &bind.CallOpts{Context: ctx}, e.binding.PackVerifier(), e.binding.UnpackVerifier)
}

// DealID returns the ID of the deal payer opens with salt, as the contract
// computes it: keccak256 of the ABI encoding of (chain ID, contract, payer,
// salt).
func (e *Escrow) DealID(payer common.Address, salt [32]byte) [32]byte {
	var buf [4 * 32]byte
	e.chainID.FillBytes(buf[0:32])
	copy(buf[32+12:64], e.cfg.Contract[:])
	copy(buf[64+12:96], payer[:])
	copy(buf[96:], salt[:])
	return crypto.Keccak256Hash(buf[:])
}

// Terms are what a payer opens a deal with.
type Terms struct {
	// Salt makes the deal's ID unique among the payer's deals (DealID).
	Salt [32]byte
	// Payee is paid on release: a valid proof before Deadline.
	Payee common.Address
	// Fallback is paid on expiry: no release before Deadline.
	Fallback common.Address
	// Attester records which commitments the deal is about (Attest).
	Attester common.Address
	// Token is an ERC-20, or the zero address for the native coin. For a
	// token, the contract must be approved for Amount first.
	Token common.Address
	// Amount is locked in the contract, in the token's smallest unit.
	Amount *big.Int
	// Interval is the range every committed value must lie in, in the
	// values' encoding (e.g. zkp.Celsius).
	Interval zkp.Interval
	// Deadline, in whole seconds of chain time.
	Deadline time.Time
}

// Open opens a deal funded by from's account on terms t and returns its ID.
// Terms that could never be released are refused before any transaction
// is sent, with an error wrapping ErrBadTerms: besides the zero values the
// contract refuses, an Amount of 2^256 or more (the contract's uint256
// would hold it modulo 2^256), an interval the escrow's Shape cannot prove (Lo above
// Hi, or Hi ≥ 2^Shape.Bits; zkp.Shape.CheckInterval, whose
// zkp.ErrOutOfRange is wrapped too).
func (e *Escrow) Open(ctx context.Context, from Signer, t Terms) ([32]byte, *types.Receipt, error) {
	if noSigner(from) {
		return [32]byte{}, nil, fmt.Errorf("%w: open", ErrNoSigner)
	}
	zero := common.Address{}
	if t.Amount == nil || t.Amount.Sign() <= 0 || t.Amount.BitLen() > 256 || t.Payee == zero || t.Fallback == zero || t.Attester == zero ||
		t.Interval.Lo > t.Interval.Hi || t.Deadline.Unix() <= 0 {
		return [32]byte{}, nil, fmt.Errorf("%w: amount %v, payee %v, fallback %v, attester %v, interval %v, deadline %v",
			ErrBadTerms, t.Amount, t.Payee, t.Fallback, t.Attester, t.Interval, t.Deadline)
	}
	// A deal whose interval the verifier's circuit cannot state could
	// never be released, only expire: refuse it before funds are locked.
	if err := e.cfg.Shape.CheckInterval(t.Interval); err != nil {
		return [32]byte{}, nil, fmt.Errorf("%w: %w", ErrBadTerms, err)
	}
	data, err := e.binding.TryPackOpen(t.Salt, t.Payee, t.Fallback, t.Attester, t.Token, t.Amount,
		t.Interval.Lo, t.Interval.Hi, uint64(t.Deadline.Unix()))
	if err != nil {
		return [32]byte{}, nil, fmt.Errorf("%w: %v", ErrBadTerms, err)
	}
	var value *big.Int
	if t.Token == zero {
		value = t.Amount
	}
	r, err := e.send(ctx, from, "open", data, value)
	return e.DealID(from.Address(), t.Salt), r, err
}

// Attest records, from the deal's attester, that deal id is about these
// value commitments, in this order (see Claim): their number and their
// Poseidon2 Merkle root at the escrow's capacity (zkp.MerkleRoot).
func (e *Escrow) Attest(ctx context.Context, from Signer, id [32]byte, commitments []zkp.Commitment) (*types.Receipt, error) {
	if len(commitments) == 0 || len(commitments) > e.cfg.Shape.Size {
		return nil, fmt.Errorf("%w: %d commitments for a verifier of %d", ErrShape, len(commitments), e.cfg.Shape.Size)
	}
	root, err := zkp.MerkleRoot(commitments, e.cfg.Shape.Size)
	if err != nil {
		return nil, err
	}
	data := e.binding.PackAttest(id, new(big.Int).SetBytes(root[:]), uint64(len(commitments)))
	return e.send(ctx, from, "attest", data, nil)
}

// Release submits proof, a proof of a zkp.BatchClaim over the attested
// commitments and the deal's interval, and so pays the payee. Anyone may
// submit it; the contract verifies it.
func (e *Escrow) Release(ctx context.Context, from Signer, id [32]byte, proof *zkp.Proof) (*types.Receipt, error) {
	if proof == nil || proof.Shape() != e.cfg.Shape || proof.Backend() != zkp.Groth16 {
		return nil, fmt.Errorf("%w: want a Groth16 proof of %v", ErrShape, e.cfg.Shape)
	}
	raw, err := proof.SolidityProof()
	if err != nil {
		return nil, err
	}
	return e.send(ctx, from, "release", e.binding.PackRelease(id, raw), nil)
}

// Expire pays the fallback party of deal id once its deadline has passed
// without a release. Anyone may call it.
func (e *Escrow) Expire(ctx context.Context, from Signer, id [32]byte) (*types.Receipt, error) {
	return e.send(ctx, from, "expire", e.binding.PackExpire(id), nil)
}

// Withdraw pays from's account the native coin the contract credited to it
// because pushing a payment to it failed (see Credit).
func (e *Escrow) Withdraw(ctx context.Context, from Signer) (*types.Receipt, error) {
	return e.send(ctx, from, "withdraw", e.binding.PackWithdraw(), nil)
}

// Credit returns the native coin waiting for addr in the contract.
func (e *Escrow) Credit(ctx context.Context, addr common.Address) (*big.Int, error) {
	return bind.Call(e.instance, &bind.CallOpts{Context: ctx}, e.binding.PackCredit(addr), e.binding.UnpackCredit)
}

// State is where a deal stands.
type State uint8

// States of a deal, as the contract numbers them.
const (
	StateNone     State = iota // no such deal
	StateOpen                  // funded, waiting for the attestation
	StateAttested              // attested, waiting for a proof
	StateReleased              // the payee was paid
	StateExpired               // the fallback party was paid
)

// String names the state.
func (s State) String() string {
	switch s {
	case StateNone:
		return "none"
	case StateOpen:
		return "open"
	case StateAttested:
		return "attested"
	case StateReleased:
		return "released"
	case StateExpired:
		return "expired"
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// Deal is the contract's record of a deal.
type Deal struct {
	Payer, Payee, Fallback, Attester, Token common.Address
	Amount                                  *big.Int
	Interval                                zkp.Interval
	Deadline                                time.Time
	State                                   State
	// Root and Count are the attested commitments' Merkle root and number,
	// zero before Attest.
	Root  zkp.Root
	Count uint64
}

// Deal reads deal id from the contract; a deal that does not exist has
// StateNone.
func (e *Escrow) Deal(ctx context.Context, id [32]byte) (Deal, error) {
	d, err := bind.Call(e.instance, &bind.CallOpts{Context: ctx}, e.binding.PackDeals(id), e.binding.UnpackDeals)
	if err != nil {
		return Deal{}, decodeRevert(err)
	}
	if d.Deadline > math.MaxInt64 {
		return Deal{}, fmt.Errorf("%w: deal %x has a deadline beyond time.Time: %d", ErrBadTerms, id, d.Deadline)
	}
	out := Deal{
		Payer: d.Payer, Payee: d.Payee, Fallback: d.FallbackTo, Attester: d.Attester, Token: d.Token,
		Amount:   d.Amount,
		Interval: zkp.Interval{Lo: d.Lo, Hi: d.Hi},
		Deadline: time.Unix(int64(d.Deadline), 0).UTC(),
		State:    State(d.State),
		Count:    d.Count,
	}
	d.Root.FillBytes(out.Root[:])
	return out, nil
}

// send runs a transaction from from's account and waits until it is
// mined: a revert (at estimation) becomes a *RevertError, a mined failure
// ErrTxFailed with its receipt.
func (e *Escrow) send(ctx context.Context, from Signer, what string, data []byte, value *big.Int) (*types.Receipt, error) {
	if noSigner(from) {
		return nil, fmt.Errorf("%w: %s", ErrNoSigner, what)
	}
	send, err := e.senders.Of(ctx, from)
	if err != nil {
		return nil, sendError(what, err)
	}
	r, err := send.Transact(ctx, evmtx.Call{To: &e.cfg.Contract, Data: data, Value: value})
	if err != nil {
		return nil, sendError(what, err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("%w: %s in %s", ErrTxFailed, what, r.TxHash)
	}
	e.cfg.Logger.Debug("escrow: mined", "call", what, "tx", r.TxHash.String(), "gas", r.GasUsed)
	return r, nil
}

// sendError returns a contract revert as its *RevertError, and any other
// error with what was being sent.
func sendError(what string, err error) error {
	var re *RevertError
	if d := decodeRevert(err); errors.As(d, &re) {
		return d
	}
	return evmtx.Wrap("escrow", err, "%s", what)
}
