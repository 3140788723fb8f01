package devnet

import (
	"flag"
	"io"

	"github.com/consensys/gnark/logger"
	"k8s.io/klog/v2"
)

// QuietLibraries routes the output of the libraries that log through
// process-global loggers nowhere: Tessera's klog and gnark's zerolog. It is
// for programs (and their tests), which own the process's logging; a
// library never calls it.
func QuietLibraries() {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	_ = fs.Set("logtostderr", "false")
	klog.SetOutput(io.Discard)
	logger.Disable()
}
