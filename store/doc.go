// Package store keeps encrypted, content-addressed blobs: a sealed batch of
// readings goes in, a CID comes out, and the CID is what an anchored
// commitment (anchor.Commitment.CID) names. Only the recipients a blob was
// sealed or granted to can read it; anyone can check that the stored bytes
// are the ones the CID names.
//
//	s, _ := store.Open(dir, store.Options{})
//	c, _ := s.Put(ctx, batch, gateway.Recipient())   // seal to the gateway
//	_ = s.Grant(ctx, c, gateway, buyer.Recipient())  // let a data buyer read
//	plain, _ := s.Get(ctx, c, buyer)                 // the buyer reads
//
// # Envelope encryption
//
// Put draws a fresh 32-byte data key and a 24-byte nonce for every blob and
// seals the plaintext with XChaCha20-Poly1305 under a key derived from the
// data key. The data key itself is never stored in the clear: it is
// wrapped, once per recipient, with HPKE (RFC 9180, base mode,
// DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305). The
// wrappings live in a separate, mutable envelope stored beside the blob.
// Grant opens the owner's wrapping and adds one for a new recipient; Revoke
// removes one. Neither reads nor rewrites the blob, so its CID never
// changes.
//
// A Recipient is an X25519 public key, an Identity its private key
// (GenerateIdentity, ParseIdentity). Keys are checked when they enter:
// only canonical encodings (u below 2^255-19) and no point of small order,
// whose shared secrets are all zeros.
//
// # What a CID commits to
//
// A CID is CIDv1, raw codec (0x55), with a BLAKE3-256 (multihash 0x1e,
// the default) or SHA-256 (0x12) multihash of the stored blob: exactly the
// bytes below, nothing else. Decrypting is not needed to check it.
//
//	offset  size  field
//	0       4     magic "IOTB"
//	4       1     format version, 1
//	5       1     AEAD, 1 = XChaCha20-Poly1305
//	6       32    key commitment: BLAKE3 derive-key, context
//	              "iotrust.store.key-commitment.v1", of the data key
//	38      24    nonce
//	62      n+16  ciphertext of the n-byte plaintext and its Poly1305 tag
//
// The AEAD key is BLAKE3 derive-key of the data key with context
// "iotrust.store.blob-key.v1"; the associated data is bytes 0 to 62 (magic,
// version, AEAD, commitment, nonce), so the header cannot be relabelled.
// Because the key commitment is covered by the CID, a CID admits exactly
// one data key and so exactly one plaintext: every recipient of a CID reads
// the same bytes, and a wrapping of any other key is refused (ErrCorrupt)
// before decryption. The same plaintext sealed twice gets two CIDs, so a
// CID does not reveal that two blobs are equal.
//
// A CID commits to neither the recipients nor the plaintext's meaning:
// which readings a blob holds is what the anchored Merkle root says, and a
// reader checks the two against each other after decrypting.
//
// # The envelope
//
// The envelope is stored under the same CID, is not covered by it, and is
// rewritten atomically (Backend.Update) by Grant and Revoke. Its one
// binary form (integers big-endian):
//
//	offset  size   field
//	0       4      magic "IOTE"
//	4       1      format version, 1
//	5       6      HPKE KEM, KDF, AEAD identifiers: 0x0020 0x0001 0x0003
//	11      1      L, length of the CID (1..64)
//	12      L      the blob's binary CID, in its canonical form
//	12+L    2      N, number of recipients (1..MaxRecipientsLimit)
//	14+L    N×112  entries in strictly ascending RecipientID order:
//	               32 RecipientID, 32 HPKE enc, 48 wrapped data key
//
// Nothing may follow. A wrapping is HPKE single-shot SealBase of the data
// key to the recipient's key with info "iotrust.store.wrap.v1" ‖ binary
// CID and empty aad, so a wrapping moved to another blob's envelope does
// not open. RecipientID is
// canon.TaggedSum(BLAKE3, "iotrust.store.recipient.v1", suite identifiers
// ‖ public key). Envelopes are decoded strictly and bounded; anything else
// is ErrCorrupt.
//
// # Reading, and what is checked
//
// Get reads the envelope, finds the identity's wrapping (ErrNotRecipient
// if none), reads the blob, hashes it and compares with the CID
// (ErrCIDMismatch: a flipped bit, a truncated or swapped file), opens the
// wrapping, checks the key commitment and decrypts with authentication
// (ErrCorrupt). No unverified byte is ever returned.
//
// Revocation acts on later reads only: what a recipient already decrypted,
// or a data key it kept, cannot be taken back. To make a blob unreadable to
// everyone, Delete it.
//
// # Erasure
//
// Delete is crypto-shredding: it deletes the envelope (every wrapping of
// the data key) and then the ciphertext, and touches no other object. Once
// the wrappings are gone, a copy of the ciphertext left anywhere cannot be
// decrypted by anyone who did not already hold the data key. What Delete
// cannot reach: backups of the envelope, blocks the storage medium keeps,
// and plaintexts recipients already read. Anchored roots and issued
// evidence bundles hold the readings, their Merkle paths, the roots and
// the CID only as a name, never the blob, so they stay verifiable after
// Delete; only Get of the CID now fails with ErrNotFound.
//
// # Backends
//
// Open uses the filesystem: one file per object under dir/blob/<xx>/ and
// dir/env/<xx>/ (xx = first digest byte in hex), each written as temp file,
// fsync, rename, directory fsync, with an exclusive lock on dir/LOCK while
// the Store is open. New takes any Backend, e.g. an object store, that
// keeps the five-method contract documented on Backend.
//
// # Bounds
//
// Plaintexts are bounded by Options.MaxBlobSize (default 64 MiB, at most
// 1 GiB: blobs are sealed in memory), recipients by Options.MaxRecipients
// (default 64, at most 1024). Stored objects larger than these allow are
// refused before they are read in full.
package store
