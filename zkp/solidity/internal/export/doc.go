// Command export writes ReadingVerifier.sol, the Solidity verifier for the
// development keys of package solidity, to the file named by its argument.
// It is run by go generate.
package main
