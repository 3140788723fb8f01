package payment

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/hdevalence/ed25519consensus"
	"github.com/iotrust/iotrust/did"
)

// Payee is the receiving side of channels: it checks each voucher and keeps
// the best one per lane in its Store before acknowledging it.
type Payee struct {
	store *Store
	keys  did.KeyResolver
	now   func() time.Time
	log   *slog.Logger

	mu        sync.Mutex
	verifiers map[ChannelID]Verifier
}

// PayeeConfig configures a Payee. The zero value is usable.
type PayeeConfig struct {
	// Keys resolves a payer's DID to its key when a DID-key channel is
	// opened (see Channel) and again for every voucher, so a key rotated
	// out or revoked stops paying; nil means did.NewKeyCache(4096, nil, 0),
	// which knows did:key and did:jwk DIDs (whose keys never change). Pass
	// a did.NewKeyCache over a did.KeyResolvers with a *did.Registry to
	// accept registered DIDs and follow their rotations: the cache's ttl
	// bounds how long a revoked key keeps paying.
	Keys did.KeyResolver
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives warnings (double-signing); nil discards them.
	Log *slog.Logger
}

// NewPayee returns a Payee keeping its state in store.
func NewPayee(store *Store, cfg PayeeConfig) (*Payee, error) {
	if store == nil {
		return nil, fmt.Errorf("%w: no store", ErrMalformed)
	}
	if cfg.Keys == nil {
		cfg.Keys = did.NewKeyCache(4096, nil, 0)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Payee{store: store, keys: cfg.Keys, now: cfg.Now, log: cfg.Log, verifiers: map[ChannelID]Verifier{}}, nil
}

// errNilContext is returned instead of a panic when a nil context is passed.
var errNilContext = errors.New("payment: nil context")

// ctxErr is ctx.Err, and an error for a nil ctx.
func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	return ctx.Err()
}

// ready reports a Payee not made by NewPayee, instead of a panic.
func (p *Payee) ready() error {
	if p == nil || p.store == nil || p.keys == nil || p.now == nil || p.verifiers == nil {
		return fmt.Errorf("%w: payee not made by NewPayee", ErrMalformed)
	}
	return nil
}

// Store returns the payee's store (best vouchers, evidence).
func (p *Payee) Store() *Store {
	if p == nil {
		return nil
	}
	return p.store
}

// Open records a channel the payee agreed to serve (after checking its
// deposit and voucher key on chain, for an on-chain channel). Opening a
// channel it already holds records a top-up: the same channel (domain,
// signer, parties: ErrBadChannel otherwise; asset, payee address, settle
// delay: ErrNotTopUp otherwise) with a deposit and an expiry no smaller
// than before (ErrNotTopUp otherwise). A channel marked closed is not
// reopened (ErrExpired).
//
// Open checks the channel (Channel.Validate: ErrBadChannel, wrapping
// did.ErrInvalidKey for a weak or malformed key and did.ErrInvalidDID for a
// party that is no DID) and that its voucher key is the payer's
// (ErrPayerKey: for a DID-key channel, the key the payer's DID resolves to
// now through PayeeConfig.Keys, at the first open and at every top-up).
func (p *Payee) Open(ctx context.Context, c *Channel) error {
	if err := p.ready(); err != nil {
		return err
	}
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if err := bindPayer(ctx, p.keys, c, p.now()); err != nil {
		return err
	}
	// Under the admission lock, so two re-opens cannot both pass the
	// top-up check against the same old channel.
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.store.Channel(c.ID); ok {
		if err := checkReopen(old, c); err != nil {
			return err
		}
	}
	return p.store.putChannel(c)
}

// checkReopen checks that c, a channel re-opened over old, is a top-up:
// the same channel with the same or a larger deposit and the same or a
// later expiry, and not reopening a channel marked closed.
func checkReopen(old, c *Channel) error {
	switch {
	case old.Domain != c.Domain || !old.Signer.Equal(c.Signer) || old.Payer != c.Payer || old.Payee != c.Payee:
		return fmt.Errorf("%w: channel %s reopened with another domain, signer or party", ErrBadChannel, c.ID)
	case old.Closed && !c.Closed:
		return fmt.Errorf("%w: channel %s is closed", ErrExpired, c.ID)
	case old.Asset != c.Asset || old.PayeeAddress != c.PayeeAddress || old.SettleDelay != c.SettleDelay:
		return fmt.Errorf("%w: channel %s reopened with asset %s, payee address %s, settle delay %v (was %s, %s, %v)",
			ErrNotTopUp, c.ID, c.Asset, c.PayeeAddress, c.SettleDelay, old.Asset, old.PayeeAddress, old.SettleDelay)
	case c.Deposit.Cmp(old.Deposit) < 0:
		return fmt.Errorf("%w: channel %s reopened with deposit %v, below %v", ErrNotTopUp, c.ID, c.Deposit, old.Deposit)
	case c.Expiry.Before(old.Expiry):
		return fmt.Errorf("%w: channel %s reopened with expiry %s, before %s", ErrNotTopUp, c.ID,
			c.Expiry.UTC().Format(time.RFC3339), old.Expiry.UTC().Format(time.RFC3339))
	}
	return nil
}

// MarkClosed records that channel id is being closed (the payee or payer
// called close on chain, or they settled off chain): from then on no voucher
// of it is accepted, and its best vouchers are final.
func (p *Payee) MarkClosed(ctx context.Context, id ChannelID) error {
	if err := p.ready(); err != nil {
		return err
	}
	// Under the admission lock, so no voucher is admitted after it returns.
	p.mu.Lock()
	defer p.mu.Unlock()
	return markClosed(ctx, p.store, id)
}

func markClosed(ctx context.Context, st *Store, id ChannelID) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	c, ok := st.Channel(id)
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownChannel, id)
	}
	if c.Closed {
		return nil
	}
	c.Closed = true
	return st.putChannel(c)
}

func (p *Payee) verifier(c *Channel) (Verifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.verifiers[c.ID]; ok {
		return v, nil
	}
	v, err := c.Signer.Verifier()
	if err != nil {
		return nil, err
	}
	p.verifiers[c.ID] = v
	return v, nil
}

// AcceptBytes parses an encoded voucher and Accepts it.
func (p *Payee) AcceptBytes(ctx context.Context, b []byte, due *big.Int) (*big.Int, error) {
	v, err := ParseVoucher(b)
	if err != nil {
		return nil, err
	}
	return p.Accept(ctx, v, due)
}

// Accept checks v and, if it is good, stores it durably as its lane's best
// voucher and returns the increment it adds to the lane. due, if not nil, is
// the cumulative amount the payee has metered for the lane (Meter.Due):
// a voucher below it is ErrUnderpaid.
//
// The checks, in order: the voucher's fields (ErrMalformed; ErrLaneOverflow
// for a lane out of range), known channel (ErrUnknownChannel), same chain
// and contract (ErrWrongChain), channel not closed or expired
// (ErrExpired), time lock (ErrTimeLocked), the payer's DID still resolving
// to the channel's key through PayeeConfig.Keys (ErrPayerKey; for DID-key
// channels), signature by the channel's signer (ErrBadSignature), then,
// under the payee's lock, channel not closed since (ErrExpired), nonce
// against the lane's best (ErrReplay, ErrStale, ErrDoubleSigned — the pair
// is kept as Evidence), lanes' total within the deposit (ErrOverspend),
// amount covers due (ErrUnderpaid). A rejected voucher changes nothing
// already accepted.
//
// A voucher with a Condition or a NotAfter may never be redeemable (the
// condition unfulfilled, the time lock past). It becomes the lane's best
// voucher, which orders the nonces, and its increment is conditional: the
// Store keeps the lane's best voucher without either as well
// (Store.Unconditional), and settling falls back on it, so accepting a
// conditional voucher never costs the payee what it already held.
func (p *Payee) Accept(ctx context.Context, v *Voucher, due *big.Int) (*big.Int, error) {
	c, ver, err := p.precheck(ctx, v)
	if err != nil {
		return nil, err
	}
	if err := Verify(ver, v); err != nil {
		return nil, err
	}
	return p.admit(c, v, due)
}

// precheck runs the checks that need no signature verification.
func (p *Payee) precheck(ctx context.Context, v *Voucher) (*Channel, Verifier, error) {
	if err := p.ready(); err != nil {
		return nil, nil, err
	}
	if err := ctxErr(ctx); err != nil {
		return nil, nil, err
	}
	if err := v.checkFields(); err != nil {
		return nil, nil, err
	}
	c, ok := p.store.Channel(v.Channel)
	if !ok {
		return nil, nil, fmt.Errorf("%w: %s", ErrUnknownChannel, v.Channel)
	}
	if v.Domain != c.Domain {
		return nil, nil, fmt.Errorf("%w: voucher for chain %d contract %s, channel on chain %d contract %s",
			ErrWrongChain, v.Domain.ChainID, v.Domain.Contract, c.Domain.ChainID, c.Domain.Contract)
	}
	now := p.now()
	if c.Closed {
		return nil, nil, fmt.Errorf("%w: channel %s is closed", ErrExpired, c.ID)
	}
	if !now.Before(c.Expiry) {
		return nil, nil, fmt.Errorf("%w: channel %s expired at %s", ErrExpired, c.ID, c.Expiry.UTC().Format(time.RFC3339))
	}
	if t := uint64(max(now.Unix(), 0)); t < v.NotBefore || (v.NotAfter != 0 && t > v.NotAfter) {
		return nil, nil, fmt.Errorf("%w: now %d, lock [%d, %d]", ErrTimeLocked, t, v.NotBefore, v.NotAfter)
	}
	// The key that opened the channel must still be the payer's: a key
	// rotated out or revoked since pays no more.
	if err := bindPayer(ctx, p.keys, c, now); err != nil {
		return nil, nil, err
	}
	ver, err := p.verifier(c)
	if err != nil {
		return nil, nil, err
	}
	return c, ver, nil
}

// admit compares a verified voucher with the lane's best and stores it.
func (p *Payee) admit(c *Channel, v *Voucher, due *big.Int) (*big.Int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closedLocked(v.Channel) {
		return nil, fmt.Errorf("%w: channel %s is closed", ErrExpired, v.Channel)
	}
	best, _ := p.store.Best(v.Channel, v.Lane)
	inc, ev, err := p.judge(c, v, due, best, p.store.Total(v.Channel))
	if ev != nil {
		if perr := p.store.putEvidence(*ev); perr != nil {
			return nil, perr
		}
	}
	if err != nil {
		return nil, err
	}
	if err := p.store.putVoucher(v, p.now()); err != nil {
		return nil, err
	}
	return inc, nil
}

// closedLocked re-reads the channel's closed mark under p.mu: precheck ran
// before the lock, and MarkClosed may have run since.
func (p *Payee) closedLocked(id ChannelID) bool {
	c, ok := p.store.Channel(id)
	return !ok || c.Closed
}

// judge decides on a verified voucher v given its lane's best voucher (nil
// if none) and the channel's current total. It returns the increment, or
// the error and, for a double-signed voucher, the evidence to keep.
func (p *Payee) judge(c *Channel, v *Voucher, due *big.Int, best *Voucher, total *big.Int) (*big.Int, *Evidence, error) {
	prev := new(big.Int)
	if best != nil {
		prev = best.Amount
		switch {
		case v.Nonce == best.Nonce && v.sameTerms(best):
			return nil, nil, fmt.Errorf("%w: lane %d nonce %d", ErrReplay, v.Lane, v.Nonce)
		case v.Nonce == best.Nonce:
			p.log.Warn("payment: double-signed voucher", "channel", v.Channel.String(), "lane", v.Lane, "nonce", v.Nonce)
			return nil, &Evidence{First: best, Second: v},
				fmt.Errorf("%w: lane %d nonce %d: amounts %v and %v", ErrDoubleSigned, v.Lane, v.Nonce, best.Amount, v.Amount)
		case v.Nonce < best.Nonce:
			return nil, nil, fmt.Errorf("%w: lane %d nonce %d, best is %d", ErrStale, v.Lane, v.Nonce, best.Nonce)
		case v.Amount.Cmp(best.Amount) < 0:
			return nil, nil, fmt.Errorf("%w: lane %d nonce %d lowers the amount from %v to %v", ErrStale, v.Lane, v.Nonce, best.Amount, v.Amount)
		}
	}
	t := new(big.Int).Sub(total, prev)
	t.Add(t, v.Amount)
	if t.Cmp(c.Deposit) > 0 {
		return nil, nil, fmt.Errorf("%w: lanes would total %v, deposit %v", ErrOverspend, t, c.Deposit)
	}
	if due != nil && v.Amount.Cmp(due) < 0 {
		return nil, nil, fmt.Errorf("%w: lane %d amount %v, due %v", ErrUnderpaid, v.Lane, v.Amount, due)
	}
	return new(big.Int).Sub(v.Amount, prev), nil, nil
}

// ed25519Key returns the key of an Ed25519 verifier, for batch
// verification: bytes that package did parsed and checked, never bytes
// taken from a channel or voucher directly.
func ed25519Key(ver Verifier) (ed25519.PublicKey, bool) {
	d, ok := ver.(didVerifier)
	if !ok || d.pk.Scheme() == nil || d.pk.Scheme().Name() != "Ed25519" || len(d.pk.Bytes()) != ed25519.PublicKeySize {
		return nil, false
	}
	return ed25519.PublicKey(d.pk.Bytes()), true
}

// verifyEd25519Batch reports whether all of vs, vouchers of a channel whose
// verifier is the Ed25519 ver, carry valid signatures, checked as one batch.
func verifyEd25519Batch(ver Verifier, vs []*Voucher) bool {
	pk, ok := ed25519Key(ver)
	if !ok {
		return false
	}
	batch := ed25519consensus.NewPreallocatedBatchVerifier(len(vs))
	for _, v := range vs {
		enc, err := v.EIP712Encoding()
		if err != nil {
			return false
		}
		msg, err := didMessage(enc)
		if err != nil {
			return false
		}
		batch.Add(pk, msg, v.Signature)
	}
	return batch.Verify()
}

// AcceptBatch accepts vouchers like Accept (without a due amount), one
// result per voucher, but verifies the Ed25519 signatures among them as one
// batch (ZIP-215 rules, the same as single verification) and stores all
// accepted vouchers with one fsync.
// Vouchers are admitted in order, so several of the same lane may be in one
// batch.
func (p *Payee) AcceptBatch(ctx context.Context, vs []*Voucher) []error {
	errs := make([]error, len(vs))
	if err := p.ready(); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	chans := make([]*Channel, len(vs))
	vers := make([]Verifier, len(vs))
	encs := make([][]byte, len(vs))
	batch := ed25519consensus.NewPreallocatedBatchVerifier(len(vs))
	var inBatch []int
	for i, v := range vs {
		c, ver, err := p.precheck(ctx, v)
		if err != nil {
			errs[i] = err
			continue
		}
		enc, err := v.EIP712Encoding()
		if err != nil {
			errs[i] = err
			continue
		}
		chans[i], vers[i], encs[i] = c, ver, enc
		if pk, ok := ed25519Key(ver); ok && len(v.Signature) == ed25519.SignatureSize {
			msg, err := didMessage(enc)
			if err != nil {
				errs[i] = err
				continue
			}
			batch.Add(pk, msg, v.Signature)
			inBatch = append(inBatch, i)
		}
	}
	batchOK := len(inBatch) > 0 && batch.Verify()
	isBatched := make(map[int]bool, len(inBatch))
	for _, i := range inBatch {
		isBatched[i] = true
	}
	// Admit in order against the store plus what this batch accepted so
	// far, then write every record with one fsync (group commit): nothing is
	// acknowledged before it is durable.
	p.mu.Lock()
	defer p.mu.Unlock()
	type laneKey struct {
		id   ChannelID
		lane uint64
	}
	pending := map[laneKey]*Voucher{}
	totals := map[ChannelID]*big.Int{}
	var accepted []*Voucher
	var evidence []Evidence
	var acceptedAt []int
	for i, v := range vs {
		if errs[i] != nil {
			continue
		}
		if !(batchOK && isBatched[i]) && !vers[i].VerifyVoucher(encs[i], v.Signature) {
			errs[i] = fmt.Errorf("%w: lane %d nonce %d", ErrBadSignature, v.Lane, v.Nonce)
			continue
		}
		if p.closedLocked(v.Channel) {
			errs[i] = fmt.Errorf("%w: channel %s is closed", ErrExpired, v.Channel)
			continue
		}
		k := laneKey{v.Channel, v.Lane}
		best, ok := pending[k]
		if !ok {
			best, _ = p.store.Best(v.Channel, v.Lane)
		}
		total, ok := totals[v.Channel]
		if !ok {
			total = p.store.Total(v.Channel)
			totals[v.Channel] = total
		}
		_, ev, err := p.judge(chans[i], v, nil, best, total)
		if ev != nil {
			evidence = append(evidence, *ev)
		}
		if err != nil {
			errs[i] = err
			continue
		}
		if best != nil {
			total.Sub(total, best.Amount)
		}
		total.Add(total, v.Amount)
		pending[k] = v
		accepted = append(accepted, v)
		acceptedAt = append(acceptedAt, i)
	}
	if err := p.store.putBatch(accepted, evidence, p.now()); err != nil {
		for _, i := range acceptedAt {
			errs[i] = err
		}
	}
	return errs
}
