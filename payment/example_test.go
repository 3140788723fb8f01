package payment_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/payment"
)

// An EV charger (payee) sells energy to a car (payer) at 0.30 per kWh over
// a channel settled off chain, paid with Ed25519 vouchers per kWh.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "payment-example")
	defer os.RemoveAll(dir)
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return start }

	// The car's voucher key is its DID key.
	carKey, _ := did.Ed25519.GenerateKey(nil)
	signer, _ := payment.NewDIDSigner(carKey)

	id, _ := payment.NewChannelID()
	ch := &payment.Channel{
		ID:          id,
		Domain:      payment.Domain{ChainID: 1}, // no contract: settled off chain
		Payer:       "did:key:car",
		Payee:       "did:key:charger",
		Signer:      signer.VoucherKey(),
		Deposit:     big.NewInt(20_000_000), // 20.00 in a 6-decimal asset
		Expiry:      start.Add(24 * time.Hour),
		SettleDelay: time.Hour,
	}

	carStore, _ := payment.OpenStore(filepath.Join(dir, "car"), nil)
	defer carStore.Close()
	car, _ := payment.NewPayer(carStore, signer, nil, now, nil)
	chargerStore, _ := payment.OpenStore(filepath.Join(dir, "charger"), nil)
	defer chargerStore.Close()
	charger := payment.NewPayee(chargerStore, now, nil)
	car.Open(ctx, ch)
	charger.Open(ctx, ch)

	// Both sides meter with the agreed tariff: 0.30 per kWh.
	tariff, _ := payment.NewTariff(payment.KWh, payment.TariffStep{From: start, Price: big.NewInt(300_000)})
	meter := payment.NewMeter(tariff, nil)

	for kWh := 1; kWh <= 3; kWh++ {
		meter.Record(payment.Usage{From: now(), To: now(), Quantity: 1000}) // 1000 Wh delivered
		v, err := car.Issue(ctx, payment.Payment{Channel: id, Lane: 0, Amount: meter.Due()})
		if err != nil {
			fmt.Println(err)
			return
		}
		wire, _ := v.MarshalBinary()
		inc, err := charger.AcceptBytes(ctx, wire, meter.Due())
		fmt.Println("kWh", kWh, "voucher", v.Amount, "increment", inc, err)
	}
	best, _ := chargerStore.Best(id, 0)
	fmt.Println("charger holds nonce", best.Nonce, "for", best.Amount)
	// Output:
	// kWh 1 voucher 300000 increment 300000 <nil>
	// kWh 2 voucher 600000 increment 300000 <nil>
	// kWh 3 voucher 900000 increment 300000 <nil>
	// charger holds nonce 2 for 900000
}
