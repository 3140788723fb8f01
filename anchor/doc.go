// Package anchor is the ledger-agnostic interface for anchoring: putting a
// small Commitment to a batch of off-chain events on a ledger that everyone
// trusts to keep it, and getting back a Receipt that proves it is there.
//
// A Commitment names a batch by its Merkle root (package merkle computes
// it, stating its hash function), the content ID under which the batch is
// stored (package store), the time window and number of its events and the
// topic they belong to. Its canonical binary encoding (MarshalBinary) is
// what ledgers store, and its ID is the BLAKE3 TaggedSum of that encoding
// under CommitmentTag. Validate rejects a malformed commitment with an
// error matching ErrInvalidCommitment and the reason (ErrBadRoot,
// ErrBadCID, ErrBadWindow, ErrZeroCount, ErrBadTopic, ErrMetadataTooLarge).
//
// A Ledger anchors commitments (idempotently: a retry never writes twice),
// looks them up by root, waits until an anchor is final, follows new
// anchors in ledger order, and upgrades receipts (Upgrader): a receipt
// moves from Pending to Included to Final, and whoever holds one can ask
// the ledger for its latest state and proof material, long after the
// party that anchored it forgot it. Backends:
//
//   - anchor/tlog, the embedded default: a transparency log on Tessera with
//     signed checkpoints, whose receipts verify offline;
//   - anchor/evm: an anchor contract on any EVM chain;
//   - anchor/aggregate: many commitments per anchor on another ledger,
//     each receipt carrying its Merkle path into the anchored aggregate.
//
// Further backends implement Ledger and prove it with anchortest.Run.
// Multi anchors to several ledgers at once under a Policy (All, Any,
// KofN), for anchors that outlive any one ledger.
//
// Receipts travel as JSON (an evidence bundle, an API answer). Each has
// one JSON form; ParseReceipt and UnmarshalJSON read that form only and
// refuse case-variant, unknown and duplicate members with errors matching
// ErrMalformedReceipt. What a ReceiptVerifier checks, and what in a
// receipt is the presenter's word, is listed on Receipt.
//
// The package Example shows the shortest correct use: anchor, wait until
// final, hand the receipt on as JSON, upgrade it later. Package batch does
// this for every sealed batch and hands the receipt to auditors together
// with each event's inclusion proof.
package anchor
