package mqttgw_test

import (
	"cmp"
	"context"
	"fmt"
	"net"

	"crypto/ed25519"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/mqttgw/web"
	"github.com/iotrust/iotrust/quiet"
	"github.com/iotrust/iotrust/store"
	"github.com/iotrust/iotrust/vc"
)

// deviceKeys holds the keys of the devices tests made, by DID.
var deviceKeys sync.Map

// rawConnect connects to the broker at addr with any user name and
// password, as a device that does not follow the protocol might.
func rawConnect(ctx context.Context, addr, user string, pass []byte) (*paho.Client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := paho.NewClient(paho.ClientConfig{ClientID: "raw", Conn: conn})
	ca, err := c.Connect(ctx, &paho.Connect{ClientID: "raw", KeepAlive: 30, CleanStart: true,
		Username: user, UsernameFlag: true, Password: pass, PasswordFlag: len(pass) > 0})
	if err != nil {
		conn.Close()
		if ca != nil {
			return nil, fmt.Errorf("CONNACK 0x%02x", ca.ReasonCode)
		}
		return nil, err
	}
	return c, nil
}

func init() { quiet.Libraries() }

// issuerSide is a manufacturer: an issuer key and a status list it serves
// over HTTP.
type issuerSide struct {
	issuer *vc.Issuer
	mu     sync.Mutex
	list   *vc.StatusList
	next   int
	srv    *httptest.Server
}

func newIssuer(t testing.TB) *issuerSide {
	t.Helper()
	k, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	is := &issuerSide{}
	if is.issuer, err = vc.NewIssuer(k); err != nil {
		t.Fatal(err)
	}
	if is.list, err = vc.NewStatusList(vc.MinStatusListBits); err != nil {
		t.Fatal(err)
	}
	is.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		is.mu.Lock()
		defer is.mu.Unlock()
		// Signed afresh for every fetch, dated now: a gateway ages a list
		// from its validFrom (vc.StatusCache.MaxAge).
		now := time.Now()
		raw, err := is.issuer.IssueStatusListJWT(is.url(), is.list, now, now.Add(time.Hour))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		_, _ = io.WriteString(w, raw)
	}))
	t.Cleanup(is.srv.Close)
	return is
}

func (is *issuerSide) url() string { return is.srv.URL + "/status/1" }

// credential issues a credential for device key k granting publish on
// filters, with a status entry; it returns the credential and its index.
func (is *issuerSide) credential(t testing.TB, k did.PrivateKey, filters ...string) ([]byte, int) {
	t.Helper()
	is.mu.Lock()
	is.next++
	idx := is.next
	is.mu.Unlock()
	return is.credentialWithIndex(t, k, idx, filters...)
}

// credentialWithIndex issues a credential at status index idx.
func (is *issuerSide) credentialWithIndex(t testing.TB, k did.PrivateKey, idx int, filters ...string) ([]byte, int) {
	t.Helper()
	subject, err := did.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	raw, err := is.issuer.IssueJWT(vc.DeviceCredential{
		Subject: subject, Manufacturer: "Test Sensors", Model: "T-1", SerialNumber: "SN-1",
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("fw")), Roles: vc.Roles{Publish: filters},
		ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(24 * time.Hour),
		Status: &vc.StatusEntry{ListCredential: is.url(), Index: idx},
	})
	if err != nil {
		t.Fatal(err)
	}
	return []byte(raw), idx
}

func (is *issuerSide) revoke(t testing.TB, idx int) {
	is.mu.Lock()
	defer is.mu.Unlock()
	if err := is.list.Set(idx, true); err != nil {
		t.Fatal(err)
	}
}

// stack is a whole gateway on loopback: Tessera log, store, batch gateway,
// admission, ingester, embedded broker (or a bridge), HTTP API.
type stack struct {
	dir      string
	ledger   *tlog.Log
	blobs    *store.Store
	gw       *batch.Gateway
	adm      *mqttgw.Admission
	in       *mqttgw.Ingester
	broker   *mqttgw.Broker
	bridge   *mqttgw.Bridge
	api      *httptest.Server
	web      *web.Handler
	issuer   *issuerSide
	registry *did.Registry
	closed   bool
}

type stackOpts struct {
	recheck    time.Duration
	keyTTL     time.Duration
	registry   bool
	maxPending int
	maxDevices int
	maxBatch   int
	window     time.Duration
	brokerURL  string   // external broker: bridge instead of the embedded one
	topics     []string // bridge subscriptions
}

func newStack(t testing.TB, o stackOpts) *stack {
	t.Helper()
	ctx := context.Background()
	s := &stack{dir: t.TempDir(), issuer: newIssuer(t)}
	lsigner, lverifier, err := tlog.NewEd25519Signer("test.iotrust/gateway", ed25519.NewKeyFromSeed(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if s.ledger, err = tlog.Open(ctx, tlog.Config{Dir: filepath.Join(s.dir, "log"), Signer: lsigner, Verifier: lverifier,
		CheckpointInterval: tlog.MinCheckpointInterval}); err != nil {
		t.Fatal(err)
	}
	if s.blobs, err = store.Open(filepath.Join(s.dir, "store"), store.Options{}); err != nil {
		t.Fatal(err)
	}
	id, err := store.GenerateIdentity(nil)
	if err != nil {
		t.Fatal(err)
	}
	gwKey, _ := did.Ed25519.GenerateKey(nil)
	gwDID, _ := did.New(gwKey.Public())
	var keys did.KeyResolver = did.NewKeyCache(4096, nil, 0)
	if o.registry {
		if s.registry, err = did.OpenRegistry(ctx, filepath.Join(s.dir, "registry"), did.RegistryOptions{}); err != nil {
			t.Fatal(err)
		}
		keys = did.NewKeyCache(4096, did.KeyResolvers{s.registry, did.SelfCertifying{}}, o.keyTTL)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if s.adm, err = mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{
		Gateway: gwDID, TrustedIssuers: []string{s.issuer.issuer.DID()}, Keys: keys, CheckKeys: o.registry,
		Recheck: o.recheck, Dir: filepath.Join(s.dir, "credentials"), Logger: logger, MaxDevices: o.maxDevices,
		// Lists age from their validFrom, in whole seconds: a sub-second
		// recheck's default (2 × Recheck) would find every list stale.
		StatusMaxAge: max(2*cmp.Or(o.recheck, 30*time.Second), 2*o.recheck+2*time.Second),
	}); err != nil {
		t.Fatal(err)
	}
	rctx, stopRefresh := context.WithCancel(ctx)
	go s.adm.Run(rctx)
	if s.gw, err = batch.Open(ctx, batch.Config{
		Dir: filepath.Join(s.dir, "gateway"), Topic: "test/gateway", Keys: keys, Authorizer: s.adm.Authorizer(),
		Store: s.blobs, Identity: id, Ledgers: []anchor.Anchorer{s.ledger}, MaxBatch: o.maxBatch, Window: o.window,
		// pahoSend publishes each reading from a goroutine of its own, so a
		// device's readings reach the broker out of order by up to the
		// readings it has in flight (at most mqttgw.DefaultReceiveMaximum).
		ReorderWindow: 4 * mqttgw.DefaultReceiveMaximum,
		Logger:        logger,
	}); err != nil {
		t.Fatal(err)
	}
	hist := web.NewHistory(0, 0)
	if s.in, err = mqttgw.NewIngester(mqttgw.Config{Gateway: s.gw, MaxPending: o.maxPending, OnAccept: hist.Record, Logger: logger}); err != nil {
		t.Fatal(err)
	}
	if o.brokerURL == "" {
		if s.broker, err = mqttgw.NewBroker(mqttgw.BrokerConfig{Addr: "127.0.0.1:0", Admission: s.adm, Ingester: s.in, Logger: logger}); err != nil {
			t.Fatal(err)
		}
		if err := s.broker.Serve(); err != nil {
			t.Fatal(err)
		}
	} else {
		if s.bridge, err = mqttgw.DialBridge(ctx, mqttgw.BridgeConfig{URL: o.brokerURL, Topics: o.topics,
			ClientID: "iotrust-test-" + filepath.Base(s.dir), Ingester: s.in, Logger: logger}); err != nil {
			t.Fatal(err)
		}
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := s.bridge.AwaitConnection(actx); err != nil {
			t.Fatal(err)
		}
	}
	v, err := tlog.NewVerifier(lverifier)
	if err != nil {
		t.Fatal(err)
	}
	if s.web, err = web.New(web.Config{
		Gateway: s.gw, Admission: s.adm, Keys: keys, History: hist,
		Ledgers:    []evidence.Ledger{{Name: tlog.LedgerName, Chain: s.ledger.Origin(), Verifier: v}},
		Checkpoint: func() []byte { return s.ledger.Checkpoint().Raw },
		LogKey:     s.ledger.VerifierKey(),
		Band:       &web.Band{Sensor: "temperature", Unit: "Cel", Lo: 2, Hi: 8},
		Info:       web.Info{Gateway: gwDID, MQTT: "mqtt://" + s.brokerAddr()},
	}); err != nil {
		t.Fatal(err)
	}
	s.api = httptest.NewServer(s.web)
	t.Cleanup(func() {
		stopRefresh()
		s.close(t)
	})
	return s
}

func (s *stack) brokerAddr() string {
	if s.broker == nil {
		return ""
	}
	return s.broker.Addr()
}

// close shuts down as a service does: stop taking publishes, answer what
// was taken, seal and anchor (batch.Gateway.Close).
func (s *stack) close(t testing.TB) {
	if s.closed {
		return
	}
	s.closed = true
	if s.broker != nil {
		_ = s.broker.Close()
	}
	if s.bridge != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.bridge.Close(ctx)
		cancel()
	}
	s.in.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.gw.Close(ctx); err != nil {
		t.Errorf("gateway close: %v", err)
	}
	s.api.Close()
	_ = s.ledger.Close()
	_ = s.blobs.Close()
	if s.registry != nil {
		_ = s.registry.Close()
	}
}

// newDevice makes a device key and credential granting filters, and
// connects it to the stack's broker.
func (s *stack) newDevice(t testing.TB, filters ...string) (*mqttgw.Device, did.PrivateKey, int) {
	t.Helper()
	k, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	cred, idx := s.issuer.credential(t, k, filters...)
	d, err := mqttgw.ConnectDevice(context.Background(), mqttgw.DeviceConfig{
		Broker: s.brokerAddr(), API: s.api.URL, Key: k, Credentials: [][]byte{cred},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	deviceKeys.Store(d.DID(), k)
	return d, k, idx
}

// bareGateway opens a batch.Gateway of cfg (its Topic, MaxBatch,
// ReorderWindow) on a fresh embedded log and store, without broker or
// admission; ledger, if set, wraps the log as the gateway's one ledger.
// The gateway, the store and the log are closed by t.Cleanup.
func bareGateway(t testing.TB, cfg batch.Config, ledger func(*tlog.Log) anchor.Anchorer) *batch.Gateway {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	signer, verifier, err := tlog.NewEd25519Signer("bare.test/log", ed25519.NewKeyFromSeed(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	l, err := tlog.Open(ctx, tlog.Config{Dir: filepath.Join(dir, "log"), Signer: signer, Verifier: verifier})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	blobs, err := store.Open(filepath.Join(dir, "store"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	if cfg.Identity, err = store.GenerateIdentity(nil); err != nil {
		t.Fatal(err)
	}
	cfg.Dir, cfg.Store = filepath.Join(dir, "gateway"), blobs
	cfg.Ledgers = []anchor.Anchorer{l}
	if ledger != nil {
		cfg.Ledgers[0] = ledger(l)
	}
	gw, err := batch.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close(ctx) })
	return gw
}
