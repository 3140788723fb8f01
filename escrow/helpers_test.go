package escrow

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/consensys/gnark/logger"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest"
	"github.com/iotrust/iotrust/zkp"
)

func TestMain(m *testing.M) {
	logger.Disable() // gnark's progress messages
	code := m.Run()
	if keyDir != "" {
		os.RemoveAll(keyDir)
	}
	os.Exit(code)
}

var ether = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

// Development keys, read once per test binary: the proving key package
// devkeys ships (its test reruns the deterministic setup from DevSeed and
// compares, byte for byte, so the setup's 20 s of CPU run once in
// go test ./..., not here again), cached in keyDir as SetupDevKeys caches
// it, and the committed verifying key.
var (
	keyOnce sync.Once
	keyDir  string
	devPK   *zkp.ProvingKey
	devVK   *zkp.VerifyingKey
	keyErr  error
)

// shippedProvingKey is package devkeys' file, which this package cannot
// import (devkeys imports escrow).
const shippedProvingKey = "devkeys/dev-batch-16-16.pk"

// devKeys returns the development keys, skipping the test in -short mode
// (proofs with them take seconds).
func devKeys(t testing.TB) (*zkp.ProvingKey, *zkp.VerifyingKey) {
	t.Helper()
	if testing.Short() {
		t.Skip("proving with the development keys takes seconds; skipped in -short mode")
	}
	keyOnce.Do(func() {
		f, err := os.Open(shippedProvingKey)
		if err != nil {
			keyErr = err
			return
		}
		defer f.Close()
		pk, err := zkp.ReadProvingKey(f)
		if err != nil {
			keyErr = err
			return
		}
		if keyDir, keyErr = os.MkdirTemp("", "escrow-keys-"); keyErr != nil {
			return
		}
		if keyErr = saveProvingKey(pk, devProvingKeyFile(keyDir)); keyErr != nil {
			return
		}
		devPK, devVK, keyErr = LoadDevKeys(keyDir)
	})
	if keyErr != nil {
		t.Fatal(keyErr)
	}
	return devPK, devVK
}

// Keys of the same shape from another setup: their proofs are well formed
// and verify in Go with their own key, but not with the development
// verifier. Fast, so the refusal paths run in -short mode too.
var (
	otherOnce sync.Once
	otherPK   *zkp.ProvingKey
	otherErr  error
)

func otherKeys(t testing.TB) *zkp.ProvingKey {
	t.Helper()
	otherOnce.Do(func() {
		cc, err := zkp.Compile(DevShape(), zkp.Groth16)
		if err != nil {
			otherErr = err
			return
		}
		otherPK, _, otherErr = zkp.UnsafeRandomSetup(cc)
	})
	if otherErr != nil {
		t.Fatal(otherErr)
	}
	return otherPK
}

// chain is a simulated chain with the development verifier and an escrow
// deployed, and named funded accounts.
type chain struct {
	t        *testing.T
	ctx      context.Context
	chain    *evmtxtest.Chain
	client   simulated.Client
	chainID  *big.Int
	keys     map[string]*ecdsa.PrivateKey
	verifier common.Address
	escrow   *Escrow
	gas      map[string]uint64
}

func newChain(t *testing.T) *chain {
	t.Helper()
	c := &chain{t: t, ctx: context.Background(), keys: map[string]*ecdsa.PrivateKey{}, gas: map[string]uint64{}}
	var keys []*ecdsa.PrivateKey
	for _, name := range []string{"payer", "carrier", "insurer", "gateway", "stranger"} {
		c.keys[name] = evmtxtest.NewKey(t)
		keys = append(keys, c.keys[name])
	}
	c.chain = evmtxtest.New(t, keys)
	c.client = c.chain.Client
	var err error
	if c.chainID, err = c.client.ChainID(c.ctx); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Backend: c.client, PollInterval: 2 * time.Millisecond}
	var r *types.Receipt
	c.verifier, r, err = DeployDevVerifier(c.ctx, cfg, c.auth("payer"))
	if err != nil {
		t.Fatal(err)
	}
	c.gas["deploy verifier"] = r.GasUsed
	c.escrow, r, err = Deploy(c.ctx, cfg, c.auth("payer"), c.verifier)
	if err != nil {
		t.Fatal(err)
	}
	c.gas["deploy escrow"] = r.GasUsed
	return c
}

// mined waits for a transaction sent through a binding (the test token's).
func (c *chain) mined(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	return bind.WaitMined(ctx, c.client, tx.Hash())
}

func (c *chain) addr(name string) common.Address {
	return crypto.PubkeyToAddress(c.keys[name].PublicKey)
}

func (c *chain) auth(name string) Signer { return KeySigner(c.keys[name]) }

// opts signs binding transactions (the test token's) as name.
func (c *chain) opts(name string) *bind.TransactOpts {
	return bind.NewKeyedTransactor(c.keys[name], c.chainID)
}

func (c *chain) balance(a common.Address) *big.Int {
	b, err := c.client.BalanceAt(c.ctx, a, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return b
}

// now is the chain's time: the latest block's timestamp.
func (c *chain) now() time.Time {
	h, err := c.client.HeaderByNumber(c.ctx, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return time.Unix(int64(h.Time), 0).UTC()
}

// advance moves the chain's clock by d and seals a block.
func (c *chain) advance(d time.Duration) { c.chain.AdjustTime(c.t, d) }

// interval is 2.00–8.00 °C in zkp.Celsius's encoding.
var interval = zkp.Interval{Lo: 4200, Hi: 4800}

// shipment makes n commitments to encoded values and their openings.
func shipment(t testing.TB, values ...uint64) ([]zkp.Commitment, []zkp.Opening) {
	t.Helper()
	cs := make([]zkp.Commitment, len(values))
	openings := make([]zkp.Opening, len(values))
	for i, v := range values {
		var err error
		if cs[i], openings[i], err = zkp.Commit(v, nil); err != nil {
			t.Fatal(err)
		}
	}
	return cs, openings
}

// open opens a deal of 1 ether from payer to carrier, insurer as fallback,
// gateway as attester, deadline a day ahead.
func (c *chain) open(salt byte) [32]byte {
	c.t.Helper()
	id, r, err := c.escrow.Open(c.ctx, c.auth("payer"), c.terms(salt))
	if err != nil {
		c.t.Fatal(err)
	}
	c.gas["open"] = r.GasUsed
	return id
}

func (c *chain) terms(salt byte) Terms {
	return Terms{
		Salt: [32]byte{salt}, Payee: c.addr("carrier"), Fallback: c.addr("insurer"), Attester: c.addr("gateway"),
		Amount: new(big.Int).Set(ether), Interval: interval, Deadline: c.now().Add(24 * time.Hour),
	}
}
