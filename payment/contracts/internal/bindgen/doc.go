// Command bindgen writes the Go bindings of the payment contracts from their
// committed ABI and bytecode with go-ethereum's abigen package (the version
// in go.mod), so regenerating needs no separately installed abigen.
//
// Usage (from payment/contracts, see generate.go):
//
//	go run ./internal/bindgen
package main
