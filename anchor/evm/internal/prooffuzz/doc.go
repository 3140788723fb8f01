// Package prooffuzz holds the fuzz target of evm.DecodeProof and
// evm.HeaderVerifier. It lives apart from package evm so that its test
// binary does not link the simulated chain, whose size makes
// coverage-guided fuzzing crawl.
package prooffuzz
