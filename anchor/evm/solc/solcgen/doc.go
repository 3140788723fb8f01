// Command solcgen compiles Solidity files in the current directory with
// iotrust's pinned compiler and settings (package solc) and writes each
// contract's ABI and bytecode beside them as Name.abi and Name.bin. It is
// meant for go:generate lines; with -check it writes nothing and exits
// non-zero if a committed artifact differs.
//
// Usage:
//
//	solcgen [-check] File.sol...
package main
