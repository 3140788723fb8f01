package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/stake"
)

// options are the command's flags.
type options struct {
	devnet.Flags // -out, -log-dir, -rpc, -key
}

func main() {
	var o options
	o.Register(flag.CommandLine, "evidence bundles")
	devnet.Main("airquality", func(ctx context.Context, w io.Writer) error { return run(ctx, o, w) })
}

// The programme's terms. Amounts in wei; PM2.5 in tenths of µg/m³.
var (
	pricePerSample = big.NewInt(1e13) // 0.00001 ETH per verified sample
	bond           = big.NewInt(1e16) // 0.01 ETH staked per sensor
	penalty        = big.NewInt(5e15) // 0.005 ETH slashed per misreport
	budget         = big.NewInt(1e16) // the city's deposit on each sensor's channel
	gasMoney       = big.NewInt(1e18) // per account, for gas and the bond
	// A reading is provably bad when it is more than 15.0 µg/m³ from each
	// of at least 3 other sensors' readings taken within 2 minutes of it.
	rule = stake.Rule{Bound: 150, MinNeighbours: 3, MaxSkew: 2 * time.Minute}
)

// The hour of readings.
const (
	slots   = 12 // samples per sensor
	slot    = 5 * time.Minute
	badSlot = 7 // when sensor-4 misreports
)

// places are where the citizens put their sensors; each owner keeps it to
// themselves. The last one lies north of the zone.
var places = [][2]string{
	{"45.7578", "4.8320"}, {"45.7640", "4.8357"}, {"45.7485", "4.8467"},
	{"45.7705", "4.8590"}, {"45.7519", "4.8264"}, {"45.7602", "4.8422"},
	{"45.7969", "4.8505"},
}

// run drives the whole system once, narrating to w.
func run(ctx context.Context, o options, w io.Writer) error {
	out := devnet.Printer{W: w}
	start := time.Now()
	env, err := devnet.OpenEnv(ctx, "airquality", o.Flags, w)
	if err != nil {
		return err
	}
	defer env.Close()
	work, ch := env.Work, env.Chain
	now := time.Now().Truncate(time.Second)
	chainName := env.ChainName

	// 1. The city and the citizens' sensors.
	c, err := newCity(ctx, out, work, env.LogDir, env.Out, ch)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	out.Println("1. the programme: the city buys PM2.5 readings from citizens' sensors in its zone")
	out.Printf("   city      %s  zone %s (%s)\n", short(c.did), c.zone.name, c.zone.text)
	var sensors []*sensor
	for i, p := range places {
		s, err := newSensor(fmt.Sprintf("sensor-%d", i+1), p[0], p[1])
		if err != nil {
			return err
		}
		sensors = append(sensors, s)
		out.Printf("   %s  %s  owner %s…  (position private)\n", s.name, short(s.did), s.account.Hex()[:10])
	}

	if o.MQTT != "" {
		if err := c.overMQTT(ctx, o.MQTT); err != nil {
			return err
		}
	}

	// 2. Zone proofs; 3. stakes.
	enrolled, err := c.enrol(ctx, sensors, now.Add(-2*time.Hour))
	if err != nil {
		return err
	}
	if err := c.openStakes(ctx, enrolled, chainName); err != nil {
		return err
	}

	// 4. An hour of readings; 5. the city buys the good ones.
	bundles, err := c.collect(ctx, enrolled, now)
	if err != nil {
		return err
	}
	m, err := openMarket(ctx, work, c.key, c.did, enrolled, now)
	if err != nil {
		return err
	}
	defer m.Close()
	misreports, paid, err := c.buy(ctx, m, enrolled, bundles)
	if err != nil {
		return err
	}

	// 6. The bad one is slashed.
	if len(misreports) != 1 {
		return fmt.Errorf("%d misreports found, want sensor-4's one", len(misreports))
	}
	if err := c.slash(ctx, misreports[0], enrolled); err != nil {
		return err
	}

	out.Println("7. gas on chain")
	for _, l := range c.gas.Lines() {
		out.Printf("   %s\n", l)
	}
	if err := os.WriteFile(filepath.Join(env.Out, "log.vkey"), []byte(c.logKey+"\n"), 0o644); err != nil {
		return err
	}
	out.Printf("evidence in %s; check a zone proof with\n", env.Out)
	out.Printf("   iotrust verify --log-key \"$(cat %s)\" --zk-key %s %s\n", filepath.Join(env.Out, "log.vkey"),
		filepath.Join(env.Out, "zone.vk"), filepath.Join(env.Out, enrolled[0].name+".zone.evidence.json"))
	out.Printf("done in %v: %d sensors enrolled of %d, %d readings anchored, %s paid, 1 stake slashed, every check passed\n",
		time.Since(start).Round(time.Millisecond), len(enrolled), len(sensors), slots*len(enrolled), devnet.Ether(paid))
	return nil
}

// tenths formats a value in tenths as a decimal, without a float.
func tenths(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%d", sign, v/10, v%10)
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

func short(s string) string {
	if len(s) > 26 {
		return s[:20] + "…" + s[len(s)-4:]
	}
	return s
}
