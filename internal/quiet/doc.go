// Package quiet silences the libraries iotrust uses that log through
// process-global loggers: Tessera through klog, gnark through zerolog. A
// program, which owns its process's logging, calls Libraries once at
// start; a library package never does. Programs outside this module use
// devnet.QuietLibraries, which calls it.
package quiet
