package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/evm"
	"github.com/iotrust/iotrust/evidence"
)

// The EVM ledger path (-ledgers evm -rpc URL -contract ADDR): the gateway
// anchors on go-ethereum's simulated chain served over JSON-RPC (HTTP), the
// demo devices' readings get evidence bundles whose receipts are EVM
// receipt proofs, and such a bundle verifies against an independent,
// read-only view of the chain, and through the gateway's own /v1/verify.
func TestRunOnEVM(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole gateway and a chain")
	}
	ctx := t.Context()
	owner, gwKey := newKey(t), newKey(t)
	url := rpcChain(t, owner, gwKey)
	client, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	o, err := evm.NewOwner(ctx, client, evm.Config{Signer: evm.KeySigner(owner), PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	dep, err := o.Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.AddGateway(ctx, crypto.PubkeyToAddress(gwKey.PublicKey)); err != nil {
		t.Fatal(err)
	}

	t.Logf("contract deployed at block %d", dep.Block)
	t.Setenv("IOTRUST_EVM_KEY", hex.EncodeToString(crypto.FromECDSA(gwKey)))
	opts, err := parseFlags([]string{"-dir", t.TempDir(), "-mqtt", "127.0.0.1:0", "-http", "127.0.0.1:0", "-log-level", "warn",
		"-window", "2s", "-ledgers", "evm", "-rpc", url, "-contract", dep.Address.Hex(),
		"-deploy-block", fmt.Sprint(dep.Block), "-confirmations", "2", "-evm-poll", "50ms", "-demo", "-demo-every", "500ms"})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(runCtx, opts, pw); pw.Close() }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("gateway: %v", err)
		}
	}()
	var api string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := regexp.MustCompile(`audit page\s+(http://\S+)/`).FindStringSubmatch(sc.Text()); m != nil {
			api = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if api == "" {
		stop()
		t.Fatalf("no audit page printed: %v", <-done)
	}
	get := func(path string) []byte {
		resp, err := http.Get(api + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s %s", path, resp.Status, b)
		}
		return b
	}

	// The evidence of a reading the audit page linked to, once its batch
	// is final on the chain.
	seen := map[string]bool{}
	var raw []byte
	for deadline := time.Now().Add(90 * time.Second); raw == nil; time.Sleep(300 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no final evidence bundle for any of %d readings", len(seen))
		}
		for _, m := range regexp.MustCompile(`/v1/evidence/([a-z0-9]+:[0-9a-f]{64})`).FindAllSubmatch(get("/"), -1) {
			seen[string(m[1])] = true
		}
		for id := range seen {
			resp, err := http.Get(api + "/v1/evidence/" + id)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				continue // not anchored yet
			}
			if bundle, err := evidence.Parse(b); err == nil && len(bundle.Receipts) == 1 && bundle.Receipts[0].State == anchor.Final {
				raw = b
				break
			}
		}
	}

	// An auditor's own view of the chain: read-only, no key.
	view, err := evm.Open(ctx, client, evm.Config{Contract: dep.Address, DeployBlock: dep.Block, Confirmations: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer view.Close()
	b, err := evidence.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	trust := evidence.Trust{Ledgers: []evidence.Ledger{{Name: evm.LedgerName, Chain: view.Chain(), Verifier: view}}}
	if rep := evidence.Verify(ctx, b, trust); !rep.OK() {
		t.Fatalf("the bundle does not verify against the chain:\n%v", rep)
	}
	r := b.Receipts[0]
	if r.Ledger != evm.LedgerName {
		t.Fatalf("receipt of ledger %q, want %q", r.Ledger, evm.LedgerName)
	}
	if rc, err := client.TransactionReceipt(ctx, common.HexToHash(r.TxID)); err != nil || rc.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("anchor transaction %s on the chain: %v", r.TxID, err)
	}
	// Tampered: the commitment's root changed.
	b.Commitment.Root.Sum[0] ^= 1
	if rep := evidence.Verify(ctx, b, trust); rep.OK() {
		t.Fatal("a bundle with another root verifies")
	}

	// The gateway's own check, as the audit page runs it.
	resp, err := http.Post(api+"/v1/verify", "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep struct {
		OK bool `json:"ok"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil || !rep.OK {
		t.Fatalf("POST /v1/verify: ok %v, %v", rep.OK, err)
	}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// rpcChain starts go-ethereum's simulated chain served over JSON-RPC on a
// local HTTP port, sealing a block every 50 ms, with each of keys holding
// 100 ETH, and returns its URL. (The same helper stands in other examples'
// tests; it belongs in devnet.)
func rpcChain(t *testing.T, keys ...*ecdsa.PrivateKey) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	alloc := types.GenesisAlloc{}
	for _, k := range keys {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))}
	}
	sim := simulated.NewBackend(alloc, func(nc *node.Config, ec *ethconfig.Config) {
		nc.HTTPHost, nc.HTTPPort, nc.HTTPModules = "127.0.0.1", port, []string{"eth", "net", "web3"}
		ec.LogNoHistory = true
	})
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				sim.Commit()
			}
		}
	}()
	t.Cleanup(func() {
		close(stop)
		<-done
		sim.Close()
	})
	return fmt.Sprintf("http://127.0.0.1:%d", port)
}
