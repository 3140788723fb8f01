// Package vc issues and verifies verifiable credentials about devices, the
// presentations devices make of them, and answers "may DID X do action A
// on resource R" from what it verified.
//
// A DeviceCredential names a device (its DID, from package did), its
// manufacturer, model, serial number and firmware hash (a canon.Digest),
// the MQTT topic filters it may publish to, read from and command,
// application-defined typed Claims (a VIN, a contract ID, a maximum power
// in watts), and a validity window. An Issuer signs it as a VC Data Model
// 1.1 JWT (EdDSA or ES256; the default, fast and verifiable by JavaScript
// tools such as jose and did-jwt-vc) or as a VC Data Model 2.0 credential
// with an eddsa-rdfc-2022 Data Integrity proof. Everything is offline:
// JSON-LD contexts come from package ldcontext, compiled into the binary.
//
// # Verification
//
// A Verifier checks the signature under the key the kid or
// verificationMethod names, and that this key's DID is the issuer; the
// proof purpose (assertionMethod); that the issuer is trusted; the validity
// window at its clock with a configurable skew; revocation, from a
// Bitstring Status List held in an offline StatusCache with a maximum
// staleness; and, through the KeyStatus hook, that a key registry has not
// rotated or revoked the key (RegistryKeyStatus connects a did.Registry).
//
// Keys come only through a did.KeyResolver (VerifierConfig.Keys; by default
// did.NewKeyCache), so every issuer and holder key passes did's key checks
// before it is trusted. Untrusted bytes are read exactly once and exactly:
// JWT headers and claims, credentials, presentations, status lists and
// proofs go through canon.Decode (exact member names, no unknown or
// duplicate members, one value, bounded), and a refusal wraps ErrMalformed
// and the *canon.DecodeError. A Data Integrity document may carry members
// its contexts define that this package does not read; it may not carry
// anything JSON-LD processing would drop, since such data would ride along
// unsigned (ErrUndefinedTerm), nor a case variant of a member read here.
// RDF canonicalization, the one step whose work is not linear in the
// input, runs on a fixed work budget: an RDF "poison graph" is refused
// with ErrTooComplex instead of keeping the verifier busy.
//
// # Admission
//
// A gateway admits a device with one nonce store for every protocol: its
// *did.Authenticator. It sends the device a challenge
// (Authenticator.NewChallenge); the device answers with Holder.PresentJWT,
// whose signed "nonce" is the challenge's nonce; the gateway calls
// Verifier.VerifyPresentation with its DID as audience and the
// Authenticator as the did.NonceStore, which spends the nonce — so a
// presentation cannot be replayed, nor a challenge be answered both by a
// presentation and by did challenge-response. The verified credentials go
// to an Authorizer: Authorize answers MQTT topic questions from the roles,
// Allow answers application actions ("charge") through caller-registered
// policies over the typed claims (AtMost("maxPowerW", "powerW")). The
// package Example shows the whole flow.
package vc
