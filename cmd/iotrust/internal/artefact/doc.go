// Package artefact recognises the files iotrust writes — evidence bundles,
// signed readings, Merkle proofs, anchor commitments and receipts, payment
// vouchers, DID documents, log checkpoints and verifier keys,
// zero-knowledge proofs and verifying keys, key files — and describes them as text for a person, for `iotrust inspect`.
//
// Detect tries the strict parser of each kind in a fixed order and takes
// the first that accepts the input. Each of those parsers reads exactly
// one encoding of its artefact, so a file is recognised as what it is or
// not at all; Detect checks form, not signatures or proofs (iotrust verify
// does that).
package artefact
