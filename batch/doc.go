// Package batch is the gateway pipeline of iotrust: signed readings in,
// anchored batches and evidence bundles out.
//
// A Gateway takes signed readings (package reading) from devices and, for
// each one, checks
//
//   - the signature, against the key the device's DID has at the reading's
//     time (a did.KeyResolver: a did.Registry for revocable keys, then
//     self-certifying did:key and did:jwk), Ed25519 signatures in batches;
//   - the sequence number: strictly increasing per device, with a reorder
//     window for readings that overtake each other (ErrReplay, ErrStale);
//   - the time, against the gateway's clock (ErrClockDrift);
//   - the right to publish on the reading's topic (a vc.Authorizer).
//
// Accepted readings are appended to a write-ahead log, one fsync for every
// reading that arrived meanwhile (group commit), and only then
// acknowledged. A batch is sealed at Config.MaxBatch readings or
// Config.Window after its first reading, whichever comes first: its Merkle
// tree is built (package merkle), the batch is stored encrypted (package
// store) and the commitment {root, cid, window, count, topic} is anchored on
// every configured ledger (package anchor) in the background. A slow or
// unreachable ledger delays receipts, never Submit, until Config.MaxBacklog
// sealed batches wait; then Submit fails fast with ErrOverloaded. Receipts
// are followed until they are settled (see Receipts below).
//
// For every reading it acknowledged, a Gateway serves an evidence bundle
// (package evidence) by reading ID: the reading, its inclusion proof, the
// batch commitment and the ledgers' receipts, which anyone can check
// offline.
//
// # Receipts
//
// On a ledger that implements anchor.Ledger (anchor/tlog, anchor/evm,
// anchor/aggregate) a receipt is settled once it is Final: the gateway
// waits for that and records the final receipt, and a batch whose
// receipts are all Final is final (BatchInfo.Final). Any other
// anchor.Anchorer cannot be asked about a receipt again: a Pending receipt
// is anchored again, which Anchor's idempotence makes safe, until it is
// Included, and an Included receipt is then as settled as the gateway can
// learn. It is kept as the ledger gave it, never labelled Final, and its
// batch is settled (BatchInfo.Settled, Metrics.Settled) but not final:
// WaitFinal reports ErrNeverFinal for it, and evidence.Verify skips such a
// receipt until a party that can read the ledger upgrades the bundle
// (evidence.Upgrade). Settled and final batches are never followed again,
// also across restarts.
//
// # Crashes
//
// Nothing acknowledged is lost: the write-ahead log is segmented, one
// segment per batch; a segment is removed only after its batch is stored
// and recorded in the gateway's index. At Open, every segment left behind
// is sealed, every batch sealed but not anchored is anchored — exactly once,
// since anchoring is idempotent — and every receipt not yet settled is
// followed; settled and final batches are not followed again. A batch's
// first receipts are recorded with the next batch's commit (or at Close)
// rather than with a sync of their own: a crash before that leaves the
// batch recorded as sealed, and the next Open anchors it again, which
// returns the same receipts. A crash between storing a batch and recording
// it leaves an unreferenced blob in the store, never a lost or doubly
// anchored batch.
//
// # Metrics and logs
//
// Metrics returns plain counters and latency histograms (accepted, rejected
// by Reason, sealed, anchored, final, settled, backlog, batches recovered
// at Open, Submit and anchor latency)
// for the caller to export; the package imports no monitoring library.
// Operational messages go to Config.Logger.
package batch
