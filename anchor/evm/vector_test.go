package evm

import (
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/iotrust/iotrust/anchor"
)

// ReceiptVectorFile holds receipts made on the simulated chain, with the
// block hashes to trust: a verifier needs nothing else. Regenerate with
// IOTRUST_UPDATE_TESTDATA=1 go test -run TestReceiptVector ./anchor/evm.
const receiptVectorFile = "testdata/receipts-v1.json"

// receiptVector is the form of receiptVectorFile.
type receiptVector struct {
	ChainID    uint64           `json:"chainId"`
	Contract   common.Address   `json:"contract"`
	Checkpoint Checkpoint       `json:"checkpoint"`
	Receipts   []anchor.Receipt `json:"receipts"`
}

// TestReceiptVector verifies the committed receipts offline, from the
// committed checkpoint alone, and refuses them against a checkpoint that
// names other blocks.
func TestReceiptVector(t *testing.T) {
	if os.Getenv("IOTRUST_UPDATE_TESTDATA") != "" {
		writeReceiptVector(t)
	}
	raw, err := os.ReadFile(receiptVectorFile)
	if err != nil {
		t.Fatal(err)
	}
	var v receiptVector
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Receipts) == 0 {
		t.Fatal("no receipts in the vector")
	}
	hv := NewHeaderVerifier(new(big.Int).SetUint64(v.ChainID), v.Contract, v.Checkpoint)
	wrong := Checkpoint{}
	for n := range v.Checkpoint {
		wrong[n] = common.Hash{1}
	}
	for _, r := range v.Receipts {
		if err := hv.VerifyReceipt(t.Context(), r); err != nil {
			t.Errorf("committed receipt %s: %v", r.TxID, err)
		}
		err := NewHeaderVerifier(new(big.Int).SetUint64(v.ChainID), v.Contract, wrong).VerifyReceipt(t.Context(), r)
		if !errors.Is(err, anchor.ErrBadReceipt) {
			t.Errorf("committed receipt %s against other blocks: %v", r.TxID, err)
		}
	}
}

func writeReceiptVector(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(1))
	rs := anchorBlock(t, c, l, "vector", 24)
	v := receiptVector{ChainID: 1337, Contract: c.dep.Address, Checkpoint: c.checkpoint(t, rs[0].Position),
		Receipts: []anchor.Receipt{rs[0], rs[17]}}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.FromSlash(receiptVectorFile), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHeaderVerifierWithoutTrust: a HeaderVerifier without a chain ID or
// a source of trusted headers (nil, a nil HeaderFunc, the zero value)
// refuses the committed receipts with ErrBadReceipt and
// ErrUntrustedBlock; it used to panic.
func TestHeaderVerifierWithoutTrust(t *testing.T) {
	raw, err := os.ReadFile(receiptVectorFile)
	if err != nil {
		t.Fatal(err)
	}
	var v receiptVector
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	id := new(big.Int).SetUint64(v.ChainID)
	for name, hv := range map[string]*HeaderVerifier{
		"nil source":     NewHeaderVerifier(id, v.Contract, nil),
		"nil HeaderFunc": NewHeaderVerifier(id, v.Contract, HeaderFunc(nil)),
		"nil chain ID":   NewHeaderVerifier(nil, v.Contract, v.Checkpoint),
		"zero":           {},
	} {
		err := hv.VerifyReceipt(t.Context(), v.Receipts[0])
		if !errors.Is(err, anchor.ErrBadReceipt) || !errors.Is(err, ErrUntrustedBlock) {
			t.Errorf("%s: %v, want ErrBadReceipt and ErrUntrustedBlock", name, err)
		}
	}
}

// TestOpenWithoutClient: Open and NewOwner refuse a nil client, also a
// nil *ethclient.Client, with ErrBadConfig; they used to panic.
func TestOpenWithoutClient(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Contract: common.Address{1}, Signer: KeySigner(key)}
	var never *ethclient.Client
	for name, c := range map[string]Client{"nil": nil, "nil *ethclient.Client": never} {
		if _, err := Open(t.Context(), c, cfg); !errors.Is(err, ErrBadConfig) {
			t.Errorf("Open with a %s client: %v, want ErrBadConfig", name, err)
		}
		if _, err := NewOwner(t.Context(), c, cfg); !errors.Is(err, ErrBadConfig) {
			t.Errorf("NewOwner with a %s client: %v, want ErrBadConfig", name, err)
		}
	}
}
