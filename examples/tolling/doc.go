// Command tolling is iotrust's road-tolling reference application: roadside
// units with DIDs and operator-issued credentials sign each passage of a
// vehicle per road segment; the vehicle pays every segment over a payment
// channel on an EVM chain; one disputed segment is settled on chain with a
// voucher redeemable only against the RSU's anchored passage; and the
// vehicle recovers its deposit when the operator vanishes.
//
// Run it with
//
//	go run ./examples/tolling [-out DIR] [-rpc URL -key HEX] [-log-dir DIR]
//
// On the defaults (go-ethereum's simulated chain, a Tessera log in a
// temporary directory) it takes about a second. README.md describes the flow
// and how to point it at real infrastructure.
package main
