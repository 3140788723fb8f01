// Package aggregate anchors many commitments with one anchor: an
// Aggregator is an anchor.Ledger that gathers the commitments it accepts
// within an interval (or up to a count) into a Merkle tree of their IDs
// and anchors one aggregate commitment, carrying the tree's root, on an
// inner ledger (anchor/evm, anchor/tlog, or another Aggregator). One EVM
// transaction then carries every gateway's batches of the interval.
//
// # The aggregate
//
// Leaf i of the tree is the 32-byte ID (anchor.Commitment.ID) of the i-th
// commitment accepted, hashed with merkle.BLAKE3 (the default) or
// merkle.SHA256 (RFC 6962: paths an EVM contract can check with its
// SHA-256 precompile). The aggregate is a normal anchor.Commitment (see
// Aggregate): the tree's root, the CID of the concatenated leaf IDs, the
// members' overall window, the number of members as Count (the tree's
// size), Config.Topic, and MetadataTag as Metadata. Any ledger anchors it
// as it anchors any commitment.
//
// # Receipts
//
// The receipt of each member is an anchor.Receipt with Ledger
// "aggregate", the member's commitment, and the inner receipt's Chain,
// Position, TxID, Time and State. Its Proof field is a Proof: the
// member's Merkle path into the aggregate and the inner ledger's receipt
// of the aggregate, in its one JSON form:
//
//	version  1 byte, 0x01
//	path     2-byte big-endian length, merkle.InclusionProof binary form
//	inner    the inner receipt's JSON (anchor.Receipt.MarshalJSON)
//
// A receipt verifies offline through both: OpenReceipt checks the path
// from the member's ID to the aggregate's root and binds the receipt's
// fields to the inner receipt's; a Verifier then hands the inner receipt
// to the inner ledger's anchor.ReceiptVerifier (a tlog.Verifier from the
// log's public key, say). The path never changes once the aggregate is
// sealed, so upgrading a receipt is upgrading its inner receipt: Upgrade
// and WaitFinal need nothing the aggregator remembers, and an Aggregator
// opened with an empty directory over the same inner ledger upgrades
// receipts that another one issued long ago; UpgradeThrough does it with
// the inner ledger alone, no Aggregator at all.
//
// # States and durability
//
// Anchor returns once the aggregate holding the commitment is anchored
// on the inner ledger (at least Included there): after at most
// Config.Interval, plus the inner ledger's latency, plus the time the
// previous aggregate takes to anchor (aggregates are anchored one at a
// time, so a slow inner ledger makes aggregates larger, not more
// numerous). Before it waits, the commitment is written and fsynced to
// the aggregator's record log in Config.Dir (internal/recordlog, whose
// group commit gives concurrent callers one fsync); an aggregate is
// recorded there, after all its members, before it is anchored. After a crash, Open seals what was accepted and
// anchors what was sealed (the inner ledger's idempotent Anchor writes
// nothing twice). Lookup answers anchor.ErrNotAnchored for a commitment
// accepted but not yet anchored; Follow yields the members of this
// aggregator's aggregates in inner-ledger order, in the inner state.
//
// In memory the Aggregator keeps what is not anchored yet and the newest
// anchored aggregates, up to Config.MemoryCommitments commitments; older
// anchored aggregates move to an archive beside the record log (a bbolt
// file, archive.db) and are read back from it when asked for. Their
// records in the record log are then dead, and Open skips them; once the
// log is larger than Config.CompactBytes and more than half of its
// records are dead, the aggregator compacts it: it rewrites the log with
// the other records only, atomically (a crash leaves the old log or the
// new one), after the archive has synced every aggregate it drops. So
// the record log holds at most about twice what is not archived (or
// Config.CompactBytes), and Open reads no more; the archive grows with
// the commitments anchored (nothing is ever deleted). The two files are
// one state: Open refuses with ErrCorrupt a compacted record log whose
// archive lacks the aggregates compaction dropped. Idempotence and
// Lookup reach as far as
// the record log and the archive: the inner ledger holds only aggregates, so an Aggregator
// with another (or an emptied) Dir answers Lookup with
// anchor.ErrNotAnchored and anchors a commitment again, in a new
// aggregate, even if another aggregator anchored it before. Both receipts
// verify.
//
// # Several gateways, one aggregator
//
// Handler serves an Aggregator over HTTP; each gateway uses a Client
// (NewClient), which is itself an anchor.Ledger: the gateway's pipeline
// anchors through it as through any ledger, and concurrent gateways' Anchor
// calls land in the same aggregates. Request and answer bodies are
// bounded and decoded strictly on both sides, and errors keep their
// sentinels across the wire. The Handler does not authenticate callers;
// admit gateways in front of it (mutual TLS, a proxy). Example shows an
// aggregator over a transparency log shared by two gateways.
package aggregate
