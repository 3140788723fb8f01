package main

import (
	"crypto/ed25519"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/cmd/iotrust/internal/keyfile"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/payment"
)

// must returns v, failing t on err.
func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// Every kind of artefact is recognised as itself and described.
func TestInspectEveryKind(t *testing.T) {
	w := fixture(t)
	b := must[[]byte](t)
	r := w.plain.Readings[0]
	tree := merkle.NewTree(merkle.BLAKE3, [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("d"), []byte("e")})
	cons := must[merkle.ConsistencyProof](t)(tree.ConsistencyProof(3, 5))
	multi := must[merkle.MultiInclusionProof](t)(tree.MultiInclusionProof([]uint64{1, 3}))
	signer := must[payment.Signer](t)(payment.NewDIDSigner(w.device))
	v := &payment.Voucher{Domain: payment.Domain{ChainID: 31337}, Channel: payment.ChannelID{7}, Lane: 1, Nonce: 3, Amount: big.NewInt(125000), NotAfter: 2000000000}
	if err := payment.Sign(signer, v); err != nil {
		t.Fatal(err)
	}
	dev := w.plain.Readings[0].Device
	doc := must[*did.Document](t)(did.Resolve(dev))
	keyFile, _, err := keyfile.Marshal(w.device)
	if err != nil {
		t.Fatal(err)
	}
	checkpoint := b(os.ReadFile(filepath.Join(w.logDir, "checkpoint")))

	for _, tc := range []struct {
		name string
		data []byte
		head string   // first line
		want []string // further lines
		args []string
	}{
		{"bundle", b(w.plain.Marshal()), "evidence bundle (JSON)", []string{
			"  reading[0]:\n    device:     " + dev, "    value:      4.15 Cel\n", "  commitment:\n    root:       blake3:",
			"    count:      2\n", "  receipt[0]:\n    ledger:     tlog " + w.origin, "    state:      final\n",
			"      checkpoint:\n        origin:     " + w.origin, "        signature:  not checked (no --log-key for " + w.origin + ")",
			"  credential: none\n", "  zkp:        none\n",
		}, nil},
		{"bundle with key", b(w.plain.Marshal()), "evidence bundle (JSON)", []string{"        signature:  verified with " + w.logKey}, []string{"--log-key", w.logKey}},
		{"zk bundle", b(w.zk.Marshal()), "evidence bundle (JSON)", []string{"    value:      private, committed to ", "    claim:      reading\n", "    intervals:  [200, 800]\n"}, nil},
		{"reading JSON", b(r.MarshalJSON()), "signed reading (JSON)", []string{"  topic:      coldchain/truck-7/temp\n", "  signature:  64 bytes\n"}, nil},
		{"reading CBOR", b(r.MarshalCBOR()), "signed reading (CBOR)", []string{"  seq:        1\n"}, nil},
		{"inclusion JSON", b(w.plain.Inclusion.MarshalJSON()), "Merkle inclusion proof (JSON)", []string{"  hasher:     blake3\n", "  leaf:       "}, nil},
		{"inclusion binary", b(w.plain.Inclusion.MarshalBinary()), "Merkle inclusion proof (binary)", []string{"  path:       1 hash\n"}, nil},
		{"consistency JSON", b(cons.MarshalJSON()), "Merkle consistency proof (JSON)", []string{"  trees:      the tree of 3 leaves is a prefix of the tree of 5\n"}, nil},
		{"consistency binary", b(cons.MarshalBinary()), "Merkle consistency proof (binary)", nil, nil},
		{"multi JSON", b(multi.MarshalJSON()), "Merkle multi-leaf inclusion proof (JSON)", []string{"  leaves:     1, 3 of a tree of 5 leaves\n"}, nil},
		{"multi binary", b(multi.MarshalBinary()), "Merkle multi-leaf inclusion proof (binary)", nil, nil},
		{"commitment JSON", b(w.plain.Commitment.MarshalJSON()), "anchor commitment (JSON)", []string{"  topic:      coldchain/truck-7\n", "  id:         "}, nil},
		{"commitment binary", b(w.plain.Commitment.MarshalBinary()), "anchor commitment (binary)", []string{"  cid:        "}, nil},
		{"receipt", b(json.Marshal(w.plain.Receipts[0])), "anchor receipt (JSON)", []string{"  position:   0\n", "  commitment:\n    root:"}, nil},
		{"voucher JSON", b(v.MarshalJSON()), "payment voucher (JSON)", []string{"  amount:     125000 (cumulative", "  nonce:      3\n", "  valid:      (open) .. 2033-05-18T03:33:20Z\n"}, nil},
		{"voucher binary", b(v.MarshalBinary()), "payment voucher (binary)", []string{"  lane:       1\n"}, nil},
		{"DID document", b(json.Marshal(doc)), "DID document (JSON)", []string{"  id:         " + dev + "\n", "    key:        Ed25519, 32 bytes\n", "  authentication: " + dev + "#"}, nil},
		{"key file", keyFile, "private key file (JSON)", []string{"  did:        " + dev + "\n", "  scheme:     Ed25519\n"}, nil},
		{"checkpoint", checkpoint, "log checkpoint (signed note)", []string{"  origin:     " + w.origin + "\n", "  size:       3\n", "  signed by:  " + w.origin + " (key hash "}, nil},
		{"checkpoint verified", checkpoint, "log checkpoint (signed note)", []string{"  signature:  verified with " + w.logKey + "\n"}, []string{"--log-key", w.logKey}},
		{"log receipt proof", w.plain.Receipts[0].Proof, "transparency log receipt proof (binary)", []string{"  leaf:       entry 0 of a log of 1 entry, 0 hashes\n"}, nil},
		{"zk proof", b(w.zk.ZKP.Proof.MarshalBinary()), "zero-knowledge proof (binary)", []string{"  backend:    groth16\n"}, nil},
		// What --zk-key and --log-key take, as files (a gateway keeps its
		// log's key in log.vkey).
		{"zk verifying key", b(os.ReadFile(w.vkPath)), "zero-knowledge verifying key (binary)", []string{"  backend:    groth16\n", "  shape:      reading/1/16\n"}, nil},
		{"log key", []byte(w.logKey + "\n"), "log verifier key (note verifier key)", []string{"  origin:     " + w.origin + "\n", "  key:        " + w.logKey + "\n"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "artefact", tc.data)
			r := iotrust(t, "", append(append([]string{"inspect"}, tc.args...), path)...)
			if r.code != exitOK {
				t.Fatalf("exit %d", r.code)
			}
			if first, _, _ := strings.Cut(r.stdout, "\n"); first != tc.head {
				t.Errorf("recognised as %q, want %q", first, tc.head)
			}
			for _, want := range tc.want {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("description lacks %q", want)
				}
			}
		})
	}
}

func TestInspectRefusals(t *testing.T) {
	w := fixture(t)
	checkpoint, _ := os.ReadFile(filepath.Join(w.logDir, "checkpoint"))
	raw, _ := w.plain.Marshal()
	for _, tc := range []struct {
		name string
		data string
		want string
	}{
		{"empty", "", "empty input"},
		{"bundle with a member too many", strings.Replace(string(raw), `{"commitment"`, `{"comment":1,"commitment"`, 1), "as a evidence bundle (JSON): evidence: malformed bundle: canon: unknown object member"},
		{"JSON of nothing known", `{"hello":"world"}`, "JSON that no parser accepts"},
		{"checkpoint with a bad size line", strings.Replace(string(checkpoint), "\n3\n", "\n03\n", 1), "as a log checkpoint (signed note)"},
		{"random bytes", "\x00\x01\x02\xff", "binary data that no parser accepts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := iotrust(t, tc.data, "inspect", "-")
			if r.code != exitFailed || !strings.Contains(r.stderr, "not an iotrust artefact") || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d, want 1 naming %q", r.code, tc.want)
			}
		})
	}
	if r := iotrust(t, "", "inspect"); r.code != exitUsage {
		t.Errorf("no file: exit %d, want 2", r.code)
	}
}

// A checkpoint whose signature inspect checks with --log-key and finds bad
// fails the command (exit 1), alone or inside a receipt's proof; the
// description is still printed in full.
func TestInspectBadCheckpointSignatureFails(t *testing.T) {
	w := fixture(t)
	checkpoint, _ := os.ReadFile(filepath.Join(w.logDir, "checkpoint"))
	forged := strings.Replace(string(checkpoint), "\n3\n", "\n4\n", 1)
	_, other, _ := ed25519.GenerateKey(nil)
	_, _, impostor, err := newLogKey(w.origin, other)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := w.plain.Marshal()
	for _, tc := range []struct {
		name, data, key string
	}{
		{"forged checkpoint", forged, w.logKey},
		{"checkpoint under another key", string(checkpoint), impostor},
		{"bundle whose receipt's checkpoint does not verify", string(raw), impostor},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := iotrust(t, tc.data, "inspect", "--log-key", tc.key, "-")
			if r.code != exitFailed || !strings.Contains(r.stdout, "signature:  DOES NOT VERIFY with "+tc.key) || !strings.Contains(r.stderr, "does not verify") {
				t.Fatalf("exit %d, want 1 with the description and an error", r.code)
			}
		})
	}
}
