package prooffuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/evm"
)

// vector is anchor/evm's committed receipts with the checkpoint that
// vouches for their block.
type vector struct {
	ChainID    uint64           `json:"chainId"`
	Contract   common.Address   `json:"contract"`
	Checkpoint evm.Checkpoint   `json:"checkpoint"`
	Receipts   []anchor.Receipt `json:"receipts"`
}

func load(t testing.TB) vector {
	raw, err := os.ReadFile("../../testdata/receipts-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vector
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// FuzzProof feeds arbitrary bytes as the Proof of a committed receipt:
// decoding never panics and fails only with ErrBadProof; what decodes
// re-encodes to the same bytes (one encoding); and the verifier accepts
// exactly the receipt's own proof, refusing every other with
// anchor.ErrBadReceipt.
func FuzzProof(f *testing.F) {
	v := load(f)
	for _, r := range v.Receipts {
		f.Add(r.Proof)
		f.Add(r.Proof[:len(r.Proof)/2])
		f.Add(append(bytes.Clone(r.Proof), 0))
	}
	f.Add([]byte{})
	f.Add([]byte{evm.ProofVersion, 0xc0})
	target := v.Receipts[0]
	hv := evm.NewHeaderVerifier(new(big.Int).SetUint64(v.ChainID), v.Contract, v.Checkpoint)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := evm.DecodeProof(b)
		if err != nil {
			if !errors.Is(err, evm.ErrBadProof) {
				t.Fatalf("error %v does not match ErrBadProof", err)
			}
		} else {
			again, err := p.MarshalBinary()
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("decoded proof re-encodes to other bytes (%v)", err)
			}
		}
		r := target
		r.Proof = b
		err = hv.VerifyReceipt(t.Context(), r)
		if bytes.Equal(b, target.Proof) {
			if err != nil {
				t.Fatalf("the receipt's own proof: %v", err)
			}
			return
		}
		if !errors.Is(err, anchor.ErrBadReceipt) {
			t.Fatalf("another proof verified or failed oddly: %v", err)
		}
	})
}

// TestVectorVerifies keeps the fuzz target honest: its receipts verify.
func TestVectorVerifies(t *testing.T) {
	v := load(t)
	hv := evm.NewHeaderVerifier(new(big.Int).SetUint64(v.ChainID), v.Contract, v.Checkpoint)
	for _, r := range v.Receipts {
		if err := hv.VerifyReceipt(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
}
