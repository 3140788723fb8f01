// Package binding generates the Go bindings of the payment contracts from
// their committed ABI and bytecode. It is shared by the bindgen command and
// by the test that proves the committed bindings are current.
package binding
