package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
)

// The session runs end to end on the embedded defaults, twice on one kept
// log, and what it writes verifies with nothing but the files: the bundle
// and the log's public key.
func TestEVCharging(t *testing.T) {
	devnet.QuietLibraries()
	logDir := t.TempDir()
	for i, entry := range []string{"log entry 0, final", "log entry 1, final"} {
		out := t.TempDir()
		var buf bytes.Buffer
		if err := run(context.Background(), options{out: out, logDir: logDir}, &buf); err != nil {
			t.Fatalf("run %d: %v\n%s", i, err, buf.String())
		}
		got := buf.String()
		for _, want := range []string{
			"car → charger: credential presented on the charger's challenge: ok; replayed: refused",
			"EM-340-MID approved",
			"car asks for 22000 W: refused (credential allows 11000 W); charging at 11000 W: allowed",
			"charger checks the contract: payer is the account in the car's credential",
			"vouchers signed by another account's key or by the car's DID key: refused (bad voucher signature)",
			"17 meter values signed and acknowledged by the CPO's gateway; 7 vouchers, nothing owed at unplugging",
			entry,
			"5 signed meter values (16:30, 17:00, 17:30, 17:45, 17:50)",
			"11 checks pass, 1 skipped (zkp",
			"end value lowered by 1 kWh: refused (reading[4], inclusion fail)",
			"17:30–17:45  0.925 kWh × €0.450000/kWh × 2/3 grid support = €0.277500",
			"total 12.841 kWh: €4.814700 (grid-support rebate €0.138750); the car's vouchers pay €4.814700",
			"collect: charger paid €4.814700, car refunded €15.185300",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("run %d: output lacks %q:\n%s", i, want, got)
			}
		}
		checkFiles(t, out)
	}
}

// checkFiles verifies the written bundle as an auditor would: from the
// file and the log's verifier key alone.
func checkFiles(t *testing.T, out string) {
	t.Helper()
	vkey, err := os.ReadFile(filepath.Join(out, "log.vkey"))
	if err != nil {
		t.Fatal(err)
	}
	nv, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		t.Fatal(err)
	}
	v, err := tlog.NewVerifier(nv)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(out, sessionID+".evidence.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := evidence.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	rep := evidence.Verify(context.Background(), b, evidence.Trust{
		Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: nv.Name(), Verifier: v}},
	})
	if !rep.OK() || len(b.Readings) != 5 {
		t.Fatalf("written bundle: %d readings\n%v", len(b.Readings), rep)
	}
	bill, err := os.ReadFile(filepath.Join(out, sessionID+".bill.txt"))
	if err != nil || !bytes.Contains(bill, []byte("Total 12.841 kWh: €4.814700")) {
		t.Fatalf("bill: %v\n%s", err, bill)
	}
}

// The same code against a chain reached over JSON-RPC: a go-ethereum node
// serving HTTP on loopback, sealing a block every 50 ms, with one funded
// key given as for a real chain.
func TestEVChargingRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for receipts and a settle delay in chain time")
	}
	devnet.QuietLibraries()
	funder := mustKey(t)
	port := freePort(t)
	ether := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	sim := simulated.NewBackend(types.GenesisAlloc{
		crypto.PubkeyToAddress(funder.PublicKey): {Balance: ether},
	}, func(nc *node.Config, _ *ethconfig.Config) {
		nc.HTTPHost, nc.HTTPPort, nc.HTTPModules = "127.0.0.1", port, []string{"eth", "net"}
	})
	defer sim.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				sim.Commit()
			}
		}
	}()
	var buf bytes.Buffer
	err := run(context.Background(), options{out: t.TempDir(), rpc: fmt.Sprintf("http://127.0.0.1:%d", port), key: hex.EncodeToString(crypto.FromECDSA(funder))}, &buf)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	for _, want := range []string{"chain ID 1337", "waiting for the chain to pass", "settle delay (1m0s), collect: charger paid €4.814700"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// freePort returns a loopback TCP port nobody listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
