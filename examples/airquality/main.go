package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/consensys/gnark/logger"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"k8s.io/klog/v2"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/stake"
	"github.com/iotrust/iotrust/store"
	"github.com/iotrust/iotrust/zkp"
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
	flag.StringVar(&o.rpc, "rpc", "", "JSON-RPC `url` of an EVM node for the stake contract (default: go-ethereum's simulated chain)")
	flag.StringVar(&o.key, "key", "", "hex private `key` of an account funded on the -rpc chain, paying every party's gas")
	flag.StringVar(&o.logDir, "log-dir", "", "keep the transparency log in `dir` across runs (default: a temporary one)")
	flag.Parse()
	log.SetFlags(0)
	quiet()
	if err := run(context.Background(), o, os.Stdout); err != nil {
		log.Fatalf("airquality: %v", err)
	}
}

// quiet silences the libraries that log through global loggers: Tessera
// (klog) and gnark (zerolog). This program has nothing to say there.
func quiet() {
	klog.SetOutput(io.Discard)
	klog.LogToStderr(false)
	logger.Disable()
}

// The programme's terms. Amounts in wei.
var (
	pricePerSample = big.NewInt(1e13) // 0.00001 ETH per verified sample
	bond           = big.NewInt(1e16) // 0.01 ETH staked per sensor
	penalty        = big.NewInt(5e15) // 0.005 ETH slashed per misreport
	budget         = big.NewInt(1e16) // what the city commits to each sensor's channel
	gasMoney       = big.NewInt(1e18) // per account, for gas and the bond
	rule           = stake.Rule{Bound: 150, MinNeighbours: 3, MaxSkew: 2 * time.Minute}
	slots          = 12 // samples per sensor: an hour, every 5 minutes
	slot           = 5 * time.Minute
	badSlot        = 7 // when sensor-4 misreports
)

// run drives the whole system once, narrating to w.
func run(ctx context.Context, o options, w io.Writer) error {
	out := printer{w}
	start := time.Now()
	work, err := os.MkdirTemp("", "iotrust-airquality-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if o.out == "" {
		if o.out, err = os.MkdirTemp("", "iotrust-airquality-evidence-"); err != nil {
			return err
		}
	}
	for _, d := range []string{o.out, filepath.Join(o.out, "samples"), filepath.Join(o.out, "misreport")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if o.logDir == "" {
		o.logDir = filepath.Join(work, "ledger")
	}
	now := time.Now().Truncate(time.Second)

	// 1. The city, its zone, and the citizens' sensors. Six are in the
	// zone; the seventh is not, and will not be able to prove it is.
	out.Println("1. the programme: the city buys PM2.5 readings from citizens' sensors in its zone")
	z, err := cityZone()
	if err != nil {
		return err
	}
	cityKey, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return err
	}
	cityDID, err := did.New(cityKey.Public())
	if err != nil {
		return err
	}
	cityEth, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	cityAccount := crypto.PubkeyToAddress(cityEth.PublicKey)
	out.Printf("   city      %s  zone %s (%s)\n", short(cityDID), z.name, z.text)
	places := [][2]string{
		{"45.7578", "4.8320"}, {"45.7640", "4.8357"}, {"45.7485", "4.8467"},
		{"45.7705", "4.8590"}, {"45.7519", "4.8264"}, {"45.7602", "4.8422"},
		{"45.7969", "4.8505"}, // north of the zone
	}
	var sensors []*sensor
	for i, p := range places {
		s, err := newSensor(fmt.Sprintf("sensor-%d", i+1), p[0], p[1])
		if err != nil {
			return err
		}
		sensors = append(sensors, s)
		out.Printf("   %s  %s  owner %s…  (position private)\n", s.name, short(s.did), s.account.Hex()[:10])
	}

	// 2. The city's gateway: readings verified, sealed into batches, stored
	// encrypted and anchored on a transparency log.
	ledger, logKey, err := openLog(ctx, o.logDir, "iotrust.example/airquality/lyon")
	if err != nil {
		return err
	}
	defer ledger.Close()
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
		Dir: filepath.Join(work, "gateway"), Topic: "air/lyon",
		Store: blobs, Identity: gwID, Ledgers: []anchor.Anchorer{ledger},
	})
	if err != nil {
		return err
	}
	defer gw.Close(ctx)
	seal := func() (batch.BatchInfo, error) { return sealBatch(ctx, gw, out) }

	// 3. Enrolment: each sensor commits to its position; its owner proves
	// in zero knowledge that the committed position lies in the zone.
	out.Println("2. enrolment: each sensor proves it lies in the zone without revealing where")
	pk, vk, err := zoneKeys(out)
	if err != nil {
		return err
	}
	if err := writeVerifyingKey(filepath.Join(o.out, "zone.vk"), vk); err != nil {
		return err
	}
	for _, s := range sensors {
		if err := s.commitPosition(now.Add(-2 * time.Hour)); err != nil {
			return err
		}
		if errs := gw.SubmitBatch(ctx, s.position); errors.Join(errs...) != nil {
			return errors.Join(errs...)
		}
	}
	info, err := seal()
	if err != nil {
		return err
	}
	out.Printf("   position commitments: batch %d, %d readings, anchored at log entry %d\n", info.Number, info.Commitment.Count, info.Receipts[0].Position)
	trust := evidence.Trust{
		Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: ledger.Origin(), Verifier: ledger.Verifier()}},
		ZKPKeys: []*zkp.VerifyingKey{vk},
	}
	var enrolled []*sensor
	for _, s := range sensors {
		var parts []*evidence.Bundle
		for _, r := range s.position {
			id, err := r.ID()
			if err != nil {
				return err
			}
			b, err := gw.Evidence(ctx, id)
			if err != nil {
				return err
			}
			parts = append(parts, b)
		}
		b, err := evidence.Join(parts...)
		if err != nil {
			return err
		}
		if err := s.proveZone(pk, z, b); err != nil {
			if !errors.Is(err, zkp.ErrOutOfRange) {
				return err
			}
			out.Printf("   %s  no proof: its position is outside the zone (%v); not enrolled\n", s.name, zkp.ErrOutOfRange)
			continue
		}
		// The city's side: the bundle verifies (signatures, inclusion,
		// anchor, proof) and the proof is about this sensor and this zone.
		if rep := evidence.Verify(ctx, b, trust); !rep.OK() {
			return fmt.Errorf("%s: zone evidence: %w\n%s", s.name, rep.Err(), rep)
		}
		if err := inZone(b, s.did, z); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		if err := writeBundle(filepath.Join(o.out, s.name+".zone.evidence.json"), b); err != nil {
			return err
		}
		raw, _ := b.ZKP.Proof.MarshalBinary()
		out.Printf("   %s  in the zone: %d-byte Groth16 proof over 2 anchored commitments verified; enrolled\n", s.name, len(raw))
		enrolled = append(enrolled, s)
	}

	// 4. The stake: each enrolled owner bonds coin in the Stake contract,
	// with the city as arbiter.
	accounts := []common.Address{cityAccount}
	for _, s := range enrolled {
		accounts = append(accounts, s.account)
	}
	ch, err := newChain(ctx, o.rpc, o.key, gasMoney, accounts, out)
	if err != nil {
		return err
	}
	defer ch.Close()
	chainName := "the simulated chain"
	if o.rpc != "" {
		chainName = o.rpc
	}
	out.Printf("3. stakes on %s (chain ID %s)\n", chainName, ch.chainID)
	var gas gasBook
	cityAuth, err := ch.auth(cityEth)
	if err != nil {
		return err
	}
	addr, r, err := stake.Deploy(ctx, ch.client, cityAuth, cityAccount, 7*24*time.Hour, ch.mined())
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	gas.add("deploy Stake (once)", r)
	pool, err := stake.New(ctx, ch.client, addr, ch.mined())
	if err != nil {
		return err
	}
	for _, s := range enrolled {
		auth, err := ch.auth(s.owner)
		if err != nil {
			return err
		}
		if r, err = pool.Bond(ctx, auth, bond); err != nil {
			return fmt.Errorf("%s bond: %w", s.name, err)
		}
		gas.add("bond", r)
	}
	out.Printf("   %d owners bonded %s each; the city is the arbiter, slashes are burned\n", len(enrolled), eth(bond))

	// 5. An hour of readings. sensor-4 misreports once.
	out.Printf("4. an hour of readings: %d sensors, one sample every %s\n", len(enrolled), dur(slot))
	rng := rand.New(rand.NewPCG(4, 2))
	first := now.Add(-time.Duration(slots) * slot)
	samples := make([][]reading.Signed, slots) // by slot, then sensor
	for k := range slots {
		base := 360 + int64(k)*4 // tenths of µg/m³: rising through the hour
		for i, s := range enrolled {
			value := base + int64(rng.IntN(41)) - 20
			if s.name == "sensor-4" && k == badSlot {
				value = 30 // 3.0 µg/m³: a stuck or tampered sensor
			}
			at := first.Add(time.Duration(k)*slot + time.Duration(i)*7*time.Second)
			sr, err := s.sample(at, value)
			if err != nil {
				return err
			}
			samples[k] = append(samples[k], sr)
		}
		if errs := gw.SubmitBatch(ctx, samples[k]); errors.Join(errs...) != nil {
			return errors.Join(errs...)
		}
	}
	if info, err = seal(); err != nil {
		return err
	}
	out.Printf("   batch %d: %d readings, root %s…, log entry %d, %s\n", info.Number, info.Commitment.Count,
		info.Commitment.Root.String()[:22], info.Receipts[0].Position, info.Receipts[0].State)

	// 6. The city buys: for each sample, its evidence bundle must verify
	// and it must not contradict its neighbours (stake.Rule); each such
	// sample is paid with a voucher on the sensor's channel.
	out.Printf("5. the city pays %s per verified sample, on a DID-bound channel per sensor\n", eth(pricePerSample))
	market, err := openMarket(ctx, work, cityKey, cityDID, enrolled, now)
	if err != nil {
		return err
	}
	defer market.Close()
	bundles := make([][]*evidence.Bundle, slots)
	for k := range slots {
		for _, sr := range samples[k] {
			id, err := sr.ID()
			if err != nil {
				return err
			}
			b, err := gw.Evidence(ctx, id)
			if err != nil {
				return err
			}
			bundles[k] = append(bundles[k], b)
		}
	}
	var misreports []stake.Misreport
	for k := range slots {
		for i, s := range enrolled {
			b := bundles[k][i]
			if rep := evidence.Verify(ctx, b, trust); !rep.OK() {
				return fmt.Errorf("%s at %s: %w", s.name, b.Readings[0].Time.Format(time.TimeOnly), rep.Err())
			}
			m := stake.Misreport{Suspect: b, Neighbours: without(bundles[k], i)}
			switch err := m.Check(ctx, rule, trust); {
			case err == nil:
				misreports = append(misreports, m)
				continue
			case !errors.Is(err, stake.ErrNotProven):
				return err
			}
			if err := market.pay(ctx, s, b.Readings[0].Time); err != nil {
				return err
			}
			if err := writeBundle(filepath.Join(o.out, "samples", fmt.Sprintf("%s-%s.evidence.json", s.name, b.Readings[0].Time.Format("1504"))), b); err != nil {
				return err
			}
		}
	}
	paidTotal := new(big.Int)
	for _, s := range enrolled {
		n, amount, err := market.received(s)
		if err != nil {
			return err
		}
		paidTotal.Add(paidTotal, amount)
		note := ""
		for _, m := range misreports {
			if m.Suspect.Readings[0].Device == s.did {
				r := m.Suspect.Readings[0]
				note = fmt.Sprintf("; %s %s µg/m³ contradicts its neighbours: unpaid", r.Time.Format("15:04"), tenths(r.Value))
			}
		}
		out.Printf("   %s  %2d samples paid, %2d vouchers, %s%s\n", s.name, n, n, eth(amount), note)
	}

	// 7. The slash.
	if len(misreports) != 1 {
		return fmt.Errorf("%d misreports found, want sensor-4's one", len(misreports))
	}
	m := misreports[0]
	bad := m.Suspect.Readings[0]
	var culprit *sensor
	for _, s := range enrolled {
		if s.did == bad.Device {
			culprit = s
		}
	}
	out.Printf("6. the misreport: %s at %s said %s µg/m³; %d neighbours said %s–%s\n", culprit.name, bad.Time.Format("15:04"),
		tenths(bad.Value), len(m.Neighbours), tenths(minValue(m.Neighbours)), tenths(maxValue(m.Neighbours)))
	if err := writeBundle(filepath.Join(o.out, "misreport", "suspect.evidence.json"), m.Suspect); err != nil {
		return err
	}
	for i, b := range m.Neighbours {
		if err := writeBundle(filepath.Join(o.out, "misreport", fmt.Sprintf("neighbour-%d.evidence.json", i+1)), b); err != nil {
			return err
		}
	}
	digest, err := m.Digest()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.out, "misreport", "digest.txt"), []byte(digest.String()+"\n"), 0o644); err != nil {
		return err
	}
	out.Printf("   %d bundles, each signed and anchored, checked against the rule (differs by > %s µg/m³ from ≥ %d neighbours within %s)\n",
		1+len(m.Neighbours), tenths(rule.Bound), rule.MinNeighbours, dur(rule.MaxSkew))
	out.Printf("   misreport digest %s…\n", digest.String()[:24])
	if r, err = pool.Slash(ctx, cityAuth, culprit.account, penalty, digest); err != nil {
		return fmt.Errorf("slash: %w", err)
	}
	gas.add("slash", r)
	_, err = pool.Slash(ctx, cityAuth, culprit.account, penalty, digest)
	if !errors.Is(err, stake.ErrAlreadySlashed) {
		return fmt.Errorf("second slash with the same evidence: %v", err)
	}
	left, err := pool.BondOf(ctx, culprit.account)
	if err != nil {
		return err
	}
	burned, err := pool.Burned(ctx)
	if err != nil {
		return err
	}
	out.Printf("   slashed %s of %s's bond (%s left, %s burned); the same evidence again: refused\n",
		eth(penalty), culprit.name, eth(left.Amount), eth(burned))

	out.Println("7. gas on chain")
	for _, l := range gas.lines() {
		out.Printf("   %s\n", l)
	}
	if err := os.WriteFile(filepath.Join(o.out, "log-key.txt"), []byte(logKey+"\n"), 0o644); err != nil {
		return err
	}
	out.Printf("evidence in %s; check a zone proof with\n", o.out)
	out.Printf("   iotrust verify --log-key \"$(cat %s)\" --zk-key %s %s\n", filepath.Join(o.out, "log-key.txt"),
		filepath.Join(o.out, "zone.vk"), filepath.Join(o.out, enrolled[0].name+".zone.evidence.json"))
	out.Printf("done in %v: %d sensors enrolled of %d, %d readings anchored, %s paid, 1 stake slashed, every check passed\n",
		time.Since(start).Round(time.Millisecond), len(enrolled), len(sensors), slots*len(enrolled), eth(paidTotal))
	return nil
}

// sealBatch seals the gateway's open batch and waits until its anchor is
// final.
func sealBatch(ctx context.Context, gw *batch.Gateway, out printer) (batch.BatchInfo, error) {
	if err := gw.Flush(ctx); err != nil {
		return batch.BatchInfo{}, err
	}
	var info batch.BatchInfo
	err := out.progress("waiting for the anchor to be final", func() error {
		for {
			bs, err := gw.Batches(ctx, 1)
			if err != nil {
				return err
			}
			if len(bs) == 1 && bs[0].Final {
				info = bs[0]
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	return info, err
}

func without(bs []*evidence.Bundle, i int) []*evidence.Bundle {
	out := make([]*evidence.Bundle, 0, len(bs)-1)
	out = append(out, bs[:i]...)
	return append(out, bs[i+1:]...)
}

func minValue(bs []*evidence.Bundle) int64 {
	v := bs[0].Readings[0].Value
	for _, b := range bs {
		v = min(v, b.Readings[0].Value)
	}
	return v
}

func maxValue(bs []*evidence.Bundle) int64 {
	v := bs[0].Readings[0].Value
	for _, b := range bs {
		v = max(v, b.Readings[0].Value)
	}
	return v
}

// tenths formats a value in tenths as a decimal, without a float.
func tenths(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%d", sign, v/10, v%10)
}

// writeBundle writes b in its file form to path.
func writeBundle(path string, b *evidence.Bundle) error {
	raw, err := b.Marshal()
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}

func writeVerifyingKey(path string, vk *zkp.VerifyingKey) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := vk.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func short(s string) string {
	if len(s) > 26 {
		return s[:20] + "…" + s[len(s)-4:]
	}
	return s
}

// dur formats a duration without zero units: 5m, 2m, 1h.
func dur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
