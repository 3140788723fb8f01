// Package contracts holds the escrow's contracts: RangeEscrow.sol, which
// pays a payee on a zero-knowledge proof that every committed reading of a
// deal lay in range and a fallback party otherwise, and BatchVerifier.sol,
// the Groth16 verifier of zkp's batch circuit for package escrow's
// DEVELOPMENT keys (escrow.DevSeed: anyone can forge proofs for it). Beside
// each are its compiled ABI and bytecode and the Go binding abigen
// generates from them (bind v2 style: pack and unpack functions). Package
// escrow drives the contracts.
//
// Regenerate with `go generate ./escrow/...` (the verifier source needs the
// slow deterministic setup; the compiler needs Node.js and npm, see package
// anchor/evm/solc for the toolchain and its settings). The tests fail when
// the committed source, ABI, bytecode or bindings no longer match.
package contracts
