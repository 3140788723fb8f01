package main

import (
	"fmt"
	"os"

	"github.com/iotrust/iotrust/zkp/solidity"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: export ReadingVerifier.sol")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	_, vk, err := solidity.DevReadingKeys()
	if err != nil {
		return err
	}
	src, err := solidity.ReadingVerifierSource(vk)
	if err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o644)
}
