// Package audit reads a transparency log of anchor/tlog as an auditor
// does: from its public files alone, laid out as c2sp.org/tlog-tiles in a
// directory or behind an http(s) URL, with the log's public key and no
// access to the operator's process or private key.
//
// A Source reads the files, every read bounded by what the format allows.
// Checkpoint verifies the log's latest checkpoint against trusted Keys;
// Consistency proves, from the tiles, that the log's tree extends one seen
// before (a rewritten history or a fork fails with tlog.ErrInconsistent);
// Fsck re-derives every tile from the entries; an Upgrader brings evidence
// receipts that are not final yet to Final with an inclusion proof in the
// log's current checkpoint (it is an evidence.Upgrader); State remembers
// the checkpoints a client has verified, per log, so that the next check
// proves consistency with them.
//
// The iotrust command's `log check` and `upgrade` are built on this
// package. The operator's side (appending, serving) is anchor/tlog.
package audit
