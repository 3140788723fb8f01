package evmtx

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fixture is a simulated chain with two funded accounts and a Sender for
// the first.
type fixture struct {
	chain       *evmtxtest.Chain
	key, other  *ecdsa.PrivateKey
	to          common.Address
	sender      *Sender
	transferGas uint64
}

func newFixture(t *testing.T, cfg Config) *fixture {
	f := &fixture{key: evmtxtest.NewKey(t), other: evmtxtest.NewKey(t)}
	f.chain = evmtxtest.New(t, []*ecdsa.PrivateKey{f.key, f.other})
	f.to = evmtxtest.Address(f.other)
	f.sender = f.newSender(t, cfg)
	f.transferGas = 21000
	return f
}

func (f *fixture) newSender(t *testing.T, cfg Config) *Sender {
	t.Helper()
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 2 * time.Millisecond
	}
	cfg.Retry.Backoff = time.Millisecond
	s, err := NewSender(testCtx(t), f.chain.Client, KeySigner(f.key), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *fixture) transfer() Call { return Call{To: &f.to, Value: big.NewInt(1), Gas: f.transferGas} }

// sendStuck sends a transfer with a fee cap of 1 wei, below any base fee
// of the chain (its floor is 7 wei), so no block can include it.
func (f *fixture) sendStuck(t *testing.T) *Tx {
	t.Helper()
	head := f.chain.Head(t)
	tx, err := f.sender.sendPriced(testCtx(t), f.transfer(), fees{tip: big.NewInt(1), feeCap: big.NewInt(1)}, head.Number.Uint64())
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// waitBlocks waits until n more blocks are sealed.
func (f *fixture) waitBlocks(t *testing.T, n uint64) {
	t.Helper()
	start := f.chain.Head(t).Number.Uint64()
	for f.chain.Head(t).Number.Uint64() < start+n {
		time.Sleep(5 * time.Millisecond)
	}
}

// stuck checks that tx waits in the pool, unmined, with its nonce unused.
func (f *fixture) stuck(t *testing.T, tx *Tx) {
	t.Helper()
	ctx := testCtx(t)
	_, pending, err := f.chain.Client.TransactionByHash(ctx, tx.Latest().Hash())
	if err != nil || !pending {
		t.Fatalf("transaction %s: pending %v, %v; want waiting in the pool", tx.Latest().Hash(), pending, err)
	}
	n, err := f.chain.Client.NonceAt(ctx, f.sender.Address(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != tx.Nonce() {
		t.Fatalf("account nonce %d, want %d (the stuck transaction's)", n, tx.Nonce())
	}
}

// TestBumpStuckTransaction: a transaction priced below the base fee waits
// in the pool for blocks; Wait replaces it with the same nonce at a fee
// the chain takes, and returns the replacement's receipt.
func TestBumpStuckTransaction(t *testing.T) {
	f := newFixture(t, Config{BumpAfter: 2})
	tx := f.sendStuck(t)
	f.waitBlocks(t, 3)
	f.stuck(t, tx)
	first := tx.Latest()

	rcpt, err := f.sender.Wait(testCtx(t), tx)
	if err != nil {
		t.Fatal(err)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("replacement failed: status %d", rcpt.Status)
	}
	if rcpt.TxHash == first.Hash() {
		t.Fatal("the stuck transaction was mined without a replacement")
	}
	hashes := tx.Hashes()
	if len(hashes) < 2 || hashes[0] != first.Hash() || rcpt.TxHash != hashes[len(hashes)-1] {
		t.Fatalf("versions %v, mined %s", hashes, rcpt.TxHash)
	}
	ctx := testCtx(t)
	mined, _, err := f.chain.Client.TransactionByHash(ctx, rcpt.TxHash)
	if err != nil {
		t.Fatal(err)
	}
	if mined.Nonce() != first.Nonce() {
		t.Errorf("replacement nonce %d, want the stuck one's %d", mined.Nonce(), first.Nonce())
	}
	if !accepted(fees{tip: first.GasTipCap(), feeCap: first.GasFeeCap()}, fees{tip: mined.GasTipCap(), feeCap: mined.GasFeeCap()}, PriceBump) {
		t.Errorf("replacement tip %v cap %v is not a %d%% bump of %v %v", mined.GasTipCap(), mined.GasFeeCap(), PriceBump, first.GasTipCap(), first.GasFeeCap())
	}
	if _, _, err := f.chain.Client.TransactionByHash(ctx, first.Hash()); err == nil {
		t.Error("the replaced transaction is still known to the node")
	}
	if n, _ := f.chain.Client.NonceAt(ctx, f.sender.Address(), nil); n != first.Nonce()+1 {
		t.Errorf("account nonce %d after the replacement, want %d", n, first.Nonce()+1)
	}
	// The Sender's own nonce count was not disturbed by the replacement.
	next, err := f.sender.Transact(ctx, f.transfer())
	if err != nil {
		t.Fatal(err)
	}
	if next.Status != types.ReceiptStatusSuccessful {
		t.Fatal("next transaction failed")
	}
}

// TestBumpHonoursCap: when replacing the stuck transaction would need a
// fee cap above MaxFeePerGas, Wait fails with ErrFeeTooHigh and sends
// nothing; the transaction stays in the pool, and a Sender allowed to pay
// more takes it up and gets it mined with the same nonce.
func TestBumpHonoursCap(t *testing.T) {
	f := newFixture(t, Config{BumpAfter: 1, MaxFeePerGas: big.NewInt(1000)})
	tx := f.sendStuck(t)
	_, err := f.sender.Wait(testCtx(t), tx)
	if !errors.Is(err, ErrFeeTooHigh) {
		t.Fatalf("Wait with a cap below base fee plus tip: %v, want ErrFeeTooHigh", err)
	}
	if len(tx.Hashes()) != 1 {
		t.Fatalf("%d versions sent above the cap", len(tx.Hashes()))
	}
	f.waitBlocks(t, 2)
	f.stuck(t, tx)

	richer := f.newSender(t, Config{BumpAfter: 1})
	rcpt, err := richer.Wait(testCtx(t), tx)
	if err != nil {
		t.Fatal(err)
	}
	mined, _, err := f.chain.Client.TransactionByHash(testCtx(t), rcpt.TxHash)
	if err != nil || mined.Nonce() != tx.Nonce() {
		t.Fatalf("mined %v nonce %d, want nonce %d", err, mined.Nonce(), tx.Nonce())
	}
}

// TestBumpUpToCap: a cap between the base fee and what the market would
// pay is used in full, and the replacement at exactly the cap is mined.
func TestBumpUpToCap(t *testing.T) {
	f := newFixture(t, Config{BumpAfter: 1})
	ctx := testCtx(t)
	tip, err := f.chain.Client.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Room for base fee plus tip (the base fee only falls on this quiet
	// chain), not for the usual twice the base fee.
	limit := new(big.Int).Add(f.chain.Head(t).BaseFee, tip)
	limit.Add(limit, big.NewInt(1))
	capped := f.newSender(t, Config{BumpAfter: 1, MaxFeePerGas: limit})
	tx := f.sendStuck(t)
	rcpt, err := capped.Wait(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	mined, _, err := f.chain.Client.TransactionByHash(ctx, rcpt.TxHash)
	if err != nil {
		t.Fatal(err)
	}
	if mined.GasFeeCap().Cmp(limit) != 0 || mined.Nonce() != tx.Nonce() {
		t.Fatalf("mined fee cap %v nonce %d, want the cap %v and nonce %d", mined.GasFeeCap(), mined.Nonce(), limit, tx.Nonce())
	}
}

// TestInitialFeeCap: a cap below what a transaction needs now refuses to
// send at all.
func TestInitialFeeCap(t *testing.T) {
	f := newFixture(t, Config{MaxFeePerGas: big.NewInt(1)})
	if _, err := f.sender.Send(testCtx(t), f.transfer()); !errors.Is(err, ErrFeeTooHigh) {
		t.Fatalf("Send above the cap: %v, want ErrFeeTooHigh", err)
	}
	n, err := f.chain.Client.PendingNonceAt(testCtx(t), f.sender.Address())
	if err != nil || n != 0 {
		t.Fatalf("pending nonce %d, %v: something was sent", n, err)
	}
}

// TestConcurrentSends: one Sender used by many goroutines gives each
// transaction its own nonce; two Senders on one key (two processes) collide,
// resynchronise and still get every transaction mined.
func TestConcurrentSends(t *testing.T) {
	f := newFixture(t, Config{})
	second := f.newSender(t, Config{})
	ctx := testCtx(t)
	var wg sync.WaitGroup
	errs := make(chan error, 24)
	nonces := make(chan uint64, 24)
	for i := range 24 {
		s := f.sender
		if i%3 == 2 {
			s = second
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Distinct calls: two processes sending the same bytes with one
			// nonce send one transaction.
			call := f.transfer()
			call.Value = big.NewInt(int64(i + 1))
			rcpt, err := s.Transact(ctx, call)
			if err != nil {
				errs <- err
				return
			}
			tx, _, err := f.chain.Client.TransactionByHash(ctx, rcpt.TxHash)
			if err != nil {
				errs <- err
				return
			}
			nonces <- tx.Nonce()
		}()
	}
	wg.Wait()
	close(errs)
	close(nonces)
	for err := range errs {
		t.Error(err)
	}
	seen := map[uint64]bool{}
	for n := range nonces {
		if seen[n] {
			t.Errorf("nonce %d mined twice", n)
		}
		seen[n] = true
	}
	if len(seen) != 24 {
		t.Errorf("%d transactions mined, want 24", len(seen))
	}
}

// TestDropped: another transaction with the same nonce replaces the
// Sender's in the pool; Wait reports ErrDropped, and Transact sends again
// with a fresh nonce.
func TestDropped(t *testing.T) {
	f := newFixture(t, Config{BumpAfter: 1000})
	f.chain.Pause()
	ctx := testCtx(t)
	tx, err := f.sender.Send(ctx, f.transfer())
	if err != nil {
		t.Fatal(err)
	}
	old := tx.Latest()
	chainID := f.sender.ChainID()
	intruder, err := types.SignNewTx(f.key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: old.Nonce(), To: &f.to, Value: big.NewInt(2), Gas: 21000,
		GasTipCap: new(big.Int).Mul(old.GasTipCap(), big.NewInt(2)),
		GasFeeCap: new(big.Int).Mul(old.GasFeeCap(), big.NewInt(2)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.chain.Client.SendTransaction(ctx, intruder); err != nil {
		t.Fatal(err)
	}
	f.chain.Commit()
	f.chain.Resume()
	if _, err := f.sender.Wait(ctx, tx); !errors.Is(err, ErrDropped) {
		t.Fatalf("Wait for a transaction another took the nonce of: %v, want ErrDropped", err)
	}
	f.sender.ResetNonce()
	rcpt, err := f.sender.Transact(ctx, f.transfer())
	if err != nil {
		t.Fatal(err)
	}
	mined, _, _ := f.chain.Client.TransactionByHash(ctx, rcpt.TxHash)
	if mined.Nonce() != old.Nonce()+1 {
		t.Fatalf("resent with nonce %d, want %d", mined.Nonce(), old.Nonce()+1)
	}
}

// TestWaitCancelled: a context that ends while the transaction waits
// returns the context's error; the Tx stays valid and a later Wait gets
// its receipt without sending anything new.
func TestWaitCancelled(t *testing.T) {
	f := newFixture(t, Config{BumpAfter: 1000})
	f.chain.Pause()
	tx, err := f.sender.Send(testCtx(t), f.transfer())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.sender.Wait(ctx, tx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait with no block before the deadline: %v", err)
	}
	f.chain.Resume()
	rcpt, err := f.sender.Wait(testCtx(t), tx)
	if err != nil {
		t.Fatal(err)
	}
	if rcpt.TxHash != tx.Latest().Hash() || len(tx.Hashes()) != 1 {
		t.Fatalf("mined %s after %d versions", rcpt.TxHash, len(tx.Hashes()))
	}
}
