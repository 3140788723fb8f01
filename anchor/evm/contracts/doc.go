// Package contracts holds iotrust's anchor contract (Anchor.sol), its
// compiled ABI and bytecode, and the Go binding abigen generates from them.
// Package evm drives the contract; this package only packs calls and
// unpacks results, events and errors.
//
// Regenerate everything with `go generate ./anchor/evm/contracts` (needs
// Node.js and npm; see package solc for the toolchain and its settings).
// TestArtifactsMatchSource fails when the committed files no longer match
// the source.
package contracts
