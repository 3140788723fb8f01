// Package evmtx is the one way iotrust sends EVM transactions: anchor/evm
// (anchors, contract deployment and gateway management), payment/settle
// (channel transactions), escrow (deals), stake (bonds and slashes) and
// devnet (funding) all go through a Sender, one per account (Senders).
//
// A Sender belongs to one account (a Signer). It
//
//   - estimates gas (plus a margin) unless the call fixes it;
//   - prices EIP-1559 transactions at the suggested tip and a fee cap of
//     twice the base fee plus the tip, never above Config.MaxFeePerGas
//     (ErrFeeTooHigh); legacy gas pricing on chains without a base fee;
//   - assigns nonces under a lock, so concurrent sends never share one,
//     and asks the node again after any send error, which heals collisions
//     with another process using the same key;
//   - retries transient RPC failures (Retry) and reports a node that stays
//     away with the caller's sentinel (Retry.Unavailable);
//   - waits for a receipt only as far as the node's canonical chain holds
//     its block, so a block a reorganisation replaced is never reported;
//   - replaces a transaction that waits in the pool for Config.BumpAfter
//     blocks by one with the same nonce and higher fees (replace-by-fee:
//     tip and fee cap each up by more than PriceBump percent, the minimum
//     go-ethereum's pool accepts, and to the current market), bounded by
//     Config.MaxFeePerGas, and recognises whichever version gets mined;
//   - reports a transaction the node forgot (ErrDropped); Transact then
//     sends it again with a fresh nonce.
//
// What a revert means is the caller's business: estimate errors keep the
// node's error data (rpc.DataError), which RevertData extracts and
// DecodeRevert decodes against a contract's ABI, and receipts are returned
// whatever their status.
//
// Package evmtxtest runs go-ethereum's simulated chain with a miner for the
// tests of all three packages.
package evmtx
