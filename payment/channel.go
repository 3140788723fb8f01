package payment

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Channel is a unidirectional payment channel: Payer has locked Deposit of
// Asset for Payee until Expiry, and promises money to the payee with
// vouchers signed by Signer. Both sides keep the same Channel value.
type Channel struct {
	// ID identifies the channel (OnChainChannelID, or NewChannelID off chain).
	ID ChannelID
	// Domain is the chain ID and channel contract; the contract is the zero
	// address for a channel settled off chain only. The chain ID is
	// recorded either way, so a restarted party knows where the channel
	// lives and vouchers never cross chains.
	Domain Domain
	// Payer and Payee name the parties: DIDs or 0x addresses.
	Payer, Payee string
	// PayeeAddress is where the contract pays the payee (on-chain channels).
	PayeeAddress common.Address
	// Signer is the key every voucher must be signed by, fixed at open.
	Signer VoucherKey
	// Asset is the ERC-20 token, or the zero address for the native coin.
	Asset common.Address
	// Deposit is the amount locked, in the asset's smallest unit.
	Deposit *big.Int
	// Expiry is when the payer may take the unspent deposit back unless
	// the channel is being closed; vouchers are not accepted from then on.
	Expiry time.Time
	// SettleDelay is the challenge period between close and collect.
	SettleDelay time.Duration
	// Closed is set once the channel is being closed or settled (see
	// Payee.MarkClosed): no voucher is signed or accepted from then on.
	Closed bool
}

// NewChannelID returns a random channel ID for a channel settled off chain.
func NewChannelID() (ChannelID, error) {
	var id ChannelID
	if _, err := rand.Read(id[:]); err != nil {
		return ChannelID{}, err
	}
	return id, nil
}

// Validate checks that c is complete and its signer key parses.
func (c *Channel) Validate() error {
	switch {
	case c.ID == ChannelID{}:
		return fmt.Errorf("%w: zero channel ID", ErrBadChannel)
	case c.Deposit == nil || c.Deposit.Sign() < 0 || c.Deposit.Cmp(maxUint256) > 0:
		return fmt.Errorf("%w: deposit %v", ErrBadChannel, c.Deposit)
	case c.Expiry.IsZero():
		return fmt.Errorf("%w: no expiry", ErrBadChannel)
	case c.SettleDelay < 0:
		return fmt.Errorf("%w: settle delay %v", ErrBadChannel, c.SettleDelay)
	case c.Domain.Contract != (common.Address{}) && !c.Signer.OnChain():
		return fmt.Errorf("%w: on-chain channel with %s signer key (the contract checks secp256k1 only)", ErrBadChannel, c.Signer.Scheme)
	}
	if _, err := c.Signer.Verifier(); err != nil {
		return err
	}
	return nil
}

// Clone returns a deep copy of c.
func (c *Channel) Clone() *Channel {
	d := *c
	if c.Deposit != nil {
		d.Deposit = new(big.Int).Set(c.Deposit)
	}
	d.Signer.Key = append([]byte(nil), c.Signer.Key...)
	return &d
}
