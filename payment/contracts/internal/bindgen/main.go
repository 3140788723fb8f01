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
