package payment

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"sync"
	"time"

	"github.com/iotrust/iotrust/canon"
)

// Cap limits what a payer signs over to one payee: at most Limit within any
// Window (a sliding window), or in all, when Window is 0.
type Cap struct {
	// Payee is the Channel.Payee the cap applies to. An Ethereum account
	// is one payee however it is spelled: its EIP-55 address and
	// did:pkh:eip155:<chain ID>:<address> (on any chain) share the cap.
	Payee string
	// Window is the length of the sliding window; 0 means the payer's whole
	// history.
	Window time.Duration
	// Limit is the most the payer signs within a window, in the asset's
	// smallest unit.
	Limit *big.Int
}

// Payment is what a payer is asked to sign: the new cumulative amount of a
// lane and the voucher's optional time lock and condition.
type Payment struct {
	Channel   ChannelID
	Lane      uint64
	Amount    *big.Int
	NotBefore uint64
	NotAfter  uint64
	Condition canon.Digest
}

// Payer is the paying side of channels: it signs vouchers, never beyond a
// channel's deposit or its caps, and stores every voucher durably before
// handing it out, so a restarted payer never reuses a nonce.
type Payer struct {
	store  *Store
	signer Signer
	caps   []Cap
	now    func() time.Time
	log    *slog.Logger

	mu     sync.Mutex
	spends map[string]*spendLog
}

type spend struct {
	at     time.Time
	amount *big.Int
}

// spendLog is one payee's spending: a lifetime total and the recent
// increments the longest window needs.
type spendLog struct {
	total  *big.Int
	recent []spend
}

// PayerConfig configures a Payer. The zero value is usable.
type PayerConfig struct {
	// Caps limit what the payer signs over to each payee; none means no
	// limit beyond each channel's deposit.
	Caps []Cap
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log may be nil (discard).
	Log *slog.Logger
}

// NewPayer returns a Payer that signs with signer and keeps its state in
// store, rebuilding its spending windows from the store's history. A cap
// with a negative limit or window, or naming a malformed account (an
// address not in EIP-55 form, a malformed did:pkh:eip155), is
// ErrCapExceeded.
func NewPayer(store *Store, signer Signer, cfg PayerConfig) (*Payer, error) {
	if store == nil {
		return nil, fmt.Errorf("%w: no store", ErrMalformed)
	}
	if signer == nil {
		return nil, fmt.Errorf("%w: no signer", ErrBadChannel)
	}
	caps := make([]Cap, len(cfg.Caps))
	for i, c := range cfg.Caps {
		payee, ok := partyKey(c.Payee)
		if c.Limit == nil || c.Limit.Sign() < 0 || c.Window < 0 || !ok {
			return nil, fmt.Errorf("%w: cap for %q: limit %v, window %v", ErrCapExceeded, truncate(c.Payee), c.Limit, c.Window)
		}
		caps[i] = Cap{Payee: payee, Window: c.Window, Limit: new(big.Int).Set(c.Limit)}
	}
	now, log := cfg.Now, cfg.Log
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Payer{store: store, signer: signer, caps: caps, now: now, log: log, spends: map[string]*spendLog{}}
	prev := map[ChannelID]map[uint64]*big.Int{}
	err := store.History(func(at time.Time, v *Voucher) {
		c, ok := store.Channel(v.Channel)
		if !ok {
			return
		}
		lanes := prev[v.Channel]
		if lanes == nil {
			lanes = map[uint64]*big.Int{}
			prev[v.Channel] = lanes
		}
		before := lanes[v.Lane]
		if before == nil {
			before = new(big.Int)
		}
		if v.Amount.Cmp(before) > 0 {
			payee, _ := partyKey(c.Payee)
			p.record(payee, at, new(big.Int).Sub(v.Amount, before))
			lanes[v.Lane] = v.Amount
		}
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ready reports a Payer not made by NewPayer, instead of a panic.
func (p *Payer) ready() error {
	if p == nil || p.store == nil || p.signer == nil || p.now == nil || p.spends == nil {
		return fmt.Errorf("%w: payer not made by NewPayer", ErrMalformed)
	}
	return nil
}

// Open records a channel the payer funded, or a top-up of one it holds.
// Its signer key must be the payer's Signer's (ErrBadChannel), the channel
// valid (Channel.Validate), and a re-open a top-up (see Payee.Open:
// ErrNotTopUp, and ErrExpired for a channel marked closed).
func (p *Payer) Open(ctx context.Context, c *Channel) error {
	if err := p.ready(); err != nil {
		return err
	}
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if !c.Signer.Equal(p.signer.VoucherKey()) {
		return fmt.Errorf("%w: channel signer %s is not the payer's key", ErrBadChannel, c.Signer)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.store.Channel(c.ID); ok {
		if err := checkReopen(old, c); err != nil {
			return err
		}
	}
	return p.store.putChannel(c)
}

// MarkClosed records that channel id is being closed: the payer signs no
// further voucher for it once MarkClosed returns (it waits for an Issue
// or Pay in progress), and Open does not reopen it.
func (p *Payer) MarkClosed(ctx context.Context, id ChannelID) error {
	if err := p.ready(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return markClosed(ctx, p.store, id)
}

// Store returns the payer's store.
func (p *Payer) Store() *Store {
	if p == nil {
		return nil
	}
	return p.store
}

// Pay signs a voucher adding increment to lane's cumulative amount. It
// reads the lane's best voucher and signs the next one under the payer's
// lock, so concurrent Pays on a lane each add their increment (none is
// lost or refused as stale). See Issue for the checks.
func (p *Payer) Pay(ctx context.Context, id ChannelID, lane uint64, increment *big.Int) (*Voucher, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	if increment == nil || increment.Sign() < 0 {
		return nil, fmt.Errorf("%w: increment %v", ErrMalformed, increment)
	}
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	amount := new(big.Int).Set(increment)
	if best, ok := p.store.Best(id, lane); ok {
		amount.Add(amount, best.Amount)
	}
	return p.issueLocked(now, Payment{Channel: id, Lane: lane, Amount: amount})
}

// Issue signs the voucher pm describes with the lane's next nonce, after
// checking that the channel is open (ErrExpired once it expired or
// MarkClosed was called), the amount does not go down (ErrStale), the
// lanes' total stays within the deposit (ErrOverspend) and the increment
// within every cap on the payee (ErrCapExceeded). The voucher is stored
// durably before it is returned.
//
// A Payer is safe for concurrent use: Issue, Pay, Open and MarkClosed run
// one at a time under its lock, so no voucher is signed for a channel after
// MarkClosed returns, and concurrent calls never share a nonce.
func (p *Payer) Issue(ctx context.Context, pm Payment) (*Voucher, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	// The clock is read before the lock: a clock never runs under it.
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.issueLocked(now, pm)
}

// issueLocked is Issue with p.mu held: the channel, its closed mark and the
// lane's best voucher are all read under the lock that signs and stores.
func (p *Payer) issueLocked(now time.Time, pm Payment) (*Voucher, error) {
	c, ok := p.store.Channel(pm.Channel)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownChannel, pm.Channel)
	}
	if c.Closed || !now.Before(c.Expiry) {
		return nil, fmt.Errorf("%w: channel %s expired or closed", ErrExpired, c.ID)
	}
	v := &Voucher{
		Domain: c.Domain, Channel: c.ID, Lane: pm.Lane, Amount: pm.Amount,
		NotBefore: pm.NotBefore, NotAfter: pm.NotAfter, Condition: pm.Condition,
	}
	if err := v.checkFields(); err != nil {
		return nil, err
	}
	prev := new(big.Int)
	if best, ok := p.store.Best(c.ID, pm.Lane); ok {
		if best.Nonce == math.MaxUint64 {
			return nil, fmt.Errorf("%w: lane %d", ErrNonceExhausted, pm.Lane)
		}
		v.Nonce = best.Nonce + 1
		prev = best.Amount
	}
	if v.Amount.Cmp(prev) < 0 {
		return nil, fmt.Errorf("%w: lane %d amount %v below the %v already signed", ErrStale, pm.Lane, v.Amount, prev)
	}
	total := p.store.Total(c.ID)
	total.Sub(total, prev).Add(total, v.Amount)
	if total.Cmp(c.Deposit) > 0 {
		return nil, fmt.Errorf("%w: lanes would total %v, deposit %v", ErrOverspend, total, c.Deposit)
	}
	inc := new(big.Int).Sub(v.Amount, prev)
	payee, _ := partyKey(c.Payee)
	if err := p.checkCaps(payee, now, inc); err != nil {
		return nil, err
	}
	if err := Sign(p.signer, v); err != nil {
		return nil, err
	}
	if err := p.store.putVoucher(v, now); err != nil {
		return nil, err
	}
	p.record(payee, now, inc)
	return v.Clone(), nil
}

// Spent returns what the payer signed over to payee within window before
// now (window 0: ever). An Ethereum account is one payee however it is
// spelled (see Cap.Payee).
func (p *Payer) Spent(payee string, window time.Duration) *big.Int {
	if p.ready() != nil {
		return new(big.Int)
	}
	payee, _ = partyKey(payee)
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.spentLocked(payee, now, window)
}

func (p *Payer) spentLocked(payee string, now time.Time, window time.Duration) *big.Int {
	l := p.spends[payee]
	if l == nil {
		return new(big.Int)
	}
	if window == 0 {
		return new(big.Int).Set(l.total)
	}
	sum := new(big.Int)
	from := now.Add(-window)
	for _, s := range l.recent {
		if s.at.After(from) {
			sum.Add(sum, s.amount)
		}
	}
	return sum
}

func (p *Payer) checkCaps(payee string, now time.Time, inc *big.Int) error {
	for _, c := range p.caps {
		if c.Payee != payee {
			continue
		}
		spent := p.spentLocked(payee, now, c.Window)
		if spent.Add(spent, inc).Cmp(c.Limit) > 0 {
			return fmt.Errorf("%w: %v to %q within %v would exceed %v", ErrCapExceeded, spent, payee, c.Window, c.Limit)
		}
	}
	return nil
}

// record adds a spend and forgets spends older than the longest window.
func (p *Payer) record(payee string, at time.Time, inc *big.Int) {
	if inc.Sign() == 0 {
		return
	}
	l := p.spends[payee]
	if l == nil {
		l = &spendLog{total: new(big.Int)}
		p.spends[payee] = l
	}
	l.total.Add(l.total, inc)
	var longest time.Duration
	for _, c := range p.caps {
		if c.Payee == payee && c.Window > longest {
			longest = c.Window
		}
	}
	if longest == 0 {
		return
	}
	l.recent = append(l.recent, spend{at: at, amount: new(big.Int).Set(inc)})
	from := at.Add(-longest)
	i := 0
	for i < len(l.recent) && !l.recent[i].at.After(from) {
		i++
	}
	l.recent = l.recent[i:]
}
