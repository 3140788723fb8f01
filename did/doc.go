// Package did gives devices and organisations an identity: a key pair on a
// signature scheme chosen by value, the decentralized identifier (DID) that
// names the key, its DID document, challenge-response authentication, and a
// Registry that keeps the history of each identity's keys as an
// append-only, hash-linked, anchorable log.
//
// # Keys
//
// A Scheme makes keys: Ed25519 (the default), P256 (ECDSA, what secure
// elements offer), MLDSA44 / MLDSA65 / MLDSA87 (FIPS 204, for post-quantum
// devices), or any github.com/cloudflare/circl/sign scheme through
// SchemeFromCircl. Every key comes from a seed, and the seed is its private
// encoding. A PrivateKey's Sign has the signer shape trustbloc/vc-go's proof
// creators take, and its signatures are the JWS signatures of
// Scheme().JWSAlgorithm() (EdDSA, ES256 as r‖s, ML-DSA-44...), so package
// vc hands keys from here straight to vc-go.
//
// # DIDs
//
// New names a key: did:key for Ed25519 and P-256 (multicodecs ed25519-pub
// and p256-pub, compressed point), did:jwk for ML-DSA, whose keys have no
// registered did:key multicodec (the JWK is "kty":"AKP" of
// draft-ietf-cose-dilithium). Resolve builds the DID document offline, in
// the current did:key form (Multikey, publicKeyMultibase); ResolveKey is
// the fast path that returns only the key; ParseDocument reads documents
// from elsewhere, including the older Ed25519VerificationKey2018 and
// JsonWebKey2020 forms. Everything that parses untrusted input bounds its
// sizes and returns typed errors (ErrInvalidDID, ErrUnsupportedMethod,
// ErrUnsupportedKeyType, ErrInvalidDocument, ...), never panics.
//
// The encodings are cross-checked in tests against the did:key
// specification's published vectors and against github.com/trustbloc/did-go,
// and in CI against JavaScript resolvers from npm.
//
// # Challenge-response authentication
//
// An Authenticator (the verifier: a gateway) issues a Challenge — a fresh
// 32-byte nonce, its own DID, an expiry; the device returns Answer's
// Response, a signature over canon.SigningMessage(AuthTag, canonical JSON
// of {challenge, device, time, verifier}); Verify checks the signature with
// the key the device's DID has at the signed time (through a KeyResolver),
// the expiry, the device's clock skew, and spends the challenge, so the
// same answer never works twice (ErrChallengeUsed). Redeem spends a
// challenge whose nonce travelled inside another signed object, such as a
// verifiable presentation.
//
// # Key lifecycle
//
// A Registry records register, rotate, revoke, transfer and decommission
// as an append-only log of Entries, each signed by the identity's
// controller and carrying the digest of the entry before it (a
// canon.TaggedSum under RegistryEntryTag), so Head is a canon.Digest that
// commits to the whole history and can be anchored. KeyAt and VerifyAt
// answer with the key valid at a time: a signature by a rotated-out or
// revoked key dated after the change fails with ErrKeyRotated or
// ErrKeyRevoked. The time is the one the signed object claims; anchoring
// the objects (package batch) is what bounds how far a holder of a stolen
// key could backdate. The log lives in one file of length-prefixed,
// CRC-32C-checked records, each fsynced before Append returns; reopening
// cuts off a record torn by a crash and refuses any other damage
// (ErrCorruptLog), after re-checking every link and signature.
//
// # Why trustbloc/did-go and not aries-framework-go
//
// The DID and VC code of github.com/hyperledger/aries-framework-go is
// maintained, by the same people, as github.com/trustbloc/did-go and
// github.com/trustbloc/vc-go; aries-framework-go itself is archived (last
// tag v0.3.2, 2023). Tried as a new user would, aries v0.3.2 knows only VC
// Data Model 1.1, pins go-jose below the fix for CVE-2025-27144, panics on a
// JWT "kid" without "#", panics when a JSON-LD credential is verified
// without a document loader, and accepts a credential signed by a key other
// than the issuer's. did-go v1.3.0 (with vc-go v1.2.0) builds without
// replace directives in a consumer's go.mod. This package uses did-go as the
// reference it is checked against, and writes the current document form
// itself, because did-go's did:key still produces the 2019-era documents
// (Ed25519VerificationKey2018, JsonWebKey2020) and knows no ML-DSA.
//
// # Neighbours
//
// canon gives the canonical bytes and tagged hashes everything here signs
// and links; vc issues credentials about the DIDs made here; batch and
// payment verify device signatures with the keys resolved here.
package did
