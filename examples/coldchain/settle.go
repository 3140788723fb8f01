package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/escrow"
	"github.com/iotrust/iotrust/escrow/devkeys"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// keyEnv names the environment variable holding the hex secp256k1 key that
// pays for transactions on a real chain (-rpc).
const keyEnv = "IOTRUST_COLDCHAIN_KEY"

// fee is the carrier's pay, in wei: integers, never floats.
var fee = big.NewInt(10_000_000_000_000_000) // 0.01 ETH

// shipmentDeal is the escrow of the carrier's fee on a chain.
type shipmentDeal struct {
	chain            *devnet.Chain
	e                *escrow.Escrow
	id               [32]byte
	iv               zkp.Interval
	deadline         time.Time
	shipper, gateway escrow.Signer
	carrier          escrow.Signer  // sends the proof
	carrierAddr      common.Address // is paid on release: a fresh address
	insurerAddr      common.Address // is paid on expiry: a fresh address
	close            func()
}

// openDeal connects to the chain, deploys the verifier and the escrow and
// has the shipper lock the carrier's fee.
func openDeal(ctx context.Context, p *printer, opt options, iv zkp.Interval) (_ *shipmentDeal, err error) {
	d := &shipmentDeal{iv: iv, close: func() {}}
	defer func() {
		if err != nil {
			d.close()
		}
	}()
	funder := strings.TrimPrefix(strings.TrimSpace(os.Getenv(keyEnv)), "0x")
	var key *ecdsa.PrivateKey
	if opt.rpc != "" {
		if key, err = crypto.HexToECDSA(funder); err != nil {
			return nil, fmt.Errorf("-rpc needs a funded key in $%s: %w", keyEnv, err)
		}
	}
	if d.chain, err = devnet.OpenChain(ctx, devnet.ChainConfig{RPC: opt.rpc, FunderKey: funder}); err != nil {
		return nil, err
	}
	d.close = d.chain.Close
	var where string
	if opt.rpc == "" {
		keys := make([]*ecdsa.PrivateKey, 3)
		for i := range keys {
			keys[i] = must(crypto.GenerateKey())
			if err := d.chain.Fund(ctx, new(big.Int).Mul(fee, big.NewInt(1000)), crypto.PubkeyToAddress(keys[i].PublicKey)); err != nil {
				return nil, err
			}
		}
		d.shipper, d.gateway, d.carrier = escrow.KeySigner(keys[0]), escrow.KeySigner(keys[1]), escrow.KeySigner(keys[2])
		where = "go-ethereum's simulated chain"
	} else {
		// One funded account plays shipper, gateway and the carrier's
		// submitter; carrier and insurer are paid at fresh addresses.
		s := escrow.KeySigner(key)
		d.shipper, d.gateway, d.carrier = s, s, s
		where = fmt.Sprintf("chain %v at %s", d.chain.ChainID(), opt.rpc)
	}

	// Payments go to fresh addresses, so that their balances show exactly
	// what the escrow paid.
	d.carrierAddr = crypto.PubkeyToAddress(must(crypto.GenerateKey()).PublicKey)
	d.insurerAddr = crypto.PubkeyToAddress(must(crypto.GenerateKey()).PublicKey)
	cfg := escrow.Config{Backend: d.chain.Client(), PollInterval: d.chain.SettleConfig().PollInterval}
	verifier, _, err := escrow.DeployDevVerifier(ctx, cfg, d.shipper)
	if err != nil {
		return nil, err
	}
	if d.e, _, err = escrow.Deploy(ctx, cfg, d.shipper, verifier); err != nil {
		return nil, err
	}
	now, err := d.chainTime(ctx)
	if err != nil {
		return nil, err
	}
	d.deadline = now.Add(opt.deadline)
	d.id, _, err = d.e.Open(ctx, d.shipper, escrow.Terms{
		Salt: crypto.Keccak256Hash([]byte(shipmentID)), Payee: d.carrierAddr, Fallback: d.insurerAddr,
		Attester: d.gateway.Address(), Amount: fee, Interval: iv, Deadline: d.deadline,
	})
	if err != nil {
		return nil, err
	}
	p.f("   on %s: RangeEscrow + development batch verifier\n", where)
	p.f("   the shipper locks the carrier's fee, %s; it goes to the insurer unless, within %v,\n", ether(fee), human(opt.deadline))
	p.f("   the carrier proves every logger reading within 2.00–8.00 °C\n")
	return d, nil
}

// settle runs the arrival: the gateway attests which commitments the deal
// is about, the carrier proves them in range — or, after an excursion,
// cannot, and the insurer is paid at the deadline.
func (d *shipmentDeal) settle(ctx context.Context, p *printer, gw *gateway, sh *shipment, opt options) error {
	// The gateway attests from what it anchored: the logger's readings as
	// its evidence holds them.
	var anchored []reading.Signed
	for _, s := range sh.logger {
		id, err := s.ID()
		if err != nil {
			return err
		}
		b, err := gw.pipeline.Evidence(ctx, id)
		if err != nil {
			return err
		}
		anchored = append(anchored, b.Readings[0])
	}
	claim, err := escrow.Claim(anchored, d.iv)
	if err != nil {
		return err
	}
	r, err := d.e.Attest(ctx, d.gateway, d.id, claim.Commitments)
	if err != nil {
		return err
	}
	root, _ := zkp.MerkleRoot(claim.Commitments, d.e.Shape().Size)
	p.f("   the gateway attests the %d anchored logger commitments: Poseidon2 root %s… (%s)\n", len(claim.Commitments), root.String()[:12], gas(r.GasUsed))

	pk, err := provingKey(p)
	if err != nil {
		return err
	}
	// The carrier proves from its own copy of the readings and its openings.
	mine, err := escrow.Claim(sh.logger, d.iv)
	if err != nil {
		return err
	}
	openings := make([]zkp.Opening, len(mine.Commitments))
	for i, c := range mine.Commitments {
		openings[i] = sh.openings[c]
	}
	t := time.Now()
	proof, err := zkp.Prove(pk, mine, openings)
	if !opt.excursion {
		if err != nil {
			return err
		}
		raw, _ := proof.SolidityProof()
		p.f("   the carrier proves all %d logger readings in range: a %d-byte proof made in %v, no value revealed\n",
			len(openings), len(raw), time.Since(t).Round(10*time.Millisecond))
		r, err := d.e.Release(ctx, d.carrier, d.id, proof)
		if err != nil {
			return err
		}
		p.f("   the escrow verifies it on chain and pays the carrier: %s (Groth16 verification + transfer)\n", gas(r.GasUsed))
		return d.check(ctx, p, escrow.StateReleased, d.carrierAddr, "carrier")
	}

	p.f("   the carrier cannot prove the range: %v\n", err)
	if err := expectRefusal("proving an excursion in range", err, zkp.ErrOutOfRange); err != nil {
		return err
	}
	// A proof about readings the gateway did not attest: the excursion's
	// commitment swapped for a made-up cool one.
	forged := zkp.BatchClaim{Interval: d.iv, Commitments: append([]zkp.Commitment(nil), mine.Commitments...)}
	var forgedOpenings []zkp.Opening
	for i, o := range openings {
		if o.Value > d.iv.Hi {
			c, fake, err := zkp.Commit(must(zkp.Celsius().Encode("4.50")), nil)
			if err != nil {
				return err
			}
			forged.Commitments[i], o = c, fake
		}
		forgedOpenings = append(forgedOpenings, o)
	}
	fake, err := zkp.Prove(pk, forged, forgedOpenings)
	if err != nil {
		return err
	}
	_, err = d.e.Release(ctx, d.carrier, d.id, fake)
	p.f("   a valid proof over a doctored list (the excursion swapped out): %s\n", errorText(err))
	if err := expectRefusal("releasing with a doctored proof", err, escrow.ErrBadProof); err != nil {
		return err
	}
	if err := d.passDeadline(ctx, p); err != nil {
		return err
	}
	r, err = d.e.Expire(ctx, d.shipper, d.id)
	if err != nil {
		return err
	}
	p.f("   the deadline passes without a proof: the escrow pays the insurer (%s)\n", gas(r.GasUsed))
	return d.check(ctx, p, escrow.StateExpired, d.insurerAddr, "insurer")
}

// check confirms the deal's final state and the payee's balance.
func (d *shipmentDeal) check(ctx context.Context, p *printer, want escrow.State, to common.Address, who string) error {
	deal, err := d.e.Deal(ctx, d.id)
	if err != nil {
		return err
	}
	bal, err := d.chain.Balance(ctx, to)
	if err != nil {
		return err
	}
	if deal.State != want || bal.Cmp(fee) != 0 {
		return fmt.Errorf("deal %v, %s holds %v wei; want %v and %v", deal.State, who, bal, want, fee)
	}
	p.f("   deal %s: the %s's address %s now holds %s\n", deal.State, who, short(to.Hex()), ether(bal))
	return nil
}

// passDeadline moves the simulated chain's clock past the deadline, or
// waits for a real chain's.
func (d *shipmentDeal) passDeadline(ctx context.Context, p *printer) error {
	if !d.chain.Simulated() {
		now, err := d.chainTime(ctx)
		if err != nil {
			return err
		}
		p.f("   waiting for the chain to pass the deadline (%v)…\n", d.deadline.Sub(now).Round(time.Second))
	}
	return d.chain.WaitUntil(ctx, d.deadline)
}

// ether formats an amount of wei as ether, exactly.
func ether(wei *big.Int) string {
	q, r := new(big.Int).QuoRem(wei, big.NewInt(1e18), new(big.Int))
	frac := strings.TrimRight(fmt.Sprintf("%018d", r), "0")
	if frac == "" {
		return q.String() + " ETH"
	}
	return q.String() + "." + frac + " ETH"
}

// chainTime is the latest block's time.
func (d *shipmentDeal) chainTime(ctx context.Context) (time.Time, error) { return d.chain.Now(ctx) }

// provingKey returns the escrow verifier's development proving key, which
// ships with escrow/devkeys: no setup runs.
func provingKey(p *printer) (*zkp.ProvingKey, error) {
	t := time.Now()
	pk, _, err := devkeys.Batch()
	if err != nil {
		return nil, err
	}
	p.f("   the batch circuit's development proving key ships with escrow/devkeys (reproducible from escrow.DevSeed): loaded in %v\n",
		time.Since(t).Round(10*time.Millisecond))
	return pk, nil
}
