package devnet

import "github.com/iotrust/iotrust/internal/quiet"

// QuietLibraries routes the output of the libraries that log through
// process-global loggers nowhere: Tessera's klog and gnark's zerolog. It is
// for programs (and their tests), which own the process's logging; a
// library never calls it.
func QuietLibraries() { quiet.Libraries() }
