package payment

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"github.com/iotrust/iotrust/did"
)

// Channel is a unidirectional payment channel: Payer has locked Deposit of
// Asset for Payee until Expiry, and promises money to the payee with
// vouchers signed by Signer. Both sides keep the same Channel value.
//
// # Parties and keys
//
// The parties are named, and the voucher key is bound to the payer, in one
// of two ways, by the key's scheme:
//
//   - A DID-key channel (Signer of a did scheme: Ed25519, P-256, ML-DSA):
//     Payer and Payee are DIDs, and Signer must be the key the payer's DID
//     resolves to. Payee.Open asks its did.KeyResolver for the key of Payer
//     at the time of opening (a did:key or did:jwk is its own key; a
//     registered DID follows its registry) and refuses any other key with
//     ErrPayerKey.
//   - A secp256k1 channel (SchemeEthereum): each party is an account, named
//     by its address in EIP-55 form or as did:pkh:eip155:<chain ID>:<address>
//     on the channel's chain; the payee may also be any other DID. Settled
//     off chain (no contract), the voucher key must be the payer's own
//     account (ErrPayerKey otherwise). On chain, the payer is the account
//     that funded the channel and the contract binds the voucher key to the
//     channel when it is opened; the payee checks that binding on chain
//     (payment/settle's Settler.State) before calling Payee.Open.
type Channel struct {
	// ID identifies the channel (OnChainChannelID, or NewChannelID off chain).
	ID ChannelID
	// Domain is the chain ID and channel contract; the contract is the zero
	// address for a channel settled off chain only. The chain ID is
	// recorded either way, so a restarted party knows where the channel
	// lives and vouchers never cross chains.
	Domain Domain
	// Payer and Payee name the parties (see the type's doc): DIDs, or for
	// secp256k1 channels accounts.
	Payer, Payee string
	// PayeeAddress is where the contract pays the payee (on-chain channels).
	PayeeAddress Address
	// Signer is the key every voucher must be signed by, fixed at open.
	Signer VoucherKey
	// Asset is the ERC-20 token, or the zero address for the native coin.
	Asset Address
	// Deposit is the amount locked, in the asset's smallest unit.
	Deposit *big.Int
	// Expiry is when the payer may take the unspent deposit back unless
	// the channel is being closed; vouchers are not accepted from then on.
	// It must lie in years 1 to 9999 in UTC, the zone its encodings use;
	// a Store keeps it in UTC.
	Expiry time.Time
	// SettleDelay is the challenge period between close and collect, in
	// whole seconds (the contract's unit).
	SettleDelay time.Duration
	// Closed is set once the channel is being closed or settled (see
	// Payee.MarkClosed): no voucher is signed or accepted from then on.
	Closed bool
}

// NewChannelID returns a random channel ID for a channel settled off chain.
func NewChannelID() (ChannelID, error) {
	var id ChannelID
	if _, err := rand.Read(id[:]); err != nil {
		return ChannelID{}, fmt.Errorf("payment: channel ID: %w", err)
	}
	return id, nil
}

// Validate checks that c is complete (its expiry in years 1 to 9999 UTC, so
// that every encoding can write it), its parties are named as the type's
// doc says, and its signer key parses through package did (which refuses
// weak keys). It returns ErrBadChannel wrapping the cause, or ErrPayerKey
// for a secp256k1 channel settled off chain whose key is not the payer's
// address. It does not resolve DIDs: Payee.Open does.
func (c *Channel) Validate() error {
	switch {
	case c == nil:
		return fmt.Errorf("%w: nil channel", ErrBadChannel)
	case c.ID == ChannelID{}:
		return fmt.Errorf("%w: zero channel ID", ErrBadChannel)
	case c.Deposit == nil || c.Deposit.Sign() < 0 || c.Deposit.Cmp(maxUint256) > 0:
		return fmt.Errorf("%w: deposit %v", ErrBadChannel, c.Deposit)
	case c.Expiry.IsZero():
		return fmt.Errorf("%w: no expiry", ErrBadChannel)
	case c.Expiry.UTC().Year() < 1 || c.Expiry.UTC().Year() > 9999:
		// In UTC, the zone every encoding writes: a year checked in
		// another zone may be 10000 in UTC, which RFC 3339 cannot write.
		return fmt.Errorf("%w: expiry in year %d UTC", ErrBadChannel, c.Expiry.UTC().Year())
	case c.SettleDelay < 0 || c.SettleDelay%time.Second != 0:
		return fmt.Errorf("%w: settle delay %v is not a whole number of seconds", ErrBadChannel, c.SettleDelay)
	case !c.Domain.Contract.IsZero() && !c.Signer.OnChain():
		return fmt.Errorf("%w: on-chain channel with %s signer key (the contract checks secp256k1 only)", ErrBadChannel, c.Signer.Scheme)
	case !c.Domain.Contract.IsZero() && c.PayeeAddress.IsZero():
		return fmt.Errorf("%w: on-chain channel without a payee address", ErrBadChannel)
	}
	if _, err := c.Signer.Verifier(); err != nil {
		return err
	}
	return c.checkParties()
}

// checkParties checks the form of Payer and Payee, and for a secp256k1
// channel settled off chain that the voucher key is the payer's account.
func (c *Channel) checkParties() error {
	if !c.Signer.OnChain() {
		if err := checkDID(c.Payer); err != nil {
			return fmt.Errorf("%w: payer: %w", ErrBadChannel, err)
		}
		if err := checkDID(c.Payee); err != nil {
			return fmt.Errorf("%w: payee: %w", ErrBadChannel, err)
		}
		return nil
	}
	payer, ok, err := ethereumParty(c.Payer, c.Domain.ChainID)
	switch {
	case err != nil:
		return fmt.Errorf("%w: payer: %w", ErrBadChannel, err)
	case !ok:
		return fmt.Errorf("%w: payer %q of a secp256k1 channel is neither an address nor a did:pkh:eip155 account", ErrBadChannel, truncate(c.Payer))
	}
	payee, ok, err := ethereumParty(c.Payee, c.Domain.ChainID)
	switch {
	case err != nil:
		return fmt.Errorf("%w: payee: %w", ErrBadChannel, err)
	case !ok:
		if err := checkDID(c.Payee); err != nil {
			return fmt.Errorf("%w: payee: %w", ErrBadChannel, err)
		}
	case !c.Domain.Contract.IsZero() && payee != c.PayeeAddress:
		return fmt.Errorf("%w: payee %s, payee address %s", ErrBadChannel, c.Payee, c.PayeeAddress)
	}
	if c.Domain.Contract.IsZero() {
		if key, _ := c.Signer.EthereumAddress(); key != payer {
			return fmt.Errorf("%w: voucher key %s, payer %s", ErrPayerKey, key, payer)
		}
	}
	return nil
}

// checkDID checks that s is a DID (not a DID URL).
func checkDID(s string) error {
	d, fragment, err := did.SplitURL(s)
	if err != nil {
		return err
	}
	if fragment != "" || d != s {
		return fmt.Errorf("%w: %q is a DID URL, not a DID", did.ErrInvalidDID, truncate(s))
	}
	return nil
}

// bindPayer checks that the voucher key of the DID-key channel c is the key
// keys gives for c.Payer at at (ErrPayerKey otherwise, wrapping the
// resolver's error). secp256k1 channels are bound by Validate and the
// contract (see Channel).
func bindPayer(ctx context.Context, keys did.KeyResolver, c *Channel, at time.Time) error {
	if c.Signer.OnChain() {
		return nil
	}
	k, err := keys.KeyAt(ctx, c.Payer, at)
	if err != nil {
		return fmt.Errorf("%w: resolving payer %s: %w", ErrPayerKey, truncate(c.Payer), err)
	}
	if k == nil || k.Scheme() == nil {
		return fmt.Errorf("%w: payer %s resolves to no key", ErrPayerKey, truncate(c.Payer))
	}
	if k.Scheme().Name() != c.Signer.Scheme || string(k.Bytes()) != string(c.Signer.Key) {
		return fmt.Errorf("%w: payer %s has a %s key, the channel's is %s", ErrPayerKey, truncate(c.Payer), k.Scheme().Name(), truncate(c.Signer.String()))
	}
	return nil
}

// Clone returns a deep copy of c (nil for nil).
func (c *Channel) Clone() *Channel {
	if c == nil {
		return nil
	}
	d := *c
	if c.Deposit != nil {
		d.Deposit = new(big.Int).Set(c.Deposit)
	}
	d.Signer.Key = append([]byte(nil), c.Signer.Key...)
	return &d
}
