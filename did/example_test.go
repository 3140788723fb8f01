package did_test

import (
	"bytes"
	"fmt"

	"github.com/iotrust/iotrust/did"
)

// A device key from a fixed seed (use GenerateKey(nil) in real life), its
// DID, and a signature a verifier checks with nothing but the DID.
func Example() {
	key, err := did.Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		panic(err)
	}
	id, err := did.New(key.Public())
	if err != nil {
		panic(err)
	}
	fmt.Println(id)

	msg := []byte("temperature=4.2")
	sig, _ := key.Sign(msg)

	pub, err := did.ResolveKey(id)
	if err != nil {
		panic(err)
	}
	fmt.Println(pub.Verify(msg, sig))
	// Output:
	// did:key:z6Mkon3Necd6NkkyfoGoHxid2znGc59LU3K7mubaRcFbLfLX
	// true
}

// A post-quantum device: the same code with another scheme value.
func Example_postQuantum() {
	key, err := did.MLDSA44.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	id, _ := did.New(key.Public())
	doc, err := did.Resolve(id)
	if err != nil {
		panic(err)
	}
	fmt.Println(id[:8], doc.VerificationMethod[0].Type, doc.VerificationMethod[0].PublicKeyJWK.Kty)
	// Output: did:jwk: JsonWebKey2020 AKP
}
