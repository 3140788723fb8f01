package evm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/node"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// The simulated chain finalizes in epochs of 32 blocks: its "finalized"
// block is the last multiple of 32 at or below the head
// (go-ethereum/eth/catalyst.SimulatedBeacon).
const simEpoch = 32

// commitTo seals blocks by hand until the head is n.
func (c *testChain) commitTo(t *testing.T, n uint64) {
	t.Helper()
	for c.Head(t).Number.Uint64() < n {
		c.commit()
	}
}

func (c *testChain) lookupState(t *testing.T, l *Ledger, com anchor.Commitment) anchor.State {
	t.Helper()
	r, err := l.Lookup(testCtx(t), com.Root)
	if err != nil {
		t.Fatal(err)
	}
	return r.State
}

// TestFinalizedTag: by default a receipt turns Final when the node's
// finalized block reaches the anchor's, not after Confirmations blocks;
// Follow yields it only then; and the simulated chain answers the tag.
func TestFinalizedTag(t *testing.T) {
	c := newTestChain(t)
	cfg := c.config(1)
	cfg.Finality = FinalizedTag
	l := c.ledger(t, cfg)
	c.pause()
	defer c.resume()
	// Start an epoch, so that the anchor lands well before its end.
	c.commitTo(t, (c.Head(t).Number.Uint64()/simEpoch+1)*simEpoch)
	com := anchortest.Commitment("finalized tag")
	r := anchorPaused(t, c, l, com)
	epochEnd := (r.Position/simEpoch + 1) * simEpoch
	for h := c.Head(t).Number.Uint64(); h < epochEnd; h = c.Head(t).Number.Uint64() {
		if got := c.lookupState(t, l, com); got != anchor.Included {
			t.Fatalf("anchor in block %d, head %d, finalized %d: state %v, want included", r.Position, h, h/simEpoch*simEpoch, got)
		}
		c.commit()
	}
	if got := c.lookupState(t, l, com); got != anchor.Final {
		t.Fatalf("anchor in block %d, finalized %d: state %v, want final", r.Position, epochEnd, got)
	}
	ctx := testCtx(t)
	for f, err := range l.Follow(ctx, r.Position) {
		if err != nil {
			t.Fatal(err)
		}
		if !f.Commitment.Equal(com) || f.State != anchor.Final {
			t.Fatalf("Follow yielded %s in state %v", f.Commitment.Topic, f.State)
		}
		break
	}
	f, err := l.WaitFinal(ctx, r)
	if err != nil || f.State != anchor.Final {
		t.Fatalf("WaitFinal of a finalized anchor: %v, %v", f.State, err)
	}
}

// TestFinalizedTagUnknown: a node that does not know the "finalized" tag
// (here the simulated node behind a JSON-RPC relay that answers the tag as
// go-ethereum did before it knew it) makes the Ledger count
// Confirmations instead; one that knows it is not counted.
func TestFinalizedTagUnknown(t *testing.T) {
	opt, url := withHTTP(t)
	c := newTestChain(t, opt)
	relay := newOldNodeRelay(t, url)
	const confirmations = 3
	cfg := c.config(confirmations)
	cfg.Finality = FinalizedTag
	old, err := Open(testCtx(t), relay, cfg)
	if err != nil {
		t.Fatal(err)
	}
	current := c.ledger(t, cfg)
	c.pause()
	defer c.resume()
	c.commitTo(t, (c.Head(t).Number.Uint64()/simEpoch+1)*simEpoch)
	com := anchortest.Commitment("no finalized tag")
	r := anchorPaused(t, c, old, com)
	for range confirmations {
		if got := c.lookupState(t, old, com); got != anchor.Included {
			t.Fatalf("at depth %d: %v, want included", c.Head(t).Number.Uint64()-r.Position, got)
		}
		c.commit()
	}
	if got := c.lookupState(t, old, com); got != anchor.Final {
		t.Fatalf("at depth %d through a node without the tag: %v, want final", confirmations, got)
	}
	if got := c.lookupState(t, current, com); got != anchor.Included {
		t.Fatalf("at depth %d through a node with the tag: %v, want included (not finalized yet)", confirmations, got)
	}
	if err := old.VerifyReceipt(testCtx(t), r); err != nil {
		t.Fatalf("VerifyReceipt through the relay: %v", err)
	}
}

// TestImmediateFinality: Immediate makes an anchor Final in its block.
func TestImmediateFinality(t *testing.T) {
	c := newTestChain(t)
	cfg := c.config(1)
	cfg.Finality = Immediate
	l := c.ledger(t, cfg)
	r, err := l.Anchor(testCtx(t), anchortest.Commitment("immediate"))
	if err != nil || r.State != anchor.Final {
		t.Fatalf("Anchor with immediate finality: %v, %v", r.State, err)
	}
	cfg.Finality = Immediate + 1
	if _, err := Open(testCtx(t), c.client, cfg); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("Open with an unknown finality: %v", err)
	}
}

// newOldNodeRelay serves JSON-RPC over HTTP in front of the simulated
// node's own HTTP endpoint: it passes every request on, except those
// naming the "finalized" block tag, which it refuses as a node that does
// not know the tag.
func newOldNodeRelay(t *testing.T, nodeURL string) *ethclient.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if bytes.Contains(body, []byte(`"finalized"`)) {
			var call struct {
				ID json.RawMessage `json:"id"`
			}
			if err := json.Unmarshal(body, &call); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32602,"message":"invalid argument 0: hex string without 0x prefix"}}`, call.ID)
			return
		}
		resp, err := http.Post(nodeURL, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	client, err := ethclient.DialContext(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	return client
}

// withHTTP makes the simulated node serve JSON-RPC over HTTP on a free
// local port and returns that option and the endpoint's URL.
func withHTTP(t *testing.T) (func(*node.Config, *ethconfig.Config), string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return func(n *node.Config, _ *ethconfig.Config) {
		n.HTTPHost, n.HTTPPort, n.HTTPModules = "127.0.0.1", port, []string{"eth", "net", "web3"}
	}, fmt.Sprintf("http://127.0.0.1:%d", port)
}

// FinalHeaders vouches only for final blocks: a HeaderVerifier over it
// refuses a receipt marked Final (as a bundle may claim) until the node's
// finalized block, or the confirmations asked for, reach its block, and
// accepts it from then on.
func TestFinalHeaders(t *testing.T) {
	c := newTestChain(t)
	cfg := c.config(1)
	cfg.Finality = Immediate // the Ledger calls it Final at once
	l := c.ledger(t, cfg)
	c.pause()
	defer c.resume()
	c.commitTo(t, (c.Head(t).Number.Uint64()/simEpoch+1)*simEpoch)
	r := anchorPaused(t, c, l, anchortest.Commitment("final headers"))
	r.State = anchor.Final
	ctx := testCtx(t)
	verifier := func(f Finality, n uint64) *HeaderVerifier {
		th, err := FinalHeaders(c.client, f, n)
		if err != nil {
			t.Fatal(err)
		}
		return NewHeaderVerifier(l.chainID, c.dep.Address, th)
	}
	tag, three := verifier(FinalizedTag, 0), verifier(ConfirmationCount, 3)
	for i := range 3 {
		if err := three.VerifyReceipt(ctx, r); !errors.Is(err, ErrUntrustedBlock) || !errors.Is(err, anchor.ErrBadReceipt) {
			t.Fatalf("%d confirmations of 3: %v, want ErrUntrustedBlock", i, err)
		}
		c.commit()
	}
	if err := three.VerifyReceipt(ctx, r); err != nil {
		t.Fatalf("3 confirmations: %v", err)
	}
	if err := tag.VerifyReceipt(ctx, r); !errors.Is(err, ErrUntrustedBlock) {
		t.Fatalf("before the finalized block reaches it: %v, want ErrUntrustedBlock", err)
	}
	c.commitTo(t, (r.Position/simEpoch+1)*simEpoch)
	if err := tag.VerifyReceipt(ctx, r); err != nil {
		t.Fatalf("finalized: %v", err)
	}
	if err := verifier(Immediate, 0).VerifyReceipt(ctx, r); err != nil {
		t.Fatalf("immediate: %v", err)
	}
	if _, err := FinalHeaders(nil, FinalizedTag, 0); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("nil client: %v, want ErrBadConfig", err)
	}
	if _, err := FinalHeaders(c.client, Immediate+1, 0); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("unknown finality: %v, want ErrBadConfig", err)
	}
}
