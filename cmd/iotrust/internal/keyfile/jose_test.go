package keyfile

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"testing"

	jose "github.com/go-jose/go-jose/v3"

	"github.com/iotrust/iotrust/did"
)

// An independent JOSE implementation reads the key files as private JWKs
// and finds the same keys.
func TestFilesAreJWKsForGoJose(t *testing.T) {
	for _, s := range []did.SchemeID{did.Ed25519, did.P256} {
		k, err := s.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		file, id, err := Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		var j jose.JSONWebKey
		if err := j.UnmarshalJSON(file); err != nil {
			t.Fatalf("%s: go-jose: %v", s.Name(), err)
		}
		if j.KeyID == "" || j.KeyID[:len(id)] != id || j.IsPublic() {
			t.Fatalf("%s: kid %q, public %v", s.Name(), j.KeyID, j.IsPublic())
		}
		msg := []byte("signed with the key go-jose read")
		var ok bool
		switch priv := j.Key.(type) {
		case ed25519.PrivateKey:
			ok = k.Public().Verify(msg, ed25519.Sign(priv, msg))
		case *ecdsa.PrivateKey:
			// ES256: ECDSA over SHA-256(msg), r‖s.
			h := sha256.Sum256(msg)
			r, s, err := ecdsa.Sign(rand.Reader, priv, h[:])
			if err != nil {
				t.Fatal(err)
			}
			sig := append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
			ok = priv.Curve == elliptic.P256() && k.Public().Verify(msg, sig)
		default:
			t.Fatalf("%s: go-jose read a %T", s.Name(), j.Key)
		}
		if !ok {
			t.Errorf("%s: go-jose's key is not the file's key", s.Name())
		}
	}
}
