package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"k8s.io/klog/v2"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/settle"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
	"github.com/iotrust/iotrust/vc"
)

// options are the command's flags.
type options struct {
	out    string // directory for the evidence bundles; "" makes a temporary one
	rpc    string // JSON-RPC endpoint; "" runs the simulated chain
	key    string // hex private key of an account funded on -rpc's chain
	logDir string // the transparency log's directory; "" uses the work directory
}

func main() {
	var o options
	flag.StringVar(&o.out, "out", "", "write evidence bundles to `dir` (default: a new temporary directory)")
	flag.StringVar(&o.rpc, "rpc", "", "JSON-RPC `url` of an EVM node (default: go-ethereum's simulated chain)")
	flag.StringVar(&o.key, "key", "", "hex private `key` of an account funded on the -rpc chain, paying every party's gas")
	flag.StringVar(&o.logDir, "log-dir", "", "keep the transparency log in `dir` across runs (default: a temporary one)")
	flag.Parse()
	log.SetFlags(0)
	quiet()
	if err := run(context.Background(), o, os.Stdout); err != nil {
		log.Fatalf("tolling: %v", err)
	}
}

// quiet silences the libraries that log through global loggers: Tessera
// reports through klog, and this program has nothing to say there.
func quiet() {
	klog.SetOutput(io.Discard)
	klog.LogToStderr(false)
}

// Amounts in wei: 0.0001 ETH per km, a 0.01 ETH deposit per channel.
var (
	pricePerKm = big.NewInt(1e14)
	deposit    = big.NewInt(1e16)
	gasMoney   = big.NewInt(1e18)
)

// run drives the whole system once, narrating to w.
func run(ctx context.Context, o options, w io.Writer) error {
	out := printer{w}
	start := time.Now()
	work, err := os.MkdirTemp("", "iotrust-tolling-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if o.out == "" {
		if o.out, err = os.MkdirTemp("", "iotrust-tolling-evidence-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	if o.logDir == "" {
		o.logDir = filepath.Join(work, "ledger")
	}
	now := time.Now().Truncate(time.Second)

	// 1. Identities: the operator issues each roadside unit a credential
	// for its segment's topic; the vehicle is an Ethereum account.
	out.Printf("1. provisioning the %s: operator, roadside units, vehicle\n", road)
	opKey, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return err
	}
	operator, err := vc.NewIssuer(opKey)
	if err != nil {
		return err
	}
	out.Printf("   operator       %s\n", short(operator.DID()))
	segs := segments()
	rsus := make([]*rsu, len(segs))
	for i, s := range segs {
		if rsus[i], err = newRSU(operator, s, now); err != nil {
			return err
		}
		out.Printf("   RSU %s      %s  km %s–%s, credential for %s\n", s.name, short(rsus[i].did), km(s.fromM), km(s.toM), s.topic)
	}
	vehicleKey, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	opEthKey, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	vehicleAddr, opAddr := crypto.PubkeyToAddress(vehicleKey.PublicKey), crypto.PubkeyToAddress(opEthKey.PublicKey)

	// 2. The operator's gateway: RSU credentials admitted, passages sealed
	// into SHA-256 batches (so that the channel contract can check an
	// inclusion proof), stored encrypted and anchored on its log.
	ledger, logVerifier, logKey, err := openLog(ctx, o.logDir)
	if err != nil {
		return err
	}
	defer ledger.Close()
	credentials := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{operator.DID()}})
	authz, err := vc.NewAuthorizer(vc.AuthorizerConfig{})
	if err != nil {
		return err
	}
	for _, u := range rsus {
		v, err := credentials.Verify(ctx, []byte(u.cred))
		if err != nil {
			return fmt.Errorf("credential of %s: %w", u.seg.name, err)
		}
		authz.Admit(v)
	}
	blobs, err := store.Open(filepath.Join(work, "store"), store.Options{})
	if err != nil {
		return err
	}
	defer blobs.Close()
	gwID, err := store.GenerateIdentity(nil)
	if err != nil {
		return err
	}
	gw, err := batch.Open(ctx, batch.Config{
		Dir: filepath.Join(work, "gateway"), Topic: "tolling/" + road,
		Store: blobs, Identity: gwID, Ledgers: []anchor.Anchorer{ledger},
		Hasher: merkle.SHA256, Authorizer: authz,
	})
	if err != nil {
		return err
	}
	defer gw.Close(ctx)
	out.Printf("   gateway: %d RSU credentials admitted, log %s (%s)\n", len(rsus), ledger.Origin(), o.logDir)

	// 3. The chain: the payment-channel contract; the vehicle locks a
	// deposit for the operator.
	ch, err := newChain(ctx, o.rpc, o.key, gasMoney, []common.Address{vehicleAddr, opAddr}, out)
	if err != nil {
		return err
	}
	defer ch.Close()
	chainName := "simulated chain"
	settleDelay, expiry, shortExpiry := time.Hour, 7*24*time.Hour, 24*time.Hour
	if o.rpc != "" {
		// Real time passes on a real chain: keep the waits short.
		chainName, settleDelay, expiry, shortExpiry = o.rpc, 10*time.Second, 30*time.Minute, 30*time.Second
	}
	vehicleDID := fmt.Sprintf("did:pkh:eip155:%s:%s", ch.chainID, vehicleAddr.Hex())
	out.Printf("   vehicle        %s\n", vehicleDID)
	vehicleAuth, err := ch.auth(vehicleKey)
	if err != nil {
		return err
	}
	opAuth, err := ch.auth(opEthKey)
	if err != nil {
		return err
	}
	var gas gasBook
	out.Printf("2. payment channel on the %s (chain ID %s)\n", chainName, ch.chainID)
	contract, r, err := settle.Deploy(ctx, ch.client, opAuth, ch.mined())
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	gas.add("deploy PaymentChannels (once)", r)
	settler, err := settle.New(ctx, ch.client, contract, ch.mined(), nil)
	if err != nil {
		return err
	}
	voucherKey, err := payment.NewEthereumSigner(vehicleKey)
	if err != nil {
		return err
	}
	chainNow, err := ch.now(ctx)
	if err != nil {
		return err
	}
	channel, r, err := settler.Open(ctx, vehicleAuth, settle.OpenParams{
		Payee: opAddr, PayeeName: operator.DID(), Signer: voucherKey.VoucherKey(),
		Deposit: deposit, Expiry: chainNow.Add(expiry), SettleDelay: settleDelay,
	})
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	gas.add("open channel, native coin", r)
	// The operator serves the channel only after reading it back from the
	// contract: its deposit, payee and the vehicle's voucher key.
	state, err := settler.State(ctx, channel.ID)
	if err != nil {
		return err
	}
	signerAddr, _ := voucherKey.VoucherKey().EthereumAddress()
	if state.Deposit.Cmp(deposit) != 0 || state.Payee != opAddr || state.Signer != common.Address(signerAddr) {
		return fmt.Errorf("channel %s on chain is not the one agreed", channel.ID)
	}
	payerStore, err := payment.OpenStore(filepath.Join(work, "vehicle.vouchers"), nil)
	if err != nil {
		return err
	}
	defer payerStore.Close()
	payeeStore, err := payment.OpenStore(filepath.Join(work, "operator.vouchers"), nil)
	if err != nil {
		return err
	}
	defer payeeStore.Close()
	payer, err := payment.NewPayer(payerStore, voucherKey, payment.PayerConfig{})
	if err != nil {
		return err
	}
	payee, err := payment.NewPayee(payeeStore, payment.PayeeConfig{})
	if err != nil {
		return err
	}
	if err := payer.Open(ctx, channel); err != nil {
		return err
	}
	if err := payee.Open(ctx, channel); err != nil {
		return err
	}
	out.Printf("   channel %s…: deposit %s, settle delay %s, expires %s\n", channel.ID.String()[:12], eth(deposit), dur(settleDelay), state.Expiry.UTC().Format(time.RFC3339))

	// 4. The trip. Each RSU signs the passage and sends it to the gateway
	// and, over the roadside radio link, to the vehicle, which checks the
	// signature and pays the segment's toll with a voucher on lane 0.
	out.Printf("3. the trip: %d segments, %s per km\n", len(segs), eth(pricePerKm))
	tariff, err := payment.NewTariff(payment.Km(), payment.TariffStep{From: time.Unix(0, 0), Price: pricePerKm})
	if err != nil {
		return err
	}
	meters := map[string]*payment.Meter{} // by party and lane
	meter := func(who string, lane uint64, s segment, at time.Time) (*big.Int, error) {
		k := fmt.Sprint(who, lane)
		if meters[k] == nil {
			if meters[k], err = payment.NewMeter(tariff, nil); err != nil {
				return nil, err
			}
		}
		if err := meters[k].Record(payment.Usage{From: at, To: at, Quantity: s.lengthMetres}); err != nil {
			return nil, err
		}
		return meters[k].Due(), nil
	}
	trip := now.Add(-20 * time.Minute)
	passages := make([]reading.Signed, len(rsus))
	vouchers := 1 // and the disputed segment's
	for i, u := range rsus {
		at := trip.Add(time.Duration(i) * 4 * time.Minute)
		if passages[i], err = u.pass(vehicleDID, at); err != nil {
			return err
		}
		if err := gw.Submit(ctx, passages[i]); err != nil {
			return fmt.Errorf("gateway refused %s: %w", u.seg.name, err)
		}
		toll, err := tariff.Cost(payment.Usage{From: at, To: at, Quantity: u.seg.lengthMetres})
		if err != nil {
			return err
		}
		if u.seg.tunnel {
			out.Printf("   %s km %5s–%5s  toll %s  passage signed and sent to the gateway; the vehicle, in the tunnel, got nothing: unpaid\n",
				u.seg.name, km(u.seg.fromM), km(u.seg.toM), eth(toll.Num()))
			continue
		}
		if err := reading.Verify(ctx, did.SelfCertifying{}, passages[i]); err != nil {
			return err
		}
		if passages[i].Metadata["vehicle"] != vehicleDID {
			return errors.New("passage names another vehicle")
		}
		due, err := meter("vehicle", 0, u.seg, at)
		if err != nil {
			return err
		}
		v, err := payer.Issue(ctx, payment.Payment{Channel: channel.ID, Lane: 0, Amount: due})
		if err != nil {
			return err
		}
		opDue, err := meter("operator", 0, u.seg, at)
		if err != nil {
			return err
		}
		if _, err := payee.Accept(ctx, v, opDue); err != nil {
			return err
		}
		vouchers++
		out.Printf("   %s km %5s–%5s  toll %s  voucher on lane 0, cumulative %s: accepted\n",
			u.seg.name, km(u.seg.fromM), km(u.seg.toM), eth(toll.Num()), eth(v.Amount))
	}
	// A unit may attest only its own segment: the gateway checks the
	// credential's topic.
	stray, err := rsus[1].pass(vehicleDID, trip.Add(13*time.Minute))
	if err != nil {
		return err
	}
	stray.Topic = segs[3].topic
	if stray, err = reading.Sign(rsus[1].key, stray.Reading); err != nil {
		return err
	}
	err = gw.Submit(ctx, stray)
	out.Printf("   RSU seg-2 attesting a passage on seg-4: refused (%s)\n", batch.ReasonOf(err))
	if !errors.Is(err, batch.ErrUnauthorized) {
		return fmt.Errorf("stray passage: %v", err)
	}

	// 5. Seal and anchor; evidence for every passage.
	out.Println("4. sealing the passages and anchoring the batch")
	if err := gw.Flush(ctx); err != nil {
		return err
	}
	var info batch.BatchInfo
	err = out.progress("waiting for the anchor to be final", func() error {
		for {
			bs, err := gw.Batches(ctx, 1)
			if err != nil {
				return err
			}
			if len(bs) == 1 && bs[0].Final {
				info = bs[0]
				return nil
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	if err != nil {
		return err
	}
	out.Printf("   batch %d: %d passages, root %s…, log entry %d, %s\n", info.Number, info.Commitment.Count,
		info.Commitment.Root.String()[:22], info.Receipts[0].Position, info.Receipts[0].State)
	trust := evidence.Trust{
		Ledgers:     []evidence.Ledger{{Name: tlog.LedgerName, Chain: ledger.Origin(), Verifier: logVerifier}},
		Credentials: credentials,
	}
	bundles := make([]*evidence.Bundle, len(rsus))
	for i, u := range rsus {
		id, err := passages[i].ID()
		if err != nil {
			return err
		}
		if bundles[i], err = gw.Evidence(ctx, id); err != nil {
			return err
		}
		bundles[i].Credential = []byte(u.cred)
		if err := writeBundle(o.out, u.seg.name, bundles[i]); err != nil {
			return err
		}
		if rep := evidence.Verify(ctx, bundles[i], trust); !rep.OK() {
			return fmt.Errorf("evidence of %s: %w\n%s", u.seg.name, rep.Err(), rep)
		}
	}
	out.Printf("   %d evidence bundles verify offline (RSU signature and credential, inclusion, anchor receipt)\n", len(bundles))
	if err := os.WriteFile(filepath.Join(o.out, "log-key.txt"), []byte(logKey+"\n"), 0o644); err != nil {
		return err
	}
	out.Printf("   written to %s; check one with\n", o.out)
	out.Printf("   iotrust verify --log-key \"$(cat %s)\" --issuer %s %s\n",
		filepath.Join(o.out, "log-key.txt"), operator.DID(), filepath.Join(o.out, segs[2].name+".evidence.json"))

	// 6. The dispute.
	if err := dispute(ctx, disputeParties{
		out: out, ch: ch, gas: &gas, settler: settler, channel: channel.ID,
		payer: payer, payee: payee, payeeStore: payeeStore, opAuth: opAuth,
		vehicleDID: vehicleDID, trust: trust, meter: meter,
	}, rsus, bundles); err != nil {
		return err
	}

	// 7. Collect after the settle delay.
	if err := ch.advance(ctx, settleDelay); err != nil {
		return err
	}
	vehicleBefore, err := ch.balance(ctx, vehicleAddr)
	if err != nil {
		return err
	}
	state, err = settler.State(ctx, channel.ID)
	if err != nil {
		return err
	}
	if r, err = settler.Collect(ctx, opAuth, channel.ID); err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	gas.add("collect after the settle delay", r)
	vehicleAfter, err := ch.balance(ctx, vehicleAddr)
	if err != nil {
		return err
	}
	refund := new(big.Int).Sub(vehicleAfter, vehicleBefore)
	out.Printf("   after %s: collected; operator paid %s, vehicle refunded %s\n", dur(settleDelay), eth(state.Owed), eth(refund))
	if new(big.Int).Add(state.Owed, refund).Cmp(deposit) != 0 {
		return fmt.Errorf("payout %s + refund %s is not the deposit", state.Owed, refund)
	}

	// 8. The operator vanishes: the vehicle's deposit for the next month
	// comes back after the channel expires.
	if err := vanish(ctx, ch, &gas, settler, vehicleKey, vehicleAuth, opAddr, operator.DID(), shortExpiry, out); err != nil {
		return err
	}

	out.Println("7. gas on chain")
	for _, l := range gas.lines() {
		out.Printf("   %s\n", l)
	}
	out.Printf("done in %v: %d passages, 1 batch, %d bundles, %d vouchers, every check passed\n",
		time.Since(start).Round(time.Millisecond), len(passages), len(bundles), vouchers)
	return nil
}

// writeBundle writes b as DIR/NAME.evidence.json.
func writeBundle(dir, name string, b *evidence.Bundle) error {
	raw, err := b.Marshal()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".evidence.json"), raw, 0o644)
}
