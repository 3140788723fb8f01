// Package testtoken is a minimal ERC-20 with open minting (TestToken.sol),
// its compiled ABI and bytecode and its abigen v2 binding, for the tests of
// packages that move tokens on chain (payment/settle, escrow). It is not
// part of iotrust's API.
//
// Regenerate with `go generate ./internal/evmtx/evmtxtest/testtoken`.
package testtoken
