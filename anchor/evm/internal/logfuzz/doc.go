// Package logfuzz holds the fuzz target of evm.DecodeAnchored. It lives
// apart from package evm so that its test binary does not link the
// simulated chain, whose size makes coverage-guided fuzzing crawl.
package logfuzz
