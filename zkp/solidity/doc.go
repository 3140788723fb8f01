// Package solidity holds the on-chain side of package zkp: the Groth16
// verifier contract for single-reading proofs (ReadingVerifier.sol),
// generated from a verifying key with zkp's VerifyingKey.ExportSolidity and
// compiled with the project's pinned solc, its ABI and bytecode, and the Go
// binding abigen generates from them.
//
// The committed contract embeds the DEVELOPMENT key of DevReadingKeys
// (zkp.UnsafeSetup with the public seed DevSeed): anyone can forge proofs
// for it. It exists so that the toolchain, the calling convention and the
// gas figures are tested end to end on go-ethereum's simulated chain. For
// production, run a ceremony (zkp.KeysFromCeremony), export its verifying
// key with ExportSolidity the same way, and deploy that contract.
//
// Calling convention: verifyProof(bytes proof, uint256[3] input) reverts
// unless the proof is valid; proof is the 256 bytes of
// zkp.Proof.SolidityProof and input is zkp.PublicInputs of the claim (lo, hi, commitment), recomputed by
// the caller from the commitment, never copied from the prover.
//
// Regenerate with `go generate ./zkp/solidity` (needs Node.js and npm for
// the compiler). The tests fail when the committed contract, bytecode or
// binding no longer match what generation produces.
package solidity
