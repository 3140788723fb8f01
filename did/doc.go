// Package did gives devices and organisations an identity: a key pair on a
// signature scheme chosen by value, the decentralized identifier (DID) that
// names the key, its DID document, challenge-response authentication, and a
// Registry that keeps the history of each identity's keys as an
// append-only, hash-linked, anchorable log.
//
// # Keys
//
// A Scheme makes keys: the SchemeID constants Ed25519 (the default), P256
// (ECDSA, what secure elements offer), MLDSA44 / MLDSA65 / MLDSA87 (FIPS
// 204, for post-quantum devices), or any github.com/cloudflare/circl/sign
// scheme through SchemeFromCircl. Every key comes from a seed, and the seed
// is its private encoding. A PrivateKey's Sign has the signer shape
// trustbloc/vc-go's proof creators take, and its signatures are the JWS
// signatures of Scheme().JWSAlgorithm() (EdDSA, ES256 as r‖s, ML-DSA-44...),
// so package vc hands keys from here straight to vc-go.
//
// A public key enters only through Scheme.UnmarshalPublicKey, which checks
// it before anything trusts it: an Ed25519 key that is a point of small
// order or a non-canonical encoding fails with ErrWeakKey (under ZIP-215,
// the verification rule used here so that batch and single verification
// agree, anyone can sign for a small-order key); a P-256 key must be a
// point on the curve in its one compressed encoding; an ML-DSA key must
// have its exact size. did:key, did:jwk, DID documents, JWKs and registry
// entries all reach their keys this way, so every package that gets keys
// from here gets the check.
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
// JsonWebKey2020 forms.
//
// Everything that parses untrusted input bounds its sizes, never panics,
// and returns typed errors (ErrInvalidDID, ErrUnsupportedMethod,
// ErrUnsupportedKeyType, ErrInvalidKey, ErrWeakKey, ErrInvalidJWK,
// ErrInvalidDocument, ErrInvalidEntry, ErrMalformedResponse, ...). JSON —
// JWKs, DID documents, registry entries, challenges and responses — is
// read through canon.Decode, one spelling only: member names exactly as
// specified (a case variant such as a JWK's "X" for "x", which
// encoding/json would take, is refused), no unknown or duplicate members,
// one value with nothing after it; the canon sentinel stays reachable
// through errors.Is beside this package's. Every time this package signs
// or writes — an entry's date, a challenge's expiry, an answer's time — is
// between 1970-01-01 and 9999-12-31 UTC, the range in which its Unix
// milliseconds and its RFC 3339 form both read back as the same instant;
// any other is refused with ErrTimeRange before anything is signed or
// written.
//
// The encodings are cross-checked in tests against the did:key
// specification's published vectors and against github.com/trustbloc/did-go,
// and in CI against JavaScript resolvers and curves from npm.
//
// # Resolving keys
//
// KeyResolver is the one key-resolution interface of iotrust: the key a
// DID may sign with at a time. SelfCertifying reads it from a did:key or
// did:jwk; a Registry answers from its log; KeyResolvers asks several in
// turn; a KeyCache in front of any of them keeps self-certifying keys until
// evicted and a registry's answers for at most a TTL the caller chooses,
// bounded in DIDs and in bytes (an expanded ML-DSA key weighs as much as
// a few hundred Ed25519 ones; NewKeyCacheLimits sets both bounds) and safe
// for concurrent use. A gateway with a registry
// resolves through NewKeyCache(n, KeyResolvers{registry, SelfCertifying{}},
// ttl). A resolver answers for a signing time, and a rotation or
// revocation dated D changes its answers for times from D on, within the
// cache's TTL of being appended; a signature that claims a time before D
// still resolves to the old key. What bounds that claim is the verifier:
// Authenticator.Verify checks the key at no earlier than the challenge's
// issue time, so a change reaches challenge-response within the challenge
// TTL plus the cache TTL of the later of its date and its appending;
// anchoring (package batch) bounds the times of readings.
//
// # Admission: challenge-response and presentations
//
// A gateway admits a device in one of two ways, and both spend the same
// single-use nonces:
//
//   - Challenge-response (this package), when the gateway needs only to
//     know that the device holds the key of its DID. An Authenticator (the
//     verifier) issues a Challenge — a fresh 32-byte nonce, its own DID, an
//     expiry; the device returns Answer's Response, a signature over
//     canon.SigningMessage(AuthTag, canonical JSON of {challenge, device,
//     time, verifier}); Verify checks the signature with the key the
//     device's DID has at the signed time, or at the challenge's issue
//     time if that is later (through a KeyResolver), the expiry, the
//     device's clock skew, and spends the challenge, so the same answer
//     never works twice (ErrChallengeUsed).
//   - A verifiable presentation (package vc), when the gateway must also
//     see credentials: what the device is, who vouches for it, which roles
//     it holds. The presentation carries the challenge's nonce inside its
//     own signature, and vc spends it through NonceStore.
//
// NonceStore is the one nonce store: *Authenticator implements it
// (Consume), so hand the same Authenticator to vc, and a challenge answered
// one way cannot be answered again the other way.
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
// key could backdate. The registry's own entries cannot be backdated
// around a change: a new entry is dated no earlier than the latest entry
// about its subject or its signer (ErrBackdated; a revocation alone may be
// dated back), and its signer signs with the key it holds now, so a
// retired controller key signs no further entry. The log lives in one
// file of length-prefixed, CRC-32C-checked records, each fsynced before
// Append returns; reopening cuts off a record torn by a crash and refuses
// any other damage (ErrCorruptLog), after re-checking every link and
// signature. An auditor replays a copy (ReadRegistry, from any
// io.ReaderAt) or the gateway's own file, even while the gateway holds it
// (ReadRegistryFile), by the same rules and without writing to it: that
// Registry answers as an opened one does and refuses entries with
// ErrReadOnly.
//
// Who may register what: a did:key or did:jwk names its key, so only that
// key registers it (as its own controller, with that key first) and may
// then Transfer it, typically to the organisation that runs the device;
// any other DID is registered by whichever controller registers it first.
// A registry's answer for a DID overrides the DID's own key in
// KeyResolvers{registry, SelfCertifying{}}, which is why nobody else may
// claim a self-certifying DID there.
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
