package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/internal/atomicfile"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
	"github.com/iotrust/iotrust/zkp"
)

// demoIssuer plays the manufacturer for -demo: it issues the simulated
// devices' credentials and serves its status list at /demo/status/1;
// POST /demo/revoke?index=N revokes a credential, to watch the gateway
// refuse the device within -recheck. The list and the last index given
// out are kept in demo-status.json in the data directory, so a
// revocation survives a restart and a restarted demo's devices get
// fresh indexes.
type demoIssuer struct {
	issuer *vc.Issuer
	url    string
	path   string // demo-status.json
	mu     sync.Mutex
	list   *vc.StatusList
	next   int
}

// demoState is the content of demo-status.json.
type demoState struct {
	Next int    `json:"next"` // the last status index given out
	List string `json:"list"` // vc.StatusList.Encode
}

func newDemoIssuer(dir, url string) (*demoIssuer, error) {
	seed, err := keyFile(filepath.Join(dir, "demo-issuer.key"))
	if err != nil {
		return nil, err
	}
	k, err := did.Ed25519.DeriveKey(seed)
	if err != nil {
		return nil, err
	}
	d := &demoIssuer{url: url, path: filepath.Join(dir, "demo-status.json")}
	if d.issuer, err = vc.NewIssuer(k); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(d.path)
	if errors.Is(err, os.ErrNotExist) {
		d.list, err = vc.NewStatusList(vc.MinStatusListBits)
		return d, err
	}
	if err != nil {
		return nil, err
	}
	var st demoState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", d.path, err)
	}
	if d.list, err = vc.DecodeStatusList(st.List); err != nil {
		return nil, fmt.Errorf("%s: %w", d.path, err)
	}
	if st.Next < 0 || st.Next >= d.list.Len() {
		return nil, fmt.Errorf("%s: next index %d outside the list of %d", d.path, st.Next, d.list.Len())
	}
	d.next = st.Next
	return d, nil
}

// save writes the list and the last index to demo-status.json; d.mu is
// held.
func (d *demoIssuer) save() error {
	b, err := json.Marshal(demoState{Next: d.next, List: d.list.Encode()})
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(d.path, 0o600, b)
}

// revoke sets index i in the list, and keeps it set across restarts once
// it returns nil.
func (d *demoIssuer) revoke(i int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	was, err := d.list.Revoked(i)
	if err != nil || was {
		return err
	}
	if err := d.list.Set(i, true); err != nil {
		return err
	}
	if err := d.save(); err != nil {
		_ = d.list.Set(i, false)
		return err
	}
	return nil
}

func (d *demoIssuer) statusList() ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	// Signed afresh for every fetch and dated now, not backdated: the
	// gateway ages a list from its validFrom and refuses it after
	// StatusMaxAge (vc.StatusCache.MaxAge).
	now := time.Now()
	raw, err := d.issuer.IssueStatusListJWT(d.url, d.list, now, now.Add(24*time.Hour))
	return []byte(raw), err
}

// fetchFirst answers the demo's own list without HTTP (it is also asked
// before the HTTP server is up) and fetches any other over HTTP.
func (d *demoIssuer) fetchFirst() func(context.Context, string) ([]byte, error) {
	if d == nil {
		return nil
	}
	return func(ctx context.Context, u string) ([]byte, error) {
		if u == d.url {
			return d.statusList()
		}
		return mqttgw.FetchStatusHTTP(ctx, u)
	}
}

func (d *demoIssuer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/demo/status/1":
		raw, err := d.statusList()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/jwt")
		_, _ = w.Write(raw)
	case r.Method == http.MethodPost && r.URL.Path == "/demo/revoke":
		i, err := strconv.Atoi(r.URL.Query().Get("index"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := d.revoke(i); errors.Is(err, vc.ErrStatusUnavailable) {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		} else if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, "revoked\n")
	default:
		http.NotFound(w, r)
	}
}

func (d *demoIssuer) credential(k did.PrivateKey, filter string) ([]byte, int, error) {
	subject, err := did.New(k.Public())
	if err != nil {
		return nil, 0, err
	}
	d.mu.Lock()
	if d.next+1 >= d.list.Len() {
		d.mu.Unlock()
		return nil, 0, fmt.Errorf("demo issuer: all %d status indexes given out", d.list.Len())
	}
	d.next++
	idx := d.next
	if err := d.save(); err != nil {
		d.next--
		d.mu.Unlock()
		return nil, 0, err
	}
	d.mu.Unlock()
	now := time.Now()
	raw, err := d.issuer.IssueJWT(vc.DeviceCredential{
		Subject: subject, Manufacturer: "Demo Sensors", Model: "CC-1", SerialNumber: fmt.Sprintf("DEMO-%04d", idx),
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("demo firmware 1.0")), Roles: vc.Roles{Publish: []string{filter}},
		ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(30 * 24 * time.Hour),
		Status: &vc.StatusEntry{ListCredential: d.url, Index: idx},
	})
	return []byte(raw), idx, err
}

// run starts n simulated cold-chain sensors: real MQTT clients with did:key
// keys and credentials, publishing a temperature every interval. The last
// one (with n ≥ 2) is a private sensor: it publishes commitments, not
// values. It returns when ctx has ended and every sensor has stopped, so
// that nothing writes to the gateway's directory (the status list) after
// it.
func (d *demoIssuer) run(ctx context.Context, log *slog.Logger, broker, api string, n int, every time.Duration) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { d.sensor(ctx, log, broker, api, i, n >= 2 && i == n-1, every) })
	}
	wg.Wait()
}

func (d *demoIssuer) sensor(ctx context.Context, log *slog.Logger, broker, api string, i int, private bool, every time.Duration) {
	_, priv, _ := ed25519.GenerateKey(nil)
	k, err := did.Ed25519.DeriveKey(priv.Seed())
	if err != nil {
		log.Error("demo key", "err", err)
		return
	}
	topic := fmt.Sprintf("coldchain/truck-%d/temp", i+1)
	cred, idx, err := d.credential(k, fmt.Sprintf("coldchain/truck-%d/#", i+1))
	if err != nil {
		log.Error("demo credential", "err", err)
		return
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(i)))
	centi := int64(450 + rng.IntN(100))
	excursion := 0
	for ctx.Err() == nil {
		dev, err := mqttgw.ConnectDevice(ctx, mqttgw.DeviceConfig{Broker: broker, API: api, Key: k, Credentials: [][]byte{cred}})
		if err != nil {
			log.Warn("demo device cannot connect", "device", i+1, "err", err)
			sleep(ctx, 5*time.Second)
			continue
		}
		log.Info("demo device connected", "device", dev.DID(), "topic", topic, "private", private, "status_index", idx)
		t := time.NewTicker(every)
		for ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			// A random walk around 4.5 °C with an occasional excursion
			// above the 2–8 °C band.
			centi += int64(rng.IntN(31)) - 15
			centi = min(max(centi, 250), 700)
			if excursion == 0 && rng.IntN(150) == 0 {
				excursion = 8
			}
			v := centi
			if excursion > 0 {
				v += 450
				excursion--
			}
			// Sequence numbers from the clock: a restarted simulator
			// continues above what the gateway accepted before.
			r := reading.Reading{Topic: topic, Seq: uint64(time.Now().UnixMilli()), Sensor: "temperature", Scale: 2, Unit: "Cel", Value: v}
			if private {
				enc, err := zkp.Celsius().EncodeScaled(v)
				if err != nil {
					continue
				}
				c, _, err := zkp.Commit(enc, nil)
				if err != nil {
					continue
				}
				r.Value, r.Commitment = 0, c[:]
			}
			_, code, err := dev.Publish(ctx, r)
			if err != nil {
				log.Warn("demo publish failed", "device", i+1, "err", err)
				break
			}
			if code != mqttgw.CodeSuccess {
				log.Warn("demo reading refused", "device", i+1, "code", code.String())
			}
		}
		t.Stop()
		_ = dev.Close()
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
