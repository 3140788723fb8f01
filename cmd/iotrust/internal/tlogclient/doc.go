// Package tlogclient reads a Tessera transparency log (the ledger of
// anchor/tlog) as an auditor does: from its public files alone, laid out
// as c2sp.org/tlog-tiles in a directory or behind a URL, with the log's
// public key and no access to the operator's process or private key.
//
// A Source reads the files with every read bounded by what the format
// allows. Checkpoint verifies the log's latest checkpoint; Consistency
// proves, from the tiles, that the log's tree extends one seen before;
// Fsck re-derives every tile from the entries; an Upgrader brings
// evidence receipts that are not final yet to Final with an inclusion
// proof in the log's current checkpoint; State remembers the checkpoints a
// client has verified, so that a rewritten history is caught.
//
// It lives under cmd/iotrust while anchor/tlog is being reworked; its
// Upgrader and Source are what a read-only client in anchor/tlog would
// hold.
package tlogclient
