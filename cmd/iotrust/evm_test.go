package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/evm"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/reading"
)

// evmBundles anchors one reading through a gateway on an anchor contract
// of a chain served over JSON-RPC, and another through an aggregator on
// the same contract, and returns the node's URL, the contract's address
// and both evidence bundles (final receipts), written to files.
func evmBundles(t *testing.T) (url string, contract common.Address, direct, aggregated string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	node, err := devnet.StartRPCNode(devnet.RPCNodeConfig{BlockInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(node.Close)
	client, err := ethclient.DialContext(ctx, node.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	key, err := crypto.HexToECDSA(node.FunderKey())
	if err != nil {
		t.Fatal(err)
	}
	cfg := evm.Config{Signer: evm.KeySigner(key), PollInterval: 5 * time.Millisecond, Finality: evm.Immediate}
	owner, err := evm.NewOwner(ctx, client, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dep, err := owner.Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := owner.AddGateway(ctx, crypto.PubkeyToAddress(key.PublicKey)); err != nil {
		t.Fatal(err)
	}
	cfg.Contract, cfg.DeployBlock = dep.Address, dep.Block
	ledger, err := evm.Open(ctx, client, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ledger.Close() })
	agg, err := aggregate.Open(ctx, aggregate.Config{Inner: ledger, Dir: t.TempDir(), Interval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { agg.Close() })

	dev, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	devID, _ := did.New(dev.Public())
	now := time.Now().Truncate(time.Millisecond)
	bundle := func(ledger anchor.Anchorer, seq uint64) string {
		s, err := reading.Sign(dev, reading.Reading{Device: devID, Topic: "fleet/truck-9/temp", Seq: seq,
			Time: now.Add(time.Duration(seq) * time.Millisecond), Sensor: "temperature", Value: 512, Scale: 2, Unit: "Cel"})
		if err != nil {
			t.Fatal(err)
		}
		return gatewayBundle(t, ctx, ledger, nil, "fleet/truck-9", s)
	}
	return node.URL(), dep.Address, bundle(ledger, 1), bundle(agg, 2)
}

func TestVerifyEVMReceipts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a chain and anchors on it")
	}
	url, contract, direct, aggregated := evmBundles(t)
	addr := contract.Hex()
	for _, b := range []struct{ name, path, ledger string }{{"direct", direct, evm.LedgerName}, {"aggregated", aggregated, aggregate.LedgerName}} {
		t.Run(b.name, func(t *testing.T) {
			// Blocks come every 10 ms: one confirmation is there at once.
			r := iotrust(t, "", "verify", "--evm-node", url, "--evm-contract", addr, "--evm-confirmations", "1", b.path)
			if r.code != 0 || !strings.Contains(r.stdout, "pass  receipt[0]: "+b.ledger+" eip155:1337") {
				t.Fatalf("a bundle anchored on the trusted contract: exit %d", r.code)
			}
			// The receipt says Final, but its block is not final on the
			// node by the finality asked for: it counts for nothing.
			r = iotrust(t, "", "verify", "--evm-node", url, "--evm-contract", addr, "--evm-confirmations", "1000000", b.path)
			if r.code != 1 || !strings.Contains(r.stdout, "is not final on the node") || !strings.Contains(r.stdout, "fail  anchored") {
				t.Fatalf("a receipt in a block not final: exit %d", r.code)
			}
			// Without the chain trusted, the receipt counts for nothing.
			r = iotrust(t, "", "verify", b.path)
			if r.code != 1 || !strings.Contains(r.stdout, "fail  anchored") {
				t.Fatalf("no trusted ledger: exit %d", r.code)
			}
			// Another contract on the same chain is not the one trusted.
			r = iotrust(t, "", "verify", "--evm-node", url, "--evm-contract", "0x00000000000000000000000000000000000000e1", "--evm-confirmations", "1", b.path)
			if r.code != 1 || !strings.Contains(r.stdout, "fail  receipt[0]") {
				t.Fatalf("another contract: exit %d", r.code)
			}
		})
	}
	// A receipt moved to another block is refused: the node's header for
	// that block does not hold the transaction.
	raw, err := os.ReadFile(direct)
	if err != nil {
		t.Fatal(err)
	}
	b, err := evidence.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	b.Receipts[0].Position++
	moved, err := b.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	r := iotrust(t, "", "verify", "--evm-node", url, "--evm-contract", addr, "--evm-confirmations", "1", writeFile(t, "moved.evidence.json", moved))
	if r.code != 1 || !strings.Contains(r.stdout, "fail  receipt[0]") {
		t.Fatalf("a receipt moved to another block: exit %d", r.code)
	}
}

func TestVerifyEVMFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--evm-contract", "0x00000000000000000000000000000000000000e1"}, "--evm-contract needs --evm-node"},
		{[]string{"--evm-node", "http://127.0.0.1:1"}, "--evm-node needs --evm-contract"},
		{[]string{"--evm-node", "http://127.0.0.1:1", "--evm-contract", "0xe1"}, "is not an address"},
		// Nothing listens on port 1: the chain ID cannot be asked.
		{[]string{"--evm-node", "http://127.0.0.1:1", "--evm-contract", "0x00000000000000000000000000000000000000e1"}, "asking the chain ID"},
	} {
		r := iotrust(t, "", append(append([]string{"verify"}, c.args...), "-")...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("verify %v: exit %d, stderr %q; want an error with %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// included returns the bundle at path with its receipt set back to
// Included (the inner receipt too, for an aggregate receipt), as a gateway
// hands it out before the chain has finalized the anchor's block.
func included(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := evidence.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	r := &b.Receipts[0]
	if r.Ledger == aggregate.LedgerName {
		p, err := aggregate.OpenReceipt(*r)
		if err != nil {
			t.Fatal(err)
		}
		p.Inner.State = anchor.Included
		if r.Proof, err = p.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	}
	r.State = anchor.Included
	out, err := b.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "included.evidence.json", out)
}

func TestUpgradeEVMReceipts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a chain and anchors on it")
	}
	url, contract, direct, aggregated := evmBundles(t)
	addr := contract.Hex()
	for _, b := range []struct{ name, path string }{{"direct", direct}, {"aggregated", aggregated}} {
		t.Run(b.name, func(t *testing.T) {
			in := included(t, b.path)
			if r := iotrust(t, "", "verify", "--evm-node", url, "--evm-contract", addr, in); r.code != 1 || !strings.Contains(r.stdout, "not final") {
				t.Fatalf("an included receipt verified: exit %d", r.code)
			}
			// Far more confirmations than the chain has blocks: it stays
			// included, the bundle is written all the same, exit 1.
			out := filepath.Join(t.TempDir(), "still.evidence.json")
			r := iotrust(t, "", "upgrade", "--evm-node", url, "--evm-contract", addr, "--evm-confirmations", "1000000", "-o", out, in)
			if r.code != 1 || !strings.Contains(r.stderr, "still included: the node does not hold its block as final yet") {
				t.Fatalf("not final yet: exit %d", r.code)
			}
			// The node's finalized block trails its head by up to 64
			// blocks on this chain; two confirmations are there at once.
			out = filepath.Join(t.TempDir(), "final.evidence.json")
			r = iotrust(t, "", "upgrade", "--evm-node", url, "--evm-contract", addr, "--evm-confirmations", "2", "-o", out, in)
			if r.code != 0 || !strings.Contains(r.stderr, "included -> final") {
				t.Fatalf("upgrade: exit %d", r.code)
			}
			if r := iotrust(t, "", "verify", "--evm-node", url, "--evm-contract", addr, "--evm-confirmations", "2", out); r.code != 0 {
				t.Fatalf("the upgraded bundle does not verify: exit %d", r.code)
			}
			// Another contract holds no such anchor: nothing is upgraded.
			out = filepath.Join(t.TempDir(), "other.evidence.json")
			r = iotrust(t, "", "upgrade", "--evm-node", url, "--evm-contract", "0x00000000000000000000000000000000000000e1", "-o", out, in)
			if r.code == 0 {
				t.Fatalf("upgraded from a contract that is no anchor contract: exit %d", r.code)
			}
		})
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--in-place"}, "name the ledger to upgrade from"},
		{[]string{"--evm-confirmations", "3", "--in-place"}, "--evm-confirmations needs --evm-node"},
		{[]string{"--evm-contract", addr, "--in-place"}, "--evm-contract needs --evm-node"},
		{[]string{"--log", t.TempDir(), "--evm-node", url, "--evm-contract", addr, "--in-place"}, "give the log's key with --log-key"},
		{[]string{"--state", filepath.Join(t.TempDir(), "logs.json"), "--evm-node", url, "--evm-contract", addr, "--in-place"}, "--state holds logs' checkpoints"},
	} {
		r := iotrust(t, "", append(append([]string{"upgrade"}, c.args...), direct)...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("upgrade %v: exit %d, stderr %q; want an error with %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// silentNode is a JSON-RPC endpoint that answers the methods in answers
// and leaves every other question unanswered until the asker gives up.
func silentNode(t *testing.T, answers map[string]string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if res, ok := answers[req.Method]; ok {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":%s}`, req.ID, res)
			return
		}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestEVMNodeThatDoesNotAnswer: a node that stops answering fails verify
// and upgrade once the node's timeout has passed, instead of hanging them.
func TestEVMNodeThatDoesNotAnswer(t *testing.T) {
	_, _, direct, _ := evmBundles(t)           // receipts of chain 1337
	impatient := func(args ...string) result { // iotrust with a short timeout for the node
		t.Helper()
		e := &env{stdin: strings.NewReader(""), now: time.Now, configDir: t.TempDir(), nodeTimeout: 200 * time.Millisecond}
		return iotrustEnv(t, context.Background(), e, args...)
	}
	addr := "0x00000000000000000000000000000000000000e1"
	silent := silentNode(t, nil)
	for _, cmd := range []string{"verify", "upgrade"} {
		args := []string{cmd, "--evm-node", silent, "--evm-contract", addr}
		if cmd == "upgrade" {
			args = append(args, "-o", filepath.Join(t.TempDir(), "out.json"))
		}
		if r := impatient(append(args, direct)...); r.code == 0 || !strings.Contains(r.stderr, "asking the chain ID") || !strings.Contains(r.stderr, "deadline exceeded") {
			t.Errorf("%s with a node that does not answer: exit %d", cmd, r.code)
		}
	}
	// The chain ID is answered, nothing after it: the receipt's check
	// (verify) and the contract's (upgrade) time out.
	mute := silentNode(t, map[string]string{"eth_chainId": `"0x539"`})
	if r := impatient("verify", "--evm-node", mute, "--evm-contract", addr, direct); r.code != 1 || !strings.Contains(r.stdout, "fail  receipt[0]") || !strings.Contains(r.stdout, "deadline exceeded") {
		t.Errorf("verify with a node that stops answering: exit %d", r.code)
	}
	if r := impatient("upgrade", "--evm-node", mute, "--evm-contract", addr, "-o", filepath.Join(t.TempDir(), "out.json"), direct); r.code == 0 || !strings.Contains(r.stderr, "deadline exceeded") {
		t.Errorf("upgrade with a node that stops answering: exit %d", r.code)
	}
	// The contract is found, nothing after it: the receipt's upgrade
	// times out and the receipt stays as it was.
	late := silentNode(t, map[string]string{"eth_chainId": `"0x539"`, "eth_getCode": `"0x6080"`})
	if r := impatient("upgrade", "--evm-node", late, "--evm-contract", addr, "-o", filepath.Join(t.TempDir(), "out.json"), included(t, direct)); r.code != 1 || !strings.Contains(r.stderr, "still included") || !strings.Contains(r.stderr, "deadline exceeded") {
		t.Errorf("upgrade with a node that stops answering after the contract: exit %d", r.code)
	}
}
