// Command alldeps imports every heavy dependency of iotrust at once and
// exercises each a little, so that a link failure between them (such as
// the IBM/mathlib one with gnark-crypto v0.21) shows up as a failed build
// and a wrong pairing of versions as a failed run. It prints "ok".
package main
