// Command coldchain is iotrust's reference cold-chain job: one refrigerated
// shipment from the sensors to the carrier's payment and an auditor, on the
// library's public API and its embedded defaults.
//
//  1. Provisioning: a manufacturer issues device credentials (package vc)
//     to two sensors: the carrier's data logger in the cargo (Ed25519),
//     which keeps its values private and signs commitments to them
//     (zkp.Commit), and the reefer unit's sensor (P-256), which signs its
//     values in the clear (package reading).
//  2. Admission: the gateway challenges each sensor (did.Authenticator); the
//     sensor answers with a presentation of its credential bound to the
//     challenge; the verified credentials grant the right to publish
//     (vc.Authorizer), which the gateway pipeline checks for every reading.
//  3. Departure: on go-ethereum's simulated chain, the shipper locks the
//     carrier's fee in an escrow contract (package escrow).
//  4. Transit: the gateway pipeline (package batch) verifies the readings,
//     refuses a forged, a replayed and an uncredentialed one, seals each leg
//     into a Merkle batch, stores it encrypted (package store) and anchors
//     it on a Tessera transparency log (anchor/tlog).
//  5. Arrival: the gateway attests the Poseidon2 root of the logger's
//     anchored commitments; the carrier proves in zero knowledge that every
//     one lay within 2.00–8.00 °C; the escrow verifies the proof on chain
//     and pays the carrier. With -excursion, no such proof exists and the
//     insurer is paid at the deadline.
//  6. Audit: one private reading's evidence bundle (package evidence), with
//     its credential and a range proof, is written to a file, and an auditor
//     checks it from the file with public keys alone.
//
// Run it with
//
//	go run ./examples/coldchain [-excursion]
//
// It takes a few seconds: the development proving key of the escrow's batch
// circuit ships with escrow/devkeys, so no setup runs. -rpc, -log-dir, -mqtt
// and -out point the same code at a real chain, a kept log, an MQTT broker
// the sensors publish to and a kept evidence directory; see README.md.
package main
