package evm

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// anchorPaused anchors c with the miner paused and seals its block by
// hand, so the test knows exactly which block holds the anchor.
func anchorPaused(t *testing.T, c *testChain, l *Ledger, com anchor.Commitment) anchor.Receipt {
	t.Helper()
	ctx := testCtx(t)
	gw := crypto.PubkeyToAddress(c.gateway.PublicKey)
	before, err := c.client.NonceAt(ctx, gw, nil)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		r   anchor.Receipt
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := l.Anchor(ctx, com)
		done <- result{r, err}
	}()
	for {
		n, err := c.client.PendingNonceAt(ctx, gw)
		if err != nil {
			t.Fatal(err)
		}
		if n > before {
			break
		}
		time.Sleep(time.Millisecond)
	}
	c.commit()
	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	return res.r
}

// reorgOut forks the chain at the parent of block n, so the anchor in
// block n is no longer on the canonical chain.
func reorgOut(t *testing.T, c *testChain, n uint64) {
	t.Helper()
	parent, err := c.client.HeaderByNumber(testCtx(t), new(big.Int).SetUint64(n-1))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
}

// TestReorgReincluded: a reorganisation takes the anchor's block away and
// the node puts the transaction back into its pool. The old receipt stops
// verifying, Lookup reports the anchor gone until it is mined again, and
// WaitFinal follows it to its new block and waits for confirmations there.
func TestReorgReincluded(t *testing.T) {
	c := newTestChain(t)
	const confirmations = 3
	l := c.ledger(t, c.config(confirmations))
	c.pause()
	com := anchortest.Commitment("reorg-reincluded")
	r := anchorPaused(t, c, l, com)
	if r.State != anchor.Included {
		t.Fatalf("fresh anchor in state %v, want included", r.State)
	}
	ctx := testCtx(t)
	if err := l.VerifyReceipt(ctx, r); err != nil {
		t.Fatalf("VerifyReceipt before the reorg: %v", err)
	}

	reorgOut(t, c, r.Position)
	if _, err := l.Lookup(ctx, com.Root); !errors.Is(err, anchor.ErrNotAnchored) {
		t.Fatalf("Lookup after the anchor's block was reorganised away: %v, want ErrNotAnchored", err)
	}
	if err := l.VerifyReceipt(ctx, r); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Fatalf("VerifyReceipt of a receipt from a dropped block: %v, want ErrBadReceipt", err)
	}

	// The longer branch: the pool re-includes the transaction.
	c.commit()
	c.commit()
	again, err := l.Lookup(ctx, com.Root)
	if err != nil {
		t.Fatalf("Lookup after the new branch re-included the anchor: %v", err)
	}
	if again.TxID != r.TxID {
		t.Errorf("re-included anchor has tx %s, want the original %s", again.TxID, r.TxID)
	}
	if string(again.Proof) == string(r.Proof) {
		t.Error("receipt after the reorg names the dropped block")
	}
	if again.State == anchor.Final {
		t.Errorf("anchor %d blocks deep is final with %d confirmations", 1, confirmations)
	}

	finalCh := make(chan anchor.Receipt, 1)
	errCh := make(chan error, 1)
	go func() {
		f, err := l.WaitFinal(ctx, r)
		if err != nil {
			errCh <- err
			return
		}
		finalCh <- f
	}()
	for {
		head, err := c.client.HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		depth := head.Number.Uint64() - again.Position
		if depth >= confirmations {
			break
		}
		select {
		case f := <-finalCh:
			t.Fatalf("WaitFinal returned %v at depth %d with %d confirmations", f.State, depth, confirmations)
		case err := <-errCh:
			t.Fatal(err)
		case <-time.After(20 * time.Millisecond):
		}
		c.commit()
	}
	var f anchor.Receipt
	select {
	case f = <-finalCh:
	case err := <-errCh:
		t.Fatal(err)
	}
	if f.State != anchor.Final || f.Position != again.Position || f.TxID != r.TxID {
		t.Errorf("WaitFinal: %v at %d tx %s, want final at %d tx %s", f.State, f.Position, f.TxID, again.Position, r.TxID)
	}
	if err := l.VerifyReceipt(ctx, f); err != nil {
		t.Errorf("VerifyReceipt of the final receipt: %v", err)
	}
	c.resume()
}

// TestReorgDropped: after the reorganisation the gateway's account spends
// the anchor's nonce on something else, so the anchoring transaction is
// gone for good. WaitFinal anchors the commitment again, once.
func TestReorgDropped(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(2))
	c.pause()
	com := anchortest.Commitment("reorg-dropped")
	r := anchorPaused(t, c, l, com)
	ctx := testCtx(t)
	reorgOut(t, c, r.Position)
	var err error

	// Replace the re-pooled anchor transaction with a transfer of the
	// same nonce at a higher fee.
	var old *types.Transaction
	pending := false
	for i := 0; i < 500 && !pending; i++ { // the pool re-injects asynchronously
		old, pending, err = c.client.TransactionByHash(ctx, common.HexToHash(r.TxID))
		time.Sleep(2 * time.Millisecond)
	}
	if err != nil || !pending {
		t.Fatalf("anchor transaction after the reorg: pending %v, %v; want back in the pool", pending, err)
	}
	chainID, _ := c.client.ChainID(ctx)
	to := crypto.PubkeyToAddress(c.other.PublicKey)
	replacement, err := types.SignNewTx(c.gateway, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: old.Nonce(), To: &to, Value: big.NewInt(1), Gas: 21000,
		GasTipCap: new(big.Int).Mul(old.GasTipCap(), big.NewInt(2)),
		GasFeeCap: new(big.Int).Mul(old.GasFeeCap(), big.NewInt(2)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.client.SendTransaction(ctx, replacement); err != nil {
		t.Fatal(err)
	}
	c.commit()
	if _, _, err := c.client.TransactionByHash(ctx, old.Hash()); err == nil {
		t.Fatal("replaced anchor transaction still known")
	}
	c.resume()

	f, err := l.WaitFinal(ctx, r)
	if err != nil {
		t.Fatalf("WaitFinal of a dropped anchor: %v", err)
	}
	if f.State != anchor.Final || f.TxID == r.TxID || !f.Commitment.Equal(com) {
		t.Fatalf("WaitFinal: %v tx %s, want final in a new transaction (old %s)", f.State, f.TxID, r.TxID)
	}
	if err := l.VerifyReceipt(ctx, f); err != nil {
		t.Errorf("VerifyReceipt of the re-anchored receipt: %v", err)
	}
	n := 0
	for got, err := range l.Follow(ctx, c.dep.Block) {
		if err != nil {
			t.Fatal(err)
		}
		if !got.Commitment.Equal(com) {
			t.Fatalf("Follow yielded %s", got.Commitment.Topic)
		}
		n++
		break
	}
	if n != 1 {
		t.Fatalf("Follow yielded %d anchors", n)
	}
	// Read-only ledgers cannot re-anchor what they did not send.
	ro := c.config(2)
	ro.Signer = nil
	reader := c.ledger(t, ro)
	forged := r
	forged.Commitment = anchortest.Commitment("never")
	if _, err := reader.WaitFinal(ctx, forged); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("read-only WaitFinal of a receipt it did not send: %v, want ErrBadReceipt", err)
	}
}
