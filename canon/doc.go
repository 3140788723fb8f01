// Package canon defines the bytes that iotrust hashes, signs and anchors:
// RFC 8785 canonical JSON, a small hash suite with domain separation, and a
// Digest type that always states its hash function.
//
// # Canonical JSON
//
// Canonicalize turns any JSON text into its RFC 8785 (JCS) form, and JSON
// does the same for a Go value. Two parties that canonicalize the same data
// get the same bytes, whatever their JSON library, key order or number
// spelling. Input that could be read two ways is rejected with a typed error
// rather than normalised: duplicate keys, invalid UTF-8, lone surrogates,
// NaN and infinities, and integers a double cannot hold exactly (send
// 64-bit amounts as decimal strings). Input size and nesting are bounded by
// Limits.
//
// # Strict decoding
//
// Decode is the one way iotrust reads untrusted JSON into Go values: exactly
// one value with nothing after it, member names matched exactly (never by
// case folding), unknown and duplicate members refused, size and depth
// bounded, every failure a *DecodeError wrapping a sentinel. encoding/json
// alone would let `{"INDEX":1,"index":0}` through.
//
// # Hashes and tags
//
// The suite holds BLAKE3-256 (the default: fast on every input size and
// one compression for a 64-byte Merkle node) and SHA-256 (for RFC 6962
// logs, Ethereum tooling and constrained verifiers). Every digest that is
// signed or anchored is made by TaggedSum with a Tag naming the kind of
// object, so a reading's digest can never equal a voucher's:
//
//	BLAKE3: derive-key mode, context = tag, key material = data
//	SHA256: SHA-256(SHA-256(tag) ‖ SHA-256(tag) ‖ data)
//
// Both are reproducible with any standard library of the hash. Signatures
// are made over SigningMessage(tag, canonical bytes), the BLAKE3 form.
//
// # Where it sits
//
// canon is the bottom layer: merkle, did, vc, anchor, payment and batch
// build their encodings on it, and it imports nothing of iotrust. The
// shortest correct use — canonical bytes, the message a device signs, the
// strict reading of what comes back — is ExampleSigningMessage and
// ExampleDecode.
package canon
