// Command coldchain is the cold-chain reference job on iotrust's embedded
// defaults, the path of the data from sensor to auditor in one program:
//
//  1. Three sensors get identities: Ed25519 and P-256 did:key, ML-DSA-44
//     did:jwk (post-quantum). One sensor is private: it reports Poseidon2
//     commitments to its values instead of the values.
//  2. The sensors sign fixed-point readings over canonical JSON under a
//     domain tag; the gateway verifies each one, refusing a forged and a
//     replayed reading, and seals each minute into a BLAKE3 Merkle batch
//     stored under its content ID.
//  3. Each batch's commitment is anchored on an embedded Tessera
//     transparency log with signed checkpoints.
//  4. An auditor checks a receipt offline, a reading's inclusion proof (and
//     a tampered copy failing), and consistency proofs showing the log and
//     the shipment's tree only grew.
//  5. The private sensor's owner proves in zero knowledge that every one of
//     its readings lay within 2.00–8.00 °C; an insurer checks signature,
//     inclusion and range proof for each without learning a value.
//
// Run it with
//
//	go run ./examples/coldchain
//
// It works in a temporary directory and finishes in a few seconds.
package main
