package settle

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/iotrust/iotrust/payment"
)

// ErrChannelMismatch: the contract holds no open channel under the offered
// channel's ID, or one that differs from it (CheckChannel).
var ErrChannelMismatch = errors.New("settle: channel on chain differs from the one offered")

// CheckChannel reads channel ch.ID from the contract and checks that it is
// the channel a payee is offered, before the payee serves on it
// (payment.Payee.Open checks the channel's own consistency, not the
// chain): ch lives on this settler's chain and contract; on chain it is
// open and not closing; its payer is the account ch.Payer names (an
// address, or did:pkh:eip155:<chain ID>:<address>); its payee is
// ch.PayeeAddress; its voucher key is ch.Signer's account; its token is
// ch.Asset; its settle delay is ch.SettleDelay; it holds at least
// ch.Deposit and expires no earlier than ch.Expiry (a top-up only helps
// the payee). It returns the state read. A mismatch is an error wrapping
// ErrChannelMismatch that names the first field that differs; a failed
// read returns State's error.
func (s *Settler) CheckChannel(ctx context.Context, ch *payment.Channel) (ChannelState, error) {
	if ch == nil {
		return ChannelState{}, fmt.Errorf("%w: no channel", ErrChannelMismatch)
	}
	if ch.Domain != s.Domain() {
		return ChannelState{}, fmt.Errorf("%w: channel of chain %v, contract %v; this settler is on chain %v, contract %v",
			ErrChannelMismatch, ch.Domain.ChainID, ch.Domain.Contract, s.chainID, s.address)
	}
	signer, err := ch.Signer.EthereumAddress()
	if err != nil {
		return ChannelState{}, fmt.Errorf("%w: %w", ErrNotOnChain, err)
	}
	st, err := s.State(ctx, ch.ID)
	if err != nil {
		return ChannelState{}, err
	}
	mismatch := func(what string, onChain, offered any) error {
		return fmt.Errorf("%w: %s on chain %v, offered %v", ErrChannelMismatch, what, onChain, offered)
	}
	switch {
	case !st.Open:
		return st, fmt.Errorf("%w: channel %s is not open on chain", ErrChannelMismatch, ch.ID)
	case !st.ClosesAt.IsZero():
		return st, fmt.Errorf("%w: channel %s is closing on chain (challenge period ends %v)", ErrChannelMismatch, ch.ID, st.ClosesAt)
	case !names(ch.Payer, st.Payer, s.chainID):
		return st, mismatch("payer", st.Payer.Hex(), ch.Payer)
	case st.Payee != common.Address(ch.PayeeAddress):
		return st, mismatch("payee", st.Payee.Hex(), common.Address(ch.PayeeAddress).Hex())
	case st.Signer != common.Address(signer):
		return st, mismatch("voucher key", st.Signer.Hex(), common.Address(signer).Hex())
	case st.Token != common.Address(ch.Asset):
		return st, mismatch("token", st.Token.Hex(), common.Address(ch.Asset).Hex())
	case st.SettleDelay != ch.SettleDelay:
		return st, mismatch("settle delay", st.SettleDelay, ch.SettleDelay)
	case ch.Deposit == nil || st.Deposit.Cmp(ch.Deposit) < 0:
		return st, mismatch("deposit", st.Deposit, ch.Deposit)
	case st.Expiry.Before(ch.Expiry):
		return st, mismatch("expiry", st.Expiry, ch.Expiry)
	}
	return st, nil
}

// names reports whether party, a secp256k1 channel's party name, names
// account: its address (any letter case), or did:pkh:eip155 on chainID.
func names(party string, account common.Address, chainID uint64) bool {
	want := account.Hex()
	if strings.EqualFold(party, want) {
		return true
	}
	return strings.EqualFold(party, fmt.Sprintf("did:pkh:eip155:%d:%s", chainID, want))
}
