// Package contracts holds iotrust's staking contract (Stake.sol), its
// compiled ABI and bytecode, and the Go binding abigen generates from them
// (bind/v2 style: pack and unpack functions). Package stake drives the
// contract.
//
// Regenerate with `go generate ./stake/contracts` (needs Node.js and npm;
// the compiler and its settings are anchor/evm/solc's).
// TestArtifactsMatchSource fails when the committed ABI or bytecode no
// longer match the source, TestBindingMatchesArtifacts when the binding is
// stale.
package contracts
