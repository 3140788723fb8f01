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

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/settle"
	"github.com/iotrust/iotrust/vc"
)

// openChannel has the car's account open a channel to the charger's account
// on chain; the charger checks it against the car's credential and the
// contract before serving. It returns both sides, each with its own store.
func openChannel(ctx context.Context, p printer, eth *devnet.Env, settler *settle.Settler, id *identities,
	car *vc.VerifiedCredential, carWallet *ecdsa.PrivateKey, chargerAddr common.Address, work string, clk *devnet.Clock,
) (*payment.Channel, *payment.Payer, *payment.Payee, error) {
	// The car signs vouchers with its account key, so the contract binds the
	// channel to the account its credential names.
	signer, err := payment.NewEthereumSigner(carWallet)
	if err != nil {
		return nil, nil, nil, err
	}
	head, err := eth.Now(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	delay := time.Hour
	if !eth.Simulated() {
		delay = time.Minute // on a real chain the example waits it out
	}
	var salt [32]byte
	copy(salt[:], sessionID)
	ch, r, err := settler.Open(ctx, eth.Signer(carWallet), settle.OpenParams{
		Payee: chargerAddr, PayeeName: id.charger, Signer: signer.VoucherKey(),
		Deposit: big.NewInt(20_000_000), Expiry: head.Add(24 * time.Hour), SettleDelay: delay, Salt: salt,
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("opening the channel: %w", err)
	}
	gas := eth.Gas.Add("open channel", r)
	ch.Payer = id.carAccount // the funding account, named as in the credential
	p.f("   car's account %s opens channel %s: deposit %s, %s gas", short(id.carAccount), short(ch.ID.String()), money(ch.Deposit), devnet.Thousands(gas))

	if err := checkChannel(ctx, settler, ch, car, id.charger, chargerAddr); err != nil {
		return nil, nil, nil, err
	}
	p.f("   charger checks the contract: payer is the account in the car's credential, voucher key is that account's")

	payerStore, err := payment.OpenStore(filepath.Join(work, "car.payments"), nil)
	if err != nil {
		return nil, nil, nil, err
	}
	payer, err := payment.NewPayer(payerStore, signer, payment.PayerConfig{Now: clk.Now,
		Caps: []payment.Cap{{Payee: id.charger, Window: 24 * time.Hour, Limit: big.NewInt(15_000_000)}}})
	if err == nil {
		err = payer.Open(ctx, ch)
	}
	if err != nil {
		payerStore.Close()
		return nil, nil, nil, err
	}
	payeeStore, err := payment.OpenStore(filepath.Join(work, "charger.payments"), nil)
	if err != nil {
		payerStore.Close()
		return nil, nil, nil, err
	}
	payee, err := payment.NewPayee(payeeStore, payment.PayeeConfig{Now: clk.Now})
	if err == nil {
		err = payee.Open(ctx, ch)
	}
	if err != nil {
		payerStore.Close()
		payeeStore.Close()
		return nil, nil, nil, err
	}

	// Only the car's account key can pay on this channel.
	stranger, err := crypto.GenerateKey()
	if err != nil {
		return nil, nil, nil, err
	}
	strangerSigner, err := payment.NewEthereumSigner(stranger)
	if err != nil {
		return nil, nil, nil, err
	}
	carDIDSigner, err := payment.NewDIDSigner(id.carKey)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, s := range []payment.Signer{strangerSigner, carDIDSigner} {
		v := &payment.Voucher{Domain: ch.Domain, Channel: ch.ID, Lane: 0, Nonce: 1, Amount: big.NewInt(1_000_000)}
		if err := payment.Sign(s, v); err != nil {
			return nil, nil, nil, err
		}
		if _, err := payee.Accept(ctx, v, nil); !errors.Is(err, payment.ErrBadSignature) {
			return nil, nil, nil, fmt.Errorf("a voucher signed by %s was not refused: %v", s.VoucherKey().Scheme, err)
		}
	}
	p.f("   vouchers signed by another account's key or by the car's DID key: refused (bad voucher signature)")
	return ch, payer, payee, nil
}

// checkChannel is what a charger checks before serving on a channel: the
// payer is the account the car's credential names and that account's key
// signs the vouchers, the charger is the payee, and the contract holds the
// same channel (settle.Settler.CheckChannel).
func checkChannel(ctx context.Context, settler *settle.Settler, ch *payment.Channel, car *vc.VerifiedCredential,
	chargerDID string, chargerAddr common.Address,
) error {
	account, err := car.Claims.String("account")
	if err != nil {
		return err
	}
	if ch.Payer != account || ch.Payee != chargerDID || ch.PayeeAddress != payment.Address(chargerAddr) {
		return fmt.Errorf("channel between %s and %s, expected %s and %s", ch.Payer, ch.Payee, account, chargerDID)
	}
	st, err := settler.CheckChannel(ctx, ch)
	if err != nil {
		return err
	}
	if st.Signer != st.Payer {
		return fmt.Errorf("vouchers are signed by %s, not by the account in the car's credential %s", st.Signer, st.Payer)
	}
	return nil
}

// settleChannel closes the channel with the charger's best voucher and
// collects after the settle delay; what the contract pays must be the bill.
func settleChannel(ctx context.Context, p printer, eth *devnet.Env, settler *settle.Settler, payee *payment.Payee,
	ch *payment.Channel, chargerWallet *ecdsa.PrivateKey, bill *big.Int,
) error {
	r, err := settler.SubmitBest(ctx, eth.Signer(chargerWallet), payee.Store(), ch.ID)
	if err != nil {
		return fmt.Errorf("closing the channel: %w", err)
	}
	gas := eth.Gas.Add("close channel", r)
	if err := payee.MarkClosed(ctx, ch.ID); err != nil {
		return err
	}
	st, err := settler.State(ctx, ch.ID)
	if err != nil {
		return err
	}
	if st.Owed.Cmp(bill) != 0 {
		return fmt.Errorf("the contract owes %s, the bill says %s", money(st.Owed), money(bill))
	}
	p.f("   charger closes with the car's last voucher (%s owed): %s gas", money(st.Owed), devnet.Thousands(gas))
	if !eth.Simulated() {
		p.f("   waiting for the chain to pass %s (settle delay %v)…", st.ClosesAt.Format(time.TimeOnly), ch.SettleDelay)
	}
	if err := eth.WaitUntil(ctx, st.ClosesAt); err != nil {
		return err
	}
	r, err = settler.Collect(ctx, eth.Signer(chargerWallet), ch.ID)
	if err != nil {
		return fmt.Errorf("collecting: %w", err)
	}
	gas = eth.Gas.Add("collect", r)
	refund := new(big.Int).Sub(st.Deposit, st.Owed)
	p.f("   after the settle delay (%v), collect: charger paid %s, car refunded %s: %s gas", ch.SettleDelay, money(st.Owed), money(refund), devnet.Thousands(gas))
	return nil
}
