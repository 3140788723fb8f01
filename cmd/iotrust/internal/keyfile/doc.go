// Package keyfile reads and writes the private key files of `iotrust did
// new`: a private JSON Web Key (RFC 7517) naming its DID's verification
// method in "kid".
//
// The members are those of the key's public JWK (did.NewJWK) plus the
// private seed: "d" for Ed25519 ("OKP", RFC 8037) and P-256 ("EC", RFC
// 7518), "priv" for ML-DSA ("AKP", draft-ietf-cose-dilithium). For all
// three the seed is the key's private encoding in package did
// (did.PrivateKey.MarshalBinary), so JOSE libraries that read private
// JWKs read these files too. A file is RFC 8785 canonical JSON; Parse
// reads that one form (whitespace aside) and checks that the seed makes
// the public key and the DID the file names.
package keyfile
