package escrow

import (
	"bytes"
	"errors"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/iotrust/iotrust/escrow/contracts"
	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest/testtoken"
	"github.com/iotrust/iotrust/zkp"
)

// TestReleasePaysPayee: a shipment whose every reading lay in range is
// attested, proven in Go with the development keys and verified on chain;
// the payee gets exactly the amount, and nothing can happen to the deal
// afterwards.
func TestReleasePaysPayee(t *testing.T) {
	pk, vk := devKeys(t)
	c := newChain(t)
	id := c.open(1)
	cs, openings := shipment(t, 4450, 4200, 4800, 4615, 4399)
	if _, err := c.escrow.Attest(c.ctx, c.auth("gateway"), id, cs); err != nil {
		t.Fatal(err)
	}
	d, err := c.escrow.Deal(c.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := zkp.MerkleRoot(cs, DevShape().Size)
	if d.State != StateAttested || d.Root != root || d.Count != 5 || d.Interval != interval || d.Payer != c.addr("payer") {
		t.Fatalf("deal after attest: %+v", d)
	}
	claim := zkp.BatchClaim{Interval: interval, Commitments: cs}
	proof, err := zkp.Prove(pk, claim, openings)
	if err != nil {
		t.Fatal(err)
	}
	if err := zkp.Verify(vk, proof, claim); err != nil {
		t.Fatal(err)
	}
	// Valid proofs of other statements do not release: a reading dropped,
	// one swapped for another, a wider interval.
	other, otherOpenings := shipment(t, 4450)
	for name, wrong := range map[string]struct {
		claim    zkp.BatchClaim
		openings []zkp.Opening
	}{
		"one reading dropped": {zkp.BatchClaim{Interval: interval, Commitments: cs[:4]}, openings[:4]},
		"one reading swapped": {zkp.BatchClaim{Interval: interval, Commitments: append(append([]zkp.Commitment{}, cs[:4]...), other[0])},
			append(append([]zkp.Opening{}, openings[:4]...), otherOpenings[0])},
		"wider interval": {zkp.BatchClaim{Interval: zkp.Interval{Lo: 4200, Hi: 4801}, Commitments: cs}, openings},
	} {
		p, err := zkp.Prove(pk, wrong.claim, wrong.openings)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := c.escrow.Release(c.ctx, c.auth("carrier"), id, p); !errors.Is(err, ErrBadProof) {
			t.Fatalf("%s: release = %v, want ErrBadProof", name, err)
		}
	}
	before := c.balance(c.addr("carrier"))
	r, err := c.escrow.Release(c.ctx, c.auth("stranger"), id, proof) // anyone may submit
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("release: %d gas", r.GasUsed)
	if got := new(big.Int).Sub(c.balance(c.addr("carrier")), before); got.Cmp(ether) != 0 {
		t.Fatalf("carrier received %v wei, want %v", got, ether)
	}
	if d, _ := c.escrow.Deal(c.ctx, id); d.State != StateReleased {
		t.Fatalf("state %v after release", d.State)
	}
	if _, err := c.escrow.Release(c.ctx, c.auth("carrier"), id, proof); !errors.Is(err, ErrWrongState) {
		t.Fatalf("second release: %v", err)
	}
	c.advance(25 * time.Hour)
	if _, err := c.escrow.Expire(c.ctx, c.auth("insurer"), id); !errors.Is(err, ErrWrongState) {
		t.Fatalf("expire after release: %v", err)
	}
}

// TestExcursionPaysFallback: with one reading out of range no proof can be
// made; after the deadline the fallback party gets the amount.
func TestExcursionPaysFallback(t *testing.T) {
	c := newChain(t)
	id := c.open(2)
	cs, openings := shipment(t, 4450, 4935, 4500) // 9.35 °C
	if _, err := c.escrow.Attest(c.ctx, c.auth("gateway"), id, cs); err != nil {
		t.Fatal(err)
	}
	if !testing.Short() {
		pk, _ := devKeys(t)
		if _, err := zkp.Prove(pk, zkp.BatchClaim{Interval: interval, Commitments: cs}, openings); !errors.Is(err, zkp.ErrOutOfRange) {
			t.Fatalf("proving an excursion in range: %v", err)
		}
	}
	if _, err := c.escrow.Expire(c.ctx, c.auth("stranger"), id); !errors.Is(err, ErrDeadlineNotReached) {
		t.Fatalf("expire before the deadline: %v", err)
	}
	c.advance(24*time.Hour + time.Second)
	before := c.balance(c.addr("insurer"))
	if _, err := c.escrow.Expire(c.ctx, c.auth("stranger"), id); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(c.balance(c.addr("insurer")), before); got.Cmp(ether) != 0 {
		t.Fatalf("insurer received %v wei, want %v", got, ether)
	}
	if _, err := c.escrow.Expire(c.ctx, c.auth("stranger"), id); !errors.Is(err, ErrWrongState) {
		t.Fatalf("second expire: %v", err)
	}
}

// TestHostile is the catalogue of calls the escrow must refuse, each with
// the typed error it must produce and no money moved.
func TestHostile(t *testing.T) {
	c := newChain(t)
	other := otherKeys(t)
	cs, openings := shipment(t, 4450, 4500, 4600)
	claim := zkp.BatchClaim{Interval: interval, Commitments: cs}
	foreign, err := zkp.Prove(other, claim, openings) // right claim, wrong keys
	if err != nil {
		t.Fatal(err)
	}
	otherCs, otherOpenings := shipment(t, 4450, 4500, 4600)
	otherClaim := zkp.BatchClaim{Interval: interval, Commitments: otherCs}
	foreignOther, err := zkp.Prove(other, otherClaim, otherOpenings)
	if err != nil {
		t.Fatal(err)
	}
	rcc, _ := zkp.Compile(zkp.ReadingShape(16), zkp.Groth16)
	rpk, _, _ := zkp.UnsafeRandomSetup(rcc)
	single, err := zkp.Prove(rpk, zkp.ReadingClaim{Interval: interval, Commitment: cs[0]}, openings[:1])
	if err != nil {
		t.Fatal(err)
	}
	binding := contracts.NewRangeEscrow()
	raw := func(who string, data []byte) error { // a call the Go API would not make
		_, err := c.escrow.send(c.ctx, c.auth(who), "raw", data, nil)
		return err
	}
	attested := func(salt byte) [32]byte {
		id := c.open(salt)
		if _, err := c.escrow.Attest(c.ctx, c.auth("gateway"), id, cs); err != nil {
			t.Fatal(err)
		}
		return id
	}
	seventeen, _ := shipment(t, make([]uint64, 17)...)
	fieldOrder, _ := new(big.Int).SetString("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", 16)

	for _, tc := range []struct {
		name string
		want error
		call func() error
	}{
		{"open/zero payee", ErrBadTerms, func() error {
			tm := c.terms(10)
			tm.Payee = common.Address{}
			_, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm)
			return err
		}},
		{"open/zero amount", ErrBadTerms, func() error {
			tm := c.terms(11)
			tm.Amount = new(big.Int)
			_, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm)
			return err
		}},
		{"open/lo above hi", ErrBadTerms, func() error {
			tm := c.terms(12)
			tm.Interval = zkp.Interval{Lo: 4800, Hi: 4200}
			_, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm)
			return err
		}},
		// An interval the verifier's shape cannot state could never be
		// released: refused before anything is locked, as bad terms.
		{"open/interval beyond the shape's bits", ErrBadTerms, func() error {
			tm := c.terms(16)
			tm.Interval = zkp.Interval{Lo: 0, Hi: 1 << 40}
			_, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm)
			return err
		}},
		{"open/hi one past the shape's bits", zkp.ErrOutOfRange, func() error {
			tm := c.terms(17)
			tm.Interval = zkp.Interval{Lo: 0, Hi: 1 << c.escrow.Shape().Bits}
			_, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm)
			return err
		}},
		{"open/deadline passed (contract)", ErrBadTerms, func() error {
			tm := c.terms(13)
			tm.Deadline = c.now().Add(-time.Hour)
			_, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm)
			return err
		}},
		{"open/same salt twice (contract)", ErrBadTerms, func() error {
			c.open(14)
			_, _, err := c.escrow.Open(c.ctx, c.auth("payer"), c.terms(14))
			return err
		}},
		{"open/value differs from amount (contract)", ErrBadTerms, func() error {
			tm := c.terms(15)
			data := binding.PackOpen(tm.Salt, tm.Payee, tm.Fallback, tm.Attester, tm.Token, tm.Amount, interval.Lo, interval.Hi, uint64(tm.Deadline.Unix()))
			_, err := c.escrow.send(c.ctx, c.auth("payer"), "open", data, big.NewInt(1))
			return err
		}},
		{"attest/unknown deal", ErrUnknownDeal, func() error {
			_, err := c.escrow.Attest(c.ctx, c.auth("gateway"), [32]byte{0xde, 0xad}, cs)
			return err
		}},
		{"attest/not the attester", ErrNotAttester, func() error {
			_, err := c.escrow.Attest(c.ctx, c.auth("carrier"), c.open(20), cs)
			return err
		}},
		{"attest/twice", ErrWrongState, func() error {
			_, err := c.escrow.Attest(c.ctx, c.auth("gateway"), attested(21), otherCs)
			return err
		}},
		{"attest/no commitments", ErrShape, func() error {
			_, err := c.escrow.Attest(c.ctx, c.auth("gateway"), c.open(22), nil)
			return err
		}},
		{"attest/more commitments than the verifier holds", ErrShape, func() error {
			_, err := c.escrow.Attest(c.ctx, c.auth("gateway"), c.open(23), seventeen)
			return err
		}},
		{"attest/root not a field element (contract)", ErrBadAttestation, func() error {
			return raw("gateway", binding.PackAttest(c.open(24), fieldOrder, 3))
		}},
		{"attest/zero count (contract)", ErrBadAttestation, func() error {
			return raw("gateway", binding.PackAttest(c.open(25), big.NewInt(1), 0))
		}},
		{"release/unknown deal", ErrUnknownDeal, func() error {
			_, err := c.escrow.Release(c.ctx, c.auth("carrier"), [32]byte{0xbe, 0xef}, foreign)
			return err
		}},
		{"release/before attestation", ErrWrongState, func() error {
			_, err := c.escrow.Release(c.ctx, c.auth("carrier"), c.open(30), foreign)
			return err
		}},
		{"release/proof from other keys", ErrBadProof, func() error {
			_, err := c.escrow.Release(c.ctx, c.auth("carrier"), attested(31), foreign)
			return err
		}},
		{"release/proof about other commitments", ErrBadProof, func() error {
			_, err := c.escrow.Release(c.ctx, c.auth("carrier"), attested(32), foreignOther)
			return err
		}},
		{"release/proof of another shape", ErrShape, func() error {
			_, err := c.escrow.Release(c.ctx, c.auth("carrier"), attested(33), single)
			return err
		}},
		{"release/no proof", ErrShape, func() error {
			_, err := c.escrow.Release(c.ctx, c.auth("carrier"), attested(34), nil)
			return err
		}},
		{"release/truncated proof bytes (contract)", ErrBadProof, func() error {
			p, _ := foreign.SolidityProof()
			return raw("carrier", binding.PackRelease(attested(35), p[:255]))
		}},
		{"release/empty proof bytes (contract)", ErrBadProof, func() error {
			return raw("carrier", binding.PackRelease(attested(36), nil))
		}},
		{"expire/unknown deal", ErrUnknownDeal, func() error {
			_, err := c.escrow.Expire(c.ctx, c.auth("insurer"), [32]byte{0xfe})
			return err
		}},
		{"expire/before the deadline", ErrDeadlineNotReached, func() error {
			_, err := c.escrow.Expire(c.ctx, c.auth("insurer"), attested(40))
			return err
		}},
		{"withdraw/nothing credited", nil, func() error {
			_, err := c.escrow.Withdraw(c.ctx, c.auth("stranger"))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			held := c.balance(c.escrow.Address())
			err := tc.call()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
			} else if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if got := c.balance(c.escrow.Address()); got.Cmp(held) < 0 {
				t.Fatalf("the escrow paid out %v wei on a refused call", new(big.Int).Sub(held, got))
			}
		})
	}

	// After the deadline, neither attestation nor release is accepted.
	late := c.open(50)
	lateAttested := attested(51)
	c.advance(25 * time.Hour)
	if _, err := c.escrow.Attest(c.ctx, c.auth("gateway"), late, cs); !errors.Is(err, ErrDeadlinePassed) {
		t.Errorf("attest after the deadline: %v", err)
	}
	if _, err := c.escrow.Release(c.ctx, c.auth("carrier"), lateAttested, foreign); !errors.Is(err, ErrDeadlinePassed) {
		t.Errorf("release after the deadline: %v", err)
	}
}

// TestDeployRefusesNoVerifier: an escrow whose verifier address holds no
// code would refuse every proof; the constructor refuses it instead.
func TestDeployRefusesNoVerifier(t *testing.T) {
	c := newChain(t)
	_, _, err := Deploy(c.ctx, Config{Backend: c.client, PollInterval: 2 * time.Millisecond}, c.auth("payer"), c.addr("stranger"))
	if !errors.Is(err, ErrBadTerms) {
		t.Fatalf("deploy with an account as verifier: %v", err)
	}
	if got, err := c.escrow.Verifier(c.ctx); err != nil || got != c.verifier {
		t.Fatalf("Verifier() = %v, %v; want %v", got, err, c.verifier)
	}
	if _, err := New(c.ctx, Config{}); !errors.Is(err, ErrBadTerms) {
		t.Fatalf("New without a backend: %v", err)
	}
	if _, err := New(c.ctx, Config{Backend: c.client, Shape: zkp.ReadingShape(16)}); !errors.Is(err, ErrShape) {
		t.Fatalf("New with a reading shape: %v", err)
	}
	if _, _, err := DeployDevVerifier(c.ctx, Config{Backend: c.client, PollInterval: 2 * time.Millisecond, Shape: zkp.BatchShape(32, 16)}, c.auth("payer")); !errors.Is(err, ErrShape) {
		t.Fatalf("development verifier for another shape: %v", err)
	}
}

// TestDealIDMatchesContract: Go and Solidity derive the same deal ID.
func TestDealIDMatchesContract(t *testing.T) {
	c := newChain(t)
	b := contracts.NewRangeEscrow()
	for _, salt := range [][32]byte{{}, {1}, {0xff, 2, 3}} {
		got, err := bind.Call(b.Instance(c.client, c.escrow.Address()), &bind.CallOpts{Context: c.ctx}, b.PackDealId(c.addr("payer"), salt), b.UnpackDealId)
		if err != nil {
			t.Fatal(err)
		}
		if want := c.escrow.DealID(c.addr("payer"), salt); got != want {
			t.Fatalf("salt %x: contract %x, Go %x", salt, got, want)
		}
	}
	id := c.open(7)
	if d, err := c.escrow.Deal(c.ctx, id); err != nil || d.State != StateOpen {
		t.Fatalf("deal under the Go ID: %+v, %v", d, err)
	}
	if d, err := c.escrow.Deal(c.ctx, [32]byte{9}); err != nil || d.State != StateNone {
		t.Fatalf("unknown deal: %+v, %v", d, err)
	}
}

// TestRefusedPaymentIsCredited: a fallback that refuses the coin (a
// contract without a receive function) cannot block expiry; the amount is
// credited to it.
func TestRefusedPaymentIsCredited(t *testing.T) {
	c := newChain(t)
	tm := c.terms(3)
	tm.Fallback = c.verifier // has no receive function
	id, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm)
	if err != nil {
		t.Fatal(err)
	}
	c.advance(25 * time.Hour)
	if _, err := c.escrow.Expire(c.ctx, c.auth("stranger"), id); err != nil {
		t.Fatal(err)
	}
	got, err := c.escrow.Credit(c.ctx, c.verifier)
	if err != nil || got.Cmp(ether) != 0 {
		t.Fatalf("credit %v, %v; want %v", got, err, ether)
	}
}

// TestERC20Deal: a deal in a token pulls the amount at open and pays it out
// at expiry; without allowance it cannot open.
func TestERC20Deal(t *testing.T) {
	c := newChain(t)
	tt := testtoken.NewTestToken()
	tokAddr, tx, err := bind.DeployContract(c.opts("payer"), common.FromHex(testtoken.TestTokenMetaData.Bin), c.client, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.mined(c.ctx, tx)
	tok := tt.Instance(c.client, tokAddr)
	tx, _ = bind.Transact(tok, c.opts("payer"), tt.PackMint(c.addr("payer"), big.NewInt(5_000_000)))
	c.mined(c.ctx, tx)
	tm := c.terms(4)
	tm.Token, tm.Amount = tokAddr, big.NewInt(1_250_000)
	if _, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm); err == nil {
		t.Fatal("opened without allowance")
	}
	tx, _ = bind.Transact(tok, c.opts("payer"), tt.PackApprove(c.escrow.Address(), tm.Amount))
	c.mined(c.ctx, tx)
	id, _, err := c.escrow.Open(c.ctx, c.auth("payer"), tm)
	if err != nil {
		t.Fatal(err)
	}
	c.advance(25 * time.Hour)
	if _, err := c.escrow.Expire(c.ctx, c.auth("stranger"), id); err != nil {
		t.Fatal(err)
	}
	got, err := bind.Call(tok, &bind.CallOpts{Context: c.ctx}, tt.PackBalanceOf(c.addr("insurer")), tt.UnpackBalanceOf)
	if err != nil || got.Cmp(tm.Amount) != 0 {
		t.Fatalf("insurer holds %v tokens, %v; want %v", got, err, tm.Amount)
	}
}

// TestDevKeysCache: LoadDevKeys finds nothing in an empty directory,
// reads back a key saved as SetupDevKeys saves it (devKeys saves the
// shipped one), and that key proves what the committed verifying key
// accepts; a damaged cache file is refused. (SetupDevKeys itself runs in
// package devkeys' TestShippedKeyIsReproducible.)
func TestDevKeysCache(t *testing.T) {
	if _, _, err := LoadDevKeys(t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("empty cache: %v", err)
	}
	if _, _, err := LoadDevKeys(""); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("no cache directory: %v", err)
	}
	devKeys(t) // skips in -short mode
	pk, vk, err := LoadDevKeys(keyDir)
	if err != nil {
		t.Fatal(err)
	}
	cs, openings := shipment(t, 4300, 4700)
	claim := zkp.BatchClaim{Interval: interval, Commitments: cs}
	proof, err := zkp.Prove(pk, claim, openings)
	if err != nil {
		t.Fatal(err)
	}
	if err := zkp.Verify(vk, proof, claim); err != nil {
		t.Fatalf("cached key's proof: %v", err)
	}
	damaged := t.TempDir()
	raw, err := os.ReadFile(devProvingKeyFile(keyDir))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(devProvingKeyFile(damaged), raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadDevKeys(damaged); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("truncated cache file: %v", err)
	}
	// A proving key of the same shape from another setup is refused
	// before it makes a proof the committed verifier rejects.
	foreign := t.TempDir()
	if err := saveProvingKey(otherKeys(t), devProvingKeyFile(foreign)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadDevKeys(foreign); !errors.Is(err, zkp.ErrKeyMismatch) {
		t.Fatalf("another setup's proving key: %v, want zkp.ErrKeyMismatch", err)
	}
}

// TestVerifierSource: the committed development verifier is
// VerifierSource's export of the embedded verifying key; other shapes and
// bad contract names are refused.
func TestVerifierSource(t *testing.T) {
	vk, err := DevVerifyingKey()
	if err != nil {
		t.Fatal(err)
	}
	if vk.Shape() != DevShape() || vk.Backend() != zkp.Groth16 {
		t.Fatalf("embedded key is %v %v", vk.Shape(), vk.Backend())
	}
	src, err := VerifierSource(vk, "BatchVerifier")
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("contracts", "BatchVerifier.sol"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, committed) {
		t.Fatal("contracts/BatchVerifier.sol is not the export of dev-batch-16-16.vk: run go generate ./escrow/...")
	}
	for _, name := range []string{"", "1Verifier", "Bad Name", "x;contract"} {
		if _, err := VerifierSource(vk, name); !errors.Is(err, ErrContractName) {
			t.Errorf("contract name %q: %v, want ErrContractName", name, err)
		}
	}
	_, rvk, err := zkp.UnsafeRandomSetup(mustCompile(t, zkp.ReadingShape(16)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifierSource(rvk, "ReadingVerifier"); !errors.Is(err, ErrShape) {
		t.Fatalf("reading key: %v", err)
	}
}

// TestDevKeysMatchCommittedVerifier reruns the deterministic setup and
// checks it gives the embedded verifying key (SetupDevKeys refuses
// otherwise), so the committed contract can be rebuilt from the seed.
func TestDevKeysMatchCommittedVerifier(t *testing.T) {
	_, vk := devKeys(t)
	var got bytes.Buffer
	if _, err := vk.WriteTo(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), devVerifyingKey) {
		t.Fatal("setup from DevSeed differs from dev-batch-16-16.vk")
	}
}

func mustCompile(t *testing.T, s zkp.Shape) *zkp.CompiledCircuit {
	t.Helper()
	cc, err := zkp.Compile(s, zkp.Groth16)
	if err != nil {
		t.Fatal(err)
	}
	return cc
}
