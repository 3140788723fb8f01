// Package contracts holds iotrust's payment-channel contract
// (PaymentChannels.sol), a minimal ERC-20 for tests (TestToken.sol), their
// compiled ABI and bytecode, and the Go bindings abigen generates from them
// (v1 style: typed methods on a bound contract). Package payment/settle
// drives the contract; package payment defines the vouchers it checks.
//
// Regenerate everything with `go generate ./payment/contracts` (needs
// Node.js and npm; the compiler and its settings are anchor/evm/solc's).
// TestArtifactsMatchSource fails when the committed ABI or bytecode no
// longer match the source, TestBindingsMatchArtifacts when a binding is
// stale.
package contracts
