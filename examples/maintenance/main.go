// Command maintenance is iotrust's predictive-maintenance reference
// application: a pump's vibration sensor streams signed readings, a
// threshold opens a maintenance ticket that carries its own proof, and a
// data buyer pays per verified reading for the encrypted stream.
//
//  1. The pump maker (the OEM) issues the sensor a device credential: model,
//     serial number, firmware hash and the one topic it may publish on.
//  2. The plant's gateway admits the sensor by challenge and presentation,
//     then verifies, seals, stores encrypted and anchors its readings on a
//     transparency log (SHA-256 trees, so a smart contract can check their
//     inclusion proofs). A forged reading and one on another pump's topic are
//     refused.
//  3. A vibration velocity at or above 7.10 mm/s opens a maintenance ticket,
//     logged with the evidence bundle of the reading that crossed the
//     threshold: signature, the OEM's credential, inclusion proof and the
//     log's receipt, checked before the ticket is written.
//  4. A data buyer checks the anchored batch the operator offers and pays for
//     each of its readings with a voucher conditioned on that reading's
//     inclusion under the anchored root. Once paid, the operator grants the
//     buyer's store key the encrypted batch; the buyer decrypts it and checks
//     every reading against the root and its signature.
//  5. The operator redeems on chain: it shows the contract the last paid
//     reading and its inclusion proof, closes the channel and collects.
//
// Run it with
//
//	go run ./examples/maintenance
//
// See README.md for the flags that point it at a real chain and log.
package main

import (
	"context"
	"flag"
	"io"
	"math/big"
	"path/filepath"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/mqttgw"
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
	o.Register(flag.CommandLine, "tickets and their evidence bundles")
	flag.StringVar(&o.contract, "contract", "", "address of a deployed PaymentChannels contract (default: deploy one)")
	devnet.Main("maintenance", func(ctx context.Context, w io.Writer) error { return run(ctx, o, w) })
}

// The plant: pump P-7's vibration sensor reports the RMS vibration
// velocity once a second for ten minutes, in hundredths of mm/s; a bearing
// fault develops in the last three. The gateway seals a batch every 120
// readings.
const (
	asset       = "pump-7"
	sensorTopic = "plant-3/pump-7/vibration"
	batchTopic  = "plant-3/vibration"
	readings    = 600
	perBatch    = 120
	threshold   = 710 // 7.10 mm/s
	pricePer    = 2_000
)

var streamStart = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func run(ctx context.Context, o options, w io.Writer) error {
	began := time.Now()
	p := printer{devnet.Printer{W: w}}
	env, err := devnet.OpenEnv(ctx, "maintenance", o.Flags, w)
	if err != nil {
		return err
	}
	defer env.Close()
	work, out := env.Work, env.Out
	clk := devnet.NewClock(streamStart.Add(-time.Minute))
	p.f("iotrust maintenance: pump P-7's vibration, a threshold ticket with its proof, the stream sold per verified reading")

	p.f("0. infrastructure")
	log, err := devnet.OpenLog(ctx, env.LogDir, "example.iotrust/maintenance")
	if err != nil {
		return err
	}
	defer log.Close()
	// One funded key pays for everyone: each party's fresh account gets gas money.
	wallets, err := env.Accounts(ctx, partyFunds, 2)
	if err != nil {
		return err
	}
	buyerWallet, operatorWallet := wallets[0], wallets[1]
	settler, deployed, err := env.PaymentChannels(ctx, o.contract, operatorWallet)
	if err != nil {
		return err
	}
	p.f("   Tessera log %q; %s, chain ID %s", log.Origin(), env.ChainName, env.ChainID())
	if deployed != nil {
		p.f("   PaymentChannels deployed at %s: %s gas (once per chain)", settler.Address(), devnet.Thousands(deployed.GasUsed))
	} else {
		p.f("   PaymentChannels at %s", settler.Address())
	}

	// 1–2. The sensor, its credential, and the gateway that admits it.
	p.f("1. provisioning")
	sensor, err := provision(streamStart.AddDate(0, -6, 0))
	if err != nil {
		return err
	}
	p.f("   OEM %s certifies sensor %s: VS-100, serial VS100-7731, publishes on %s", short(sensor.oem.DID()), short(sensor.did), sensorTopic)
	authz, err := admit(ctx, sensor, clk)
	if err != nil {
		return err
	}
	p.f("   the plant's gateway admits the sensor: presentation on the gateway's challenge verified")
	blobs, err := store.Open(filepath.Join(work, "store"), store.Options{})
	if err != nil {
		return err
	}
	defer blobs.Close()
	operator, err := store.GenerateIdentity(nil) // the operator's store key: batches are sealed to it
	if err != nil {
		return err
	}
	gw, err := batch.Open(ctx, batch.Config{
		Dir: filepath.Join(work, "gateway"), Topic: batchTopic, Store: blobs, Identity: operator,
		Ledgers: []anchor.Anchorer{log}, Authorizer: authz, Hasher: merkle.SHA256,
		MaxBatch: perBatch, Window: time.Hour, Now: clk.Now,
	})
	if err != nil {
		return err
	}
	defer gw.Close(ctx)
	var path *mqttgw.BrokerPath // -mqtt: the sensor publishes its readings to a broker
	if o.MQTT != "" {
		if path, err = mqttgw.OpenBrokerPath(ctx, mqttgw.PathConfig{URL: o.MQTT, Gateway: gw, Topics: []string{sensorTopic}}); err != nil {
			return err
		}
		defer path.Close() // before the gateway
		p.f("   readings travel over MQTT: the sensor publishes to %s, where the gateway subscribes to %s", o.MQTT, sensorTopic)
	}

	p.f("2. streaming %d readings, one a second from %s UTC; the gateway seals every %d", readings, streamStart.Format("15:04:05"), perBatch)
	alarm, err := stream(ctx, p, sensor, gw, path, clk)
	if err != nil {
		return err
	}
	infos, err := waitFinal(ctx, p, gw, readings/perBatch)
	if err != nil {
		return err
	}

	p.f("3. maintenance")
	if err := openTicket(ctx, p, log, gw, sensor, alarm, out); err != nil {
		return err
	}

	p.f("4. data sale: an analytics firm buys the batch around the fault at %s a reading", money(big.NewInt(pricePer)))
	sold := infos[len(infos)-1]
	sale, err := sell(ctx, p, saleParts{
		log: log, eth: env, settler: settler, gw: gw, store: blobs, operator: operator, batch: sold,
		buyerWallet: buyerWallet, operatorWallet: operatorWallet, sensor: sensor, work: work, clk: clk,
	})
	if err != nil {
		return err
	}
	defer sale.close()

	p.f("5. settlement")
	if err := redeem(ctx, p, sale); err != nil {
		return err
	}
	p.f("gas: %s for the sale's channel (open, fulfil, close, collect)", devnet.Thousands(env.Gas.Total()))
	p.f("ticket and evidence in %s (log key in log.vkey)", out)
	p.f("done in %.1f s", time.Since(began).Seconds())
	return nil
}
