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
// looks them up by root, waits until an anchor is final and follows new
// anchors in ledger order. Two backends implement it:
//
//   - anchor/tlog, the embedded default: a transparency log on Tessera with
//     signed checkpoints, whose receipts verify offline;
//   - anchor/evm: an anchor contract on any EVM chain.
//
// Further backends implement Ledger and prove it with anchortest.Run.
// Multi anchors to several ledgers at once under a Policy (All, Any,
// KofN), for anchors that outlive any one ledger.
//
// The shortest correct use, given a ledger l (e.g. from tlog.Open):
//
//	c := anchor.Commitment{Root: root, CID: batchCID, WindowStart: t0,
//		WindowEnd: t1, Count: n, Topic: "coldchain/truck-7/temp"}
//	r, err := l.Anchor(ctx, c)   // durable when err == nil
//	r, err = l.WaitFinal(ctx, r) // settled by the ledger's rules
//
// Package batch does this for every sealed batch and hands the receipt to
// auditors together with each event's inclusion proof.
package anchor
