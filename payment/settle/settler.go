package settle

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/evmtx"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/contracts"
)

// Client is what a Settler needs of a chain: what sending transactions
// takes (chain ID, gas estimates and prices, pending nonce, headers by
// number, sending, transactions and receipts by hash) and contract calls.
// *ethclient.Client (any JSON-RPC endpoint) and go-ethereum's
// simulated.Client implement it.
type Client interface {
	evmtx.Client
	ethereum.ContractCaller
}

// Signer signs the transactions of one account (a payer, payee, watchtower
// or deployer): a key in memory (KeySigner), or a wallet, HSM or KMS
// behind the same two methods, Address (the account that pays for and
// sends the transactions) and SignTx (tx signed for the chain with the
// given ID).
type Signer = evmtx.Signer

// KeySigner returns a Signer for a private key held in memory.
func KeySigner(key *ecdsa.PrivateKey) Signer { return evmtx.KeySigner(key) }

// Config configures how a Settler sends transactions. The zero value of
// every field selects the default documented on it.
type Config struct {
	// PollInterval is how often a call asks the node whether its
	// transaction is mined. Default 1s; tests on a simulated chain use
	// milliseconds.
	PollInterval time.Duration
	// Retries bounds how often one RPC is retried after a transient error
	// (connection refused, timeout, HTTP 429/5xx); then the call fails with
	// ErrUnavailable. Default 5.
	Retries int
	// RetryBackoff is the wait before the first retry; it doubles on each
	// further retry. Default 200ms.
	RetryBackoff time.Duration
	// GasMargin is added to the node's gas estimate, in percent. Default 20.
	GasMargin uint64
	// MaxFeePerGas, if set, caps the fee per gas of every transaction,
	// also when a stuck one is replaced; a call that would need more fails
	// with ErrFeeTooHigh.
	MaxFeePerGas *big.Int
	// FeeBumpBlocks is how many blocks a transaction may wait in the pool
	// before it is replaced by one with the same nonce and fees raised by
	// more than 10% (tip and fee cap both: the least a node accepts), or to
	// what the market asks, up to MaxFeePerGas. Default 3.
	FeeBumpBlocks uint64
	// Logger receives debug and warning records; nil discards them.
	Logger *slog.Logger
}

func (cfg Config) txConfig() evmtx.Config {
	return evmtx.Config{
		Retry:        evmtx.Retry{Retries: cfg.Retries, Backoff: cfg.RetryBackoff, Unavailable: ErrUnavailable, Logger: cfg.Logger},
		PollInterval: cfg.PollInterval, GasMargin: cfg.GasMargin, MaxFeePerGas: cfg.MaxFeePerGas, BumpAfter: cfg.FeeBumpBlocks,
	}
}

// binding packs and unpacks the contract's calls and results; it is
// immutable and shared.
var binding = contracts.NewPaymentChannels()

// Settler opens, tops up, closes, challenges, collects and recovers payment
// channels on one deployment of the PaymentChannels contract. Each call
// names the account that sends it (a Signer); the Settler keeps one
// transaction sender per account, so that concurrent calls from one
// account never share a nonce. It is safe for concurrent use.
type Settler struct {
	client  Client
	address common.Address
	chainID uint64
	tx      evmtx.Config
	log     *slog.Logger
	senders *evmtx.Senders
}

// Deploy deploys the PaymentChannels contract from the account of from,
// waits until it is mined, and returns its address and the deployment
// receipt.
func Deploy(ctx context.Context, client Client, from Signer, cfg Config) (common.Address, *types.Receipt, error) {
	send, err := evmtx.NewSender(ctx, client, from, cfg.txConfig())
	if err != nil {
		return common.Address{}, nil, evmtx.Wrap("settle", err, "deploy")
	}
	code, err := hexutil.Decode(contracts.PaymentChannelsMetaData.Bin)
	if err != nil {
		return common.Address{}, nil, fmt.Errorf("settle: committed bytecode: %w", err)
	}
	r, err := send.Transact(ctx, evmtx.Call{Data: code})
	if err != nil {
		return common.Address{}, nil, sendError("deploy", err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return common.Address{}, r, fmt.Errorf("%w: deployment %s", ErrTxFailed, r.TxHash)
	}
	return r.ContractAddress, r, nil
}

// New returns a Settler for the contract at address.
func New(ctx context.Context, client Client, address common.Address, cfg Config) (*Settler, error) {
	tx := cfg.txConfig()
	var id *big.Int
	if err := tx.Retry.Do(ctx, "chain ID", func(ctx context.Context) (err error) {
		id, err = client.ChainID(ctx)
		return err
	}); err != nil {
		return nil, evmtx.Wrap("settle", err, "new")
	}
	if !id.IsUint64() {
		return nil, fmt.Errorf("%w: chain ID %v", ErrNotOnChain, id)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Settler{client: client, address: address, chainID: id.Uint64(), tx: tx, log: log,
		senders: evmtx.NewSenders(client, tx)}, nil
}

// Domain returns the voucher domain of the Settler's deployment.
func (s *Settler) Domain() payment.Domain {
	return payment.Domain{ChainID: s.chainID, Contract: payment.Address(s.address)}
}

// Address returns the contract's address.
func (s *Settler) Address() common.Address { return s.address }

// packedCall is a call's calldata, or the error of packing it, which
// transact reports.
type packedCall struct {
	evmtx.Call
	err error
}

func packCall(data []byte, err error) packedCall {
	return packedCall{Call: evmtx.Call{Data: data}, err: err}
}

// transact sends c from from's account and waits until it is mined: a
// revert (at estimation) becomes a *RevertError, a mined failure
// ErrTxFailed with its receipt.
func (s *Settler) transact(ctx context.Context, from Signer, what string, pc packedCall) (*types.Receipt, error) {
	if pc.err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotOnChain, what, pc.err)
	}
	c := pc.Call
	send, err := s.senders.Of(ctx, from)
	if err != nil {
		return nil, sendError(what, err)
	}
	c.To = &s.address
	r, err := send.Transact(ctx, c)
	if err != nil {
		return nil, sendError(what, err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("%w: %s in %s", ErrTxFailed, what, r.TxHash)
	}
	s.log.Debug("settle: mined", "call", what, "tx", r.TxHash.String(), "gas", r.GasUsed)
	return r, nil
}

// sendError returns a contract revert as its *RevertError, and any other
// error with what was being sent.
func sendError(what string, err error) error {
	var re *RevertError
	if d := decodeRevert(err); errors.As(d, &re) {
		return d
	}
	return evmtx.Wrap("settle", err, "%s", what)
}

// call reads the contract at the chain's head.
func (s *Settler) call(ctx context.Context, what string, data []byte) ([]byte, error) {
	var out []byte
	err := s.tx.Retry.Do(ctx, what, func(ctx context.Context) (err error) {
		out, err = s.client.CallContract(ctx, ethereum.CallMsg{To: &s.address, Data: data}, nil)
		return err
	})
	if err != nil {
		return nil, sendError(what, err)
	}
	return out, nil
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

// Open opens a channel funded by from's account and returns it as package
// payment describes it, ready for payment.Payer.Open and payment.Payee.Open.
func (s *Settler) Open(ctx context.Context, from Signer, p OpenParams) (*payment.Channel, *types.Receipt, error) {
	signer, err := p.Signer.EthereumAddress()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrNotOnChain, err)
	}
	if p.Deposit == nil || p.Deposit.Sign() < 0 || p.Expiry.Unix() <= 0 || p.SettleDelay < time.Second {
		return nil, nil, fmt.Errorf("%w: deposit %v, expiry %v, settle delay %v", payment.ErrBadChannel, p.Deposit, p.Expiry, p.SettleDelay)
	}
	call := packCall(binding.TryPackOpen(p.Payee, common.Address(signer), p.Token, p.Deposit, uint64(p.Expiry.Unix()), uint64(p.SettleDelay/time.Second), p.Salt))
	if p.Token == (common.Address{}) {
		call.Value = p.Deposit
	}
	r, err := s.transact(ctx, from, "open", call)
	if err != nil {
		return nil, r, err
	}
	name := p.PayeeName
	if name == "" {
		name = p.Payee.Hex()
	}
	ch := &payment.Channel{
		ID:           payment.OnChainChannelID(s.chainID, payment.Address(s.address), payment.Address(from.Address()), payment.Address(p.Payee), payment.Address(p.Token), p.Salt),
		Domain:       s.Domain(),
		Payer:        from.Address().Hex(),
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
func (s *Settler) TopUp(ctx context.Context, from Signer, ch *payment.Channel, amount *big.Int, newExpiry time.Time) (*types.Receipt, error) {
	var exp uint64
	if !newExpiry.IsZero() {
		exp = uint64(newExpiry.Unix())
	}
	if amount == nil || amount.Sign() < 0 {
		return nil, fmt.Errorf("%w: top-up amount %v", payment.ErrBadChannel, amount)
	}
	call := packCall(binding.TryPackTopUp(ch.ID, amount, exp))
	if ch.Asset.IsZero() {
		call.Value = amount
	}
	return s.transact(ctx, from, "topUp", call)
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
func (s *Settler) Close(ctx context.Context, from Signer, id payment.ChannelID, vouchers []*payment.Voucher) (*types.Receipt, error) {
	svs, err := s.signedVouchers(id, vouchers)
	if err != nil {
		return nil, err
	}
	return s.transact(ctx, from, "close", packCall(binding.TryPackClose(id, svs)))
}

// Challenge replaces lanes' vouchers with better ones during the challenge
// period; anyone may submit.
func (s *Settler) Challenge(ctx context.Context, from Signer, id payment.ChannelID, vouchers []*payment.Voucher) (*types.Receipt, error) {
	svs, err := s.signedVouchers(id, vouchers)
	if err != nil {
		return nil, err
	}
	return s.transact(ctx, from, "challenge", packCall(binding.TryPackChallenge(id, svs)))
}

// Collect pays out a closed channel after its challenge period.
func (s *Settler) Collect(ctx context.Context, from Signer, id payment.ChannelID) (*types.Receipt, error) {
	return s.transact(ctx, from, "collect", packCall(binding.TryPackCollect(id)))
}

// Recover returns the whole deposit to the payer (from) after expiry when
// nobody closed the channel: the payee vanished.
func (s *Settler) Recover(ctx context.Context, from Signer, id payment.ChannelID) (*types.Receipt, error) {
	return s.transact(ctx, from, "recover", packCall(binding.TryPackRecover(id)))
}

// Fulfil shows the contract a reading and its inclusion proof, fulfilling
// the SHA-256 reading condition it implies (payment.ReadingCondition).
func (s *Settler) Fulfil(ctx context.Context, from Signer, r *payment.Redemption) (*types.Receipt, error) {
	if r.Root.Func != canon.SHA256 || r.Proof.Hasher.Func() != canon.SHA256 {
		return nil, fmt.Errorf("%w: %s tree (the contract checks SHA-256 proofs)", ErrNotOnChain, r.Root.Func)
	}
	path := make([][32]byte, len(r.Proof.Path))
	for i, h := range r.Proof.Path {
		path[i] = h
	}
	return s.transact(ctx, from, "fulfil", packCall(binding.TryPackFulfil(r.Root.Sum, r.Reading,
		new(big.Int).SetUint64(r.Proof.Index), new(big.Int).SetUint64(r.Proof.Size), path)))
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
	out, err := s.call(ctx, "channels", binding.PackChannels(id))
	if err != nil {
		return ChannelState{}, err
	}
	c, err := binding.UnpackChannels(out)
	if err != nil {
		return ChannelState{}, fmt.Errorf("settle: channels answer: %w", err)
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
	out, err := s.call(ctx, "lanes", binding.PackLanes(id, lane))
	if err != nil {
		return 0, nil, err
	}
	l, err := binding.UnpackLanes(out)
	if err != nil {
		return 0, nil, fmt.Errorf("settle: lanes answer: %w", err)
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
	data, err := binding.TryPackVoucherDigest(svs[0].Voucher)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: %v", ErrNotOnChain, err)
	}
	out, err := s.call(ctx, "voucherDigest", data)
	if err != nil {
		return common.Hash{}, err
	}
	d, err := binding.UnpackVoucherDigest(out)
	if err != nil {
		return common.Hash{}, fmt.Errorf("settle: voucherDigest answer: %w", err)
	}
	return d, nil
}

// SubmitBest puts the best vouchers of channel id from store on chain: it
// closes the channel when it is not closing yet, and otherwise challenges
// with those that beat what the contract holds. It returns nil, nil when
// the chain already holds the best vouchers.
//
// Per lane it submits the lane's best voucher if the contract would take
// it now (no condition, or a SHA-256 condition fulfilled on chain, see
// Fulfil; a time lock that holds for at least a minute more), else the
// lane's best unconditional voucher (payment.Store.Unconditional), so a
// conditional or time-locked voucher never displaces what the payee could
// always redeem. When closing, a lane with neither is submitted with its
// best voucher, and the contract's refusal is returned
// (payment.ErrConditionUnmet, payment.ErrTimeLocked): fulfil the
// condition first. When challenging, such a lane is left out.
func (s *Settler) SubmitBest(ctx context.Context, from Signer, store *payment.Store, id payment.ChannelID) (*types.Receipt, error) {
	st, err := s.State(ctx, id)
	if err != nil {
		return nil, err
	}
	if !st.Open {
		return nil, fmt.Errorf("%w: %s", payment.ErrUnknownChannel, id)
	}
	head, err := s.head(ctx, "submit")
	if err != nil {
		return nil, err
	}
	if st.ClosesAt.IsZero() {
		vs, err := s.submittable(ctx, store, id, head.Time, true)
		if err != nil {
			return nil, err
		}
		return s.Close(ctx, from, id, vs)
	}
	return s.challengeBetter(ctx, from, store, id, head.Time)
}

// lockMargin is how long before a voucher's NotAfter SubmitBest and Defend
// stop submitting it (the lane's unconditional voucher instead): the
// transaction is mined in a later block than the one they read.
const lockMargin = time.Minute

// Defend is what a payee (or its watchtower) runs periodically while it
// holds vouchers: when someone has started closing channel id and the
// challenge period is still open, it challenges with every voucher of
// store that beats the chain's (chosen per lane as SubmitBest does);
// otherwise it does nothing and returns nil, nil. A payee that defends at
// least once per settle delay never loses a voucher it accepted without a
// condition or NotAfter, nor one whose condition it fulfilled in time: a
// later conditional or time-locked voucher never takes its place.
func (s *Settler) Defend(ctx context.Context, from Signer, store *payment.Store, id payment.ChannelID) (*types.Receipt, error) {
	st, err := s.State(ctx, id)
	if err != nil {
		return nil, err
	}
	if !st.Open || st.ClosesAt.IsZero() {
		return nil, nil
	}
	head, err := s.head(ctx, "defend")
	if err != nil {
		return nil, err
	}
	if head.Time >= uint64(st.ClosesAt.Unix()) {
		return nil, nil
	}
	return s.challengeBetter(ctx, from, store, id, head.Time)
}

// head returns the chain's latest header.
func (s *Settler) head(ctx context.Context, what string) (*types.Header, error) {
	var head *types.Header
	if err := s.tx.Retry.Do(ctx, "latest header", func(ctx context.Context) (err error) {
		head, err = s.client.HeaderByNumber(ctx, nil)
		return err
	}); err != nil {
		return nil, evmtx.Wrap("settle", err, "%s", what)
	}
	return head, nil
}

// submittable returns, per lane of channel id in store, the voucher to
// submit at chain time now: the best one if the contract takes it now,
// else the lane's unconditional one; a lane with neither gets its best
// voucher when orBest, and is left out otherwise.
func (s *Settler) submittable(ctx context.Context, store *payment.Store, id payment.ChannelID, now uint64, orBest bool) ([]*payment.Voucher, error) {
	var out []*payment.Voucher
	for _, best := range store.BestVouchers(id) {
		ok, err := s.takesNow(ctx, best, now)
		if err != nil {
			return nil, err
		}
		switch u, hasU := store.Unconditional(id, best.Lane); {
		case ok:
			out = append(out, best)
		case hasU:
			out = append(out, u)
		case orBest:
			out = append(out, best)
		}
	}
	return out, nil
}

// takesNow reports whether the contract would take v at chain time now
// (and for lockMargin more): its time lock holds and its condition, if
// any, is a SHA-256 condition fulfilled on chain.
func (s *Settler) takesNow(ctx context.Context, v *payment.Voucher, now uint64) (bool, error) {
	if now < v.NotBefore || (v.NotAfter != 0 && (v.NotAfter < now || v.NotAfter-now < uint64(lockMargin/time.Second))) {
		return false, nil
	}
	if v.Condition.IsZero() {
		return true, nil
	}
	if v.Condition.Func != canon.SHA256 {
		return false, nil
	}
	out, err := s.call(ctx, "fulfilled", binding.PackFulfilled(v.Condition.Sum))
	if err != nil {
		return false, err
	}
	ok, err := binding.UnpackFulfilled(out)
	if err != nil {
		return false, fmt.Errorf("settle: fulfilled answer: %w", err)
	}
	return ok, nil
}

func (s *Settler) challengeBetter(ctx context.Context, from Signer, store *payment.Store, id payment.ChannelID, now uint64) (*types.Receipt, error) {
	vs, err := s.submittable(ctx, store, id, now, false)
	if err != nil {
		return nil, err
	}
	var better []*payment.Voucher
	for _, v := range vs {
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
	return s.Challenge(ctx, from, id, better)
}
