// Package evidence is the offline-verifiable bundle for a signed reading,
// or for a set of readings of one batch: one file that lets anyone check,
// years later and without asking the gateway, that a device signed the
// reading, that the reading is in a batch, and that the batch's commitment
// is anchored on one or more ledgers.
//
// # What a bundle holds
//
// A Bundle carries the signed readings (package reading), the Merkle
// inclusion proof of their leaves in the batch (merkle.InclusionProof for
// one reading, merkle.MultiInclusionProof for several), the batch's
// anchor.Commitment, the anchor.Receipt of every ledger that anchored it,
// and optionally the device's credential (package vc) and a zero-knowledge
// proof about the values the readings commit to (package zkp). A gateway
// makes one with New (one reading) or NewSet (several) from what it keeps
// for every sealed batch; Upgrade later replaces pending receipts with
// final ones from the ledgers.
//
// # Verification
//
// Verify checks a bundle against the trust anchors the caller gives
// (Trust): device keys through a did.KeyResolver, an anchor.ReceiptVerifier
// per trusted ledger (anchor/tlog's Verifier needs only the log's public
// key), optionally a credential verifier and zkp verifying keys. It
// returns a Report listing each check with its outcome (pass, fail, skip)
// and reason — readings' signatures, credential, inclusion, window,
// receipts, anchored, zkp — rather than one bool; Report.OK and
// Report.Err summarise it. Parts the bundle lacks or the trust cannot
// check are skipped, not failed; a bundle is OK only when no check failed
// and at least Trust.MinReceipts receipts verified.
//
// # File format, version 1
//
// Media type MediaType ("application/vnd.iotrust.evidence+json"),
// conventionally named *.evidence.json. The file is one JSON object,
// written in RFC 8785 canonical form (members sorted, no whitespace), so
// equal bundles are equal bytes. Members:
//
//	version         1
//	readings        array of signed readings in reading's JSON form
//	                (reading.ParseJSON), 1 to MaxReadings
//	inclusion       for one reading: {"hasher":"blake3"|"sha256",
//	                "index":i, "path":[hex hash, ...], "size":n}, the
//	                RFC 9162 inclusion path of the reading's leaf
//	multiInclusion  for several: {"hasher", "indices":[i, ...] (strictly
//	                increasing, one per reading, in the readings' order),
//	                "path":[hex hash, ...], "size":n}, merkle's multi-leaf path
//	commitment      {"cid": CIDv1 in base32, "count": n, "metadata":
//	                base64url (omitted when empty), "root": "<func>:<hex>",
//	                "topic", "windowEnd", "windowStart": RFC 3339 UTC}
//	receipts        array of {"chain", "ledger", "position", "proof":
//	                base64url (omitted when empty), "state": "pending" |
//	                "included" | "final", "time": RFC 3339 UTC, "txId"};
//	                each is a receipt of the one commitment above, at most
//	                one per ledger and chain, 0 to MaxReceipts (0: the
//	                batch is not anchored yet)
//	credential      optional: a compact JWT as a string, or a Data
//	                Integrity credential as an object
//	zkp             optional: {"claim": {"kind": "reading" | "batch" |
//	                "box" | "threshold", "intervals": [{"hi", "lo"}, ...]
//	                (one, or one per reading for "box"), "maxOutside": m
//	                (threshold only)}, "proof": base64url of
//	                zkp.Proof.MarshalBinary}; the claim's commitments are the
//	                readings' commitments, in order
//
// Hashes are lowercase hex, binary data unpadded base64url, times RFC 3339
// in UTC with only the fractional digits needed, integers at most 2^53−1.
// The leaf of a reading is merkle's leaf hash of reading.Signed.LeafBytes
// (its canonical JSON with the signature) under the hasher of the
// commitment's root; the tree has commitment.count leaves.
//
// Parse reads exactly one encoding: it decodes through canon.Decode
// (exact member names, no unknown or duplicate members), bounds the input
// (MaxSize and the other Max constants), decodes every part strictly and
// requires the input's canonical form to be what Marshal writes, so only
// whitespace and member order may differ. A file of another version is
// refused with ErrUnsupportedVersion; a later version will change
// "version" whenever a reader of this one could misread it.
//
// # Neighbours
//
// evidence sits on reading, merkle, anchor, vc and zkp; package batch
// produces bundles for the readings it seals, and the iotrust command
// verifies, upgrades and inspects them.
package evidence
