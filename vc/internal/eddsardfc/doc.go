// Package eddsardfc implements the eddsa-rdfc-2022 Data Integrity
// cryptosuite (W3C VC Data Integrity EdDSA Cryptosuites v1.0, §3.3): the
// document and the proof configuration are each turned into RDF (json-gold's
// JSON-LD expansion, in safe mode, with an offline document loader),
// canonicalized with RDFC-1.0 on a work budget (package rdfc), hashed with
// SHA-256, and the concatenation of the two hashes is signed with Ed25519.
//
// Canonicalize refuses any document whose JSON says more than its RDF —
// members the contexts do not define, undefined types, relative IRIs,
// nulls, statements lost or merged on the way — because a signature over
// the RDF would not cover them (ErrUndefinedTerm), and JSON-LD features a
// device credential has no use for (ErrCanonicalize). vc-go v1.2.0 ships no
// EdDSA Data Integrity suite; this is that suite, and nothing more — which
// claims to trust is package vc's business.
package eddsardfc
