// Package solctest holds the test-side half of the project's Solidity
// toolchain: recompiling a package's contracts inside a test, with the skip
// and require rules every contract package shares.
package solctest
