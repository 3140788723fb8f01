// Package linkcheck proves that iotrust's dependencies build together for
// its users: a fresh module that imports package vc builds with no replace
// directive of its own (vc-go v1.2.0 with did-go v1.3.0 need none; v1.3.x
// releases after them need a json-gold replace every user would have to
// copy), and the program in alldeps links vc-go, did-go, gnark's Groth16,
// go-ethereum's simulated chain and Tessera's POSIX storage into one binary
// and runs it (the IBM/mathlib requirement in go.mod is what makes that
// link).
//
// The consumer-module build runs in `go test` (skipped with -short); the
// all-dependencies link runs in .ci/steps/40-vc.sh.
package linkcheck
