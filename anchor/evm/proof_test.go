package evm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/internal/evmtx/evmtxtest"
)

// nodeHeaders trusts the test chain's node: the verifier's own node.
func (c *testChain) nodeHeaders() HeaderFunc {
	return func(ctx context.Context, n uint64) (*types.Header, error) {
		return c.client.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
	}
}

func (c *testChain) checkpoint(t *testing.T, numbers ...uint64) Checkpoint {
	t.Helper()
	cp := Checkpoint{}
	for _, n := range numbers {
		h, err := c.client.HeaderByNumber(testCtx(t), new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatal(err)
		}
		cp[n] = h.Hash()
	}
	return cp
}

func (c *testChain) verifier(trusted TrustedHeaders) *HeaderVerifier {
	return NewHeaderVerifier(big.NewInt(1337), c.dep.Address, trusted)
}

// editProof decodes r's proof, applies edit, and returns r with the
// re-encoded proof.
func editProof(t *testing.T, r anchor.Receipt, edit func(p *Proof)) anchor.Receipt {
	t.Helper()
	p, err := DecodeProof(r.Proof)
	if err != nil {
		t.Fatal(err)
	}
	p.TxNodes = append([][]byte(nil), p.TxNodes...)
	p.ReceiptNodes = append([][]byte(nil), p.ReceiptNodes...)
	h := *p.Header
	p.Header = &h
	edit(&p)
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	r.Proof = b
	return r
}

func flipped(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0x01
	return out
}

// TestReceiptProofOffline: a receipt's Proof verifies with no node, from
// a trusted block hash alone, and proves what it should: decoding it
// yields the anchor's block header and transaction.
func TestReceiptProofOffline(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(1))
	ctx := testCtx(t)
	r, err := l.Anchor(ctx, anchortest.Commitment("offline"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.client.(blockReceiptsReader); !ok {
		t.Error("the simulated client does not fetch a block's receipts in one call")
	}
	p, err := DecodeProof(r.Proof)
	if err != nil {
		t.Fatal(err)
	}
	if p.Header.Number.Uint64() != r.Position || len(r.Proof) > MaxProofLen {
		t.Fatalf("proof of block %d (%d bytes) for a receipt at %d", p.Header.Number, len(r.Proof), r.Position)
	}
	t.Logf("proof: %d bytes, %d+%d trie nodes", len(r.Proof), len(p.TxNodes), len(p.ReceiptNodes))
	again, err := p.MarshalBinary()
	if err != nil || !bytes.Equal(again, r.Proof) {
		t.Fatalf("proof does not re-encode to itself: %v", err)
	}

	// A client without eth_getBlockReceipts: receipts one by one, the
	// same proof.
	narrow, err := Open(ctx, struct{ Client }{c.client}, c.config(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := Client(struct{ Client }{c.client}).(blockReceiptsReader); ok {
		t.Fatal("the narrowed client still has BlockReceipts")
	}
	if got, err := narrow.Lookup(ctx, r.Commitment.Root); err != nil || !bytes.Equal(got.Proof, r.Proof) {
		t.Fatalf("proof from receipts one by one differs (%v)", err)
	}

	// Offline: a checkpoint of block hashes, and nothing else. The chain
	// is closed first, so nothing can be asked.
	cp := c.checkpoint(t, r.Position)
	node := c.verifier(c.nodeHeaders())
	if err := node.VerifyReceipt(ctx, r); err != nil {
		t.Fatalf("HeaderVerifier over the node's headers: %v", err)
	}
	c.halt()
	if err := c.sim.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.verifier(cp).VerifyReceipt(ctx, r); err != nil {
		t.Fatalf("HeaderVerifier over a checkpoint, chain closed: %v", err)
	}
	if err := c.verifier(Checkpoint{}).VerifyReceipt(ctx, r); !errors.Is(err, anchor.ErrBadReceipt) || !errors.Is(err, ErrUntrustedBlock) {
		t.Fatalf("block not in the checkpoint: %v, want ErrBadReceipt and ErrUntrustedBlock", err)
	}
	if err := node.VerifyReceipt(ctx, r); errors.Is(err, anchor.ErrBadReceipt) || err == nil {
		t.Fatalf("node verifier with the node gone: %v, want the node's error, not a verdict", err)
	}
}

// TestReceiptProofTampered is the hostile catalogue of receipt proofs:
// each case is a receipt (or a verifier) changed in one way, and
// HeaderVerifier must refuse it with anchor.ErrBadReceipt (and the named
// sentinel), as must the Ledger's own VerifyReceipt.
func TestReceiptProofTampered(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(1))
	ctx := testCtx(t)
	// A block of many anchors, so that the paths have branch nodes.
	rs := anchorBlock(t, c, l, "tampered", 20)
	r := rs[len(rs)/2]
	p, _ := DecodeProof(r.Proof)
	if len(p.TxNodes) < 2 || len(p.ReceiptNodes) < 2 {
		t.Fatalf("paths of %d and %d nodes in a block of %d anchors", len(p.TxNodes), len(p.ReceiptNodes), len(rs))
	}
	before, err := c.client.HeaderByNumber(ctx, new(big.Int).SetUint64(r.Position-1))
	if err != nil {
		t.Fatal(err)
	}

	// A receipt of another anchor contract on the same chain, with the
	// same commitment and the same gateway.
	o, err := NewOwner(ctx, c.client, Config{Signer: KeySigner(c.owner), PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	dep2, err := o.Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.AddGateway(ctx, evmtxtest.Address(c.gateway)); err != nil {
		t.Fatal(err)
	}
	cfg2 := c.config(1)
	cfg2.Contract, cfg2.DeployBlock = dep2.Address, dep2.Block
	other, err := c.ledger(t, cfg2).Anchor(ctx, r.Commitment)
	if err != nil {
		t.Fatal(err)
	}

	// A proof of a log of another event of the anchor contract:
	// GatewayAdded, in the transaction that registered the gateway.
	gatewayAdded := otherEventReceipt(t, c, l, r.Commitment)

	type tc struct {
		name string
		r    anchor.Receipt
		want error // besides anchor.ErrBadReceipt
	}
	cases := []tc{
		{"header of the previous block", editProof(t, r, func(p *Proof) { p.Header = before }), nil},
		{"header time changed", editProof(t, r, func(p *Proof) { p.Header.Time++ }), nil},
		{"header receipt root changed", editProof(t, r, func(p *Proof) { p.Header.ReceiptHash[0] ^= 1 }), nil},
		{"transaction index moved", editProof(t, r, func(p *Proof) { p.TxIndex++ }), ErrBadProof},
		{"log index past the logs", editProof(t, r, func(p *Proof) { p.LogIndex++ }), nil},
		{"extra transaction node", editProof(t, r, func(p *Proof) { p.TxNodes = append(p.TxNodes, p.TxNodes[0]) }), ErrBadProof},
		{"receipt node missing", editProof(t, r, func(p *Proof) { p.ReceiptNodes = p.ReceiptNodes[:len(p.ReceiptNodes)-1] }), ErrBadProof},
		{"receipt nodes for the transaction trie", editProof(t, r, func(p *Proof) { p.TxNodes = p.ReceiptNodes }), ErrBadProof},
		{"receipt from another contract", other, nil},
		{"log of another event", gatewayAdded, ErrBadLog},
		{"no proof", func() anchor.Receipt { x := r; x.Proof = nil; return x }(), ErrBadProof},
		{"proof of version 2", func() anchor.Receipt { x := r; x.Proof = append([]byte{2}, r.Proof[1:]...); return x }(), ErrBadProof},
		{"proof with a trailing byte", func() anchor.Receipt { x := r; x.Proof = append(bytes.Clone(r.Proof), 0); return x }(), ErrBadProof},
		{"other transaction ID", func() anchor.Receipt { x := r; x.TxID = other.TxID; return x }(), nil},
		{"other time", func() anchor.Receipt { x := r; x.Time = x.Time.Add(time.Second); return x }(), nil},
		{"other position", func() anchor.Receipt { x := r; x.Position--; return x }(), nil},
		{"other count", func() anchor.Receipt { x := r; x.Commitment.Count++; return x }(), nil},
		{"other chain", func() anchor.Receipt { x := r; x.Chain = "eip155:1"; return x }(), nil},
		{"other ledger", func() anchor.Receipt { x := r; x.Ledger = "tlog"; return x }(), nil},
	}
	for i, n := range p.TxNodes {
		cases = append(cases, tc{"flipped byte in transaction node " + string(rune('0'+i)), editProof(t, r, func(p *Proof) { p.TxNodes[i] = flipped(n, len(n)/2) }), ErrBadProof})
	}
	for i, n := range p.ReceiptNodes {
		cases = append(cases, tc{"flipped byte in receipt node " + string(rune('0'+i)), editProof(t, r, func(p *Proof) { p.ReceiptNodes[i] = flipped(n, len(n)-1) }), ErrBadProof})
	}
	cp := c.checkpoint(t, r.Position, other.Position, gatewayAdded.Position)
	v := c.verifier(cp)
	if err := v.VerifyReceipt(ctx, r); err != nil {
		t.Fatalf("the untampered receipt: %v", err)
	}
	for _, tc := range cases {
		for name, check := range map[string]func(context.Context, anchor.Receipt) error{"offline": v.VerifyReceipt, "ledger": l.VerifyReceipt} {
			if name == "ledger" && len(tc.r.Proof) == 0 {
				continue // the Ledger asks its node about proofless receipts
			}
			err := check(ctx, tc.r)
			t.Logf("%s, %s: %v", tc.name, name, err)
			if !errors.Is(err, anchor.ErrBadReceipt) || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("%s, %s verifier: %v, want ErrBadReceipt and %v", tc.name, name, err, tc.want)
			}
		}
	}
	// The wrong trusted header: a checkpoint naming another block at the
	// receipt's height.
	if err := c.verifier(Checkpoint{r.Position: before.Hash()}).VerifyReceipt(ctx, r); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("checkpoint with another block at the receipt's height: %v", err)
	}
	// A verifier of another chain or contract.
	if err := NewHeaderVerifier(big.NewInt(1), c.dep.Address, cp).VerifyReceipt(ctx, r); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("verifier of chain 1: %v", err)
	}
	if err := NewHeaderVerifier(big.NewInt(1337), dep2.Address, cp).VerifyReceipt(ctx, r); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("verifier of the other contract: %v", err)
	}
	// A receipt without a proof still verifies by asking the Ledger's node.
	bare := r
	bare.Proof = nil
	if err := l.VerifyReceipt(ctx, bare); err != nil {
		t.Errorf("Ledger.VerifyReceipt of a receipt without a proof: %v", err)
	}
	bare.Commitment.Count++
	if err := l.VerifyReceipt(ctx, bare); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("Ledger.VerifyReceipt of a tampered receipt without a proof: %v", err)
	}
}

// anchorBlock anchors n commitments in one block and returns their
// receipts.
func anchorBlock(t *testing.T, c *testChain, l *Ledger, seed string, n int) []anchor.Receipt {
	t.Helper()
	ctx := testCtx(t)
	gw := evmtxtest.Address(c.gateway)
	before, err := c.client.PendingNonceAt(ctx, gw)
	if err != nil {
		t.Fatal(err)
	}
	c.pause()
	rs := make([]anchor.Receipt, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			rs[i], err = l.Anchor(ctx, anchortest.Commitment(fmt.Sprintf("%s-%d", seed, i)))
			errs <- err
		}()
	}
	for {
		got, err := c.client.PendingNonceAt(ctx, gw)
		if err != nil {
			t.Fatal(err)
		}
		if got >= before+uint64(n) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	c.commit()
	c.resume()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rs[1:] {
		if r.Position != rs[0].Position {
			t.Fatalf("anchors in blocks %d and %d", rs[0].Position, r.Position)
		}
	}
	return rs
}

// TestReceiptProofsOfOneBlock: every anchor of a full block has its own
// proof, and each verifies offline against the one block hash.
func TestReceiptProofsOfOneBlock(t *testing.T) {
	c := newTestChain(t)
	l := c.ledger(t, c.config(1))
	rs := anchorBlock(t, c, l, "block", 40)
	v := c.verifier(c.checkpoint(t, rs[0].Position))
	seen := map[string]bool{}
	longest := 0
	for _, r := range rs {
		longest = max(longest, len(r.Proof))
		if err := v.VerifyReceipt(testCtx(t), r); err != nil {
			t.Errorf("anchor %s: %v", r.TxID, err)
		}
		seen[string(r.Proof)] = true
	}
	if len(seen) != len(rs) {
		t.Errorf("%d distinct proofs for %d anchors", len(seen), len(rs))
	}
	t.Logf("block of %d anchors: proofs of up to %d bytes", len(rs), longest)
	// Another anchor's proof does not prove this one.
	x := rs[0]
	x.Proof = rs[1].Proof
	if err := v.VerifyReceipt(testCtx(t), x); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("receipt with a neighbour's proof: %v", err)
	}
}

// otherEventReceipt returns a receipt claiming commitment com at the
// transaction that registered the test chain's gateway, with a valid proof
// of that transaction's GatewayAdded log.
func otherEventReceipt(t *testing.T, c *testChain, l *Ledger, com anchor.Commitment) anchor.Receipt {
	t.Helper()
	ctx := testCtx(t)
	var block *types.Block
	for n := c.dep.Block; block == nil; n++ {
		b, err := c.client.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Transactions()) > 0 && b.Transactions()[0].To() != nil && *b.Transactions()[0].To() == c.dep.Address {
			block = b
		}
	}
	b, receipts, err := l.fetchBlock(ctx, block.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if len(receipts[0].Logs) != 1 || receipts[0].Logs[0].Address != c.dep.Address {
		t.Fatalf("gateway registration has logs %v", receipts[0].Logs)
	}
	proof, err := buildProof(b, receipts, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return anchor.Receipt{Ledger: LedgerName, Chain: l.Chain(), Commitment: com, Position: b.NumberU64(),
		TxID: b.Transactions()[0].Hash().Hex(), Time: blockTimeOf(b.Header()), State: anchor.Final, Proof: proof}
}

// TestDecodeProofRejects is the hostile catalogue of proof bytes: each
// must fail DecodeProof with ErrBadProof, before any trie is touched.
func TestDecodeProofRejects(t *testing.T) {
	header := &types.Header{Number: big.NewInt(7), Difficulty: big.NewInt(0)}
	hb, _ := rlp.EncodeToBytes(header)
	enc := func(w any) []byte {
		b, err := rlp.EncodeToBytes(w)
		if err != nil {
			t.Fatal(err)
		}
		return append([]byte{ProofVersion}, b...)
	}
	node := bytes.Repeat([]byte{0xc1}, 40)
	good := proofRLP{Header: hb, TxIndex: 1, LogIndex: 0, TxNodes: [][]byte{node}, ReceiptNodes: [][]byte{node}}
	if _, err := DecodeProof(enc(good)); err != nil {
		t.Fatalf("well-formed proof: %v", err)
	}
	with := func(f func(w *proofRLP)) []byte { w := good; f(&w); return enc(w) }
	many := make([][]byte, MaxProofNodes+1)
	for i := range many {
		many[i] = node
	}
	cases := map[string][]byte{
		"empty":                     nil,
		"version 0":                 append([]byte{0}, enc(good)[1:]...),
		"version 2":                 append([]byte{2}, enc(good)[1:]...),
		"version byte only":         {ProofVersion},
		"oversize":                  append(enc(good), make([]byte, MaxProofLen)...),
		"trailing byte":             append(enc(good), 0x80),
		"not a list":                {ProofVersion, 0x83, 1, 2, 3},
		"list of four":              enc([]any{hb, uint64(1), uint64(0), [][]byte{node}}),
		"list of six":               enc([]any{hb, uint64(1), uint64(0), [][]byte{node}, [][]byte{node}, uint64(0)}),
		"no transaction nodes":      with(func(w *proofRLP) { w.TxNodes = nil }),
		"no receipt nodes":          with(func(w *proofRLP) { w.ReceiptNodes = [][]byte{} }),
		"too many nodes":            with(func(w *proofRLP) { w.ReceiptNodes = many }),
		"empty node":                with(func(w *proofRLP) { w.TxNodes = [][]byte{{}} }),
		"index out of range":        with(func(w *proofRLP) { w.TxIndex = maxProofIndex }),
		"log index out of range":    with(func(w *proofRLP) { w.LogIndex = 1 << 40 }),
		"header not RLP":            with(func(w *proofRLP) { w.Header = []byte{0xff} }),
		"header with trailing byte": with(func(w *proofRLP) { w.Header = append(bytes.Clone(hb), 0x80) }),
		"header of two fields":      with(func(w *proofRLP) { w.Header, _ = rlp.EncodeToBytes([]uint64{1, 2}) }),
		// RLP wants the integer 1 as the byte 0x01, not the string 0x81 0x01.
		"non-canonical integer":       enc([]any{hb, rlp.RawValue{0x81, 0x01}, uint64(0), [][]byte{node}, [][]byte{node}}),
		"integer with a leading zero": enc([]any{hb, rlp.RawValue{0x82, 0x00, 0x01}, uint64(0), [][]byte{node}, [][]byte{node}}),
	}
	for name, b := range cases {
		if _, err := DecodeProof(b); !errors.Is(err, ErrBadProof) {
			t.Errorf("%s: %v, want ErrBadProof", name, err)
		}
	}
}
