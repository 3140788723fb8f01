// Command bindgen writes the Go bindings of the payment contracts from their
// committed ABI and bytecode with go-ethereum's abigen package (the version
// in go.mod), so regenerating needs no separately installed abigen.
//
// Usage (from payment/contracts, see generate.go):
//
//	go run ./internal/bindgen
package main

import (
	"fmt"
	"os"

	"github.com/iotrust/iotrust/payment/contracts/internal/binding"
)

func main() {
	for _, c := range binding.Contracts {
		src, err := binding.Generate(".", c)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bindgen:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(c.GoFile, src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bindgen:", err)
			os.Exit(1)
		}
	}
}
