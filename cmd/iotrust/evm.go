package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/evm"
	"github.com/iotrust/iotrust/evidence"
)

// evmNodeTimeout bounds each question to the --evm-node (and, in upgrade,
// all questions about one receipt): a node that does not answer fails the
// run (or the receipt) instead of hanging it. env.nodeTimeout overrides it.
const evmNodeTimeout = 30 * time.Second

// evmNode is the node of --evm-node and the anchor contract of
// --evm-contract: receipts of that contract (and of aggregates anchored on
// it) are checked against the block headers the node serves.
type evmNode struct {
	client     *ethclient.Client
	timeout    time.Duration // for each question to the node
	chain      string        // "eip155:<chain id>"
	contract   common.Address
	headers    *evm.HeaderVerifier // the contract's receipts
	aggregates *aggregate.Verifier // receipts of aggregates on the contract
}

// dialEVM checks the pair of flags and asks the node for its chain ID.
// Receipts are checked only in blocks final on the node: its finalized
// block, or, when confirmations is above 0, that many blocks built on
// top. The caller closes the node.
func dialEVM(ctx context.Context, e *env, node, contract string, confirmations uint64) (*evmNode, error) {
	switch {
	case node == "":
		return nil, usagef("--evm-contract needs --evm-node: a receipt is checked against the header of its block, from a node you trust")
	case contract == "":
		return nil, usagef("--evm-node needs --evm-contract: only the receipts of the anchor contract you name count")
	case !common.IsHexAddress(contract):
		return nil, usagef("--evm-contract %q is not an address (0x and 40 hex digits)", contract)
	}
	c, err := ethclient.DialContext(ctx, node)
	if err != nil {
		return nil, fmt.Errorf("--evm-node %s: %w", node, err)
	}
	timeout := evmNodeTimeout
	if e.nodeTimeout > 0 {
		timeout = e.nodeTimeout
	}
	ask, cancel := context.WithTimeout(ctx, timeout)
	id, err := c.ChainID(ask)
	cancel()
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("--evm-node %s: asking the chain ID: %w", node, err)
	}
	n := &evmNode{client: c, timeout: timeout, chain: "eip155:" + id.String(), contract: common.HexToAddress(contract)}
	finality := evm.FinalizedTag
	if confirmations > 0 {
		finality = evm.ConfirmationCount
	}
	final, err := evm.FinalHeaders(c, finality, confirmations)
	if err != nil {
		c.Close()
		return nil, err
	}
	n.headers = evm.NewHeaderVerifier(id, n.contract, timedHeaders{final, timeout})
	if n.aggregates, err = aggregate.NewVerifier(n.headers); err != nil {
		c.Close()
		return nil, err
	}
	return n, nil
}

// timedHeaders bounds each question of TrustedHeaders by timeout.
type timedHeaders struct {
	evm.TrustedHeaders
	timeout time.Duration
}

func (t timedHeaders) HeaderHash(ctx context.Context, number uint64) (common.Hash, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	return t.TrustedHeaders.HeaderHash(ctx, number)
}

// Close releases the node's connection.
func (n *evmNode) Close() { n.client.Close() }

// ledgers returns the trusted ledgers of n for evidence.Verify: the
// contract's own receipts, and those of aggregators anchoring on it.
func (n *evmNode) ledgers() []evidence.Ledger {
	return []evidence.Ledger{
		{Name: evm.LedgerName, Chain: n.chain, Verifier: n.headers},
		{Name: aggregate.LedgerName, Chain: n.chain, Verifier: n.aggregates},
	}
}

// upgrader returns an evidence.Upgrader of n's receipts, final by the
// node's finalized block, or, when confirmations is above 0, once that
// many blocks are built on an anchor's block.
func (n *evmNode) upgrader(ctx context.Context, confirmations uint64) (*evmUpgrader, error) {
	cfg := evm.Config{Contract: n.contract, Finality: evm.FinalizedTag}
	if confirmations > 0 {
		cfg.Finality, cfg.Confirmations = evm.ConfirmationCount, confirmations
	}
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	l, err := evm.Open(ctx, n.client, cfg) // read-only: no signer
	if err != nil {
		return nil, fmt.Errorf("--evm-contract %s: %w", n.contract, err)
	}
	return &evmUpgrader{ledger: l, node: n}, nil
}

// evmUpgrader upgrades the receipts of one anchor contract, and of
// aggregates anchored on it, from the node; a receipt it makes final is
// checked against the header the node serves for its block before it is
// returned.
type evmUpgrader struct {
	ledger *evm.Ledger
	node   *evmNode
}

// Upgrade implements evidence.Upgrader. One receipt's questions to the
// node, together, get the node's timeout.
func (u *evmUpgrader) Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, u.node.timeout)
	defer cancel()
	var (
		out anchor.Receipt
		err error
		v   anchor.ReceiptVerifier = u.node.headers
	)
	if r.Ledger == aggregate.LedgerName {
		out, err = aggregate.UpgradeThrough(ctx, u.ledger, r)
		v = u.node.aggregates
	} else {
		out, err = u.ledger.Upgrade(ctx, r)
	}
	if err != nil {
		return anchor.Receipt{}, err
	}
	if out.State == anchor.Final {
		if err := v.VerifyReceipt(ctx, out); err != nil {
			return anchor.Receipt{}, err
		}
	}
	return out, nil
}
