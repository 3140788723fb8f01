package payment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/payment"
)

// An EV charger (payee) sells energy to a car (payer) at 0.30 per kWh over
// a channel settled off chain, paid with Ed25519 vouchers per kWh. Both are
// named by their DIDs; the car's voucher key is the key of its DID, which
// the charger checks when the channel opens.
func Example() {
	if err := chargeCar(); err != nil {
		fmt.Println("error:", err)
	}
	// Output:
	// kWh 1 voucher 300000 increment 300000
	// kWh 2 voucher 600000 increment 300000
	// kWh 3 voucher 900000 increment 300000
	// charger holds nonce 2 for 900000
}

func chargeCar() error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "payment-example")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return start }

	// Each side has a DID key; its did:key is its name.
	carKey, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return err
	}
	carDID, err := did.New(carKey.Public())
	if err != nil {
		return err
	}
	chargerKey, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return err
	}
	chargerDID, err := did.New(chargerKey.Public())
	if err != nil {
		return err
	}
	signer, err := payment.NewDIDSigner(carKey)
	if err != nil {
		return err
	}

	id, err := payment.NewChannelID()
	if err != nil {
		return err
	}
	ch := &payment.Channel{
		ID:          id,
		Domain:      payment.Domain{ChainID: 1}, // no contract: settled off chain
		Payer:       carDID,
		Payee:       chargerDID,
		Signer:      signer.VoucherKey(),
		Deposit:     big.NewInt(20_000_000), // 20.00 in a 6-decimal asset
		Expiry:      start.Add(24 * time.Hour),
		SettleDelay: time.Hour,
	}

	carStore, err := payment.OpenStore(filepath.Join(dir, "car"), nil)
	if err != nil {
		return err
	}
	defer carStore.Close()
	car, err := payment.NewPayer(carStore, signer, payment.PayerConfig{Now: now})
	if err != nil {
		return err
	}
	chargerStore, err := payment.OpenStore(filepath.Join(dir, "charger"), nil)
	if err != nil {
		return err
	}
	defer chargerStore.Close()
	// The charger resolves did:key and did:jwk DIDs itself (the default);
	// pass a did.KeyResolvers with a did.Registry to follow rotations.
	charger, err := payment.NewPayee(chargerStore, payment.PayeeConfig{Now: now})
	if err != nil {
		return err
	}
	if err := car.Open(ctx, ch); err != nil {
		return err
	}
	if err := charger.Open(ctx, ch); err != nil {
		return err
	}

	// Both sides meter with the agreed tariff: 0.30 per kWh.
	tariff, err := payment.NewTariff(payment.KWh(), payment.TariffStep{From: start, Price: big.NewInt(300_000)})
	if err != nil {
		return err
	}
	meter, err := payment.NewMeter(tariff, nil)
	if err != nil {
		return err
	}
	for kWh := 1; kWh <= 3; kWh++ {
		if err := meter.Record(payment.Usage{From: now(), To: now(), Quantity: 1000}); err != nil { // 1000 Wh delivered
			return err
		}
		v, err := car.Issue(ctx, payment.Payment{Channel: id, Lane: 0, Amount: meter.Due()})
		if err != nil {
			return err
		}
		wire, err := v.MarshalBinary()
		if err != nil {
			return err
		}
		inc, err := charger.AcceptBytes(ctx, wire, meter.Due())
		if err != nil {
			return err
		}
		fmt.Println("kWh", kWh, "voucher", v.Amount, "increment", inc)
	}
	best, ok := chargerStore.Best(id, 0)
	if !ok {
		return errors.New("no voucher stored")
	}
	fmt.Println("charger holds nonce", best.Nonce, "for", best.Amount)
	return nil
}

// A payee refuses a channel whose voucher key is not the key of the payer's
// DID: a stranger cannot open a channel in a device's name.
func ExamplePayee_Open() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "payment-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	device, _ := did.Ed25519.DeriveKey(make([]byte, 32))
	deviceDID, _ := did.New(device.Public())
	stranger, _ := did.Ed25519.DeriveKey([]byte("a stranger's seed of 32 bytes..."))
	strangerKey, err := payment.NewVoucherKey(stranger.Public())
	if err != nil {
		fmt.Println(err)
		return
	}
	store, err := payment.OpenStore(filepath.Join(dir, "payee"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	payee, err := payment.NewPayee(store, payment.PayeeConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = payee.Open(ctx, &payment.Channel{
		ID: payment.ChannelID{1}, Domain: payment.Domain{ChainID: 1},
		Payer: deviceDID, Payee: deviceDID, Signer: strangerKey,
		Deposit: big.NewInt(1000), Expiry: time.Now().Add(time.Hour),
	})
	fmt.Println(errors.Is(err, payment.ErrPayerKey))
	// Output:
	// true
}

// A voucher's JSON form is strict: a member spelled in another case, an
// unknown or a duplicate member, or anything after the value is refused.
func ExampleVoucher_UnmarshalJSON() {
	key, _ := did.Ed25519.DeriveKey(make([]byte, 32))
	signer, _ := payment.NewDIDSigner(key)
	v := &payment.Voucher{Domain: payment.Domain{ChainID: 1}, Channel: payment.ChannelID{1}, Lane: 0, Nonce: 7, Amount: big.NewInt(1500)}
	if err := payment.Sign(signer, v); err != nil {
		fmt.Println(err)
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		fmt.Println(err)
		return
	}
	var back payment.Voucher
	fmt.Println(json.Unmarshal(raw, &back), back.Nonce, back.Amount)

	var sloppy payment.Voucher
	err = json.Unmarshal([]byte(`{"ChainID":1}`), &sloppy)
	fmt.Println(errors.Is(err, payment.ErrMalformed))
	// Output:
	// <nil> 7 1500
	// true
}

// A channel with a secp256k1 voucher key names its parties as accounts:
// here the payer as a did:pkh:eip155 account on the channel's chain, whose
// address must be the voucher key's when the channel is settled off chain.
func Example_ethereumChannel() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "payment-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	key, err := ethcrypto.ToECDSA(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		fmt.Println(err)
		return
	}
	signer, err := payment.NewEthereumSigner(key)
	if err != nil {
		fmt.Println(err)
		return
	}
	account, err := signer.VoucherKey().EthereumAddress()
	if err != nil {
		fmt.Println(err)
		return
	}
	store, err := payment.OpenStore(filepath.Join(dir, "payee"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	payee, err := payment.NewPayee(store, payment.PayeeConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ch := &payment.Channel{
		ID: payment.ChannelID{2}, Domain: payment.Domain{ChainID: 8453},
		Payer:   "did:pkh:eip155:8453:" + account.String(),
		Payee:   "did:web:charger.example",
		Signer:  signer.VoucherKey(),
		Deposit: big.NewInt(1000), Expiry: time.Now().Add(time.Hour),
	}
	fmt.Println(payee.Open(ctx, ch))
	ch.Payer = "did:pkh:eip155:1:" + account.String() // another chain
	fmt.Println(errors.Is(payee.Open(ctx, ch), payment.ErrBadChannel))
	// Output:
	// <nil>
	// true
}
