// Command airquality is iotrust's citizen-sensing reference application:
// citizens' air-quality sensors, each with a DID, sell PM2.5 readings to a
// city. A sensor proves in zero knowledge that it lies inside the city's
// zone without revealing its position; its owner stakes coin that the city
// slashes when the sensor signs a reading that contradicts its neighbours,
// with the evidence bundles of those readings as the proof; and the city
// pays for every verified sample with vouchers on a DID-bound payment
// channel.
//
// Run it with
//
//	go run ./examples/airquality [-out DIR] [-rpc URL -key HEX] [-log-dir DIR]
//
// On the defaults (go-ethereum's simulated chain, a Tessera log in a
// temporary directory) it takes about a second, plus a few seconds on the
// first run to make the zone circuit's keys, which are then cached.
// README.md describes the flow and how to point it at real infrastructure.
package main
