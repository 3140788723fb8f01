// Package vc issues and verifies verifiable credentials about devices, the
// presentations devices make of them, and answers "may DID X do action A on
// topic T" from what it verified.
//
// A DeviceCredential names a device (its DID, from package did), its
// manufacturer, model, serial number and firmware hash (a canon.Digest), the
// MQTT topic filters it may publish to, read from and command, and a
// validity window. An Issuer signs it as a VC Data Model 1.1 JWT (EdDSA or
// ES256; the default, fast and verifiable by JavaScript tools such as jose
// and did-jwt-vc) or as a VC Data Model 2.0 credential with an
// eddsa-rdfc-2022 Data Integrity proof. Everything is offline: JSON-LD
// contexts come from package ldcontext, compiled into the binary.
//
// Verification uses trustbloc/vc-go (the maintained successor of
// aries-framework-go's VC code) for JWT parsing and proof checking, and
// closes the gaps it leaves: the DID of the signing key must be the issuer
// (for JWT: kid DID = iss = vc.issuer), the proof purpose must be
// assertionMethod, validity dates are checked against a clock with a
// configurable skew, the issuer must be in the trust list, revocation is
// read from a Bitstring Status List held in an offline StatusCache with a
// maximum staleness, and the KeyStatus hook lets a key registry veto
// rotated or revoked keys (RegistryKeyStatus connects a did.Registry). Inputs are checked before any library sees
// them, so hostile bytes cannot reach the library's panic paths; a panic
// would still be recovered into ErrInternal at the API boundary.
//
// A gateway admits a device like this:
//
//	v := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{manufacturerDID}, Status: cache})
//	nonce, _ := nonces.New(time.Now())           // sent to the device
//	vp, err := v.VerifyPresentation(ctx, raw, gatewayDID, nonces)
//	authz.Admit(vp.Credentials...)
//	err = authz.Authorize(ctx, vp.Holder, vc.ActionPublish, "sensors/dev1/temperature")
package vc
