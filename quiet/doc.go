// Package quiet silences the libraries iotrust uses that log through
// process-global loggers: Tessera through klog, gnark through zerolog. A
// program, which owns its process's logging, calls Libraries once at
// start (devnet.Main does it for development programs); a library
// package never does.
package quiet
