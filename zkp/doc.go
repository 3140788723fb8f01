// Package zkp proves facts about private sensor readings without revealing
// them: "the committed reading lies in [lo, hi]", for one reading, for a
// whole batch, for several values at once (a box), and "at most m readings
// left [lo, hi]" (a threshold SLA). Proofs are gnark zk-SNARKs on BN254,
// Groth16 by default and PLONK as an option, verifiable in Go and, for
// Groth16, on any EVM chain through an exported Solidity verifier.
//
// # How it fits
//
// A device encodes its reading as a fixed-point integer (Encoding, e.g.
// Celsius(): centi-degrees + 4000) and commits to it with Commit:
// C = Poseidon2.Compress(value, salt) over BN254's scalar field, with a fresh
// uniformly random salt per reading. The signed reading (package batch)
// carries C instead of the value, so the anchored batch commits to C. Later
// the data owner proves a Claim about the committed values with Prove, and
// anyone verifies it with Verify, given only the claim: Verify recomputes
// every public input (intervals, count, commitments, and for batches the
// Poseidon2 Merkle root with its padding) from the commitments themselves.
// A verifier who has checked the readings' signatures and their inclusion
// in an anchored root therefore needs nothing else.
//
// # Soundness of the range check
//
// Every circuit decomposes lo, hi, value−lo and hi−value into Bits bits
// (api.ToBinary). With all four below 2^Bits and r > 2^(Bits+1), value is
// the integer lo + (value−lo) ≤ hi: no wrap-around modulo r, and an interval
// with hi < lo has no proof. Checking only one side would accept
// value = r−1. Batch circuits take a public count; leaves past it must equal
// PaddingLeaf, which nobody can open, and are exempt from the range check.
//
// # Keys
//
// UnsafeSetup makes deterministic development keys from a public seed
// (CachedUnsafeSetup keeps them in a directory, so a program pays for the
// setup once) and UnsafeRandomSetup fast throw-away keys; all let whoever
// knows the secrets forge proofs. Production Groth16 keys come from gnark's
// multi-party ceremony through KeysFromCeremony; production PLONK keys from a
// public KZG SRS through SetupPLONK (see ExampleKeysFromCeremony).
//
// # Encodings
//
// Keys and proofs serialize with compressed points behind a short header
// naming what they are, their backend and their shape (wire.go). The
// decoders (ParseProof, ReadVerifyingKey, ReadProvingKey) read exactly one
// encoding per object: they check every length prefix against the bytes
// present and against what the shape requires before allocating, so memory
// stays within a constant multiple of the input whatever a header or a
// length claims; a proving key's layout is checked before its circuit is
// compiled. Points must be on the curve and in the prime-order subgroup,
// field elements canonical; a PLONK key's precomputed KZG pairing lines
// must be those of its G₂ points, and a Groth16 verifying key's unused
// [β]₁ and [δ]₁ must match its [β]₂ and [δ]₂, so that a key has one
// encoding. Every error wraps ErrMalformed.
//
// Proofs are malleable: never use proof bytes as an identifier.
//
// # Shortest use
//
// The package Example commits to a reading, proves it lies in an interval
// and verifies the proof.
package zkp
