// Command interop drives the JavaScript interoperability check in
// .ci/steps/40-vc.sh.
//
//	interop issue             prints credentials and keys as JSON for verify.mjs
//	interop verify ISSUERDID  reads a JWT DeviceCredential from stdin and verifies it
package main
