// Package rdfc canonicalizes RDF datasets with RDFC-1.0 (W3C RDF Dataset
// Canonicalization, 2024; the algorithm first published as URDNA2015) and
// serializes the result as canonical N-Quads — the bytes an eddsa-rdfc-2022
// Data Integrity proof signs.
//
// It exists because canonicalization is the one place in verifying a Data
// Integrity credential where the work is not linear in the input: blank
// nodes that look alike (the same first-degree hash) are told apart by
// trying permutations of their neighbours, recursively, and a small
// "poison graph" — a clique of a few identical blank nodes — keeps a
// library without a limit busy for seconds per credential. RDFC-1.0 §4.4
// asks implementations to bound this. Limits.Canonicalize counts every
// call of the Hash N-Degree Quads algorithm and every permutation it tries
// (each weighted by its size), refuses datasets with more quads or blank
// nodes than a device credential could need, and returns ErrTooComplex as
// soon as the budget is spent; it also stops when its context is done.
//
// The package knows nothing of JSON-LD: package eddsardfc turns a JSON-LD
// document into quads (through json-gold) and hands them here. The output
// is cross-checked against json-gold's own URDNA2015 implementation in the
// tests and by a fuzz target.
package rdfc
