package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/settle"
	"github.com/iotrust/iotrust/reading"
)

// vehicle is the paying side: an Ethereum account (named by its did:pkh)
// whose key also signs the vouchers, and its on-board unit's voucher store.
type vehicle struct {
	key     *ecdsa.PrivateKey
	account common.Address
	did     string
	auth    settle.Signer
	signer  payment.Signer
	store   *payment.Store
	payer   *payment.Payer
	tariff  *payment.Tariff
	meters  map[uint64]*payment.Meter // what the vehicle owes per lane, by its own count
}

func newVehicle(work string, ch *devnet.Chain, t *payment.Tariff) (*vehicle, error) {
	v := &vehicle{tariff: t, meters: map[uint64]*payment.Meter{}}
	var err error
	if v.key, err = crypto.GenerateKey(); err != nil {
		return nil, err
	}
	v.account = crypto.PubkeyToAddress(v.key.PublicKey)
	v.did = fmt.Sprintf("did:pkh:eip155:%s:%s", ch.ChainID(), v.account.Hex())
	v.auth = ch.Signer(v.key)
	if v.signer, err = payment.NewEthereumSigner(v.key); err != nil {
		return nil, err
	}
	if v.store, err = payment.OpenStore(filepath.Join(work, "vehicle.vouchers"), nil); err != nil {
		return nil, err
	}
	if v.payer, err = payment.NewPayer(v.store, v.signer, payment.PayerConfig{}); err != nil {
		v.store.Close()
		return nil, err
	}
	return v, nil
}

func (v *vehicle) Close() { v.store.Close() }

// open locks a deposit for the operator in a new channel on the contract.
func (v *vehicle) open(ctx context.Context, op *operator, expiry, settleDelay time.Duration, salt byte) (*payment.Channel, error) {
	now, err := op.chain.Now(ctx)
	if err != nil {
		return nil, err
	}
	ch, r, err := op.settler.Open(ctx, v.auth, settle.OpenParams{
		Payee: op.account, PayeeName: op.issuer.DID(), Signer: v.signer.VoucherKey(),
		Deposit: deposit, Expiry: now.Add(expiry), SettleDelay: settleDelay, Salt: [32]byte{salt},
	})
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	op.gas.Add("open channel, native coin", r)
	return ch, v.payer.Open(ctx, ch)
}

// pay checks a passage the vehicle received and signs a voucher on lane
// for the new cumulative amount it owes there; with a condition, the
// voucher is redeemable only once the condition is met.
func (v *vehicle) pay(ctx context.Context, ch payment.ChannelID, lane uint64, p reading.Signed, cond canon.Digest) (*payment.Voucher, error) {
	if err := reading.Verify(ctx, did.SelfCertifying{}, p); err != nil {
		return nil, err
	}
	if p.Metadata["vehicle"] != v.did {
		return nil, errors.New("the passage names another vehicle")
	}
	if v.meters[lane] == nil {
		var err error
		if v.meters[lane], err = payment.NewMeter(v.tariff, nil); err != nil {
			return nil, err
		}
	}
	if err := v.meters[lane].Record(passageUsage(p)); err != nil {
		return nil, err
	}
	return v.payer.Issue(ctx, payment.Payment{Channel: ch, Lane: lane, Amount: v.meters[lane].Due(), Condition: cond})
}

// balance returns the vehicle's balance on chain.
func (v *vehicle) balance(ctx context.Context, ch *devnet.Chain) (*big.Int, error) {
	return ch.Balance(ctx, v.account)
}
