// Package tlog is the embedded default ledger of package anchor: a
// transparency log on Tessera (github.com/transparency-dev/tessera) with
// POSIX storage, one directory on one machine.
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
// or ErrInconsistent. Decoders of untrusted bytes (ParseCheckpoint,
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
// entries) and writes each batch with one round of fsyncs, so concurrent
// anchors share the cost of durability; see BenchmarkAnchor for figures.
//
// # Scaling out: the same log on MySQL, GCP or AWS
//
// Nothing in the log's format depends on POSIX storage. Tessera ships
// drivers beside storage/posix: storage/mysql (a MySQL database),
// storage/gcp (Cloud Spanner for sequencing, GCS for tiles) and
// storage/aws (Aurora MySQL for sequencing, S3 for tiles). A deployment
// that outgrows one machine creates the driver with, for instance,
// mysql.New(ctx, db) or gcp.New(ctx, gcp.Config{...}) and hands it to Open
// as Config.Driver instead of the default posix.New(Dir); Open passes the
// same options (checkpoint signer, batching, checkpoint interval) to
// tessera.NewAppender. The tiles are then served from the bucket or
// through Tessera's HTTP personality. Receipts, proofs,
// checkpoints and this package's Verifier and Tracker are unchanged, since
// the tiles and checkpoints are the same c2sp.org formats; an existing log
// moves with Tessera's migration lifecycle (tessera.NewMigrationTarget).
// The root index is per-node state rebuilt from the log.
//
// # Witnesses
//
// A witness is an independent party that remembers the log's latest
// checkpoint, checks each new one for consistency with it, and cosigns it
// (c2sp.org/tlog-witness, c2sp.org/tlog-cosignature). With witnesses,
// a log cannot show different histories to different clients (a split
// view) without a witness noticing. Configure them with Config.Witnesses,
// a tessera.WitnessGroup (e.g. tessera.NewWitnessGroupFromPolicy with
// "2 of 3" witnesses and their URLs): Tessera then sends every new
// checkpoint with a consistency proof to the witnesses and publishes it
// only with enough cosignatures. Verifiers demand them with
// Verifier.RequireWitnesses, so an uncosigned receipt is refused.
package tlog
