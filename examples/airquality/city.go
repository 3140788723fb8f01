package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/stake"
	"github.com/iotrust/iotrust/store"
)

// city is the buyer and what it runs: its DID (which signs its vouchers)
// and Ethereum account (the stake contract's arbiter), its zone, the
// gateway that seals and anchors every reading, and the evidence it keeps.
type city struct {
	out     devnet.Printer
	dir     string // evidence goes here (-out)
	did     string
	key     did.PrivateKey
	eth     *ecdsa.PrivateKey
	account common.Address
	zone    zone

	ledger *tlog.Log
	logKey string // the log's public key in note form
	gw     *batch.Gateway
	trust  evidence.Trust // what the city (and any auditor) verifies with

	chain *devnet.Chain
	auth  stake.Signer
	pool  *stake.Pool
	gas   devnet.GasBook
	path  *mqttgw.BrokerPath // -mqtt; nil: readings handed over in process

	closers []func()
}

// newCity makes the city's identities and opens its log, store and gateway
// in work, its log in logDir.
func newCity(ctx context.Context, out devnet.Printer, work, logDir, evidenceDir string, ch *devnet.Chain) (*city, error) {
	c := &city{out: out, dir: evidenceDir, chain: ch}
	var err error
	if c.zone, err = cityZone(); err != nil {
		return nil, err
	}
	if c.key, err = did.Ed25519.GenerateKey(nil); err != nil {
		return nil, err
	}
	if c.did, err = did.New(c.key.Public()); err != nil {
		return nil, err
	}
	if c.eth, err = crypto.GenerateKey(); err != nil {
		return nil, err
	}
	c.account = crypto.PubkeyToAddress(c.eth.PublicKey)
	c.auth = ch.Signer(c.eth)

	// The gateway: readings verified, sealed into batches, stored encrypted
	// and anchored on the city's transparency log.
	if c.ledger, err = devnet.OpenLog(ctx, logDir, "example.iotrust/airquality"); err != nil {
		return nil, err
	}
	c.logKey = c.ledger.VerifierKey()
	c.closers = append(c.closers, func() { c.ledger.Close() })
	c.trust.Ledgers = []evidence.Ledger{devnet.TrustedLedger(c.ledger)}
	blobs, err := store.Open(filepath.Join(work, "store"), store.Options{})
	if err != nil {
		c.Close(ctx)
		return nil, err
	}
	c.closers = append(c.closers, func() { blobs.Close() })
	gwID, err := store.GenerateIdentity(nil)
	if err != nil {
		c.Close(ctx)
		return nil, err
	}
	c.gw, err = batch.Open(ctx, batch.Config{
		Dir: filepath.Join(work, "gateway"), Topic: "air/lyon",
		Store: blobs, Identity: gwID, Ledgers: []anchor.Anchorer{c.ledger},
	})
	if err != nil {
		c.Close(ctx)
		return nil, err
	}
	c.closers = append(c.closers, func() { c.gw.Close(ctx) })
	return c, nil
}

// Close closes the gateway, store and log, in that order.
func (c *city) Close(ctx context.Context) {
	for i := len(c.closers) - 1; i >= 0; i-- {
		c.closers[i]()
	}
	c.closers = nil
}

// submit hands readings to the gateway, in process or through the MQTT
// broker; every one must be acknowledged.
func (c *city) submit(ctx context.Context, rs []reading.Signed) error {
	if c.path != nil {
		return c.path.Send(ctx, rs)
	}
	return errors.Join(c.gw.SubmitBatch(ctx, rs)...)
}

// overMQTT has the sensors publish their readings to the MQTT broker at
// url, where the city's gateway subscribes (-mqtt).
func (c *city) overMQTT(ctx context.Context, url string) (err error) {
	if c.path, err = mqttgw.OpenBrokerPath(ctx, mqttgw.PathConfig{URL: url, Gateway: c.gw, Topics: []string{"air/lyon/#"}}); err != nil {
		return err
	}
	c.closers = append(c.closers, c.path.Close) // closed before the gateway
	c.out.Printf("   the sensors publish over MQTT to %s; the city's gateway subscribes to air/lyon/# there\n", url)
	return nil
}

// seal seals the gateway's open batch and waits until its anchor is final.
func (c *city) seal(ctx context.Context) (batch.BatchInfo, error) {
	if err := c.gw.Flush(ctx); err != nil {
		return batch.BatchInfo{}, err
	}
	var info batch.BatchInfo
	err := c.out.Progress("waiting for the anchor to be final", func() error {
		bs, err := c.gw.WaitFinal(ctx, 1)
		if err == nil {
			info = bs[0]
		}
		return err
	})
	return info, err
}

// evidence returns the gateway's evidence bundle of r.
func (c *city) evidence(ctx context.Context, r reading.Signed) (*evidence.Bundle, error) {
	id, err := r.ID()
	if err != nil {
		return nil, err
	}
	return c.gw.Evidence(ctx, id)
}

// keep writes b in its file form under the evidence directory.
func (c *city) keep(name string, b *evidence.Bundle) error {
	raw, err := b.Marshal()
	if err != nil {
		return err
	}
	path := filepath.Join(c.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}

// verify checks b offline against the city's trust.
func (c *city) verify(ctx context.Context, what string, b *evidence.Bundle) error {
	if rep := evidence.Verify(ctx, b, c.trust); !rep.OK() {
		return fmt.Errorf("%s: %w\n%s", what, rep.Err(), rep)
	}
	return nil
}
