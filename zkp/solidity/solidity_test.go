package solidity

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/abigen"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/iotrust/iotrust/anchor/evm/solc"
	"github.com/iotrust/iotrust/internal/solctest"
	"github.com/iotrust/iotrust/zkp"
)

// TestSourceMatchesKeys regenerates ReadingVerifier.sol from the
// deterministic development keys; no compiler needed.
func TestSourceMatchesKeys(t *testing.T) {
	_, vk, err := DevReadingKeys()
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReadingVerifierSource(vk)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("ReadingVerifier.sol")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("ReadingVerifier.sol does not match the development keys: run go generate ./zkp/solidity")
	}
}

// TestArtifactsMatchSource recompiles ReadingVerifier.sol with the pinned
// compiler and fails if the committed ABI or bytecode differ.
func TestArtifactsMatchSource(t *testing.T) {
	arts := solctest.Compile(t, ".", "ReadingVerifier.sol")
	if len(arts) != 1 || arts[0].Name != ContractName {
		t.Fatalf("compiled %d contracts, want exactly %s", len(arts), ContractName)
	}
	if err := solc.Check(".", arts); err != nil {
		t.Fatal(err)
	}
	tampered := arts[0]
	tampered.Bin = tampered.Bin[:len(tampered.Bin)-2] + "00"
	if tampered.Bin == arts[0].Bin {
		tampered.Bin = tampered.Bin[:len(tampered.Bin)-2] + "01"
	}
	if err := solc.Check(".", []solc.Artifact{tampered}); !errors.Is(err, solc.ErrMismatch) {
		t.Fatalf("Check of tampered bytecode = %v, want ErrMismatch", err)
	}
}

// TestBindingMatchesArtifacts regenerates the Go binding from the committed
// ABI and bytecode.
func TestBindingMatchesArtifacts(t *testing.T) {
	abiJSON, err := os.ReadFile("ReadingVerifier.abi")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile("ReadingVerifier.bin")
	if err != nil {
		t.Fatal(err)
	}
	want, err := abigen.BindV2([]string{ContractName}, []string{string(abiJSON)}, []string{string(bin)}, "solidity", map[string]string{}, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("reading_verifier.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("reading_verifier.go does not match the ABI/bytecode: run go generate ./zkp/solidity")
	}
	if ReadingVerifierMetaData.Bin != "0x"+string(bin) {
		t.Fatal("binding deploys other bytecode than ReadingVerifier.bin")
	}
}

type chain struct {
	sim    *simulated.Backend
	client simulated.Client
	key    *ecdsa.PrivateKey
	from   common.Address
}

func newChain(t *testing.T) *chain {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	sim := simulated.NewBackend(types.GenesisAlloc{from: {Balance: new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))}})
	t.Cleanup(func() { sim.Close() })
	return &chain{sim: sim, client: sim.Client(), key: key, from: from}
}

func (c *chain) deploy(t *testing.T) (common.Address, uint64) {
	ctx := context.Background()
	chainID, err := c.client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opts := bind.NewKeyedTransactor(c.key, chainID)
	addr, tx, err := bind.DeployContract(opts, common.FromHex(ReadingVerifierMetaData.Bin), c.client, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.sim.Commit()
	rcpt, err := c.client.TransactionReceipt(ctx, tx.Hash())
	if err != nil || rcpt.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("deploy: %v %v", rcpt, err)
	}
	return addr, rcpt.GasUsed
}

// sendGasUsed mines a transaction with data to addr and returns its GasUsed.
func (c *chain) sendGasUsed(t *testing.T, addr common.Address, data []byte, gasLimit uint64) uint64 {
	t.Helper()
	ctx := context.Background()
	chainID, err := c.client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nonce, err := c.client.PendingNonceAt(ctx, c.from)
	if err != nil {
		t.Fatal(err)
	}
	tip, err := c.client.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: gasLimit, To: &addr, Data: data,
	}), types.LatestSignerForChainID(chainID), c.key)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	c.sim.Commit()
	rcpt, err := c.client.TransactionReceipt(ctx, tx.Hash())
	if err != nil || rcpt.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("verifyProof transaction failed: %v %v", rcpt, err)
	}
	return rcpt.GasUsed
}

// TestVerifierOnChain deploys the committed verifier on go-ethereum's
// simulated chain and checks that a real proof verifies, that tampered
// public inputs and a tampered proof revert, and reports the gas.
func TestVerifierOnChain(t *testing.T) {
	pk, vk, err := DevReadingKeys()
	if err != nil {
		t.Fatal(err)
	}
	c := newChain(t)
	addr, deployGas := c.deploy(t)
	t.Logf("deploy gas: %d", deployGas)

	value, _ := zkp.Celsius().Encode("4.5")
	commitment, opening, err := zkp.Commit(value, nil)
	if err != nil {
		t.Fatal(err)
	}
	claim := zkp.ReadingClaim{Interval: zkp.Interval{Lo: 4200, Hi: 4800}, Commitment: commitment}
	proof, err := zkp.Prove(pk, claim, []zkp.Opening{opening})
	if err != nil {
		t.Fatal(err)
	}
	if err := zkp.Verify(vk, proof, claim); err != nil {
		t.Fatal(err)
	}
	proofBytes, err := proof.SolidityProof()
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := zkp.PublicInputs(DevShape(), claim)
	if err != nil {
		t.Fatal(err)
	}
	binding := NewReadingVerifier()
	call := func(p []byte, in []*big.Int) (uint64, error) {
		msg := ethereum.CallMsg{From: c.from, To: &addr, Data: binding.PackVerifyProof(p, [3]*big.Int(in))}
		if _, err := c.client.CallContract(context.Background(), msg, nil); err != nil {
			return 0, err
		}
		return c.client.EstimateGas(context.Background(), msg)
	}
	gas, err := call(proofBytes, inputs)
	if err != nil {
		t.Fatalf("valid proof reverted: %v", err)
	}
	// EstimateGas is the gas limit the call needs, which the 63/64 rule
	// for the verifier's staticcall(gas(), ...) into the precompiles pushes
	// above what the call consumes. What a verification costs is the
	// GasUsed of a mined transaction.
	used := c.sendGasUsed(t, addr, binding.PackVerifyProof(proofBytes, [3]*big.Int(inputs)), gas)
	t.Logf("verifyProof transaction: gas used %d (gas limit needed %d)", used, gas)
	if used > 230_000 {
		t.Errorf("verification uses %d gas, target at most 230,000", used)
	}

	for i := range inputs {
		tampered := append([]*big.Int{}, inputs...)
		tampered[i] = new(big.Int).Add(inputs[i], big.NewInt(1))
		if _, err := call(proofBytes, tampered); err == nil {
			t.Errorf("public input %d + 1 accepted on chain", i)
		}
	}
	swapped := []*big.Int{inputs[1], inputs[0], inputs[2]}
	if _, err := call(proofBytes, swapped); err == nil {
		t.Error("swapped lo/hi accepted on chain")
	}
	badProof := bytes.Clone(proofBytes)
	badProof[255] ^= 1
	if _, err := call(badProof, inputs); err == nil {
		t.Error("tampered proof accepted on chain")
	}
	if _, err := call(proofBytes[:255], inputs); err == nil {
		t.Error("short proof accepted on chain")
	}
}
