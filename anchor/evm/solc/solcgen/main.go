package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/iotrust/iotrust/anchor/evm/solc"
)

func main() {
	check := flag.Bool("check", false, "compare with the committed artifacts instead of writing them")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: solcgen [-check] File.sol...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*check, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "solcgen:", err)
		os.Exit(1)
	}
}

func run(check bool, files []string) error {
	root, err := solc.RepoRoot(".")
	if err != nil {
		return err
	}
	arts, warnings, err := solc.Compile(context.Background(), root, ".", files...)
	for _, w := range warnings {
		fmt.Fprintln(os.Stderr, w)
	}
	if err != nil {
		return err
	}
	if check {
		return solc.Check(".", arts)
	}
	return solc.Write(".", arts)
}
