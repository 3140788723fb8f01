package quiet

import (
	"flag"
	"io"

	"github.com/consensys/gnark/logger"
	"k8s.io/klog/v2"
)

// Libraries routes klog's output (every severity, to stderr and to files)
// and gnark's logger nowhere, for the rest of the process.
func Libraries() {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	_ = fs.Set("logtostderr", "false")
	_ = fs.Set("alsologtostderr", "false")
	_ = fs.Set("stderrthreshold", "FATAL")
	klog.SetOutput(io.Discard)
	logger.Disable()
}
