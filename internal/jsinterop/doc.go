// Package jsinterop is the shared half of iotrust's cross-checks against
// independent JavaScript implementations: a package's test builds its
// vectors, hands them to a Node.js script under its testdata/interop/ and
// compares the answers. This package finds the node_modules folder a CI
// step installed (skipping the test when there is none, unless CI requires
// it) and runs the script.
package jsinterop
