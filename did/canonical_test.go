package did

import (
	"crypto/elliptic"
	"math/big"
	"testing"
)

// P-256 Sign makes only low-s signatures; CanonicalSignature admits them
// and refuses their n−s twin, which still verifies as ECDSA. Other
// schemes' signatures are canonical as they are.
func TestCanonicalSignature(t *testing.T) {
	k, err := P256.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	n := elliptic.P256().Params().N
	msg := []byte("iotrust canonical signature test")
	for i := range 64 {
		sig, err := k.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		if !CanonicalSignature(k.Public(), sig) {
			t.Fatalf("signature %d: Sign made a high-s signature", i)
		}
		twin := append([]byte(nil), sig...)
		new(big.Int).Sub(n, new(big.Int).SetBytes(sig[32:])).FillBytes(twin[32:])
		if !k.Public().Verify(msg, twin) {
			t.Fatal("the n−s twin does not verify: the test builds it wrong")
		}
		if CanonicalSignature(k.Public(), twin) {
			t.Fatalf("signature %d: the high-s twin is called canonical", i)
		}
	}
	if CanonicalSignature(k.Public(), make([]byte, 63)) {
		t.Fatal("a 63-byte P-256 signature is called canonical")
	}
	for _, s := range []Scheme{Ed25519, MLDSA44} {
		o, err := s.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := o.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		if !CanonicalSignature(o.Public(), sig) {
			t.Fatalf("%s: a signature is not called canonical", s.Name())
		}
	}
}
