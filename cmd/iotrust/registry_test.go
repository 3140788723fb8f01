package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
)

// Devices managed in a DID registry. Verify with --registry checks each
// reading against the key the registry gives at the reading's time;
// without it, against the key a did:key names. So a reading signed by a
// did:key device's key after the registry revoked it passes only without
// the registry, and a reading of a device whose DID only the registry
// resolves (did:web here) passes only with it.
func TestVerifyRegistry(t *testing.T) {
	w := fixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	regPath := filepath.Join(dir, "registry.log")
	reg, err := did.OpenRegistry(ctx, regPath, did.RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := did.New(w.device.Public())
	ctrlKey, _ := did.Ed25519.GenerateKey(nil)
	ctrl, _ := did.New(ctrlKey.Public())
	t0 := w.plain.Readings[0].Time // the fixture's readings, signed with w.device
	// A did:key is registered by itself, then handed to its controller.
	if _, err := reg.Register(ctx, w.device, dev, dev, w.device.Public(), t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Transfer(ctx, w.device, dev, ctrl, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Revoke(ctx, ctrlKey, dev, w.device.Public(), t0.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	const webDev = "did:web:fleet.example.com:truck-9"
	webKey, _ := did.Ed25519.GenerateKey(nil)
	if _, err := reg.Register(ctx, ctrlKey, ctrl, webDev, webKey.Public(), t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	webPath, webLogKey := registryBundle(t, ctx, reg, webKey, webDev, t0.Add(10*time.Millisecond))
	_, head := reg.Head()
	headLine := fmt.Sprintf("registry %s: 4 entries, head %s\n", regPath, head)
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(regPath)
	if err != nil {
		t.Fatal(err)
	}

	// The fixture's reading, signed by a key revoked before it.
	if r := iotrust(t, "", "verify", "--log-key", w.logKey, w.plainPath); r.code != exitOK {
		t.Fatalf("without the registry: exit %d\n%s", r.code, r.stdout)
	}
	r := iotrust(t, "", "verify", "--log-key", w.logKey, "--registry", regPath, w.plainPath)
	if r.code != exitFailed || !strings.Contains(r.stdout, "fail  reading[0]") || !strings.Contains(r.stdout, "revoked") {
		t.Fatalf("a reading signed by a revoked key, with the registry: exit %d\n%s", r.code, r.stdout)
	}

	// A did:web device's reading, accepted by a gateway that asks the
	// registry.
	r = iotrust(t, "", "verify", "--log-key", webLogKey, webPath)
	if r.code != exitFailed || !strings.Contains(r.stdout, "fail  reading[0]") || !strings.Contains(r.stdout, "with --registry FILE") {
		t.Fatalf("a did:web reading, without the registry: exit %d\n%s", r.code, r.stdout)
	}
	r = iotrust(t, "", "verify", "--log-key", webLogKey, "--registry", regPath, webPath)
	if r.code != exitOK || !strings.Contains(r.stdout, "registry "+regPath+": 4 entries, head blake3:") ||
		!strings.Contains(r.stdout, "VERIFIED: 1 reading of 1 device") {
		t.Fatalf("a did:web reading, with the registry: exit %d\n%s", r.code, r.stdout)
	}
	if r := iotrust(t, "", "verify", "--json", "--log-key", webLogKey, "--registry", regPath, webPath); r.code != exitOK || strings.Contains(r.stdout, "registry "+regPath) {
		t.Fatalf("--json: exit %d\n%s", r.code, r.stdout)
	}

	// The registry file is read, never written, nor locked: verify reads
	// a read-only file, and the file a gateway holds open (and locked)
	// for writing, to the gateway's head, and leaves it byte for byte as
	// it was. (As root, the mode does not stop a write; what holds for
	// every user is that the read succeeds and changes nothing.)
	if err := os.Chmod(regPath, 0o400); err != nil {
		t.Fatal(err)
	}
	if r := iotrust(t, "", "verify", "--log-key", webLogKey, "--registry", regPath, webPath); r.code != exitOK || !strings.Contains(r.stdout, headLine) {
		t.Fatalf("read-only registry file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if fi, err := os.Stat(regPath); err != nil || fi.Mode().Perm() != 0o400 {
		t.Fatalf("registry file mode after verify: %v, %v", fi.Mode(), err)
	}
	if err := os.Chmod(regPath, 0o600); err != nil {
		t.Fatal(err)
	}
	gateway, err := did.OpenRegistry(ctx, regPath, did.RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := iotrust(t, "", "verify", "--log-key", webLogKey, "--registry", regPath, webPath); r.code != exitOK || !strings.Contains(r.stdout, headLine) {
		t.Fatalf("registry held open by a gateway: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := did.OpenRegistry(ctx, regPath, did.RegistryOptions{}); !errors.Is(err, did.ErrRegistryLocked) {
		t.Fatalf("the gateway's lock after verify: %v", err)
	}
	if err := gateway.Close(); err != nil {
		t.Fatal(err)
	}

	// A torn tail (a crash in the middle of an append) is read up to and
	// left in place.
	torn := filepath.Join(dir, "torn.log")
	tornBytes := append(bytes.Clone(before), 0, 0, 1)
	if err := os.WriteFile(torn, tornBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := iotrust(t, "", "verify", "--log-key", webLogKey, "--registry", torn, webPath); r.code != exitOK {
		t.Fatalf("torn registry: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for path, want := range map[string][]byte{regPath: before, torn: tornBytes} {
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s changed by verify (%v)", path, err)
		}
	}

	// A damaged registry is refused, not read around.
	damaged := bytes.Clone(before)
	damaged[len(damaged)/2] ^= 0x40
	bad := filepath.Join(dir, "damaged.log")
	if err := os.WriteFile(bad, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := iotrust(t, "", "verify", "--log-key", webLogKey, "--registry", bad, webPath); r.code != exitFailed || !strings.Contains(r.stderr, "--registry "+bad) {
		t.Fatalf("damaged registry: exit %d\n%s", r.code, r.stderr)
	}
	missing := filepath.Join(dir, "missing")
	if r := iotrust(t, "", "verify", "--log-key", webLogKey, "--registry", missing, webPath); r.code != exitUsage || !strings.Contains(r.stderr, "--registry: stat "+missing) {
		t.Fatalf("missing registry: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("verify created the missing registry: %v", err)
	}
}

// registryBundle has a gateway that resolves keys through reg (then from
// the DIDs) take one reading of dev signed with k at at, anchored on a log
// of its own; it returns the bundle's file and the log's key.
func registryBundle(t *testing.T, ctx context.Context, reg *did.Registry, k did.PrivateKey, dev string, at time.Time) (string, string) {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(nil)
	signer, verifier, logKey, err := newLogKey("example.com/iotrust-cli-registry", priv)
	if err != nil {
		t.Fatal(err)
	}
	l, err := tlog.Open(ctx, tlog.Config{Dir: t.TempDir(), Signer: signer, Verifier: verifier, CheckpointInterval: tlog.MinCheckpointInterval})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s, err := reading.Sign(k, reading.Reading{
		Device: dev, Topic: "coldchain/truck-9/temp", Seq: 1, Time: at,
		Sensor: "temperature", Value: 433, Scale: 2, Unit: "Cel",
	})
	if err != nil {
		t.Fatal(err)
	}
	keys := did.NewKeyCache(16, did.KeyResolvers{reg, did.SelfCertifying{}}, 0)
	return gatewayBundle(t, ctx, l, keys, "coldchain/truck-9", s), logKey
}
