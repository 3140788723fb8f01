// Command iotrust checks the evidence that iotrust systems produce — signed
// device readings, the Merkle proofs and ledger receipts that anchor them,
// the transparency logs that hold the anchors, DIDs — offline and from
// public material alone. It is to iotrust what ots verify, rekor-cli and
// cosign verify are to their ecosystems: the tool an auditor, a customer
// or an operator runs.
//
// Install it with
//
//	go install github.com/iotrust/iotrust/cmd/iotrust@latest
//
// # Commands
//
//	iotrust verify [flags] BUNDLE
//
// Checks an evidence bundle (a file, or - for standard input) and prints
// each check with pass, fail or skip and the reason: bundle, reading[i],
// credential, inclusion, window, receipt[i], anchored, zkp (see
// evidence.Verify). Nothing in the bundle is trusted for itself; what is
// trusted comes from flags: --log-key KEY for each transparency log whose
// receipts count (a golang.org/x/mod/sumdb/note verifier key,
// "origin+hash+base64", as an operator publishes it; weak Ed25519 keys are
// refused; it also trusts the receipts of anchor/aggregate aggregators
// whose aggregates the log holds), --evm-contract ADDRESS with --evm-node URL
// for the receipts of an anchor/evm contract (and of aggregators anchoring
// on it), each checked from its block's header as the node you trust serves
// it (the chain ID is the node's) and only in a block final there (at or
// below the node's finalized block, or --evm-confirmations N deep), --issuer DID for each trusted credential issuer
// (--require-credential fails a bundle that carries no credential, which
// otherwise passes with the credential check skipped),
// --status-list FILE|URL for each Bitstring Status List credential the
// device credential's revocation status is checked in (offline unless a
// URL is given), --zk-key FILE for each zero-knowledge verifying key, --min-receipts N for how many
// ledgers must have anchored the batch. --json prints the report as JSON.
// Device keys come from the devices' did:key and did:jwk DIDs, or, with
// --registry FILE (a did.Registry log, the gateway's own even while it
// runs or a copy, replayed read-only by did.ReadRegistryFile with every
// link and signature checked), from the registry for the DIDs
// it holds: a key it revoked or rotated out fails the reading, and
// devices whose DIDs only it resolves verify. Text output then names the
// registry's entry count and head, for comparison with the operator's.
//
//	iotrust upgrade --log DIR|URL --log-key KEY [--state FILE] (-o FILE | --in-place) BUNDLE
//	iotrust upgrade --evm-node URL --evm-contract ADDRESS [--evm-confirmations N] (-o FILE | --in-place) BUNDLE
//
// Replaces the receipts of a bundle that are not final yet with final
// ones, read from the transparency log's public files (its signed
// checkpoint and its tiles, in the c2sp.org/tlog-tiles layout, from a
// directory or over HTTP): the inclusion proof of the receipt's entry in
// the log's current checkpoint, checked against --log-key before it is
// written. No gateway and no private key are involved. -o never
// overwrites an existing file; an interrupted upgrade writes nothing. Aggregate receipts
// (anchor/aggregate) over the log are upgraded through their inner
// receipt. EVM receipts (and aggregates on an EVM contract) are upgraded
// from the node of --evm-node, final once the node's finalized block (or
// --evm-confirmations blocks on top) reaches their block, each checked
// against its block's header before it is written. The log's checkpoint
// must extend the one remembered in the
// state file log check keeps (--state, same default): a log that rewrote
// or forked its history is refused with both signed checkpoints printed,
// and nothing is written. The checkpoint the new receipts are proven in is
// remembered there once the bundle is written (without --state and
// without a configuration directory, nothing is compared or remembered).
//
//	iotrust inspect [--log-key KEY] FILE
//
// Recognises any iotrust file by trying each strict parser in turn —
// evidence bundle, signed reading (JSON, CBOR), Merkle inclusion,
// consistency and multi-leaf proofs (JSON, binary), anchor commitment
// (JSON, binary) and receipt, payment voucher (JSON, binary), DID
// document, private key file, log checkpoint or verifier key, transparency
// log or aggregate receipt proof, zero-knowledge proof or verifying key —
// and prints what it holds. It checks form,
// not signatures, except for checkpoints whose log a --log-key names (exit
// status 1 when one does not verify).
//
//	iotrust did new [--scheme ed25519|p256|ml-dsa-44|ml-dsa-65|ml-dsa-87] [--out KEYFILE]
//	iotrust did resolve DID
//
// Did new makes a key pair and prints its DID (did:key, or did:jwk for
// ML-DSA); the private key goes to KEYFILE with mode 0600, never over an
// existing file, as a private JSON Web Key whose "kid" is the DID's
// verification method (without --out, the key file goes to standard
// output and the DID to standard error). Did resolve prints the DID
// document of a did:key or did:jwk as JSON, offline.
//
//	iotrust log check --log-key KEY [--state FILE] [--no-fsck] DIR|URL
//
// Audits a transparency log: its checkpoint is signed by KEY; its tree is
// consistent with the checkpoint remembered from the last check (a
// consistency proof from the tiles, so a log that rewrote, removed or
// reordered entries it had shown is caught; the two signed checkpoints
// that prove it are printed); and every entry bundle and tile re-derives
// to the signed root (Tessera's fsck). The checkpoint is remembered in
// --state (default: logs.json under the iotrust folder of
// os.UserConfigDir) only when every check passes; upgrade reads and
// updates the same file. Progress goes to
// standard error when it is a terminal.
//
//	iotrust version
//	iotrust help [command]
//
// Flags may come before or after arguments; "--" ends them. A flag that
// takes one value may be given once, and no flag takes an empty value
// (both are a wrong command line). Every command has -h with its flags and
// examples.
//
// # Exit status
//
// 0 when every check made holds (skipped checks do not fail), 1 when a
// check fails or the work cannot be done, 2 for a wrong command line.
//
// # Examples
//
// An auditor checks a reading's evidence against the operator's log key,
// upgrades a bundle fetched before its batch was final, and watches the
// log for rewrites:
//
//	KEY='example.com/anchors+4a1a4f54+AfTmMh1Ys+xXvChFZFtnEb1u1lBmeYS/7Y9IbGK6kJmf'
//	iotrust verify --log-key "$KEY" reading.evidence.json
//	iotrust upgrade --log https://log.example.com/anchors/ --log-key "$KEY" --in-place reading.evidence.json
//	iotrust log check --log-key "$KEY" https://log.example.com/anchors/
//
// A manufacturer makes a device identity:
//
//	iotrust did new --scheme p256 --out device-17.jwk
//	iotrust did resolve did:key:zDnae...
//
// # Trust
//
// verify, upgrade and log check read logs and bundles from wherever they
// are given, and trust only the keys named on the command line: a hostile
// log server or a tampered bundle makes a check fail, never pass. Every
// file read is bounded in size by what its format allows.
package main
