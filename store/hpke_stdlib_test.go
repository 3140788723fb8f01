//go:build go1.26

package store

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hpke"
	"testing"
)

var stdKEM = hpke.DHKEM(ecdh.X25519())

// TestHPKEAgainstStdlib cross-checks the key wrapping with Go's crypto/hpke
// (an implementation independent of circl): a wrapping in a stored
// envelope opens with crypto/hpke and the data key it yields decrypts the
// blob; a wrapping made by crypto/hpke opens here; key derivation agrees.
func TestHPKEAgainstStdlib(t *testing.T) {
	if stdKEM.ID() != uint16(kemID) || hpke.HKDFSHA256().ID() != uint16(kdfID) || hpke.ChaCha20Poly1305().ID() != uint16(aeadID) {
		t.Fatal("suite identifiers differ")
	}
	s, dir := openStore(t, Options{})
	for seed := byte(1); seed <= 4; seed++ {
		id := testIdentity(t, seed)
		pk := id.Recipient().pk
		std, err := stdKEM.NewPrivateKey(id.sk[:])
		if err != nil {
			t.Fatal(err)
		}
		if got := std.PublicKey().Bytes(); !bytes.Equal(got, pk[:]) {
			t.Fatalf("public key %x, crypto/hpke says %x", pk, got)
		}
		// DeriveKeyPair agrees.
		var ikm [32]byte
		seeded(seed).Read(ikm[:])
		derived, err := stdKEM.DeriveKeyPair(ikm[:])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(derived.PublicKey().Bytes(), pk[:]) {
			t.Fatal("DeriveKeyPair differs from crypto/hpke")
		}

		plain := bytes.Repeat([]byte{seed}, 1000)
		c, err := s.Put(bg, plain, id.Recipient(), testIdentity(t, 50).Recipient())
		if err != nil {
			t.Fatal(err)
		}
		blobPath, envPath := paths(t, dir, c)
		e, err := parseEnvelope(readFile(t, envPath))
		if err != nil {
			t.Fatal(err)
		}
		i, ok := e.find(id.Recipient().ID())
		if !ok {
			t.Fatal("no entry")
		}
		x := e.entries[i]
		dataKey, err := hpke.Open(std, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), wrapInfo(c), append(x.enc[:], x.wrapped[:]...))
		if err != nil {
			t.Fatalf("crypto/hpke cannot open the stored wrapping: %v", err)
		}
		h, err := parseBlob(readFile(t, blobPath))
		if err != nil {
			t.Fatal(err)
		}
		got, err := openBlob(h, dataKey)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("blob with the key crypto/hpke unwrapped: %v", err)
		}

		// The other direction.
		pub, err := stdKEM.NewPublicKey(pk[:])
		if err != nil {
			t.Fatal(err)
		}
		sealed, err := hpke.Seal(pub, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), []byte("info"), dataKey)
		if err != nil {
			t.Fatal(err)
		}
		back, err := hpkeOpen(id.sk[:], sealed[:encSize], []byte("info"), nil, sealed[encSize:])
		if err != nil || !bytes.Equal(back, dataKey) {
			t.Fatalf("crypto/hpke wrapping does not open here: %v", err)
		}
	}
}
