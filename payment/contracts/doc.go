// Package contracts holds iotrust's payment-channel contract
// (PaymentChannels.sol), its compiled ABI and bytecode (and those of the
// ERC-20 interface it calls), and the Go binding abigen generates from
// them (bind/v2 style: functions that pack calls and unpack results,
// events and errors; sending is package payment/settle's, through the
// project's one transaction sender). Package payment/settle drives the
// contract; package payment defines the vouchers it checks.
//
// Regenerate everything with `go generate ./payment/contracts` (needs
// Node.js and npm; the compiler and its settings are anchor/evm/solc's).
// TestArtifactsMatchSource fails when the committed ABI or bytecode no
// longer match the source, TestBindingsMatchArtifacts when the binding is
// stale.
package contracts
