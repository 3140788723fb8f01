// Package solc is iotrust's Solidity toolchain: it compiles the project's
// contracts with one pinned compiler and one set of settings, and checks
// that the ABI and bytecode committed next to each contract still match its
// source.
//
// Every contract package (anchor/evm/contracts, payment, zkp) follows the
// same pattern, so a reviewer can rebuild any bytecode on the chain from the
// repository:
//
//  1. The Solidity source, Name.sol, pins `pragma solidity 0.8.30;`.
//
//  2. A generate.go beside it carries two go:generate lines:
//
//     //go:generate go run github.com/iotrust/iotrust/anchor/evm/solc/solcgen Name.sol
//     //go:generate go run github.com/ethereum/go-ethereum/cmd/abigen --v2 --abi Name.abi --bin Name.bin --pkg pkgname --type Name --out name.go
//
//     The first runs scripts/solc (solcjs Version from npm, installed once
//     into .cache/) with the optimizer at OptimizerRuns, EVMVersion and no
//     metadata hash, and writes Name.abi and Name.bin. The second takes
//     abigen from go.mod, i.e. the go-ethereum version the library uses, and
//     writes the Go binding (bind/v2 style: pack and unpack functions).
//
//  3. ABI, bytecode and binding are committed.
//
//  4. A test compiles the source again with Compile and calls Check; it
//     skips when Available reports no Node.js toolchain, unless RequireEnv
//     is set, as the CI step does. A second test regenerates the binding
//     from the committed ABI with go-ethereum's abigen package, so a stale
//     binding fails even without Node.js.
package solc
