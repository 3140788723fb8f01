// Package evm anchors commitments on EVM chains: an anchor.Ledger backed by
// a small Solidity contract (contracts/Anchor.sol) reached through any
// JSON-RPC endpoint, L1 or L2, or go-ethereum's in-process simulated chain.
//
// Where it fits: package batch seals a batch of signed readings into a
// Merkle root and hands anchor.Commitment{root, cid, window, count, topic}
// to an anchor.Ledger; this package is the Ledger for a chain, beside
// anchor/tlog (the embedded transparency log). anchor.Multi can anchor to
// both. Package payment and zkp use the same chain tooling (package solc).
//
// # Use
//
//	client, err := ethclient.Dial(url)
//	l, err := evm.Open(ctx, client, evm.Config{
//		Contract:      contract,     // from Owner.Deploy, once per deployment
//		DeployBlock:   deployBlock,
//		Signer:        evm.KeySigner(gatewayKey), // a registered gateway
//		Confirmations: 12,
//	})
//	r, err := l.Anchor(ctx, c)   // in a block: Included
//	r, err = l.WaitFinal(ctx, r) // 12 blocks deep: Final
//
// An Owner deploys the contract (Owner.Deploy) and registers the gateways
// that may anchor (Owner.AddGateway); an unregistered signer gets
// ErrNotGateway.
//
// # The contract
//
// anchor(root, hashFunc, cid, windowStart, windowEnd, count, topic, meta)
// stores one slot, root → (block number, hash function), and emits
// Anchored(root, gateway, hashFunc, cid, windowStart, windowEnd, count,
// topic, meta); windows are Unix nanoseconds, hashFunc is canon.HashFunc
// (1 BLAKE3, 2 SHA-256). Contracts read anchoredAt(root); everything else
// lives in the log. A root's 32 bytes are anchored once, whichever hash
// function: a second anchor reverts with AlreadyAnchored, so two gateways
// racing on one root write once.
//
// Gas, measured on the simulated chain (BenchmarkAnchorGas; a CIDv1 of 36
// bytes, a 22-byte topic, no metadata): 55,659 gas for the first anchor of
// a contract and 55,666 on average after it (the topic's length varies).
// That is about 55,700 gas per 1,000 events at 1,000 events per batch and
// 5,567 at 10,000. The floor of any design with an
// on-chain root lookup is 21,000 (transaction) + 22,100 (one new storage
// slot) = 43,100 per anchor; 3,000 gas per 1,000 events needs batches of
// about 18,600 events with this contract.
//
// # Transactions
//
// Anchor first reads the contract: a commitment already on chain returns
// its receipt and writes nothing; another commitment under the same root
// returns anchor.ErrRootConflict. Concurrent Anchor calls for one root
// share one transaction. Otherwise it estimates gas (plus GasMargin
// percent), prices an EIP-1559 transaction (tip from the node, fee cap
// twice the base fee plus tip, capped by MaxFeePerGas; legacy pricing on
// chains without a base fee), and sends it. Sends from one Ledger are
// serialised under a lock that also assigns nonces, so concurrent anchors
// never share one; after any send error the next send asks the node for
// the nonce again, which also heals collisions with another process using
// the key. Transient RPC failures (refused connections, timeouts, HTTP 429
// and 5xx, nodes behind on headers) are retried Retries times with
// doubling backoff inside ctx; then the call fails with
// anchor.ErrUnavailable. A closed client fails at once with
// anchor.ErrUnavailable.
//
// Anchor returns when the transaction is in a block, never before: a nil
// error means the chain holds the commitment. If ctx ends while the
// transaction waits in the pool, the transaction stays known to the Ledger
// and a retried Anchor waits for it rather than sending a second. That
// memory does not survive a restart: a retry from a new process sends a
// second transaction, and whichever lands later reverts with
// AlreadyAnchored, so the commitment is still written once (the loser
// costs gas).
//
// # Confirmations and reorganisations
//
// A receipt is Final when Confirmations blocks are built on top of its
// block (NoConfirmations: at once). Receipts are never trusted, only
// re-derived: Lookup reads the contract's state at the head and the log
// of the block it names, so after a reorganisation it reports where the
// anchor is now, or anchor.ErrNotAnchored while it is off the chain.
// WaitFinal follows an anchor a reorganisation moved into another block;
// if the anchor left the chain it waits while its transaction is back in
// the node's pool, and anchors the commitment again (new transaction) if
// that transaction is gone for good and this Ledger sent it. Follow yields
// only Final anchors, so reorganisations shallower than Confirmations
// never show to followers. A receipt's Proof pins it to its block hash;
// VerifyReceipt checks that block is still canonical and holds the log.
//
// # Testing against a simulated chain
//
// ethclient/simulated seals a block only when Commit is called. The
// package needs no hook for that: tests run a goroutine that commits every
// few milliseconds, as a real chain seals blocks, and pause it to steer
// reorganisations by hand (see Example and the package tests).
package evm
