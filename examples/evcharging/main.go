// Command evcharging is iotrust's EV-charging reference application: one
// charging session from plug-in to payout, with every party checking the
// others by their keys.
//
//  1. A charger with a DID and a meter credential (meter model EM-340-MID,
//     the topic its meter publishes on, its payout account) and a car with a
//     DID and a Plug & Charge credential (VIN, contract ID, maximum power,
//     payment account).
//  2. Plug-in: the charger challenges the car, which answers with a
//     presentation of its credential; the car does the same with the
//     charger's meter credential. A policy over the car's claims allows
//     charging at up to its maximum power and refuses more.
//  3. The car's account opens a payment channel on chain to the charger's
//     account. The charger checks that the channel's payer is the account
//     the car's credential names and that only the car's key can sign its
//     vouchers: vouchers signed by any other key are refused.
//  4. The meter signs a kWh register reading every five minutes; the CPO's
//     gateway verifies, seals and anchors them on a transparency log. The car
//     checks each reading and pays every kWh with a streaming voucher under a
//     time-of-use tariff, with a rebate for the quarter-hour in which it
//     slowed down for the grid.
//  5. The billing record: one evidence bundle holding the session's
//     billing-relevant meter values with one multi-leaf inclusion proof
//     (what German metering law asks of a charging bill), verified offline,
//     and a bill recomputed from the bundle alone that equals what the car
//     paid.
//  6. The charger closes the channel with the car's last voucher and
//     collects after the settle delay.
//
// Run it with
//
//	go run ./examples/evcharging
//
// See README.md for the flags that point it at a real chain and log.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/big"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/store"
)

// partyFunds is what the funder gives each party's account for gas: 0.1 ether.
var partyFunds = big.NewInt(1e17)

// options are the command's flags.
type options struct {
	devnet.Flags        // -out, -log-dir, -rpc, -key
	contract     string // a deployed PaymentChannels contract
}

func main() {
	var o options
	o.Register(flag.CommandLine, "the evidence bundle and the bill")
	flag.StringVar(&o.contract, "contract", "", "address of a deployed PaymentChannels contract (default: deploy one)")
	devnet.Main("evcharging", func(ctx context.Context, w io.Writer) error { return run(ctx, o, w) })
}

// The session: charger CP-0042, 16:30 to 17:50 on a weekday, a meter value
// every five minutes, peak prices from 17:00, and a grid-support request
// from 17:30 to 17:45 during which the car charges at 3.7 kW instead of 11.
const (
	chargerID   = "CP-0042"
	meterTopic  = "evcharging/CP-0042/meter"
	batchTopic  = "evcharging/CP-0042"
	sessionID   = "S-20261125-0042-0007"
	maxPowerW   = 11000
	curtailedW  = 3700
	gridSupport = 1 // Usage.Quality of energy taken during a grid-support request
	every       = 5 * time.Minute
)

var (
	sessionStart = time.Date(2026, 11, 25, 16, 30, 0, 0, time.UTC)
	sessionEnd   = sessionStart.Add(80 * time.Minute)
	peakFrom     = sessionStart.Add(30 * time.Minute)
	eventFrom    = sessionStart.Add(60 * time.Minute)
	eventUntil   = sessionStart.Add(75 * time.Minute)
)

// newTariff is the charger's time-of-use tariff in the smallest unit of a
// 6-decimal currency per kWh: 0.30 off peak, 0.45 from 17:00 to 20:00.
func newTariff() (*payment.Tariff, error) {
	day := sessionStart.Truncate(24 * time.Hour)
	return payment.NewTariff(payment.KWh(),
		payment.TariffStep{From: day, Price: big.NewInt(300_000)},
		payment.TariffStep{From: day.Add(17 * time.Hour), Price: big.NewInt(450_000)},
		payment.TariffStep{From: day.Add(20 * time.Hour), Price: big.NewInt(300_000)},
	)
}

// rebate prices energy taken during a grid-support request at two thirds:
// at peak, the off-peak price.
func rebate(u payment.Usage) (num, den uint64) {
	if u.Quality == gridSupport {
		return 2, 3
	}
	return 1, 1
}

func run(ctx context.Context, o options, w io.Writer) error {
	began := time.Now()
	p := printer{devnet.Printer{W: w}}
	env, err := devnet.OpenEnv(ctx, "evcharging", o.Flags, w)
	if err != nil {
		return err
	}
	defer env.Close()
	work, out := env.Work, env.Out
	clk := devnet.NewClock(sessionStart.Add(-2 * time.Minute))
	p.f("iotrust EV charging: session %s at charger %s, time-of-use tariff, paid per kWh, settled on chain", sessionID, chargerID)

	// Infrastructure: the CPO's transparency log, the chain, the contract.
	p.f("0. infrastructure")
	log, err := devnet.OpenLog(ctx, env.LogDir, "example.iotrust/evcharging")
	if err != nil {
		return err
	}
	defer log.Close()
	// One funded key pays for everyone: each party's fresh account gets gas money.
	wallets, err := env.Accounts(ctx, partyFunds, 2)
	if err != nil {
		return err
	}
	carWallet, chargerWallet := wallets[0], wallets[1]
	settler, deployed, err := env.PaymentChannels(ctx, o.contract, chargerWallet)
	if err != nil {
		return err
	}
	p.f("   Tessera log %q; %s, chain ID %s", log.Origin(), env.ChainName, env.ChainID())
	if deployed != nil {
		p.f("   PaymentChannels deployed at %s: %s gas (once per chain)", settler.Address(), devnet.Thousands(deployed.GasUsed))
	} else {
		p.f("   PaymentChannels at %s", settler.Address())
	}

	// 1. Identities. Each issuer and device has a did:key; the accounts that
	// move money are named as did:pkh in the credentials.
	p.f("1. identities")
	id, err := provision(env.ChainID().Uint64(), carWallet, chargerWallet, sessionStart.AddDate(0, -1, 0))
	if err != nil {
		return err
	}
	p.f("   charger %s  %s  meter EM-340-MID (credential by %s)", chargerID, short(id.charger), short(id.meterMaker.DID()))
	p.f("   car              %s  VIN %s, contract %s, ≤ %d W (credential by %s)", short(id.car.DID()), vin, contractID, maxPowerW, short(id.carMaker.DID()))

	// 2. Plug-in: challenge-response both ways.
	p.f("2. plug-in")
	carCred, err := plugIn(ctx, p, id, clk)
	if err != nil {
		return err
	}

	// 3. The payment channel, opened on chain by the car's account.
	p.f("3. payment channel")
	chargerAddr := crypto.PubkeyToAddress(chargerWallet.PublicKey)
	ch, payer, payee, err := openChannel(ctx, p, env, settler, id, carCred, carWallet, chargerAddr, work, clk)
	if err != nil {
		return err
	}
	defer payer.Store().Close()
	defer payee.Store().Close()

	// 4. Charging: meter values to the CPO's gateway, vouchers to the charger.
	p.f("4. charging %s–%s UTC: €0.30/kWh, €0.45/kWh from 17:00; grid-support request %s–%s (3.7 kW, priced ×2/3)",
		sessionStart.Format("15:04"), sessionEnd.Format("15:04"), eventFrom.Format("15:04"), eventUntil.Format("15:04"))
	blobs, err := store.Open(filepath.Join(work, "store"), store.Options{})
	if err != nil {
		return err
	}
	defer blobs.Close()
	cpo, err := store.GenerateIdentity(nil)
	if err != nil {
		return err
	}
	meterAuthz, err := admitMeter(ctx, id, clk)
	if err != nil {
		return err
	}
	p.f("   CPO gateway: the charger presented its meter credential on the gateway's challenge; it may publish on %s", meterTopic)
	gw, err := batch.Open(ctx, batch.Config{
		Dir: filepath.Join(work, "gateway"), Topic: batchTopic, Store: blobs, Identity: cpo,
		Ledgers: []anchor.Anchorer{log}, Authorizer: meterAuthz, Window: time.Hour, Now: clk.Now,
	})
	if err != nil {
		return err
	}
	defer gw.Close(ctx)
	var path *mqttgw.BrokerPath // -mqtt: the charger publishes the meter values to a broker
	if o.MQTT != "" {
		if path, err = mqttgw.OpenBrokerPath(ctx, mqttgw.PathConfig{URL: o.MQTT, Gateway: gw, Topics: []string{meterTopic}}); err != nil {
			return err
		}
		defer path.Close() // before the gateway
		p.f("   meter values travel over MQTT: the charger publishes them to %s, where the CPO's gateway subscribes to %s", o.MQTT, meterTopic)
	}
	tariff, err := newTariff()
	if err != nil {
		return err
	}
	s, err := charge(ctx, p, chargeParts{id: id, ch: ch, payer: payer, payee: payee, tariff: tariff, gw: gw, path: path, clk: clk})
	if err != nil {
		return err
	}

	// 5. The billing record.
	p.f("5. billing record")
	b, err := billingRecord(ctx, p, log, gw, s, id, tariff, out)
	if err != nil {
		return err
	}
	paid := payee.Store().Total(ch.ID)
	p.f("   total %s kWh: %s (grid-support rebate %s); the car's vouchers pay %s", kwh(b.energy), money(b.total), money(b.rebate), money(paid))
	if b.total.Cmp(paid) != 0 || b.total.Cmp(s.due) != 0 {
		return fmt.Errorf("bill %s, metered %s, paid %s: they differ", money(b.total), money(s.due), money(paid))
	}

	// 6. Settlement on chain.
	p.f("6. settlement")
	if err := settleChannel(ctx, p, env, settler, payee, ch, chargerWallet, b.total); err != nil {
		return err
	}

	p.f("gas: %s for the session's channel (open, close, collect)", devnet.Thousands(env.Gas.Total()))
	p.f("evidence and bill in %s (log key in log.vkey)", out)
	p.f("done in %.1f s", time.Since(began).Seconds())
	return nil
}
