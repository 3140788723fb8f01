// Command gateway is iotrust's long-running MQTT gateway: devices connect
// over MQTT 5, are admitted by DID and credential, and publish signed
// readings; the gateway acknowledges each reading once it is durable,
// seals readings into batches, stores them encrypted, anchors them on its
// transparency log (or an EVM chain), and serves evidence bundles, a
// Prometheus endpoint and an audit page. The protocol and the library it is
// built from are in package mqttgw; this command only wires them to flags.
//
//	go run ./examples/gateway           # embedded broker; log, store, keys in ~/.cache/iotrust-gateway
//	go run ./examples/gateway -demo     # plus simulated devices
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/evm"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/mqttgw/web"
	"github.com/iotrust/iotrust/quiet"
	"github.com/iotrust/iotrust/store"
)

// options are the command's flags; each can also be set by the
// environment variable IOTRUST_GATEWAY_<NAME> (upper case, "-" as "_"),
// which a flag on the command line overrides.
type options struct {
	dir, mqttAddr, httpAddr, brokerURL, topics string
	issuers, registry, ledgers, rpc, contract  string
	topic, logFormat, logLevel, band           string
	recheck, keyTTL, window, evmPoll           time.Duration
	maxBatch, maxPending, maxDevices           int
	confirmations, deployBlock                 uint64
	demo                                       bool
	demoDevices                                int
	demoEvery                                  time.Duration
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("gateway", flag.ContinueOnError)
	defDir := "iotrust-gateway"
	if c, err := os.UserCacheDir(); err == nil {
		defDir = filepath.Join(c, "iotrust-gateway")
	}
	fs.StringVar(&o.dir, "dir", defDir, "data directory: write-ahead log, batches, log, keys (kept across restarts)")
	fs.StringVar(&o.mqttAddr, "mqtt", "127.0.0.1:1883", "embedded MQTT 5 broker listen address")
	fs.StringVar(&o.httpAddr, "http", "127.0.0.1:8080", "HTTP API and audit page listen address")
	fs.StringVar(&o.brokerURL, "broker", "", "external broker URL (mqtt://host:port) instead of the embedded broker")
	fs.StringVar(&o.topics, "topics", "#", "topic filters to subscribe to on an external broker, comma separated")
	fs.StringVar(&o.issuers, "issuers", "", "trusted credential issuer DIDs, comma separated")
	fs.StringVar(&o.registry, "registry", "", "DID registry log file; revoked and rotated device keys are refused")
	fs.DurationVar(&o.keyTTL, "key-ttl", 30*time.Second, "how long a registry answer is cached (bounds key revocation)")
	fs.DurationVar(&o.recheck, "recheck", mqttgw.DefaultRecheck, "how often status lists and admitted devices are checked again (bounds credential revocation)")
	fs.StringVar(&o.ledgers, "ledgers", "tlog", "ledgers to anchor on, comma separated: tlog, evm")
	fs.StringVar(&o.rpc, "rpc", "", "EVM JSON-RPC URL (enables the evm ledger); key from IOTRUST_EVM_KEY (hex)")
	fs.StringVar(&o.contract, "contract", "", "EVM anchor contract address")
	fs.Uint64Var(&o.deployBlock, "deploy-block", 0, "block the anchor contract was deployed in")
	fs.Uint64Var(&o.confirmations, "confirmations", 12, "EVM confirmations before a receipt is final")
	fs.DurationVar(&o.evmPoll, "evm-poll", time.Second, "how often the node is asked for new blocks and receipts (batches are anchored one at a time: about one per interval)")
	fs.StringVar(&o.topic, "topic", "iotrust/gateway", "stream name in batch commitments")
	fs.IntVar(&o.maxBatch, "max-batch", batch.DefaultMaxBatch, "seal a batch at this many readings")
	fs.DurationVar(&o.window, "window", batch.DefaultWindow, "seal a batch this long after its first reading")
	fs.IntVar(&o.maxPending, "max-pending", 0, "readings in flight before publishes are refused with 0x97 (0: default)")
	fs.IntVar(&o.maxDevices, "max-devices", mqttgw.DefaultMaxDevices, "devices admitted and connected at once; one more evicts the least recently admitted device not connected")
	fs.StringVar(&o.band, "band", "temperature:Cel:2:8", "band drawn on charts, sensor:unit:lo:hi (empty: none)")
	fs.StringVar(&o.logFormat, "log", "json", "log format: json or text")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.BoolVar(&o.demo, "demo", false, "also run a demo issuer and simulated devices")
	fs.IntVar(&o.demoDevices, "demo-devices", 3, "number of simulated devices with -demo")
	fs.DurationVar(&o.demoEvery, "demo-every", time.Second, "interval between a simulated device's readings")
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		env := "IOTRUST_GATEWAY_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := f.Value.Set(v); err != nil && envErr == nil {
				envErr = fmt.Errorf("%s: %w", env, err)
			}
		}
	})
	if envErr != nil {
		return nil, envErr
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return o, nil
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		if errors.Is(err, errFlags) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// errFlags marks a bad flag or environment value, found by check before
// the gateway opens or starts anything.
var errFlags = errors.New("bad flags")

func flagErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errFlags}, a...)...)
}

// plan is what check derived from the flags and the environment.
type plan struct {
	log      *slog.Logger
	ledgers  []string // "tlog", "evm", each at most once
	evmKey   *ecdsa.PrivateKey
	contract common.Address
	issuers  []string
	topics   []string
	band     *web.Band
}

// check validates every flag, and IOTRUST_EVM_KEY when the evm ledger is
// named, before run creates, opens or starts anything, so a bad value
// leaves nothing half-started.
func check(o *options) (*plan, error) {
	p := &plan{}
	var err error
	if p.log, err = newLogger(o); err != nil {
		return nil, flagErr("%w", err)
	}
	for _, name := range strings.Split(o.ledgers, ",") {
		name = strings.TrimSpace(name)
		if name != "tlog" && name != "evm" {
			return nil, flagErr("-ledgers: unknown ledger %q (want tlog, evm)", name)
		}
		if slices.Contains(p.ledgers, name) {
			return nil, flagErr("-ledgers: %s named twice", name)
		}
		p.ledgers = append(p.ledgers, name)
	}
	if slices.Contains(p.ledgers, "evm") {
		if o.rpc == "" || o.contract == "" {
			return nil, flagErr("the evm ledger needs -rpc and -contract")
		}
		if !common.IsHexAddress(o.contract) {
			return nil, flagErr("-contract %q is not an address", o.contract)
		}
		p.contract = common.HexToAddress(o.contract)
		hexKey := strings.TrimPrefix(strings.TrimSpace(os.Getenv("IOTRUST_EVM_KEY")), "0x")
		if hexKey == "" {
			return nil, flagErr("the evm ledger needs IOTRUST_EVM_KEY (hex private key of a registered gateway)")
		}
		if p.evmKey, err = crypto.HexToECDSA(hexKey); err != nil {
			return nil, flagErr("IOTRUST_EVM_KEY: %w", err)
		}
	} else if o.rpc != "" {
		return nil, flagErr("-rpc given but -ledgers does not name evm")
	}
	for _, s := range strings.Split(o.issuers, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if _, frag, err := did.SplitURL(s); err != nil || frag != "" {
			return nil, flagErr("-issuers: %q is not a DID", s)
		}
		p.issuers = append(p.issuers, s)
	}
	if o.brokerURL != "" {
		if u, err := url.Parse(o.brokerURL); err != nil || u.Scheme == "" || u.Host == "" {
			return nil, flagErr("-broker %q: want a URL such as mqtt://host:port", o.brokerURL)
		}
		for _, f := range strings.Split(o.topics, ",") {
			if f = strings.TrimSpace(f); f == "" {
				return nil, flagErr("-topics %q: empty topic filter", o.topics)
			}
			p.topics = append(p.topics, f)
		}
		if o.demo {
			return nil, flagErr("-demo needs the embedded broker (no -broker)")
		}
	} else if err := checkAddr(o.mqttAddr); err != nil {
		return nil, flagErr("-mqtt: %w", err)
	}
	if err := checkAddr(o.httpAddr); err != nil {
		return nil, flagErr("-http: %w", err)
	}
	if p.band, err = parseBand(o.band); err != nil {
		return nil, flagErr("%w", err)
	}
	if o.maxBatch < 0 || o.maxBatch > batch.MaxBatchSize/2 {
		return nil, flagErr("-max-batch %d: want 1 to %d (0: default)", o.maxBatch, batch.MaxBatchSize/2)
	}
	if o.maxPending < 0 {
		return nil, flagErr("-max-pending %d is negative", o.maxPending)
	}
	if o.maxDevices < 1 {
		return nil, flagErr("-max-devices %d: want at least 1", o.maxDevices)
	}
	for name, d := range map[string]time.Duration{"-window": o.window, "-recheck": o.recheck, "-key-ttl": o.keyTTL, "-evm-poll": o.evmPoll} {
		if d < 0 {
			return nil, flagErr("%s %v is negative", name, d)
		}
	}
	if o.demo && (o.demoDevices < 0 || o.demoEvery <= 0) {
		return nil, flagErr("-demo-devices %d, -demo-every %v: want a count ≥ 0 and a positive interval", o.demoDevices, o.demoEvery)
	}
	return p, nil
}

// checkAddr checks that addr is host:port with a port number (0: any).
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("%q: port %q is not a number below 65536", addr, port)
	}
	return nil
}

func newLogger(o *options) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(o.logLevel)); err != nil {
		return nil, fmt.Errorf("-log-level %q: want debug, info, warn or error", o.logLevel)
	}
	hopts := &slog.HandlerOptions{Level: lvl}
	switch o.logFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, hopts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, hopts)), nil
	}
	return nil, fmt.Errorf("-log %q: want json or text", o.logFormat)
}

// keyFile returns the 32-byte seed kept in path, making it at first start.
func keyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		seed, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(seed) != 32 {
			return nil, fmt.Errorf("%s: not 64 hex digits", path)
		}
		return seed, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	return seed, os.WriteFile(path, []byte(hex.EncodeToString(seed)+"\n"), 0o600)
}

// closers runs shutdown steps in reverse order of registration.
type closers []func()

func (c *closers) add(f func()) { *c = append(*c, f) }
func (c closers) run() {
	for i := len(c) - 1; i >= 0; i-- {
		c[i]()
	}
}

func run(ctx context.Context, o *options, out io.Writer) (err error) {
	p, err := check(o)
	if err != nil {
		return err
	}
	log := p.log
	// Tessera reports through klog and gnark through zerolog, process-wide
	// loggers: route them nowhere (the program owns global logging; the
	// library does not).
	quiet.Libraries()

	var down closers
	defer func() { down.run() }() // the closers registered below, in reverse

	// The HTTP listener first: an address in use fails before anything
	// else is opened. It is served once the handler is built.
	lis, err := net.Listen("tcp", o.httpAddr)
	if err != nil {
		return err
	}
	down.add(func() { _ = lis.Close() })
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return err
	}

	// The gateway's identity: its DID (the audience of presentations) and
	// the key that signs its log's checkpoints.
	seed, err := keyFile(filepath.Join(o.dir, "gateway.key"))
	if err != nil {
		return err
	}
	gwKey, err := did.Ed25519.DeriveKey(seed)
	if err != nil {
		return err
	}
	gwDID, err := did.New(gwKey.Public())
	if err != nil {
		return err
	}
	storeSeed, err := keyFile(filepath.Join(o.dir, "store.key"))
	if err != nil {
		return err
	}
	storeID, err := store.ParseIdentity(store.IdentityPrefix + hex.EncodeToString(storeSeed))
	if err != nil {
		return err
	}

	// Ledgers.
	var ledgers []anchor.Anchorer
	var trusted []evidence.Ledger
	var logLedger *tlog.Log
	for _, name := range p.ledgers {
		switch name {
		case "tlog":
			signer, verifier, err := tlog.NewEd25519Signer("iotrust.example/gateway/"+gwDID[len(gwDID)-12:], ed25519.NewKeyFromSeed(seed))
			if err != nil {
				return err
			}
			l, err := tlog.Open(ctx, tlog.Config{Dir: filepath.Join(o.dir, "log"), Signer: signer, Verifier: verifier})
			if err != nil {
				return err
			}
			down.add(func() { _ = l.Close() })
			logLedger = l
			v, err := tlog.NewVerifier(verifier)
			if err != nil {
				return err
			}
			ledgers = append(ledgers, logLedger)
			trusted = append(trusted, evidence.Ledger{Name: tlog.LedgerName, Chain: logLedger.Origin(), Verifier: v})
		case "evm":
			l, err := openEVM(ctx, o, p, log)
			if err != nil {
				return err
			}
			down.add(func() { _ = l.Close() })
			ledgers = append(ledgers, l)
			trusted = append(trusted, evidence.Ledger{Name: evm.LedgerName, Chain: l.Chain(), Verifier: l})
		}
	}
	blobs, err := store.Open(filepath.Join(o.dir, "store"), store.Options{})
	if err != nil {
		return err
	}
	down.add(func() { _ = blobs.Close() })

	// Device keys: self-certifying did:key, behind a registry if one is given.
	var keys did.KeyResolver = did.NewKeyCache(65536, nil, 0)
	if o.registry != "" {
		reg, err := did.OpenRegistry(ctx, o.registry, did.RegistryOptions{Logger: log})
		if err != nil {
			return err
		}
		down.add(func() { _ = reg.Close() })
		keys = did.NewKeyCache(65536, did.KeyResolvers{reg, did.SelfCertifying{}}, o.keyTTL)
	}

	issuers := p.issuers
	var demo *demoIssuer
	if o.demo {
		if demo, err = newDemoIssuer(o.dir, "http://"+o.httpAddr+"/demo/status/1"); err != nil {
			return err
		}
		issuers = append(issuers, demo.issuer.DID())
	}
	adm, err := mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{
		Gateway: gwDID, TrustedIssuers: issuers, Keys: keys, CheckKeys: o.registry != "",
		Recheck: o.recheck, MaxDevices: o.maxDevices, Dir: filepath.Join(o.dir, "credentials"), Logger: log.With("part", "admission"),
		FetchStatus: demo.fetchFirst(),
	})
	if err != nil {
		return err
	}
	refreshCtx, stopRefresh := context.WithCancel(context.Background())
	var refresher sync.WaitGroup
	refresher.Go(func() { adm.Run(refreshCtx) }) // a Refresh writes under credentials/
	down.add(func() { stopRefresh(); refresher.Wait() })

	// The pipeline. Open resumes from the write-ahead log of a previous run.
	gw, err := batch.Open(ctx, batch.Config{
		Dir: filepath.Join(o.dir, "gateway"), Topic: o.topic, Keys: keys, Authorizer: adm.Authorizer(),
		Store: blobs, Identity: storeID, Ledgers: ledgers, MaxBatch: o.maxBatch, Window: o.window,
		Logger: log.With("part", "batch"),
	})
	if err != nil {
		return err
	}
	down.add(func() {
		// Seal and anchor what the gateway holds; what is not anchored
		// within the bound is anchored by the next start.
		cctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		m := gw.Metrics()
		log.Info("sealing and anchoring before exit", "open", m.Open, "backlog", m.Backlog)
		if err := gw.Close(cctx); err != nil {
			log.Error("gateway close", "err", err)
		}
	})
	hist := web.NewHistory(0, 0)
	in, err := mqttgw.NewIngester(mqttgw.Config{Gateway: gw, MaxPending: o.maxPending, OnAccept: hist.Record, Logger: log.With("part", "ingest")})
	if err != nil {
		return err
	}
	down.add(in.Close)

	// MQTT: the embedded broker, or a bridge to an external one.
	var broker *mqttgw.Broker
	mqttURL := o.brokerURL
	if o.brokerURL == "" {
		if broker, err = mqttgw.NewBroker(mqttgw.BrokerConfig{Addr: o.mqttAddr, Admission: adm, Ingester: in, Logger: log.With("part", "broker")}); err != nil {
			return err
		}
		if err := broker.Serve(); err != nil {
			return err
		}
		down.add(func() { _ = broker.Close() })
		mqttURL = "mqtt://" + broker.Addr()
	} else {
		bridge, err := mqttgw.DialBridge(ctx, mqttgw.BridgeConfig{URL: o.brokerURL, Topics: p.topics,
			Ingester: in, Logger: log.With("part", "bridge")})
		if err != nil {
			return err
		}
		down.add(func() {
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = bridge.Close(cctx)
		})
	}

	// HTTP: API, metrics, audit page.
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		mqttgw.NewCollector(mqttgw.CollectorConfig{Gateway: gw, Ingester: in, Admission: adm, Broker: broker}))
	wcfg := web.Config{
		Gateway: gw, Admission: adm, Ledgers: trusted, MinReceipts: len(trusted), Keys: keys, History: hist, Band: p.band,
		Metrics: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
		Info:    web.Info{Gateway: gwDID, MQTT: mqttURL},
		Health: func(context.Context) error {
			if m := gw.Metrics(); m.Backlog >= batch.DefaultMaxBacklog {
				return fmt.Errorf("anchoring backlog full (%d batches)", m.Backlog)
			}
			return nil
		},
		Logger: log.With("part", "http"),
	}
	if logLedger != nil {
		wcfg.Checkpoint = func() []byte { return logLedger.Checkpoint().Raw }
		wcfg.LogKey = logLedger.VerifierKey()
		if err := os.WriteFile(filepath.Join(o.dir, "log.vkey"), []byte(wcfg.LogKey+"\n"), 0o644); err != nil {
			return err
		}
	}
	h, err := web.New(wcfg)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	if demo != nil {
		mux.Handle("/demo/", demo)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(lis) }()
	down.add(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(cctx)
	})
	api := "http://" + lis.Addr().String()

	fmt.Fprintf(out, "iotrust gateway %s\n", gwDID)
	fmt.Fprintf(out, "  devices connect to  %s  (user name: device DID, password: presentation answering GET %s/v1/challenge)\n", mqttURL, api)
	fmt.Fprintf(out, "  audit page          %s/\n", api)
	fmt.Fprintf(out, "  metrics             %s/metrics\n", api)
	if wcfg.LogKey != "" {
		fmt.Fprintf(out, "  log key             %s  (iotrust verify --log-key)\n", wcfg.LogKey)
	}
	fmt.Fprintf(out, "  trusted issuers     %s\n", strings.Join(issuers, " "))
	fmt.Fprintf(out, "  data                %s\n", o.dir)
	log.Info("gateway started", "did", gwDID, "mqtt", mqttURL, "http", api, "ledgers", o.ledgers, "issuers", len(issuers))

	if demo != nil {
		var sensors sync.WaitGroup
		sensors.Go(func() { demo.run(ctx, log.With("part", "demo"), broker.Addr(), api, o.demoDevices, o.demoEvery) })
		down.add(sensors.Wait) // first: the sensors stop before what they use
		fmt.Fprintf(out, "  demo: %d simulated devices publishing every %v\n", o.demoDevices, o.demoEvery)
	}
	<-ctx.Done()
	log.Info("shutting down")
	return nil
}

func openEVM(ctx context.Context, o *options, p *plan, log *slog.Logger) (*evm.Ledger, error) {
	client, err := ethclient.DialContext(ctx, o.rpc)
	if err != nil {
		return nil, err
	}
	return evm.Open(ctx, client, evm.Config{Contract: p.contract, DeployBlock: o.deployBlock,
		Signer: evm.KeySigner(p.evmKey), Confirmations: o.confirmations, PollInterval: o.evmPoll, Logger: log.With("part", "evm")})
}

func parseBand(s string) (*web.Band, error) {
	if s == "" {
		return nil, nil
	}
	p := strings.Split(s, ":")
	if len(p) != 4 {
		return nil, fmt.Errorf("-band %q: want sensor:unit:lo:hi", s)
	}
	lo, err1 := strconv.ParseFloat(p[2], 64)
	hi, err2 := strconv.ParseFloat(p[3], 64)
	if err1 != nil || err2 != nil || lo >= hi {
		return nil, fmt.Errorf("-band %q: lo and hi must be numbers, lo < hi", s)
	}
	return &web.Band{Sensor: p[0], Unit: p[1], Lo: lo, Hi: hi}, nil
}
