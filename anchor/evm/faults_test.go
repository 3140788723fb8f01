package evm

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/canon"
)

func TestUnregisteredGatewayRejected(t *testing.T) {
	c := newTestChain(t)
	cfg := c.config(1)
	cfg.Signer = KeySigner(c.other)
	l := c.ledger(t, cfg)
	ctx := testCtx(t)
	com := anchortest.Commitment("stranger")
	if _, err := l.Anchor(ctx, com); !errors.Is(err, ErrNotGateway) {
		t.Fatalf("Anchor from an unregistered address: %v, want ErrNotGateway", err)
	}
	if _, err := l.Lookup(ctx, com.Root); !errors.Is(err, anchor.ErrNotAnchored) {
		t.Fatalf("after a refused anchor, Lookup: %v, want ErrNotAnchored", err)
	}

	// Registered, it may anchor; removed, it may not any more, and what it
	// anchored stays.
	o, err := NewOwner(ctx, c.client, Config{Contract: c.dep.Address, Signer: KeySigner(c.owner), PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	addr := crypto.PubkeyToAddress(c.other.PublicKey)
	if err := o.AddGateway(ctx, addr); err != nil {
		t.Fatal(err)
	}
	if ok, err := o.IsGateway(ctx, addr); err != nil || !ok {
		t.Fatalf("IsGateway after AddGateway: %v, %v", ok, err)
	}
	if _, err := l.Anchor(ctx, com); err != nil {
		t.Fatalf("Anchor after registration: %v", err)
	}
	if err := o.RemoveGateway(ctx, addr); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Anchor(ctx, anchortest.Commitment("after removal")); !errors.Is(err, ErrNotGateway) {
		t.Fatalf("Anchor after removal: %v, want ErrNotGateway", err)
	}
	if _, err := l.Lookup(ctx, com.Root); err != nil {
		t.Fatalf("anchor of a removed gateway: %v", err)
	}

	// Only the owner manages gateways.
	impostor, err := NewOwner(ctx, c.client, Config{Contract: c.dep.Address, Signer: KeySigner(c.gateway), PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := impostor.AddGateway(ctx, addr); !errors.Is(err, ErrNotOwner) {
		t.Fatalf("AddGateway by a non-owner: %v, want ErrNotOwner", err)
	}
}

func TestLedgerDown(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(1))
	ctx := testCtx(t)
	com := anchortest.Commitment("down")
	c.halt()
	if err := c.sim.Close(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := l.Anchor(ctx, com); !errors.Is(err, anchor.ErrUnavailable) {
		t.Errorf("Anchor on a closed chain: %v, want ErrUnavailable", err)
	}
	if _, err := l.Lookup(ctx, com.Root); !errors.Is(err, anchor.ErrUnavailable) {
		t.Errorf("Lookup on a closed chain: %v, want ErrUnavailable", err)
	}
	var followErr error
	for _, err := range l.Follow(ctx, 0) {
		followErr = err
	}
	if !errors.Is(followErr, anchor.ErrUnavailable) {
		t.Errorf("Follow on a closed chain ended with %v, want ErrUnavailable", followErr)
	}
	if _, err := l.WaitFinal(ctx, anchor.Receipt{Ledger: LedgerName, Chain: l.Chain(), Commitment: com}); !errors.Is(err, anchor.ErrUnavailable) {
		t.Errorf("WaitFinal on a closed chain: %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a closed client took %v to report", d)
	}
}

// TestEndpointUnreachable: a JSON-RPC endpoint that refuses connections is
// retried Config.Retries times, then reported as unavailable; a context
// that ends first wins.
func TestEndpointUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there any more
	client, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	cfg := Config{Contract: [20]byte{1}, Retries: 3, RetryBackoff: time.Millisecond}
	_, err = Open(testCtx(t), client, cfg)
	if !errors.Is(err, anchor.ErrUnavailable) {
		t.Fatalf("Open on a refused endpoint: %v, want ErrUnavailable", err)
	}

	cfg.Retries, cfg.RetryBackoff = 100, time.Second
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := Open(ctx, client, cfg); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Open with a short context on a refused endpoint: %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("retries ignored the context for %v", d)
	}
}

// TestCancelWhileMining: a context that ends while the transaction waits
// in the pool returns the context's error; the retry waits for that same
// transaction instead of sending a second.
func TestCancelWhileMining(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(1))
	c.pause()
	com := anchortest.Commitment("cancel-mining")
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if _, err := l.Anchor(ctx, com); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Anchor with no block before the deadline: %v, want DeadlineExceeded", err)
	}
	gw := crypto.PubkeyToAddress(c.gateway.PublicKey)
	sent, err := c.client.PendingNonceAt(testCtx(t), gw)
	if err != nil {
		t.Fatal(err)
	}
	c.resume()
	r, err := l.Anchor(testCtx(t), com)
	if err != nil {
		t.Fatal(err)
	}
	after, err := c.client.NonceAt(testCtx(t), gw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after != sent {
		t.Errorf("gateway sent %d transactions after the cancelled one, want 0", after-sent)
	}
	if !r.Commitment.Equal(com) {
		t.Error("retry returned another commitment")
	}
}

// TestSharedKeyNonces: two Ledgers (two processes, say) anchoring with
// one key collide on nonces; each notices, resynchronises and every
// anchor lands once.
func TestSharedKeyNonces(t *testing.T) {
	c := newTestChain(t)
	a := c.ledger(t, c.config(1))
	b := c.ledger(t, c.config(1))
	ctx := testCtx(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		l := a
		if i%2 == 1 {
			l = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := l.Anchor(ctx, anchortest.Commitment(fmt.Sprintf("shared-%d", i))); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := range 16 {
		if _, err := a.Lookup(ctx, anchortest.Commitment(fmt.Sprintf("shared-%d", i)).Root); err != nil {
			t.Errorf("anchor %d: %v", i, err)
		}
	}
}

// TestConfirmations: Anchor returns Included; the receipt turns Final only
// once Confirmations blocks are built on top, and Follow yields it only
// then.
func TestConfirmations(t *testing.T) {
	c := newTestChain(t)
	const confirmations = 4
	l := c.ledger(t, c.config(confirmations))
	c.pause()
	com := anchortest.Commitment("confirmations")
	r := anchorPaused(t, c, l, com)
	ctx := testCtx(t)
	for depth := uint64(0); depth < confirmations; depth++ {
		got, err := l.Lookup(ctx, com.Root)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != anchor.Included {
			t.Fatalf("at depth %d: state %v, want included", depth, got.State)
		}
		fctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		for got, err := range l.Follow(fctx, 0) {
			if err == nil {
				t.Fatalf("Follow yielded %s at depth %d of %d", got.Commitment.Topic, depth, confirmations)
			}
		}
		cancel()
		c.commit()
	}
	got, err := l.Lookup(ctx, com.Root)
	if err != nil || got.State != anchor.Final {
		t.Fatalf("at depth %d: %v, %v; want final", confirmations, got.State, err)
	}
	for f, err := range l.Follow(ctx, r.Position) {
		if err != nil {
			t.Fatal(err)
		}
		if f.State != anchor.Final || !f.Commitment.Equal(com) {
			t.Fatalf("Follow yielded %v %s", f.State, f.Commitment.Topic)
		}
		break
	}
	c.resume()
}

func TestOpenRejects(t *testing.T) {
	c := newTestChain(t)
	ctx := testCtx(t)
	if _, err := Open(ctx, c.client, Config{}); !errors.Is(err, ErrBadConfig) {
		t.Errorf("Open without a contract: %v, want ErrBadConfig", err)
	}
	cfg := c.config(1)
	cfg.Contract = crypto.PubkeyToAddress(c.other.PublicKey) // an account, no code
	if _, err := Open(ctx, c.client, cfg); !errors.Is(err, ErrNoContract) {
		t.Errorf("Open on an address without code: %v, want ErrNoContract", err)
	}
	ro := c.config(1)
	ro.Signer = nil
	l := c.ledger(t, ro)
	if _, err := l.Anchor(ctx, anchortest.Commitment("ro")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Anchor on a read-only ledger: %v, want ErrReadOnly", err)
	}
	l.Close()
	if _, err := l.Lookup(ctx, anchortest.Commitment("ro").Root); !errors.Is(err, anchor.ErrClosed) {
		t.Errorf("Lookup after Close: %v, want ErrClosed", err)
	}
}

func TestFeeCap(t *testing.T) {
	c := newTestChain(t)
	cfg := c.config(1)
	cfg.MaxFeePerGas = big.NewInt(1) // 1 wei: below any base fee
	l := c.ledger(t, cfg)
	if _, err := l.Anchor(testCtx(t), anchortest.Commitment("fee")); !errors.Is(err, ErrFeeTooHigh) {
		t.Fatalf("Anchor above the fee cap: %v, want ErrFeeTooHigh", err)
	}
}

// TestSameBytesOtherHash: the contract keys anchors by the root's 32
// bytes, so the same bytes under another hash function conflict.
func TestSameBytesOtherHash(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(1))
	ctx := testCtx(t)
	com := anchortest.Commitment("bytes")
	if _, err := l.Anchor(ctx, com); err != nil {
		t.Fatal(err)
	}
	other := com
	other.Root.Func = canon.SHA256
	if _, err := l.Anchor(ctx, other); !errors.Is(err, anchor.ErrRootConflict) {
		t.Fatalf("Anchor of the same bytes as a SHA-256 root: %v, want ErrRootConflict", err)
	}
	if _, err := l.Lookup(ctx, other.Root); !errors.Is(err, anchor.ErrNotAnchored) {
		t.Fatalf("Lookup of the SHA-256 root: %v, want ErrNotAnchored", err)
	}
}
