// Package iotrust is the root of a library that makes IoT data provable and
// machine-to-machine payments trustworthy. This package holds only this
// overview and the benchmarks of the hot paths (bench_test.go); the work is
// done by the packages below it, each owning one concept.
//
// # Packages
//
//   - canon: the bytes everything is hashed and signed over — RFC 8785
//     canonical JSON, BLAKE3-256 (default) and SHA-256 digests that state
//     their function, domain-separated hashing with tags.
//   - merkle: RFC 6962/9162-shaped Merkle trees (SHA-256 exactly as
//     Certificate Transparency and Tessera; BLAKE3 with keyed leaf and node
//     domains), streaming roots, inclusion and consistency proofs.
//   - did: device and organisation identities — keys on any circl signature
//     scheme (Ed25519 default, ML-DSA for post-quantum devices) and P-256,
//     did:key and did:jwk, challenge-response authentication, and a
//     hash-linked key lifecycle log.
//   - vc: verifiable credentials about devices (manufacturer, model,
//     firmware, roles), issued and verified offline as JWT or Data
//     Integrity proofs, presentations bound to a challenge, revocation by
//     status list, and the check "may DID X do action A on topic T".
//   - anchor: the ledger-agnostic interface for anchoring one commitment per
//     batch, with anchor/tlog (an embedded Tessera transparency log, the
//     default) and anchor/evm (any EVM chain) as backends.
//   - zkp: gnark range proofs over Poseidon2-committed readings — "every
//     reading of this shipment lay in [2, 8] °C" without revealing one.
//   - payment: payment channels with signed cumulative vouchers, metering
//     and tariffs, streaming payments, and settlement on an EVM chain.
//
// # The data's way through the system
//
// A device gets a key, a did:key and a manufacturer credential; a gateway
// admits it after a challenge-response presentation. The device signs each
// reading's canonical bytes; the gateway verifies, batches and Merkle-izes
// the readings, stores the encrypted batch off chain and anchors
// {root, content id, window, count, topic} on a ledger. Anyone with read
// rights later checks a reading against its inclusion proof and the anchor
// receipt, an owner proves ranges in zero knowledge, and machines settle
// usage with payment vouchers.
//
// Run "go run ./examples/coldchain" for the whole path on the embedded
// defaults.
package iotrust
