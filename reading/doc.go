// Package reading is the signed device reading every party shares: the
// device signs it, the gateway verifies and batches it, an auditor checks
// it from an evidence bundle years later.
//
// # Content
//
// A Reading names its device (a DID), topic, sequence number, time (Unix
// milliseconds) and sensor kind, and carries either a value — a
// fixed-point integer with a decimal Scale and a Unit, never a float — or,
// for a private sensor, a 32-byte Commitment to the value (zkp.Commit's
// output; this package does not interpret it), plus a few bounded metadata
// strings. Every field has a bound (MaxTopicLen, MaxMetadata, ...) that
// Validate and every decoder enforce.
//
// # Signature, identity, leaf
//
// The device signs canon.SigningMessage(Tag, canonical JSON of the
// Reading) with its did key (Sign). What is signed does not depend on the
// wire encoding: a reading received as CBOR and the same reading received
// as JSON carry the same signature. The reading's ID is the BLAKE3
// TaggedSum of the same bytes under Tag — the signed message itself — so
// it names the content whatever the signature's encoding. The Merkle leaf
// of a signed reading is its canonical JSON with the signature
// (Signed.LeafBytes), so an anchored batch commits to the signatures too.
//
// # Encodings
//
// Two encodings carry the same members (see ParseJSON and ParseCBOR for
// the rules):
//
//   - JSON, RFC 8785 canonical as produced here, e.g.
//     {"device":"did:key:z6Mk…","scale":2,"sensor":"temperature","seq":42,
//     "sig":"<base64url>","topic":"coldchain/truck-7/temp","ts":1795000000123,
//     "unit":"Cel","value":425}
//   - deterministic CBOR (RFC 8949 §4.2.1), for constrained links.
//
// Both decoders read exactly one encoding of each reading: exact member
// names, no duplicates, no unknown members, bounded sizes, optional members
// omitted rather than null or zero. The CBOR decoder accepts only the
// deterministic bytes (decode, re-encode, compare); the JSON decoder
// accepts only input whose RFC 8785 form is the reading's canonical JSON,
// so whitespace and member order are all that may vary.
// Integers (seq, ts, value) stay within ±(2^53−1), which every JSON
// implementation holds exactly.
//
// # Verification
//
// Verify resolves the device's key at the reading's time through a
// did.KeyResolver (a did.KeyCache for self-certifying did:key devices, a
// did.Registry for managed ones, or did.KeyResolvers of both) and checks
// the signature. VerifyBatch does the same for many readings: Ed25519
// signatures in batches of BatchSize through one batch equation
// (github.com/hdevalence/ed25519consensus), falling back to single checks
// when a batch fails so a forged reading rejects only itself, and large
// inputs spread over GOMAXPROCS goroutines. Single and batch checks follow
// one rule, ZIP-215, so a signature is accepted alone exactly when it is
// accepted in a batch. P-256 and ML-DSA readings are verified one by one.
// A P-256 signature must be in its low-s form (did.CanonicalSignature):
// the leaf commits to the signature's bytes, and (r, n−s) would otherwise
// be a second valid signature, so a second leaf, that anyone could make.
// Sign produces that form; a device signing elsewhere replaces a high s
// by n−s.
//
// # Neighbours
//
// reading sits on canon (canonical bytes, tagged hashes), did (keys) and
// merkle (leaf hashes). Package batch verifies and seals readings, package
// evidence bundles a signed reading with its inclusion proof and anchor
// receipts, package zkp proves facts about committed values.
//
//	s, err := reading.Sign(deviceKey, reading.Reading{
//		Device: deviceDID, Topic: "coldchain/truck-7/temp", Seq: 42,
//		Time: time.Now().Truncate(time.Millisecond), Sensor: "temperature",
//		Value: 425, Scale: 2, Unit: "Cel",
//	})
//	wire, _ := s.MarshalCBOR()                 // to the gateway
//	got, err := reading.ParseCBOR(wire)        // gateway side
//	err = reading.Verify(ctx, keys, got)       // or VerifyBatch
package reading
