package devnet

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/iotrust/iotrust/quiet"
)

// Main is the main function of a development program: it parses the
// command line (flag.CommandLine), silences the libraries' global loggers
// (quiet.Libraries), and calls run with a context that an interrupt
// (Ctrl-C) cancels and the standard output. If run fails, Main prints
// "name: " and the error to the standard error and exits with status 1;
// otherwise it returns.
func Main(name string, run func(ctx context.Context, w io.Writer) error) {
	flag.Parse()
	quiet.Libraries()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}
