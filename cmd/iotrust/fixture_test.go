package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/quiet"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
	"github.com/iotrust/iotrust/zkp"
)

func TestMain(m *testing.M) {
	quiet.Libraries()
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// world is made once per test binary: a real Tessera log on disk, a real
// gateway that anchored a batch of a device's readings on it, and the
// evidence bundles the gateway served.
type world struct {
	dir     string
	logDir  string
	logKey  string // note verifier key of the log
	origin  string
	logPriv ed25519.PrivateKey

	device    did.PrivateKey
	plain     *evidence.Bundle // bundle of a plain reading
	plainPath string
	zk        *evidence.Bundle // bundle of a committed reading with a ZK proof
	zkPath    string
	vkPath    string           // verifying key of the ZK proof
	agg       *evidence.Bundle // bundle of a reading anchored through an aggregator
	aggPath   string
	extra     anchor.Receipt
}

var (
	shared     world
	sharedOnce sync.Once
	sharedErr  error
)

func fixture(t *testing.T) *world {
	t.Helper()
	sharedOnce.Do(func() { sharedErr = shared.build() })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return &shared
}

// newLogKey returns a log's signer, verifier and its verifier key text.
func newLogKey(origin string, priv ed25519.PrivateKey) (note.Signer, note.Verifier, string, error) {
	s, v, err := tlog.NewEd25519Signer(origin, priv)
	if err != nil {
		return nil, nil, "", err
	}
	vkey, err := note.NewEd25519VerifierKey(origin, priv.Public().(ed25519.PublicKey))
	return s, v, vkey, err
}

func (w *world) build() error {
	ctx := context.Background()
	var err error
	if w.dir, err = os.MkdirTemp("", "iotrust-cli-test"); err != nil {
		return err
	}
	w.origin = "example.com/iotrust-cli-test"
	w.logDir = filepath.Join(w.dir, "log")
	_, w.logPriv, _ = ed25519.GenerateKey(nil)
	signer, verifier, vkey, err := newLogKey(w.origin, w.logPriv)
	if err != nil {
		return err
	}
	w.logKey = vkey
	log, err := tlog.Open(ctx, tlog.Config{Dir: w.logDir, Signer: signer, Verifier: verifier, CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		return err
	}
	defer log.Close()
	blobs, err := store.Open(filepath.Join(w.dir, "store"), store.Options{})
	if err != nil {
		return err
	}
	defer blobs.Close()
	id, err := store.GenerateIdentity(nil)
	if err != nil {
		return err
	}
	cfg := batch.Config{
		Dir: filepath.Join(w.dir, "gateway"), Topic: "coldchain/truck-7",
		Store: blobs, Identity: id, Ledgers: []anchor.Anchorer{log},
	}
	gw, err := batch.Open(ctx, cfg)
	if err != nil {
		return err
	}

	// A device with a plain thermometer and a private one.
	if w.device, err = did.Ed25519.GenerateKey(nil); err != nil {
		return err
	}
	dev, _ := did.New(w.device.Public())
	now := time.Now().Truncate(time.Millisecond)
	plain, err := reading.Sign(w.device, reading.Reading{
		Device: dev, Topic: "coldchain/truck-7/temp", Seq: 1, Time: now,
		Sensor: "temperature", Value: 415, Scale: 2, Unit: "Cel",
	})
	if err != nil {
		return err
	}
	value := uint64(450) // 4.50 °C, private
	commitment, opening, err := zkp.Commit(value, nil)
	if err != nil {
		return err
	}
	private, err := reading.Sign(w.device, reading.Reading{
		Device: dev, Topic: "coldchain/truck-7/temp", Seq: 2, Time: now.Add(time.Millisecond),
		Sensor: "temperature", Scale: 2, Unit: "Cel", Commitment: commitment[:],
	})
	if err != nil {
		return err
	}
	for _, s := range []reading.Signed{plain, private} {
		if err := gw.Submit(ctx, s); err != nil {
			return err
		}
	}
	if err := gw.Close(ctx); err != nil { // seals, anchors, waits for final receipts
		return err
	}
	if gw, err = batch.Open(ctx, cfg); err != nil {
		return err
	}
	defer gw.Close(ctx)
	pid, _ := plain.ID()
	if w.plain, err = gw.Evidence(ctx, pid); err != nil {
		return err
	}
	zid, _ := private.ID()
	if w.zk, err = gw.Evidence(ctx, zid); err != nil {
		return err
	}

	// The private reading's bundle carries a proof that it lay in 2–8 °C.
	cc, err := zkp.Compile(zkp.ReadingShape(16), zkp.Groth16)
	if err != nil {
		return err
	}
	pk, vk, err := zkp.UnsafeSetup(cc, []byte("iotrust cli test"))
	if err != nil {
		return err
	}
	iv := zkp.Interval{Lo: 200, Hi: 800}
	proof, err := zkp.Prove(pk, zkp.ReadingClaim{Interval: iv, Commitment: commitment}, []zkp.Opening{opening})
	if err != nil {
		return err
	}
	w.zk.ZKP = &evidence.ZKProof{Claim: evidence.Claim{Kind: zkp.KindReading, Intervals: []zkp.Interval{iv}}, Proof: proof}
	var vkb bytes.Buffer
	if _, err := vk.WriteTo(&vkb); err != nil {
		return err
	}
	w.vkPath = filepath.Join(w.dir, "reading.vk")
	if err := os.WriteFile(w.vkPath, vkb.Bytes(), 0o644); err != nil {
		return err
	}

	// A second entry in the log, so that positions can be wrong.
	if w.extra, err = log.Anchor(ctx, anchortest.Commitment("another batch")); err != nil {
		return err
	}
	if w.extra, err = log.WaitFinal(ctx, w.extra); err != nil {
		return err
	}

	// A second gateway anchors through an aggregator whose aggregates go on
	// the same log: the third entry.
	agg, err := aggregate.Open(ctx, aggregate.Config{Inner: log, Dir: filepath.Join(w.dir, "aggregator"), Interval: 100 * time.Millisecond})
	if err != nil {
		return err
	}
	defer agg.Close()
	cfg2 := cfg
	cfg2.Dir, cfg2.Topic, cfg2.Ledgers = filepath.Join(w.dir, "gateway2"), "coldchain/truck-8", []anchor.Anchorer{agg}
	gw2, err := batch.Open(ctx, cfg2)
	if err != nil {
		return err
	}
	viaAgg, err := reading.Sign(w.device, reading.Reading{
		Device: dev, Topic: "coldchain/truck-8/temp", Seq: 3, Time: now.Add(2 * time.Millisecond),
		Sensor: "temperature", Value: 512, Scale: 2, Unit: "Cel",
	})
	if err != nil {
		return err
	}
	if err := gw2.Submit(ctx, viaAgg); err != nil {
		return err
	}
	if err := gw2.Close(ctx); err != nil {
		return err
	}
	if gw2, err = batch.Open(ctx, cfg2); err != nil {
		return err
	}
	defer gw2.Close(ctx)
	aid, _ := viaAgg.ID()
	if w.agg, err = gw2.Evidence(ctx, aid); err != nil {
		return err
	}
	if err := agg.Close(); err != nil {
		return err
	}

	w.plainPath = filepath.Join(w.dir, "plain.evidence.json")
	w.zkPath = filepath.Join(w.dir, "zk.evidence.json")
	w.aggPath = filepath.Join(w.dir, "agg.evidence.json")
	for path, b := range map[string]*evidence.Bundle{w.plainPath: w.plain, w.zkPath: w.zk, w.aggPath: w.agg} {
		raw, err := b.Marshal()
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			return err
		}
	}
	return log.Close()
}

// result is what one in-process run of the program gave.
type result struct {
	code           int
	stdout, stderr string
}

// iotrust runs the program in-process with args and stdin.
func iotrust(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return iotrustIn(t, context.Background(), strings.NewReader(stdin), args...)
}

// iotrustIn is iotrust with a context (cancelled for an interrupted run)
// and standard input of the caller's.
func iotrustIn(t *testing.T, ctx context.Context, stdin io.Reader, args ...string) result {
	t.Helper()
	return iotrustEnv(t, ctx, &env{stdin: stdin, now: time.Now, configDir: t.TempDir()}, args...)
}

// iotrustEnv runs the program in-process with args in e, whose stdout and
// stderr it sets.
func iotrustEnv(t *testing.T, ctx context.Context, e *env, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e.stdout, e.stderr = &out, &errb
	code := run(ctx, args, e)
	r := result{code, out.String(), errb.String()}
	t.Logf("iotrust %s → %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, r.stdout, r.stderr)
	return r
}

// writeFile writes data to a new file in t's temporary directory.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// gatewayBundle has a gateway of its own (batch topic topic, keys
// resolved through keys, nil for its default) take s, anchor it on ledger
// and wait for its final receipt; it returns the file of s's evidence
// bundle.
func gatewayBundle(t *testing.T, ctx context.Context, ledger anchor.Anchorer, keys did.KeyResolver, topic string, s reading.Signed) string {
	t.Helper()
	dir := t.TempDir()
	blobs, err := store.Open(filepath.Join(dir, "store"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer blobs.Close()
	id, err := store.GenerateIdentity(nil)
	if err != nil {
		t.Fatal(err)
	}
	gw, err := batch.Open(ctx, batch.Config{Dir: filepath.Join(dir, "gw"), Topic: topic, Keys: keys,
		Store: blobs, Identity: id, Ledgers: []anchor.Anchorer{ledger}})
	if err != nil {
		t.Fatal(err)
	}
	defer gw.Close(ctx)
	if err := gw.Submit(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := gw.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := gw.WaitFinal(ctx, 1); err != nil {
		t.Fatal(err)
	}
	rid, _ := s.ID()
	b, err := gw.Evidence(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "reading.evidence.json")
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// copyDir copies the log directory src to a new temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !fi.Mode().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func noteKey(origin string, pub ed25519.PublicKey) (string, error) {
	return note.NewEd25519VerifierKey(origin, pub)
}
