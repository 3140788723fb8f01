// Package tlog is the embedded default ledger of package anchor: a
// transparency log on Tessera (github.com/transparency-dev/tessera), in
// one directory on one machine (POSIX storage) or in a MySQL database
// shared by several nodes.
//
// Each anchored commitment is one entry of the log: its canonical
// encoding (anchor.Commitment.MarshalBinary). The log is an RFC 6962
// Merkle tree laid out as c2sp.org/tlog-tiles; checkpoints are C2SP signed
// notes (c2sp.org/tlog-checkpoint) made with a golang.org/x/mod/sumdb/note
// signer: NewEd25519Signer from an Ed25519 key, or NewSigner from any
// crypto.Signer with an Ed25519 public key, such as the key behind the
// operator's did:key (did.CryptoSigner) or one in an HSM; auditors build
// the Verifier from the public key alone (NewEd25519Verifier). A receipt
// carries the entry's index, its RFC 6962 leaf hash as transaction ID and,
// once Final, an InclusionProof: the inclusion proof and the signed
// checkpoint it leads to, which a Verifier checks offline from the log's
// public key alone. Example shows the shortest correct use: open, anchor,
// wait until final, verify offline.
//
// # States
//
// Anchor returns once Tessera has sequenced the entry, integrated it into
// the tree and fsynced it: the receipt is Included, and the entry survives
// a crash of the process. It becomes Final when a checkpoint signed by the
// log (and cosigned by its witnesses, if configured) commits to it, within
// about Config.CheckpointInterval; Lookup, WaitFinal, Upgrade and Follow
// then return it with its proof. Upgrade answers for any receipt the log
// ever issued, also after restarts, from the root index and the tiles. A
// log has no reorganisations: Final is final, and any later removal or
// change is detectable by holders of a receipt.
//
// # What a receipt proves
//
// VerifyReceipt checks the receipt's commitment, position, transaction ID
// and State (a receipt with a proof is Final) against the signed
// checkpoint. A checkpoint says what the log holds, not since when, so
// Receipt.Time is the serving node's advisory record of when it saw the
// entry integrated. An authenticated time comes from witnesses: with
// Verifier.RequireWitnesses, Verifier.Verify returns the checkpoint with
// WitnessedBy, the time by which a quorum of witnesses had cosigned it.
//
// # Errors
//
// Storage that cannot be read or written (permissions, a failing disk, a
// lock held by another process) gives errors matching ErrIO; storage that
// reads but holds what this package never wrote (a bad checkpoint, an
// entry that is not a commitment, a history that changed) gives ErrCorrupt
// or ErrInconsistent; a log opened with another key or origin than it was
// made with also matches ErrBadKey, and the error names the log's keys.
// Decoders of untrusted bytes (ParseCheckpoint,
// InclusionProof.UnmarshalBinary) read exactly one encoding and are
// bounded by MaxCheckpointLen.
//
// # Detecting a rewritten history
//
// A Tracker remembers the latest checkpoint a client trusts and accepts a
// newer one only with a consistency proof (Log.ConsistencyProof) showing
// the old tree is a prefix of the new: a log that rewrote, removed or
// reordered entries cannot produce one. The Log applies the same rule to
// itself: its root index remembers the verified tree, re-hashes every new
// entry against each new checkpoint, and Open refuses a log whose history
// changed underneath it (ErrInconsistent).
//
// # The root index
//
// Lookup by root goes through a small bbolt file under Dir/.iotrust. It is
// derived from the log and checked against it: Open extends it from the
// log's entries (also those a crashed process wrote but never recorded)
// and verifies the result against the signed checkpoint, so it cannot
// disagree with the log. Deleting it is safe; Open rebuilds it.
//
// # Throughput and latency
//
// Tessera gathers entries for up to Config.BatchMaxAge (or BatchMaxSize
// entries) and writes each batch with one round of fsyncs (on MySQL, one
// transaction), so concurrent anchors share the cost of durability; see
// BenchmarkAnchor for figures. A lone Anchor waits the whole BatchMaxAge
// before its batch is written: the default, DefaultBatchMaxAge, is short
// because the embedded log's usual caller is one gateway anchoring one
// batch at a time, and callers that anchor many commitments at once
// share more fsyncs with a longer one.
//
// # Scaling out: the same log on MySQL
//
// Nothing in the log's format depends on POSIX storage. A deployment that
// outgrows one machine keeps the log in a MySQL or MariaDB database
// through Tessera's storage/mysql driver, handed to Open as Config.Driver:
//
//	db, err := sql.Open("mysql", "user:password@tcp(db.example:3306)/anchors")
//	drv, err := mysql.New(ctx, db) // github.com/transparency-dev/tessera/storage/mysql
//	l, err := tlog.Open(ctx, tlog.Config{Driver: drv, Dir: "/var/lib/iotrust/log-index", ...})
//
// The database needs the schema Tessera ships in storage/mysql/schema.sql,
// applied once; the driver needs a CheckpointInterval of at least a
// second. Receipts, proofs, checkpoints, this package's Verifier and
// Tracker, and the audit below are unchanged: the tiles and checkpoints
// are the same c2sp.org formats. An existing POSIX log moves with
// Tessera's migration lifecycle (tessera.NewMigrationTarget); Tessera's
// storage/gcp and storage/aws drivers plug in the same way.
//
// What several nodes must share is the database and the log's signing
// key, nothing else. Each node opens the log with its own Dir, which then
// holds only that node's root index: per-node state, rebuilt from the
// database when missing. Every node appends (the database serialises the
// sequencing), publishes checkpoints, and finds every other node's
// entries once a checkpoint covers them. What one node does not see yet
// it cannot deduplicate: two nodes anchoring under the same root at the
// same moment may both write an entry. Both receipts stay valid (Upgrade
// and WaitFinal answer for either), Lookup answers with the first entry,
// and if the two commitments differ, anchoring the later one again
// reports anchor.ErrRootConflict, on every node: the conflict is caught
// after the fact, and is in the log for anyone to see.
//
// # Auditing with standard tools
//
// An auditor needs the log's verifier key, one string (Log.VerifierKey,
// "<origin>+<key hash>+<base64 key>"), and read access to the log's
// c2sp.org/tlog-tiles resources: the files under Dir of a POSIX log, or
// Log.Handler over HTTP for any storage. Nothing of this package is
// needed:
//
//   - GET checkpoint, open it with golang.org/x/mod/sumdb/note
//     (note.Open with note.NewVerifier(key)); its text is the origin, the
//     tree size and the base64 RFC 6962 root, one per line.
//   - GET tile/entries/<N>[.p/<W>]: bundles of up to 256 entries, each a
//     big-endian 16-bit length and the entry (the commitment's canonical
//     encoding). Their RFC 6962 leaf hashes, appended to a
//     transparency-dev/merkle compact.Range, give the checkpoint's root.
//     A receipt's TxID is its entry's leaf hash in hex.
//   - GET tile/<L>/<N>[.p/<W>]: the hash tiles, from which a tile client
//     (Tessera's client.ProofBuilder) builds inclusion and consistency
//     proofs, checked with transparency-dev/merkle's proof.VerifyInclusion
//     and proof.VerifyConsistency against the roots of the checkpoints.
//
// Example_audit does exactly this.
//
// # Witnesses
//
// A witness is an independent party that remembers the log's latest
// checkpoint, checks each new one for consistency with it, and cosigns it
// (c2sp.org/tlog-witness, c2sp.org/tlog-cosignature). With witnesses,
// a log cannot show different histories to different clients (a split
// view) without a witness noticing. Configure them with Config.Witnesses,
// a tessera.WitnessGroup (tessera.NewWitness with the witness's
// cosignature verifier key and URL, grouped by tessera.NewWitnessGroup or
// tessera.NewWitnessGroupFromPolicy, e.g. 2 of 3): Tessera then sends
// every new checkpoint with a consistency proof to the witnesses and
// publishes it only with enough cosignatures, so while they are
// unreachable anchors stay Included. Verifiers demand the cosignatures
// with Verifier.RequireWitnesses, so an uncosigned receipt is refused.
package tlog
