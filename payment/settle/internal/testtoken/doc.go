// Package testtoken is a minimal ERC-20 with open minting (TestToken.sol),
// its compiled ABI and bytecode and its abigen v2 binding, for the tests of
// package payment/settle: channels funded in a token. It is not part of
// iotrust's API.
//
// Regenerate with `go generate ./payment/settle/internal/testtoken`.
package testtoken
