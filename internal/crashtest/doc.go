// Package crashtest is the shared half of iotrust's SIGKILL crash tests.
// A crash test re-executes its own test binary as a child process that
// writes as fast as it can and prints one line per acknowledged write;
// the parent kills the child with SIGKILL at a random moment, reads every
// line the child printed before it died, and then checks, in the package's
// own test, that everything acknowledged survived the restart.
//
// This package runs the child and the kill (Run) and reads the kill count
// and its environment override (Kills); what a child does and what is
// checked after a restart stay in each package's test.
package crashtest
