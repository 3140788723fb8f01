package payment

import (
	"encoding/hex"
	"math/big"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/internal/jsinterop"
)

// TestInteropEthersNoble cross-checks vouchers against independent
// implementations (testdata/interop/check.mjs): ethers computes the same
// EIP-712 encoding and digest, recovers our secp256k1 signer, and signs
// vouchers our verifier accepts; @noble computes the same DID signing
// message (BLAKE3 derive-key under TagVoucher), accepts our Ed25519
// signatures and makes ones we accept. It runs when
// IOTRUST_PAYMENT_NODE_MODULES points at node_modules holding ethers and
// @noble (the CI step installs them), and fails instead of skipping when
// IOTRUST_REQUIRE_INTEROP is set.
func TestInteropEthersNoble(t *testing.T) {
	mods := jsinterop.Modules(t, "IOTRUST_PAYMENT_NODE_MODULES", ".ci/steps/70-payment.sh")
	ethKey := ethKey(t, 11)
	ethSig, _ := NewEthereumSigner(ethKey)
	edKey, _ := did.Ed25519.DeriveKey(fixedSeed(12, 32))
	edSig, _ := NewDIDSigner(edKey)

	vs := []*Voucher{
		{Domain: Domain{ChainID: 1, Contract: Address(common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3"))},
			Channel: ChannelID{1, 2, 3}, Lane: 7, Nonce: 42, Amount: big.NewInt(1_000_000)},
		{Domain: Domain{ChainID: 1337}, Channel: ChannelID{0xff, 0xee}, Lane: MaxLanes - 1, Nonce: ^uint64(0),
			Amount: new(big.Int).Set(maxUint256), NotBefore: 1_700_000_000, NotAfter: 1_800_000_000,
			Condition: canon.Digest{Func: canon.SHA256, Sum: [32]byte{9, 9, 9}}},
		{Domain: Domain{ChainID: 8453, Contract: Address(common.HexToAddress("0x00000000000000000000000000000000000000aa"))},
			Channel: ChannelID{31: 1}, Amount: new(big.Int), Condition: canon.Digest{Func: canon.BLAKE3, Sum: [32]byte{31: 0xff}}},
	}
	type jsVoucher struct {
		Domain      map[string]any `json:"domain"`
		Message     map[string]any `json:"message"`
		EthSig      string         `json:"ethSignature"`
		EdSignature string         `json:"edSignature"`
	}
	in := map[string]any{
		"tag":      string(TagVoucher),
		"ethKey":   hexutil.Encode(crypto.FromECDSA(ethKey)),
		"edSeed":   hexutil.Encode(fixedSeed(12, 32)),
		"edPublic": hexutil.Encode(edKey.Public().Bytes()),
		"type": []map[string]string{{"name": "channel", "type": "bytes32"}, {"name": "lane", "type": "uint64"},
			{"name": "nonce", "type": "uint64"}, {"name": "amount", "type": "uint256"}, {"name": "notBefore", "type": "uint64"},
			{"name": "notAfter", "type": "uint64"}, {"name": "conditionHash", "type": "uint8"}, {"name": "condition", "type": "bytes32"}},
	}
	var jvs []jsVoucher
	for _, v := range vs {
		e := v.Clone()
		if err := Sign(ethSig, e); err != nil {
			t.Fatal(err)
		}
		d := v.Clone()
		if err := Sign(edSig, d); err != nil {
			t.Fatal(err)
		}
		jvs = append(jvs, jsVoucher{
			Domain: map[string]any{"name": DomainName, "version": DomainVersion,
				"chainId": strconv.FormatUint(v.Domain.ChainID, 10), "verifyingContract": v.Domain.Contract.String()},
			Message: map[string]any{"channel": hexutil.Encode(v.Channel[:]), "lane": strconv.FormatUint(v.Lane, 10),
				"nonce": strconv.FormatUint(v.Nonce, 10), "amount": v.Amount.String(),
				"notBefore": strconv.FormatUint(v.NotBefore, 10), "notAfter": strconv.FormatUint(v.NotAfter, 10),
				"conditionHash": int(v.Condition.Func), "condition": hexutil.Encode(v.Condition.Sum[:])},
			EthSig:      hexutil.Encode(e.Signature),
			EdSignature: hexutil.Encode(d.Signature),
		})
	}
	in["vouchers"] = jvs
	var res struct {
		Vouchers []struct {
			Encoding, Digest, EthSignature, Recovered, DIDMessage, EdSignature string
			EdValid                                                            bool
		}
	}
	jsinterop.Run(t, mods, "testdata/interop/check.mjs", in, &res)
	if len(res.Vouchers) != len(vs) {
		t.Fatalf("%d results for %d vouchers", len(res.Vouchers), len(vs))
	}
	ethVer, _ := ethSig.VoucherKey().Verifier()
	edVer, _ := edSig.VoucherKey().Verifier()
	for i, v := range vs {
		r := res.Vouchers[i]
		enc, _ := v.EIP712Encoding()
		dg, _ := v.Digest()
		msg, _ := didMessage(enc)
		if r.Encoding != hexutil.Encode(enc) || r.Digest != common.Hash(dg).Hex() {
			t.Errorf("voucher %d: ethers encoding %s digest %s, ours %x %s", i, r.Encoding, r.Digest, enc, common.Hash(dg).Hex())
		}
		if common.HexToAddress(r.Recovered) != crypto.PubkeyToAddress(ethKey.PublicKey) {
			t.Errorf("voucher %d: ethers recovers %s from our signature", i, r.Recovered)
		}
		if r.DIDMessage != hexutil.Encode(msg) {
			t.Errorf("voucher %d: @noble DID message %s, ours %x", i, r.DIDMessage, msg)
		}
		if !r.EdValid {
			t.Errorf("voucher %d: @noble rejects our Ed25519 signature", i)
		}
		for name, c := range map[string]struct {
			ver Verifier
			sig string
		}{"ethers secp256k1": {ethVer, r.EthSignature}, "@noble Ed25519": {edVer, r.EdSignature}} {
			w := v.Clone()
			w.Signature, _ = hex.DecodeString(c.sig[2:])
			if err := Verify(c.ver, w); err != nil {
				t.Errorf("voucher %d: %s signature: %v", i, name, err)
			}
		}
	}
}
