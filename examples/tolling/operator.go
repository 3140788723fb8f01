package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/settle"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
	"github.com/iotrust/iotrust/vc"
)

// operator runs the tolled road: it issues the roadside units their
// credentials, runs the gateway that seals and anchors passages, and is
// the payee of the vehicles' channels.
type operator struct {
	out     devnet.Printer
	dir     string // evidence goes here (-out)
	issuer  *vc.Issuer
	eth     *ecdsa.PrivateKey
	account common.Address
	auth    settle.Signer
	rsus    []*rsu

	ledger      *tlog.Log
	logKey      string
	gw          *batch.Gateway
	credentials *vc.Verifier   // trusts the operator's RSU credentials
	trust       evidence.Trust // what anyone verifies passages with

	chain   *devnet.Chain
	settler *settle.Settler
	gas     devnet.GasBook
	store   *payment.Store
	payee   *payment.Payee
	tariff  *payment.Tariff
	meters  map[uint64]*payment.Meter // what each lane owes, by the operator's count
	path    *mqttgw.BrokerPath        // -mqtt; nil: passages handed over in process

	closers []func()
}

// newOperator provisions the operator and one roadside unit per segment,
// and opens the log, store and gateway in work (the log in logDir).
func newOperator(ctx context.Context, out devnet.Printer, work, logDir, evidenceDir string, ch *devnet.Chain, t *payment.Tariff, now time.Time) (*operator, error) {
	op := &operator{out: out, dir: evidenceDir, chain: ch, tariff: t, meters: map[uint64]*payment.Meter{}}
	key, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	if op.issuer, err = vc.NewIssuer(key); err != nil {
		return nil, err
	}
	if op.eth, err = crypto.GenerateKey(); err != nil {
		return nil, err
	}
	op.account = crypto.PubkeyToAddress(op.eth.PublicKey)
	op.auth = ch.Signer(op.eth)
	out.Printf("   operator       %s\n", short(op.issuer.DID()))
	for _, s := range segments() {
		u, err := newRSU(op.issuer, s, now)
		if err != nil {
			return nil, err
		}
		op.rsus = append(op.rsus, u)
		out.Printf("   RSU %s      %s  km %s–%s, credential for %s\n", s.name, short(u.did), km(s.fromM), km(s.toM), s.topic)
	}

	// The gateway admits the RSUs' credentials and seals passages into
	// SHA-256 batches, whose inclusion proofs the channel contract checks.
	if op.ledger, err = devnet.OpenLog(ctx, logDir, "example.iotrust/tolling"); err != nil {
		return nil, err
	}
	op.logKey = op.ledger.VerifierKey()
	op.closers = append(op.closers, func() { op.ledger.Close() })
	op.credentials = vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{op.issuer.DID()}})
	op.trust = evidence.Trust{
		Ledgers:     []evidence.Ledger{devnet.TrustedLedger(op.ledger)},
		Credentials: op.credentials,
	}
	authz, err := vc.NewAuthorizer(vc.AuthorizerConfig{})
	if err != nil {
		op.Close()
		return nil, err
	}
	for _, u := range op.rsus {
		v, err := op.credentials.Verify(ctx, []byte(u.cred))
		if err != nil {
			op.Close()
			return nil, fmt.Errorf("credential of %s: %w", u.seg.name, err)
		}
		authz.Admit(v)
	}
	blobs, err := store.Open(filepath.Join(work, "store"), store.Options{})
	if err != nil {
		op.Close()
		return nil, err
	}
	op.closers = append(op.closers, func() { blobs.Close() })
	gwID, err := store.GenerateIdentity(nil)
	if err != nil {
		op.Close()
		return nil, err
	}
	op.gw, err = batch.Open(ctx, batch.Config{
		Dir: filepath.Join(work, "gateway"), Topic: "tolling/" + road,
		Store: blobs, Identity: gwID, Ledgers: []anchor.Anchorer{op.ledger},
		Hasher: merkle.SHA256, Authorizer: authz,
	})
	if err != nil {
		op.Close()
		return nil, err
	}
	op.closers = append(op.closers, func() { op.gw.Close(ctx) })
	if op.store, err = payment.OpenStore(filepath.Join(work, "operator.vouchers"), nil); err != nil {
		op.Close()
		return nil, err
	}
	op.closers = append(op.closers, func() { op.store.Close() })
	if op.payee, err = payment.NewPayee(op.store, payment.PayeeConfig{}); err != nil {
		op.Close()
		return nil, err
	}
	out.Printf("   gateway: %d RSU credentials admitted, log %s (%s)\n", len(op.rsus), op.ledger.Origin(), logDir)
	return op, nil
}

// Close closes the payment store, gateway, blob store and log.
func (op *operator) Close() {
	for i := len(op.closers) - 1; i >= 0; i-- {
		op.closers[i]()
	}
	op.closers = nil
}

// deploy deploys the PaymentChannels contract (once per chain; a real
// deployment is shared by every operator and vehicle).
func (op *operator) deploy(ctx context.Context) error {
	addr, r, err := settle.Deploy(ctx, op.chain.Client(), op.auth, op.chain.SettleConfig())
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	op.gas.Add("deploy PaymentChannels (once)", r)
	op.settler, err = settle.New(ctx, op.chain.Client(), addr, op.chain.SettleConfig())
	return err
}

// serve accepts a channel a vehicle opened, after reading it back from the
// contract: the deposit, the payee and the vehicle's voucher key.
func (op *operator) serve(ctx context.Context, ch *payment.Channel) error {
	if common.Address(ch.PayeeAddress) != op.account {
		return fmt.Errorf("channel %s pays %s, not the operator's account", ch.ID, common.Address(ch.PayeeAddress))
	}
	if _, err := op.settler.CheckChannel(ctx, ch); err != nil {
		return err
	}
	return op.payee.Open(ctx, ch)
}

// overMQTT has the roadside units publish their passages to the MQTT
// broker at url, where the operator's gateway subscribes (-mqtt).
func (op *operator) overMQTT(ctx context.Context, url string) (err error) {
	filter := "tolling/" + road + "/#"
	if op.path, err = mqttgw.OpenBrokerPath(ctx, mqttgw.PathConfig{URL: url, Gateway: op.gw, Topics: []string{filter}}); err != nil {
		return err
	}
	op.closers = append(op.closers, op.path.Close) // closed before the gateway
	op.out.Printf("   passages travel over MQTT: the roadside units publish to %s, the gateway subscribes to %s\n", url, filter)
	return nil
}

// record submits a passage to the gateway (in process or through the MQTT
// broker) and meters its toll on lane.
func (op *operator) record(ctx context.Context, p reading.Signed, lane uint64) error {
	var err error
	if op.path != nil {
		err = op.path.Send(ctx, []reading.Signed{p})
	} else {
		err = op.gw.Submit(ctx, p)
	}
	if err != nil {
		return err
	}
	if op.meters[lane] == nil {
		var err error
		if op.meters[lane], err = payment.NewMeter(op.tariff, nil); err != nil {
			return err
		}
	}
	return op.meters[lane].Record(passageUsage(p))
}

// receive accepts a voucher of lane, which must cover what the lane owes.
func (op *operator) receive(ctx context.Context, v *payment.Voucher) error {
	wire, err := v.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = op.payee.AcceptBytes(ctx, wire, op.meters[v.Lane].Due())
	return err
}

// seal seals the passages, waits for the anchor to be final, and returns
// an evidence bundle for each passage (with its RSU's credential), each
// verified and written to the evidence directory.
func (op *operator) seal(ctx context.Context, passages []reading.Signed) ([]*evidence.Bundle, error) {
	if err := op.gw.Flush(ctx); err != nil {
		return nil, err
	}
	var info batch.BatchInfo
	err := op.out.Progress("waiting for the anchor to be final", func() error {
		bs, err := op.gw.WaitFinal(ctx, 1)
		if err == nil {
			info = bs[0]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	op.out.Printf("   batch %d: %d passages, root %s…, log entry %d, %s\n", info.Number, info.Commitment.Count,
		info.Commitment.Root.String()[:22], info.Receipts[0].Position, info.Receipts[0].State)
	bundles := make([]*evidence.Bundle, len(passages))
	for i, p := range passages {
		id, err := p.ID()
		if err != nil {
			return nil, err
		}
		if bundles[i], err = op.gw.Evidence(ctx, id); err != nil {
			return nil, err
		}
		bundles[i].Credential = []byte(op.rsus[i].cred)
		if rep := evidence.Verify(ctx, bundles[i], op.trust); !rep.OK() {
			return nil, fmt.Errorf("evidence of %s: %w\n%s", op.rsus[i].seg.name, rep.Err(), rep)
		}
		raw, err := bundles[i].Marshal()
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(op.dir, op.rsus[i].seg.name+".evidence.json"), raw, 0o644); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(op.dir, "log.vkey"), []byte(op.logKey+"\n"), 0o644); err != nil {
		return nil, err
	}
	op.out.Printf("   %d evidence bundles verify offline (RSU signature and credential, inclusion, anchor receipt)\n", len(bundles))
	op.out.Printf("   written to %s; check one with\n", op.dir)
	op.out.Printf("   iotrust verify --log-key \"$(cat %s)\" --issuer %s %s\n", filepath.Join(op.dir, "log.vkey"),
		op.issuer.DID(), filepath.Join(op.dir, segments()[2].name+".evidence.json"))
	return bundles, nil
}

// collect pays out channel id after its settle delay and returns what the
// operator received.
func (op *operator) collect(ctx context.Context, id payment.ChannelID) (*big.Int, error) {
	st, err := op.settler.State(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := op.settler.Collect(ctx, op.auth, id)
	if err != nil {
		return nil, fmt.Errorf("collect: %w", err)
	}
	op.gas.Add("collect after the settle delay", r)
	if st.Owed.Cmp(st.Deposit) > 0 {
		return nil, errors.New("the vehicle signed more than it deposited")
	}
	return st.Owed, nil
}
