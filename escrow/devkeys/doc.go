// Package devkeys ships the proving key of escrow's development verifier,
// so that examples and tests prove batches at once instead of running the
// slow deterministic setup (escrow.SetupDevKeys) on their first run.
//
// The key is UNSAFE: it is the output of zkp.UnsafeSetup from the public
// seed escrow.DevSeed, so anyone can forge proofs that the development
// verifier accepts. It is for examples, tests and test networks only. It is
// reproducible: the package's test reruns the setup from the seed and
// compares the result byte for byte with the shipped file (go test
// -run TestShippedKeyIsReproducible -update ./escrow/devkeys rewrites it).
//
// The key is a separate package, about a megabyte, so that programs that
// import escrow for real keys (zkp.KeysFromCeremony) do not carry it.
package devkeys
