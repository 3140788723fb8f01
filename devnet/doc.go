// Package devnet is the embedded infrastructure an iotrust system runs on
// during development, in tests and in the examples: a Tessera transparency
// log kept in a directory together with its signing key, and an EVM chain
// that is either go-ethereum's simulated chain in this process or a
// JSON-RPC node.
//
// One funding convention holds for both chains: a single funder key pays
// for every party. On the simulated chain the funder is a fresh key given
// 1000 ether at genesis; on a real node it is the hex private key of an
// account already funded there (ChainConfig.FunderKey, by convention read
// from the environment variable named by FunderKeyEnv). Parties use fresh
// keys and are funded from it with Chain.Fund, so the same code runs on both.
//
// Besides, the package waits for chain time (Chain.WaitUntil,
// Chain.Advance) and records gas per kind of transaction (GasBook); Main
// runs a development program with the libraries' global loggers silenced
// (package quiet). None of it is meant for production: the log's key is a
// file beside the log, and the funder key is a hot key.
package devnet
