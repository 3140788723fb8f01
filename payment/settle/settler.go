package settle

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/contracts"
)

// Backend is what a Settler needs of a chain: the contract-binding
// interfaces plus the chain ID. *ethclient.Client (any JSON-RPC endpoint)
// and go-ethereum's simulated.Client implement it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
}

// MinedFunc waits until tx is mined and returns its receipt. The default is
// bind.WaitMined; tests on the simulated chain seal a block instead.
type MinedFunc func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error)

// Settler opens, tops up, closes, challenges, collects and recovers payment
// channels on one deployment of the PaymentChannels contract.
type Settler struct {
	backend  Backend
	contract *contracts.PaymentChannels
	address  common.Address
	chainID  uint64
	mined    MinedFunc
	log      *slog.Logger
}

// Deploy deploys the PaymentChannels contract from auth and returns its
// address and the deployment receipt. mined may be nil (bind.WaitMined).
func Deploy(ctx context.Context, backend Backend, auth *bind.TransactOpts, mined MinedFunc) (common.Address, *types.Receipt, error) {
	if mined == nil {
		mined = waitMined(backend)
	}
	opts := *auth
	opts.Context = ctx
	addr, tx, _, err := contracts.DeployPaymentChannels(&opts, backend)
	if err != nil {
		return common.Address{}, nil, decodeRevert(err)
	}
	r, err := mined(ctx, tx)
	if err != nil {
		return common.Address{}, nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return common.Address{}, r, fmt.Errorf("%w: deployment %s", ErrTxFailed, tx.Hash())
	}
	return addr, r, nil
}

func waitMined(b Backend) MinedFunc {
	return func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
		return bind.WaitMined(ctx, b, tx)
	}
}

// New returns a Settler for the contract at address. mined may be nil
// (bind.WaitMined), log may be nil.
func New(ctx context.Context, backend Backend, address common.Address, mined MinedFunc, log *slog.Logger) (*Settler, error) {
	id, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("settle: chain ID: %w", err)
	}
	if !id.IsUint64() {
		return nil, fmt.Errorf("%w: chain ID %v", ErrNotOnChain, id)
	}
	c, err := contracts.NewPaymentChannels(address, backend)
	if err != nil {
		return nil, err
	}
	if mined == nil {
		mined = waitMined(backend)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Settler{backend: backend, contract: c, address: address, chainID: id.Uint64(), mined: mined, log: log}, nil
}

// Domain returns the voucher domain of the Settler's deployment.
func (s *Settler) Domain() payment.Domain {
	return payment.Domain{ChainID: s.chainID, Contract: payment.Address(s.address)}
}

// Address returns the contract's address.
func (s *Settler) Address() common.Address { return s.address }

// send runs a transaction and waits for it: a revert (at estimation or in
// the mined transaction) becomes a typed error.
func (s *Settler) send(ctx context.Context, auth *bind.TransactOpts, what string, f func(*bind.TransactOpts) (*types.Transaction, error)) (*types.Receipt, error) {
	opts := *auth
	opts.Context = ctx
	tx, err := f(&opts)
	if err != nil {
		return nil, decodeRevert(err)
	}
	r, err := s.mined(ctx, tx)
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("%w: %s in %s", ErrTxFailed, what, tx.Hash())
	}
	s.log.Debug("settle: mined", "call", what, "tx", tx.Hash().String(), "gas", r.GasUsed)
	return r, nil
}

// OpenParams describes a channel to open.
type OpenParams struct {
	// Payee receives the payments; PayeeName is its DID, if any
	// (recorded in the returned Channel, defaults to the address).
	Payee     common.Address
	PayeeName string
	// Signer is the secp256k1 voucher key (payment.NewEthereumSigner).
	Signer payment.VoucherKey
	// Token is the ERC-20, or the zero address for the native coin. For a
	// token the contract must be approved for Deposit first.
	Token common.Address
	// Deposit is locked in the contract.
	Deposit *big.Int
	// Expiry and SettleDelay, in whole seconds on chain.
	Expiry      time.Time
	SettleDelay time.Duration
	// Salt makes the channel ID unique among channels between the same
	// payer and payee in the same token.
	Salt [32]byte
}

// Open opens a channel funded by auth.From and returns it as package
// payment describes it, ready for payment.Payer.Open and payment.Payee.Open.
func (s *Settler) Open(ctx context.Context, auth *bind.TransactOpts, p OpenParams) (*payment.Channel, *types.Receipt, error) {
	signer, err := p.Signer.EthereumAddress()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrNotOnChain, err)
	}
	if p.Deposit == nil || p.Deposit.Sign() < 0 || p.Expiry.Unix() <= 0 || p.SettleDelay < time.Second {
		return nil, nil, fmt.Errorf("%w: deposit %v, expiry %v, settle delay %v", payment.ErrBadChannel, p.Deposit, p.Expiry, p.SettleDelay)
	}
	r, err := s.send(ctx, auth, "open", func(o *bind.TransactOpts) (*types.Transaction, error) {
		if p.Token == (common.Address{}) {
			o.Value = p.Deposit
		}
		return s.contract.Open(o, p.Payee, common.Address(signer), p.Token, p.Deposit, uint64(p.Expiry.Unix()), uint64(p.SettleDelay/time.Second), p.Salt)
	})
	if err != nil {
		return nil, r, err
	}
	name := p.PayeeName
	if name == "" {
		name = p.Payee.Hex()
	}
	ch := &payment.Channel{
		ID:           payment.OnChainChannelID(s.chainID, payment.Address(s.address), payment.Address(auth.From), payment.Address(p.Payee), payment.Address(p.Token), p.Salt),
		Domain:       s.Domain(),
		Payer:        auth.From.Hex(),
		Payee:        name,
		PayeeAddress: payment.Address(p.Payee),
		Signer:       p.Signer,
		Asset:        payment.Address(p.Token),
		Deposit:      new(big.Int).Set(p.Deposit),
		Expiry:       time.Unix(p.Expiry.Unix(), 0).UTC(),
		SettleDelay:  p.SettleDelay.Truncate(time.Second),
	}
	return ch, r, nil
}

// TopUp adds amount to the deposit and, if newExpiry is not zero, moves the
// expiry to it.
func (s *Settler) TopUp(ctx context.Context, auth *bind.TransactOpts, ch *payment.Channel, amount *big.Int, newExpiry time.Time) (*types.Receipt, error) {
	var exp uint64
	if !newExpiry.IsZero() {
		exp = uint64(newExpiry.Unix())
	}
	return s.send(ctx, auth, "topUp", func(o *bind.TransactOpts) (*types.Transaction, error) {
		if ch.Asset.IsZero() {
			o.Value = amount
		}
		return s.contract.TopUp(o, ch.ID, amount, exp)
	})
}

// signedVouchers converts vouchers for the contract, checking they belong
// to this deployment.
func (s *Settler) signedVouchers(id payment.ChannelID, vs []*payment.Voucher) ([]contracts.PaymentChannelsSignedVoucher, error) {
	out := make([]contracts.PaymentChannelsSignedVoucher, len(vs))
	for i, v := range vs {
		if v.Domain != s.Domain() {
			return nil, fmt.Errorf("%w: voucher for chain %d contract %s", payment.ErrWrongChain, v.Domain.ChainID, v.Domain.Contract)
		}
		if v.Channel != id {
			return nil, fmt.Errorf("%w: voucher for %s", payment.ErrUnknownChannel, v.Channel)
		}
		if !v.Condition.IsZero() && v.Condition.Func != canon.SHA256 {
			return nil, fmt.Errorf("%w: %s condition", ErrNotOnChain, v.Condition.Func)
		}
		out[i] = contracts.PaymentChannelsSignedVoucher{
			Voucher: contracts.PaymentChannelsVoucher{
				Channel: v.Channel, Lane: v.Lane, Nonce: v.Nonce, Amount: v.Amount,
				NotBefore: v.NotBefore, NotAfter: v.NotAfter,
				ConditionHash: uint8(v.Condition.Func), Condition: v.Condition.Sum,
			},
			Signature: v.Signature,
		}
	}
	return out, nil
}

// Close starts the challenge period of channel id with vouchers (at most one
// per lane: the best ones, all lanes in one transaction). The payee closes
// before expiry; the payer may close at any time to end the channel early.
func (s *Settler) Close(ctx context.Context, auth *bind.TransactOpts, id payment.ChannelID, vouchers []*payment.Voucher) (*types.Receipt, error) {
	svs, err := s.signedVouchers(id, vouchers)
	if err != nil {
		return nil, err
	}
	return s.send(ctx, auth, "close", func(o *bind.TransactOpts) (*types.Transaction, error) {
		return s.contract.Close(o, id, svs)
	})
}

// Challenge replaces lanes' vouchers with better ones during the challenge
// period; anyone may submit.
func (s *Settler) Challenge(ctx context.Context, auth *bind.TransactOpts, id payment.ChannelID, vouchers []*payment.Voucher) (*types.Receipt, error) {
	svs, err := s.signedVouchers(id, vouchers)
	if err != nil {
		return nil, err
	}
	return s.send(ctx, auth, "challenge", func(o *bind.TransactOpts) (*types.Transaction, error) {
		return s.contract.Challenge(o, id, svs)
	})
}

// Collect pays out a closed channel after its challenge period.
func (s *Settler) Collect(ctx context.Context, auth *bind.TransactOpts, id payment.ChannelID) (*types.Receipt, error) {
	return s.send(ctx, auth, "collect", func(o *bind.TransactOpts) (*types.Transaction, error) {
		return s.contract.Collect(o, id)
	})
}

// Recover returns the whole deposit to the payer (auth) after expiry when
// nobody closed the channel: the payee vanished.
func (s *Settler) Recover(ctx context.Context, auth *bind.TransactOpts, id payment.ChannelID) (*types.Receipt, error) {
	return s.send(ctx, auth, "recover", func(o *bind.TransactOpts) (*types.Transaction, error) {
		return s.contract.Recover(o, id)
	})
}

// Fulfil shows the contract a reading and its inclusion proof, fulfilling
// the SHA-256 reading condition it implies (payment.ReadingCondition).
func (s *Settler) Fulfil(ctx context.Context, auth *bind.TransactOpts, r *payment.Redemption) (*types.Receipt, error) {
	if r.Root.Func != canon.SHA256 || r.Proof.Hasher.Func() != canon.SHA256 {
		return nil, fmt.Errorf("%w: %s tree (the contract checks SHA-256 proofs)", ErrNotOnChain, r.Root.Func)
	}
	path := make([][32]byte, len(r.Proof.Path))
	for i, h := range r.Proof.Path {
		path[i] = h
	}
	return s.send(ctx, auth, "fulfil", func(o *bind.TransactOpts) (*types.Transaction, error) {
		return s.contract.Fulfil(o, r.Root.Sum, r.Reading,
			new(big.Int).SetUint64(r.Proof.Index), new(big.Int).SetUint64(r.Proof.Size), path)
	})
}

// ChannelState is the contract's record of a channel.
type ChannelState struct {
	Payer, Payee, Signer, Token common.Address
	Expiry                      time.Time
	SettleDelay                 time.Duration
	// ClosesAt is the end of the challenge period; zero when not closing.
	ClosesAt time.Time
	Deposit  *big.Int
	// Owed is the sum of the lanes' amounts on chain; collect pays the
	// payee Owed, or the whole deposit if Owed exceeds it.
	Owed *big.Int
	// Open is false once the channel was collected or recovered (or never
	// existed).
	Open bool
}

// State reads channel id from the contract.
func (s *Settler) State(ctx context.Context, id payment.ChannelID) (ChannelState, error) {
	c, err := s.contract.Channels(&bind.CallOpts{Context: ctx}, id)
	if err != nil {
		return ChannelState{}, decodeRevert(err)
	}
	st := ChannelState{
		Payer: c.Payer, Payee: c.Payee, Signer: c.Signer, Token: c.Token,
		Expiry: time.Unix(int64(c.Expiry), 0).UTC(), SettleDelay: time.Duration(c.SettleDelay) * time.Second,
		Deposit: c.Deposit, Owed: c.Owed, Open: c.Payer != (common.Address{}) && c.ClosesAt != math.MaxUint64,
	}
	if c.ClosesAt != 0 && st.Open {
		st.ClosesAt = time.Unix(int64(c.ClosesAt), 0).UTC()
	}
	return st, nil
}

// Lane reads the nonce and amount the contract holds for a lane.
func (s *Settler) Lane(ctx context.Context, id payment.ChannelID, lane uint64) (uint64, *big.Int, error) {
	l, err := s.contract.Lanes(&bind.CallOpts{Context: ctx}, id, lane)
	if err != nil {
		return 0, nil, decodeRevert(err)
	}
	return l.Nonce, l.Amount, nil
}

// VoucherDigest asks the contract for v's EIP-712 digest (for checking that
// Go and Solidity agree).
func (s *Settler) VoucherDigest(ctx context.Context, v *payment.Voucher) (common.Hash, error) {
	svs, err := s.signedVouchers(v.Channel, []*payment.Voucher{v})
	if err != nil {
		return common.Hash{}, err
	}
	d, err := s.contract.VoucherDigest(&bind.CallOpts{Context: ctx}, svs[0].Voucher)
	return d, decodeRevert(err)
}

// SubmitBest puts the best vouchers of channel id from store on chain: it
// closes the channel with all of them when it is not closing yet, and
// otherwise challenges with those that beat what the contract holds. It
// returns nil, nil when the chain already holds the best vouchers.
func (s *Settler) SubmitBest(ctx context.Context, auth *bind.TransactOpts, store *payment.Store, id payment.ChannelID) (*types.Receipt, error) {
	st, err := s.State(ctx, id)
	if err != nil {
		return nil, err
	}
	if !st.Open {
		return nil, fmt.Errorf("%w: %s", payment.ErrUnknownChannel, id)
	}
	if st.ClosesAt.IsZero() {
		return s.Close(ctx, auth, id, store.BestVouchers(id))
	}
	return s.challengeBetter(ctx, auth, store, id)
}

// Defend is what a payee (or its watchtower) runs periodically while it
// holds vouchers: when someone has started closing channel id and the
// challenge period is still open, it challenges with every voucher of
// store that beats the chain's; otherwise it does nothing and returns nil,
// nil. A payee that defends at least once per settle delay never loses a
// voucher it accepted.
func (s *Settler) Defend(ctx context.Context, auth *bind.TransactOpts, store *payment.Store, id payment.ChannelID) (*types.Receipt, error) {
	st, err := s.State(ctx, id)
	if err != nil {
		return nil, err
	}
	if !st.Open || st.ClosesAt.IsZero() {
		return nil, nil
	}
	head, err := s.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	if head.Time >= uint64(st.ClosesAt.Unix()) {
		return nil, nil
	}
	return s.challengeBetter(ctx, auth, store, id)
}

func (s *Settler) challengeBetter(ctx context.Context, auth *bind.TransactOpts, store *payment.Store, id payment.ChannelID) (*types.Receipt, error) {
	var better []*payment.Voucher
	for _, v := range store.BestVouchers(id) {
		nonce, amount, err := s.Lane(ctx, id, v.Lane)
		if err != nil {
			return nil, err
		}
		if c := v.Amount.Cmp(amount); c > 0 || (c == 0 && v.Nonce > nonce) {
			better = append(better, v)
		}
	}
	if len(better) == 0 {
		return nil, nil
	}
	sort.Slice(better, func(i, j int) bool { return better[i].Lane < better[j].Lane })
	return s.Challenge(ctx, auth, id, better)
}
