package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/iotrust/iotrust/quiet"
	"github.com/iotrust/iotrust/zkp"
)

// options are the command's flags.
type options struct {
	excursion bool          // one logger reading at 9.35 °C
	escrow    bool          // settle on chain (false: stop after the transit)
	rpc       string        // EVM JSON-RPC endpoint; empty: simulated chain
	deadline  time.Duration // from departure until the insurer may claim
	logDir    string        // Tessera log directory; empty: a temporary one
	out       string        // where evidence bundles go; empty: a new temporary directory
	mqtt      string        // MQTT broker URL the sensors publish to; empty: in process
}

func main() {
	log.SetFlags(0)
	// Tessera reports through klog and gnark through zerolog, both global
	// loggers; a program, which owns the process's globals, decides where
	// they write. Here: nowhere.
	quiet.Libraries()

	var opt options
	flags := flag.NewFlagSet("coldchain", flag.ExitOnError)
	flags.BoolVar(&opt.excursion, "excursion", false, "one logger reading at 9.35 °C: the escrow pays the insurer")
	flags.BoolVar(&opt.escrow, "escrow", true, "settle the shipment with the escrow contract at arrival")
	flags.StringVar(&opt.rpc, "rpc", "", "EVM JSON-RPC `URL` for the escrow instead of the in-process simulated chain (funded key in $"+keyEnv+")")
	flags.DurationVar(&opt.deadline, "deadline", 24*time.Hour, "how long after departure the carrier has to prove the shipment")
	flags.StringVar(&opt.logDir, "log-dir", "", "keep the Tessera transparency log in `DIR` (its key in DIR.key) instead of a temporary directory")
	flags.StringVar(&opt.mqtt, "mqtt", "", "sensors publish their readings to the MQTT broker at `URL` (mqtt://host:port), where the gateway subscribes, instead of handing them over in process")
	flags.StringVar(&opt.out, "out", "", "write evidence bundles to `DIR` (default: a new temporary directory)")
	_ = flags.Parse(os.Args[1:])

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, opt); err != nil {
		log.Printf("coldchain: %v", err)
		os.Exit(1)
	}
}

// The shipment and its contract terms.
const (
	shipmentID = "SHP-2026-0042"
	topic      = "coldchain/" + shipmentID
	readings   = 16               // per sensor; the escrow's verifier proves up to 16
	every      = 30 * time.Minute // between two readings of a sensor
)

// run tells the story, printing it to w. It returns an error when anything
// does not verify as it must, or when something verifies that must not.
func run(ctx context.Context, w io.Writer, opt options) error {
	start := time.Now()
	p := &printer{w: w}
	iv := zkp.Interval{Lo: must(zkp.Celsius().Encode("2.00")), Hi: must(zkp.Celsius().Encode("8.00"))}
	scenario := "every reading in range (-excursion: a door left open)"
	if opt.excursion {
		scenario = "a door left open at +5h30 (-excursion)"
	}
	p.f("cold chain: shipment %s must stay within 2.00–8.00 °C; two sensors read every %v; %s\n\n",
		shipmentID, human(every), scenario)

	tmp, err := os.MkdirTemp("", "iotrust-coldchain-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	p.step("provisioning")
	fleet, err := provision(p)
	if err != nil {
		return err
	}
	p.step("admission")
	gw, err := openGateway(ctx, p, fleet, tmp, opt.logDir, opt.mqtt)
	if err != nil {
		return err
	}
	defer gw.close()

	var deal *shipmentDeal
	if opt.escrow {
		p.step("departure")
		if deal, err = openDeal(ctx, p, opt, iv); err != nil {
			return err
		}
		defer deal.close()
	}

	p.step("transit")
	sent, err := transit(ctx, p, fleet, gw, opt.excursion)
	if err != nil {
		return err
	}

	if deal != nil {
		p.step("arrival")
		if err := deal.settle(ctx, p, gw, sent, opt); err != nil {
			return err
		}
	}

	p.step("audit")
	if err := audit(ctx, p, fleet, gw, sent, iv, opt.out); err != nil {
		return err
	}
	p.f("\nok: every check came out as it must, in %v\n", time.Since(start).Round(100*time.Millisecond))
	return nil
}

// printer writes the story.
type printer struct {
	w     io.Writer
	steps int
}

func (p *printer) f(format string, a ...any) { _, _ = fmt.Fprintf(p.w, format, a...) }

// step starts the next step of the story.
func (p *printer) step(title string) {
	p.steps++
	p.f("%d %s\n", p.steps, title)
}

// human formats a duration of whole minutes or hours for the story.
func human(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d < time.Hour && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return d.String()
}

// gas formats a gas figure with thousands separators.
func gas(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s + " gas"
}

// errorText is an error's message for the story, "accepted" for nil.
func errorText(err error) string {
	if err == nil {
		return "accepted"
	}
	return err.Error()
}

// expectRefusal returns an error unless err matches want.
func expectRefusal(what string, err, want error) error {
	if !errors.Is(err, want) {
		return fmt.Errorf("%s: got %v, want %v", what, err, want)
	}
	return nil
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// short abbreviates a DID or an address for the story.
func short(s string) string {
	if len(s) > 24 {
		return s[:16] + "…" + s[len(s)-4:]
	}
	return s
}
