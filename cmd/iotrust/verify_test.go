package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/evidence"
)

func TestVerifyPasses(t *testing.T) {
	w := fixture(t)
	r := iotrust(t, "", "verify", "--log-key", w.logKey, w.plainPath)
	if r.code != exitOK {
		t.Fatalf("exit %d, want 0", r.code)
	}
	for _, want := range []string{
		"pass  bundle\n", "pass  reading[0]\n", "skip  credential: the bundle has no credential\n",
		"pass  inclusion\n", "pass  window\n", "pass  receipt[0]: tlog " + w.origin + " position 0\n",
		"pass  anchored: 1 of 1 receipts verified, 1 needed\n", "skip  zkp: the bundle has no zero-knowledge proof\n",
		"VERIFIED: 1 reading of 1 device on coldchain/truck-7, anchored on 1 ledger\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestVerifyStdinAndFlagOrder(t *testing.T) {
	w := fixture(t)
	raw, _ := w.plain.Marshal()
	// Flags after the positional argument, bundle on standard input.
	r := iotrust(t, string(raw), "verify", "-", "--log-key", w.logKey)
	if r.code != exitOK || !strings.Contains(r.stdout, "VERIFIED") {
		t.Fatalf("exit %d", r.code)
	}
}

func TestVerifyZKProof(t *testing.T) {
	w := fixture(t)
	r := iotrust(t, "", "verify", "--log-key", w.logKey, "--zk-key", w.vkPath, w.zkPath)
	if r.code != exitOK || !strings.Contains(r.stdout, "pass  zkp\n") {
		t.Fatalf("exit %d, want 0 with the zkp check passed", r.code)
	}
	r = iotrust(t, "", "verify", "--log-key", w.logKey, w.zkPath)
	if r.code != exitOK || !strings.Contains(r.stdout, "skip  zkp: no trusted verifying key") {
		t.Fatalf("exit %d, want 0 with the zkp check skipped", r.code)
	}
}

// Each tampering fails the checks it must and exits with status 1.
func TestVerifyTampered(t *testing.T) {
	w := fixture(t)
	raw, err := w.plain.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	_, _, otherVkey, err := newLogKey(w.origin, otherKey)
	if err != nil {
		t.Fatal(err)
	}
	zkRaw, _ := w.zk.Marshal()
	for _, tc := range []struct {
		name   string
		bundle []byte
		args   []string
		fail   []string // checks that must fail
	}{
		{
			name:   "reading value changed",
			bundle: bytes.Replace(raw, []byte(`"value":415`), []byte(`"value":416`), 1),
			fail:   []string{"reading[0]", "inclusion"},
		},
		{
			name:   "commitment count changed",
			bundle: changeBundle(t, w.plain, func(b *evidence.Bundle) { b.Commitment.Count++; b.Receipts[0].Commitment.Count++ }),
			fail:   []string{"inclusion", "receipt[0]", "anchored"},
		},
		{
			name: "receipt moved to another position",
			bundle: changeBundle(t, w.plain, func(b *evidence.Bundle) {
				b.Receipts[0].Position = 1
			}),
			fail: []string{"receipt[0]", "anchored"},
		},
		{
			name:   "log key of an impostor",
			bundle: raw,
			args:   []string{"--log-key", otherVkey},
			fail:   []string{"receipt[0]", "anchored"},
		},
		{
			name:   "two receipts required",
			bundle: raw,
			args:   []string{"--min-receipts", "2"},
			fail:   []string{"anchored"},
		},
		{
			name:   "zk claim narrowed",
			bundle: changeBundle(t, w.zk, func(b *evidence.Bundle) { b.ZKP.Claim.Intervals[0].Hi = 449 }),
			args:   []string{"--zk-key", w.vkPath},
			fail:   []string{"zkp"},
		},
		{
			name:   "not a bundle",
			bundle: zkRaw[:len(zkRaw)/2],
			fail:   []string{"bundle"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "b.evidence.json", tc.bundle)
			args := append([]string{"verify"}, tc.args...)
			if len(tc.args) == 0 || tc.args[0] != "--log-key" {
				args = append(args, "--log-key", w.logKey)
			}
			r := iotrust(t, "", append(args, path)...)
			if r.code != exitFailed {
				t.Fatalf("exit %d, want 1", r.code)
			}
			for _, name := range tc.fail {
				if !strings.Contains(r.stdout, "fail  "+name) {
					t.Errorf("check %s not reported failed", name)
				}
			}
			if !strings.Contains(r.stdout, "NOT VERIFIED: "+strings.Join(tc.fail, ", ")+" failed\n") {
				t.Errorf("summary does not name exactly the failed checks %v", tc.fail)
			}
		})
	}
}

// changeBundle returns the file form of a copy of b changed by f.
func changeBundle(t *testing.T, b *evidence.Bundle, f func(*evidence.Bundle)) []byte {
	t.Helper()
	raw, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	c, err := evidence.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	f(c)
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestVerifyJSON(t *testing.T) {
	w := fixture(t)
	r := iotrust(t, "", "verify", "--json", "--log-key", w.logKey, w.plainPath)
	var rep struct {
		Checks []struct {
			Name    string `json:"name"`
			Outcome string `json:"outcome"`
		} `json:"checks"`
		OK bool `json:"ok"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if r.code != exitOK || !rep.OK || len(rep.Checks) != 8 || rep.Checks[5].Name != "receipt[0]" || rep.Checks[5].Outcome != "pass" {
		t.Fatalf("exit %d, report %+v", r.code, rep)
	}
}

func TestVerifyPendingReceiptSkipped(t *testing.T) {
	w := fixture(t)
	path := writeFile(t, "pending.evidence.json", pending(t, w.plain))
	r := iotrust(t, "", "verify", "--log-key", w.logKey, path)
	if r.code != exitFailed || !strings.Contains(r.stdout, "skip  receipt[0]: tlog "+w.origin+": included, not final (Upgrade the bundle)") {
		t.Fatalf("exit %d", r.code)
	}
}

// pending returns b's file form with its receipt as tlog's Anchor returns
// it before a checkpoint covers the entry: Included, without a proof.
func pending(t *testing.T, b *evidence.Bundle) []byte {
	return changeBundle(t, b, func(b *evidence.Bundle) {
		b.Receipts[0].State, b.Receipts[0].Proof = anchor.Included, nil
	})
}

func TestVerifyUsage(t *testing.T) {
	w := fixture(t)
	for _, args := range [][]string{
		{"verify"},
		{"verify", w.plainPath, w.plainPath},
		{"verify", "--log-key", "not-a-key", w.plainPath},
		{"verify", "--log-key", w.logKey, "--log-key", w.logKey, w.plainPath},
		{"verify", "--min-receipts", "0", w.plainPath},
		{"verify", "--issuer", "mailto:x", w.plainPath},
		// A DID whose key cannot be resolved offline: a typo, or a
		// method verify cannot resolve.
		{"verify", "--issuer", "did:key:zbad", w.plainPath},
		{"verify", "--issuer", "did:web:example.com", w.plainPath},
		{"verify", "--no-such-flag", w.plainPath},
		// A credential counts only from a trusted issuer.
		{"verify", "--require-credential", w.plainPath},
		// Standard input can be read only once.
		{"verify", "--issuer", w.plain.Readings[0].Device, "--status-list", "-", "-"},
	} {
		r := iotrust(t, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "Usage: iotrust verify [flags] BUNDLE") {
			t.Errorf("%v: exit %d, want 2 with usage", args, r.code)
		}
	}
	r := iotrust(t, "", "verify", "--log-key", w.logKey, "/no/such/file")
	if r.code != exitFailed || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("missing file: exit %d", r.code)
	}
}

func TestVerifyWeakLogKeyRefused(t *testing.T) {
	// The identity point as an Ed25519 key: anyone could sign for it.
	weak := make(ed25519.PublicKey, 32)
	weak[0] = 1
	vkey, err := noteKey("example.com/weak", weak)
	if err != nil {
		t.Fatal(err)
	}
	r := iotrust(t, "", "verify", "--log-key", vkey, os.DevNull)
	if r.code != exitUsage || !strings.Contains(r.stderr, "weak") {
		t.Fatalf("exit %d, want 2 naming the weak key", r.code)
	}
}
