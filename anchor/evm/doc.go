// Package evm anchors commitments on EVM chains: an anchor.Ledger backed by
// a small Solidity contract (contracts/Anchor.sol) reached through any
// JSON-RPC endpoint, L1 or L2, or go-ethereum's in-process simulated chain,
// and a verifier (HeaderVerifier) that checks its receipts offline.
//
// Where it fits: package batch seals a batch of signed readings into a
// Merkle root and hands anchor.Commitment{root, cid, window, count, topic}
// to an anchor.Ledger; this package is the Ledger for a chain, beside
// anchor/tlog (the embedded transparency log). anchor/aggregate puts many
// commitments under one anchor of this Ledger, and anchor.Multi anchors to
// several ledgers. Package payment/settle sends its transactions the same
// way (internal/evmtx) and builds with the same toolchain (package solc).
//
// # Use
//
//	client, err := ethclient.Dial(url)
//	l, err := evm.Open(ctx, client, evm.Config{
//		Contract:    contract,    // from Owner.Deploy, once per deployment
//		DeployBlock: deployBlock,
//		Signer:      evm.KeySigner(gatewayKey), // a registered gateway
//	})
//	r, err := l.Anchor(ctx, c)   // in a block: Included
//	r, err = l.WaitFinal(ctx, r) // the chain finalized the block: Final
//
//	// An auditor, offline, trusting only a block hash:
//	v := evm.NewHeaderVerifier(chainID, contract, evm.Checkpoint{r.Position: blockHash})
//	err = v.VerifyReceipt(ctx, r)
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
// One anchor costs one transaction, one new storage slot and one log, the
// same whatever the batch holds: the gas per event falls with the events
// under the root. BenchmarkAnchorGas measures one anchor;
// BenchmarkAggregatedAnchorGas measures one anchor carrying an
// anchor/aggregate tree of many batches' commitments, which is how the
// cost per 1,000 events gets below what a single batch can reach.
//
// # Transactions
//
// Anchor first reads the contract: a commitment already on chain returns
// its receipt and writes nothing; another commitment under the same root
// returns anchor.ErrRootConflict. Concurrent Anchor calls for one root
// share one transaction. Otherwise the Ledger sends through iotrust's one
// transaction sender (internal/evmtx, which payment/settle uses too): gas
// estimated plus GasMargin percent; EIP-1559 fees at the node's suggested
// tip and a fee cap of twice the base fee plus the tip, never above
// MaxFeePerGas (ErrFeeTooHigh); nonces assigned under a lock, so
// concurrent anchors never share one, and asked of the node again after
// any send error, which also heals collisions with another process using
// the key; transient RPC failures (refused connections, timeouts, HTTP 429
// and 5xx, nodes behind on headers) retried Retries times with doubling
// backoff inside ctx, then anchor.ErrUnavailable. A closed client fails at
// once with anchor.ErrUnavailable.
//
// A transaction that waits in the pool for FeeBumpBlocks blocks (a fee
// spike, a tip below what block builders take) is replaced: same nonce,
// tip and fee cap each raised by more than the 10% go-ethereum's pool
// requires of a replacement, or to what the market asks now, up to
// MaxFeePerGas. Whichever version is mined is the anchor's transaction.
// When the cap leaves no room for a replacement that could be mined,
// Anchor fails with ErrFeeTooHigh and the transaction stays in the pool.
//
// Anchor returns when the transaction is in a block, never before: a nil
// error means the chain holds the commitment. If ctx ends while the
// transaction waits in the pool, the transaction stays known to the Ledger
// and a retried Anchor waits for it (and keeps replacing it) rather than
// sending a second. That memory does not survive a restart: a retry from
// a new process sends a second transaction, and whichever lands later
// reverts with AlreadyAnchored, so the commitment is still written once
// (the loser costs gas).
//
// # Finality and reorganisations
//
// Config.Finality says when a receipt is Final. By default (FinalizedTag)
// it is the chain's own finality: the anchor's block is at or below the
// block the node calls "finalized" (on Ethereum two epochs of
// attestations, about 13 minutes; on a rollup, settlement on L1). A node
// that does not know the tag, or has no finalized block yet, answers with
// an error; then Confirmations blocks on top make a receipt Final
// (ConfirmationCount asks for that always, Immediate makes a block Final
// at once, for chains with instant finality). go-ethereum's simulated
// chain knows the tag: it finalizes in epochs of 32 blocks.
//
// Receipts are never trusted, only re-derived: Lookup reads the contract's
// state at the head and the log of the block it names, so after a
// reorganisation it reports where the anchor is now, or
// anchor.ErrNotAnchored while it is off the chain. WaitFinal follows an
// anchor a reorganisation moved into another block; if the anchor left
// the chain it waits while its transaction is back in the node's pool,
// and anchors the commitment again (new transaction) if that transaction
// is gone for good and this Ledger sent it. Follow yields only Final
// anchors, so reorganisations of blocks not yet final never show to
// followers. Upgrade returns a receipt's anchor as it is now, without
// waiting.
//
// # Receipts and their proofs
//
// A receipt's Proof (type Proof, version ProofVersion, at most MaxProofLen
// bytes, one encoding) holds the header of the anchor's block and two
// Merkle-Patricia paths: from the header's transaction root to the
// anchoring transaction, and from its receipt root to the transaction's
// receipt. To make it, the Ledger asks the node for the block and all its
// receipts (eth_getBlockReceipts) and checks that they reproduce the
// header's roots.
//
// A HeaderVerifier checks a receipt with no node: the proof's header must
// hash to the block hash a trusted source gives for the receipt's
// position (a Checkpoint of block hashes, or a HeaderFunc over a light
// client or one's own node); from there the transaction must have the
// receipt's hash and chain, and its receipt must be successful and hold,
// from the configured anchor contract, the Anchored event of exactly the
// receipt's commitment, at the receipt's time. Ledger.VerifyReceipt does
// the same with the Ledger's node as the trusted source. A node whose
// block data do not reproduce the header's roots (a chain whose receipts
// go-ethereum does not encode, or a node answering garbage) gets receipts
// without a proof, which only Ledger.VerifyReceipt checks, by asking the
// node for the block's logs.
//
// # Testing against a simulated chain
//
// ethclient/simulated seals a block only when Commit is called. The
// package needs no hook for that: tests run a goroutine that commits every
// few milliseconds, as a real chain seals blocks, and pause it to steer
// reorganisations by hand (see Example and the package tests). Receipts of
// a block are found only once go-ethereum has indexed its transactions,
// which it does as later blocks arrive: a simulated chain that seals only
// when transactions wait delays receipts by seconds.
package evm
