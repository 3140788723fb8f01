package evm

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"

	"github.com/iotrust/iotrust/anchor"
)

// ProofVersion is the first byte of every receipt Proof this package
// writes; DecodeProof refuses any other.
const ProofVersion = 1

// Bounds of a receipt Proof, checked before anything is decoded. A block
// of 65,536 transactions has trie keys of at most three bytes, six
// nibbles: a path of at most seven nodes, each a branch node of at most
// 532 bytes or the leaf holding the transaction or receipt.
const (
	// MaxProofLen bounds a whole Proof.
	MaxProofLen = 16 << 10
	// MaxProofNodes bounds the nodes of each of its two trie paths.
	MaxProofNodes = 12
	// maxProofIndex bounds the transaction and log indexes.
	maxProofIndex = 1 << 24
)

// ErrBadProof is returned by DecodeProof for bytes that are not a Proof in
// its one encoding, and wrapped (with anchor.ErrBadReceipt) by verifiers
// for a Proof that does not prove its receipt.
var ErrBadProof = errors.New("evm: malformed receipt proof")

// Proof is the offline proof carried in the Proof field of this package's
// receipts: the block header, and the Merkle-Patricia paths from the
// header's transaction root to the anchoring transaction and from its
// receipt root to the transaction's receipt, which holds the Anchored log.
//
// Its one encoding (version 1) is the byte ProofVersion followed by the RLP
// list
//
//	[header, txIndex, logIndex, [txNode, ...], [receiptNode, ...]]
//
// header is a byte string holding the block header's RLP encoding;
// txIndex is the transaction's index in the block, whose RLP encoding is
// the key of both tries; logIndex is the Anchored log's index among the
// receipt's logs; the node lists hold the trie nodes a proof needs, in path
// order from the root (nodes shorter than 32 bytes sit inside their
// parent, as in the tries themselves). RLP is read canonically, the header
// must re-encode to exactly its bytes, and every node must be on the path:
// one proof has one encoding.
//
// It verifies offline against the header's hash alone (HeaderVerifier):
// header hash → transaction root → transaction (whose hash is the
// receipt's TxID, signed for the receipt's chain) and header hash →
// receipt root → receipt (successful) → log logIndex, emitted by the
// anchor contract, an Anchored event carrying exactly the receipt's
// commitment. Proofs are about 5 KiB.
type Proof struct {
	// Header is the header of the block holding the anchor.
	Header *types.Header
	// TxIndex is the anchoring transaction's index in the block.
	TxIndex uint64
	// LogIndex is the Anchored log's index among its receipt's logs.
	LogIndex uint64
	// TxNodes prove the transaction against Header.TxHash.
	TxNodes [][]byte
	// ReceiptNodes prove the receipt against Header.ReceiptHash.
	ReceiptNodes [][]byte
}

// proofRLP is the RLP list of a Proof.
type proofRLP struct {
	Header       []byte
	TxIndex      uint64
	LogIndex     uint64
	TxNodes      [][]byte
	ReceiptNodes [][]byte
}

// BlockHash returns the hash of the block the proof is about.
func (p Proof) BlockHash() common.Hash { return p.Header.Hash() }

// DecodeProof decodes a receipt's Proof, checking its bounds and its one
// encoding; it does not check that the proof proves anything. Errors match
// ErrBadProof.
func DecodeProof(b []byte) (Proof, error) {
	bad := func(format string, args ...any) (Proof, error) {
		return Proof{}, fmt.Errorf("%w: %s", ErrBadProof, fmt.Sprintf(format, args...))
	}
	switch {
	case len(b) == 0:
		return bad("empty")
	case len(b) > MaxProofLen:
		return bad("%d bytes exceed %d", len(b), MaxProofLen)
	case b[0] != ProofVersion:
		return bad("version %d, want %d", b[0], ProofVersion)
	}
	var w proofRLP
	if err := rlp.DecodeBytes(b[1:], &w); err != nil {
		return bad("%v", err)
	}
	if w.TxIndex >= maxProofIndex || w.LogIndex >= maxProofIndex {
		return bad("index %d/%d out of range", w.TxIndex, w.LogIndex)
	}
	for _, nodes := range [][][]byte{w.TxNodes, w.ReceiptNodes} {
		if len(nodes) == 0 || len(nodes) > MaxProofNodes {
			return bad("%d trie nodes, want 1 to %d", len(nodes), MaxProofNodes)
		}
		for i, n := range nodes {
			if len(n) == 0 {
				return bad("trie node %d is empty", i)
			}
		}
	}
	h := new(types.Header)
	if err := rlp.DecodeBytes(w.Header, h); err != nil {
		return bad("header: %v", err)
	}
	if again, err := rlp.EncodeToBytes(h); err != nil || !bytes.Equal(again, w.Header) {
		return bad("header not in its canonical encoding")
	}
	if h.Number == nil || !h.Number.IsUint64() {
		return bad("header without a block number")
	}
	return Proof{Header: h, TxIndex: w.TxIndex, LogIndex: w.LogIndex, TxNodes: w.TxNodes, ReceiptNodes: w.ReceiptNodes}, nil
}

// MarshalBinary returns p's one encoding, the form DecodeProof reads.
func (p Proof) MarshalBinary() ([]byte, error) {
	if p.Header == nil {
		return nil, fmt.Errorf("%w: no header", ErrBadProof)
	}
	header, err := rlp.EncodeToBytes(p.Header)
	if err != nil {
		return nil, err
	}
	body, err := rlp.EncodeToBytes(proofRLP{Header: header, TxIndex: p.TxIndex, LogIndex: p.LogIndex, TxNodes: p.TxNodes, ReceiptNodes: p.ReceiptNodes})
	if err != nil {
		return nil, err
	}
	out := append([]byte{ProofVersion}, body...)
	if len(out) > MaxProofLen {
		return nil, fmt.Errorf("%w: %d bytes exceed %d", ErrBadProof, len(out), MaxProofLen)
	}
	return out, nil
}

// pathReader hands trie.VerifyProof the nodes of one path in order: each
// lookup must ask for the hash of the next node. used counts the nodes
// handed out, so that unused (extra) nodes are caught.
type pathReader struct {
	nodes [][]byte
	used  int
}

func (r *pathReader) Has(key []byte) (bool, error) {
	return r.used < len(r.nodes) && bytes.Equal(crypto.Keccak256(r.nodes[r.used]), key), nil
}

func (r *pathReader) Get(key []byte) ([]byte, error) {
	if ok, _ := r.Has(key); !ok {
		return nil, errors.New("not the next node of the path")
	}
	r.used++
	return r.nodes[r.used-1], nil
}

// provenValue returns the value under key in the trie with the given root,
// proved by exactly nodes.
func provenValue(root common.Hash, key []byte, nodes [][]byte) ([]byte, error) {
	r := &pathReader{nodes: nodes}
	v, err := trie.VerifyProof(root, key, r)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errors.New("the trie holds no value at the key")
	}
	if r.used != len(nodes) {
		return nil, fmt.Errorf("%d of %d nodes are not on the path", len(nodes)-r.used, len(nodes))
	}
	return v, nil
}

// check verifies offline that p proves receipt r of the anchor contract at
// contract on the chain with ID chainID, given that p.Header is trusted
// (the caller compared its hash with one it trusts). The error says what
// does not hold; callers wrap it with anchor.ErrBadReceipt.
func (p Proof) check(r anchor.Receipt, contract common.Address, chainID *big.Int) error {
	h := p.Header
	if h.Number.Uint64() != r.Position {
		return fmt.Errorf("proof is for block %d, the receipt names %d", h.Number.Uint64(), r.Position)
	}
	if !r.Time.Equal(blockTimeOf(h)) {
		return fmt.Errorf("time %s, block %d has %s", r.Time, r.Position, blockTimeOf(h))
	}
	key := rlp.AppendUint64(nil, p.TxIndex)
	rawTx, err := provenValue(h.TxHash, key, p.TxNodes)
	if err != nil {
		return fmt.Errorf("%w: transaction %d: %v", ErrBadProof, p.TxIndex, err)
	}
	if got := crypto.Keccak256Hash(rawTx); got.Hex() != r.TxID {
		return fmt.Errorf("transaction %d of block %d is %s, the receipt names %s", p.TxIndex, r.Position, got.Hex(), r.TxID)
	}
	var tx types.Transaction
	if err := tx.UnmarshalBinary(rawTx); err != nil {
		return fmt.Errorf("%w: transaction %d: %v", ErrBadProof, p.TxIndex, err)
	}
	if tx.ChainId().Cmp(chainID) != 0 {
		return fmt.Errorf("transaction %s is signed for chain %s, not %s", r.TxID, tx.ChainId(), chainID)
	}
	rawReceipt, err := provenValue(h.ReceiptHash, key, p.ReceiptNodes)
	if err != nil {
		return fmt.Errorf("%w: receipt %d: %v", ErrBadProof, p.TxIndex, err)
	}
	var rcpt types.Receipt
	if err := rcpt.UnmarshalBinary(rawReceipt); err != nil {
		return fmt.Errorf("%w: receipt %d: %v", ErrBadProof, p.TxIndex, err)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return fmt.Errorf("transaction %s failed", r.TxID)
	}
	if p.LogIndex >= uint64(len(rcpt.Logs)) {
		return fmt.Errorf("transaction %s has %d logs, the proof names log %d", r.TxID, len(rcpt.Logs), p.LogIndex)
	}
	lg := rcpt.Logs[p.LogIndex]
	if lg.Address != contract {
		return fmt.Errorf("log %d of transaction %s is from %s, not the anchor contract %s", p.LogIndex, r.TxID, lg.Address, contract)
	}
	ev, err := DecodeAnchored(*lg)
	if err != nil {
		return err
	}
	if !ev.Commitment.Equal(r.Commitment) {
		return fmt.Errorf("transaction %s anchors another commitment under root %s", r.TxID, ev.Commitment.Root)
	}
	return nil
}

// buildProof makes the Proof of log logIndex of transaction txIndex of
// block, whose receipts (in transaction order) are receipts. It fails with
// errNoProof when the block and receipts do not reproduce the header's
// roots (a node answering garbage, or a chain whose receipts go-ethereum
// does not encode) or the proof would exceed its bounds.
func buildProof(block *types.Block, receipts types.Receipts, txIndex, logIndex uint64) ([]byte, error) {
	txs := block.Transactions()
	if len(receipts) != len(txs) || txIndex >= uint64(len(txs)) {
		return nil, fmt.Errorf("%w: block %s has %d transactions and %d receipts, the anchor is transaction %d",
			errNoProof, block.Hash(), len(txs), len(receipts), txIndex)
	}
	key := rlp.AppendUint64(nil, txIndex)
	txNodes, err := provePath(txs, block.TxHash(), key)
	if err != nil {
		return nil, fmt.Errorf("%w: transactions of block %s: %v", errNoProof, block.Hash(), err)
	}
	rcptNodes, err := provePath(receipts, block.ReceiptHash(), key)
	if err != nil {
		return nil, fmt.Errorf("%w: receipts of block %s: %v", errNoProof, block.Hash(), err)
	}
	p, err := Proof{Header: block.Header(), TxIndex: txIndex, LogIndex: logIndex, TxNodes: txNodes, ReceiptNodes: rcptNodes}.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoProof, err)
	}
	return p, nil
}

// errNoProof reports a receipt for which no proof can be made; the
// receipt is issued without one.
var errNoProof = errors.New("no proof for the receipt")

// pathWriter collects the nodes trie.Prove writes, in path order.
type pathWriter struct{ nodes [][]byte }

func (w *pathWriter) Put(_, value []byte) error {
	w.nodes = append(w.nodes, common.CopyBytes(value))
	return nil
}

func (w *pathWriter) Delete([]byte) error { return errors.New("not supported") }

// provePath builds the trie of list (keys RLP(i), values the consensus
// encodings, as in a block header), checks its root is want, and returns
// the path to key.
func provePath(list types.DerivableList, want common.Hash, key []byte) ([][]byte, error) {
	t := trie.NewEmpty(nil)
	var buf bytes.Buffer
	for i := range list.Len() {
		buf.Reset()
		list.EncodeIndex(i, &buf)
		if err := t.Update(rlp.AppendUint64(nil, uint64(i)), common.CopyBytes(buf.Bytes())); err != nil {
			return nil, err
		}
	}
	if got := t.Hash(); got != want {
		return nil, fmt.Errorf("root %s, the header has %s", got, want)
	}
	w := &pathWriter{}
	if err := t.Prove(key, w); err != nil {
		return nil, err
	}
	if len(w.nodes) > MaxProofNodes {
		return nil, fmt.Errorf("path of %d nodes exceeds %d", len(w.nodes), MaxProofNodes)
	}
	return w.nodes, nil
}
