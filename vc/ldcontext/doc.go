// Package ldcontext is an offline JSON-LD document loader: the W3C contexts
// that verifiable credentials and DID documents name (credentials v1 and v2,
// DID v1, Multikey v1, Data Integrity v2) and iotrust's own device and
// application-claims contexts, compiled into the binary with go:embed.
//
// JSON-LD processing (expansion, RDF canonicalization for Data Integrity
// proofs) must never reach the network: a fetched context is an
// attacker-controlled input that changes what a signature means, and a
// gateway may have no network at all. A Loader therefore serves only what it
// holds and answers any other URL with ErrUnknownContext. Package vc hands a
// Loader to every JSON-LD computation it makes; a Loader also satisfies
// json-gold's ld.DocumentLoader and so vc-go's WithJSONLDDocumentLoader (the
// Example shows the shortest use).
package ldcontext
