// Package eddsardfc implements the eddsa-rdfc-2022 Data Integrity
// cryptosuite (W3C VC Data Integrity EdDSA Cryptosuites v1.0, §3.3): the
// document and the proof configuration are each canonicalized with RDFC-1.0
// (URDNA2015, through json-gold and an offline document loader), hashed with
// SHA-256, and the concatenation of the two hashes is signed with Ed25519.
// vc-go v1.2.0 ships no EdDSA Data Integrity suite; this is that suite, and
// nothing more — which claims to trust is package vc's business.
package eddsardfc
