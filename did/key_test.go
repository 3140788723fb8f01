package did

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"testing"

	"filippo.io/edwards25519"
	"github.com/hdevalence/ed25519consensus"

	"github.com/cloudflare/circl/sign/ed448"
	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
)

var allSchemes = []Scheme{Ed25519, P256, MLDSA44, MLDSA65, MLDSA87}

func TestSchemesSignVerifyRoundTrip(t *testing.T) {
	msg := []byte("iotrust reading 42")
	for _, s := range allSchemes {
		t.Run(s.Name(), func(t *testing.T) {
			k, err := s.GenerateKey(nil)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := k.Sign(msg)
			if err != nil {
				t.Fatal(err)
			}
			if len(sig) != s.SignatureSize() {
				t.Fatalf("signature of %d bytes, scheme says %d", len(sig), s.SignatureSize())
			}
			pub := k.Public()
			if !pub.Verify(msg, sig) {
				t.Fatal("valid signature rejected")
			}
			if pub.Verify([]byte("iotrust reading 43"), sig) {
				t.Fatal("signature accepted for another message")
			}
			bad := bytes.Clone(sig)
			bad[len(bad)/2] ^= 1
			if pub.Verify(msg, bad) {
				t.Fatal("flipped signature accepted")
			}
			if pub.Verify(msg, sig[:len(sig)-1]) || pub.Verify(msg, append(bytes.Clone(sig), 0)) || pub.Verify(msg, nil) {
				t.Fatal("signature of wrong length accepted")
			}
			other, _ := s.GenerateKey(nil)
			if other.Public().Verify(msg, sig) {
				t.Fatal("signature accepted under another key")
			}
			if len(pub.Bytes()) != s.PublicKeySize() {
				t.Fatalf("public key of %d bytes, scheme says %d", len(pub.Bytes()), s.PublicKeySize())
			}
			if pub.Scheme() != s {
				t.Fatalf("key reports scheme %s", pub.Scheme().Name())
			}
		})
	}
}

func TestSchemesMarshalRoundTrip(t *testing.T) {
	for _, s := range allSchemes {
		t.Run(s.Name(), func(t *testing.T) {
			k, _ := s.GenerateKey(nil)
			seed, err := k.MarshalBinary()
			if err != nil || len(seed) != s.SeedSize() {
				t.Fatalf("MarshalBinary: %d bytes, %v", len(seed), err)
			}
			k2, err := s.UnmarshalPrivateKey(seed)
			if err != nil {
				t.Fatal(err)
			}
			if !k2.Public().Equal(k.Public()) {
				t.Fatal("private key round trip changed the key")
			}
			k3, err := s.DeriveKey(seed)
			if err != nil || !k3.Public().Equal(k.Public()) {
				t.Fatal("DeriveKey(seed) differs from the key", err)
			}
			pub, err := s.UnmarshalPublicKey(k.Public().Bytes())
			if err != nil || !pub.Equal(k.Public()) {
				t.Fatal("public key round trip changed the key", err)
			}
			// a signature by the unmarshalled private key verifies under the original public key
			sig, _ := k2.Sign([]byte("m"))
			if !k.Public().Verify([]byte("m"), sig) {
				t.Fatal("signature of reloaded key rejected")
			}
			for _, n := range []int{0, s.SeedSize() - 1, s.SeedSize() + 1} {
				if _, err := s.UnmarshalPrivateKey(make([]byte, n)); !errors.Is(err, ErrInvalidKey) {
					t.Errorf("private key of %d bytes: %v, want ErrInvalidKey", n, err)
				}
			}
			for _, n := range []int{0, s.PublicKeySize() - 1, s.PublicKeySize() + 1} {
				if _, err := s.UnmarshalPublicKey(make([]byte, n)); !errors.Is(err, ErrInvalidKey) {
					t.Errorf("public key of %d bytes: %v, want ErrInvalidKey", n, err)
				}
			}
		})
	}
}

func TestDeriveKeyIsDeterministic(t *testing.T) {
	for _, s := range allSchemes {
		seed := bytes.Repeat([]byte{7}, s.SeedSize())
		a, err := s.DeriveKey(seed)
		if err != nil {
			t.Fatal(s.Name(), err)
		}
		b, _ := s.DeriveKey(seed)
		if !a.Public().Equal(b.Public()) {
			t.Errorf("%s: same seed, different keys", s.Name())
		}
		seed[0] = 8
		c, _ := s.DeriveKey(seed)
		if a.Public().Equal(c.Public()) {
			t.Errorf("%s: different seeds, same key", s.Name())
		}
	}
}

// The Ed25519 key of a seed is the RFC 8032 key: checked against the
// standard library and RFC 8032 §7.1 test 1.
func TestEd25519RFC8032Vector(t *testing.T) {
	seed := mustHex(t, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	wantPub := mustHex(t, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
	wantSig := mustHex(t, "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
	k, err := Ed25519.DeriveKey(seed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.Public().Bytes(), wantPub) {
		t.Fatalf("public key %x", k.Public().Bytes())
	}
	sig, _ := k.Sign(nil)
	if !bytes.Equal(sig, wantSig) {
		t.Fatalf("signature %x", sig)
	}
	if !k.Public().Verify(nil, wantSig) {
		t.Fatal("RFC 8032 signature rejected")
	}
}

// ZIP-215 accepts a non-canonical encoding of R that RFC 8032 verifiers as
// strict as crypto/ed25519 reject. The vector, for an honest key A = [a]B:
// R the identity encoded with y = p+1 (non-canonical), s = k·a where
// k = SHA-512(R ‖ A ‖ M), so that [s]B = R + [k]A holds once R is decoded.
func TestEd25519VerifiesUnderZIP215(t *testing.T) {
	seed := bytes.Repeat([]byte{3}, 32)
	k, _ := Ed25519.DeriveKey(seed)
	pub := k.Public()
	nonCanonicalR := mustHex(t, "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	msg := []byte("any")
	h := sha512.Sum512(seed)
	a, err := edwards25519.NewScalar().SetBytesWithClamping(h[:32])
	if err != nil {
		t.Fatal(err)
	}
	kh := sha512.New()
	kh.Write(nonCanonicalR)
	kh.Write(pub.Bytes())
	kh.Write(msg)
	kk, _ := edwards25519.NewScalar().SetUniformBytes(kh.Sum(nil))
	sig := append(bytes.Clone(nonCanonicalR), edwards25519.NewScalar().Multiply(kk, a).Bytes()...)
	if ed25519.Verify(ed25519.PublicKey(pub.Bytes()), msg, sig) {
		t.Fatal("crypto/ed25519 accepts the vector; it no longer tells the rules apart")
	}
	if !ed25519consensus.Verify(ed25519.PublicKey(pub.Bytes()), msg, sig) {
		t.Fatal("ed25519consensus rejects the vector; it is not a ZIP-215 vector")
	}
	if !pub.Verify(msg, sig) {
		t.Fatal("ZIP-215 signature rejected")
	}
	if pub.Verify([]byte("other"), sig) {
		t.Fatal("ZIP-215 vector accepted for another message")
	}
}

func TestP256SignatureIsES256(t *testing.T) {
	k, _ := P256.GenerateKey(nil)
	msg := []byte("header.payload")
	sig, _ := k.Sign(msg)
	cs, ok := CryptoSigner(k)
	if !ok {
		t.Fatal("built-in key is not a crypto.Signer")
	}
	ek := cs.(*ecdsa.PrivateKey)
	h := sha256.Sum256(msg)
	// Re-encode r‖s as ASN.1 and check it with the standard library.
	if !ecdsa.VerifyASN1(&ek.PublicKey, h[:], asn1Sig(sig)) {
		t.Fatal("r‖s signature does not verify as ECDSA over SHA-256")
	}
	der, err := cs.Sign(nil, h[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if k.Public().Verify(msg, der) {
		t.Fatal("DER signature accepted where r‖s is required")
	}
}

func TestSchemeFromCircl(t *testing.T) {
	if SchemeFromCircl(mldsa44.Scheme()) != MLDSA44 {
		t.Fatal("circl ML-DSA-44 does not map to MLDSA44")
	}
	s := SchemeFromCircl(ed448.Scheme())
	k, err := s.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := k.Sign([]byte("m"))
	if !k.Public().Verify([]byte("m"), sig) {
		t.Fatal("Ed448 signature rejected")
	}
	if _, err := New(k.Public()); !errors.Is(err, ErrUnsupportedKeyType) {
		t.Fatalf("DID of an Ed448 key: %v, want ErrUnsupportedKeyType", err)
	}
}

func TestSchemeByName(t *testing.T) {
	for _, s := range allSchemes {
		got, err := SchemeByName(s.Name())
		if err != nil || got != s {
			t.Errorf("SchemeByName(%q) = %v, %v", s.Name(), got, err)
		}
	}
	if _, err := SchemeByName("RSA"); !errors.Is(err, ErrUnsupportedKeyType) {
		t.Errorf("SchemeByName(RSA): %v", err)
	}
}

// The zero SchemeID and values past the last constant are no scheme: they
// make no keys and never panic.
func TestInvalidSchemeID(t *testing.T) {
	for _, s := range []SchemeID{0, MLDSA87 + 1, 255} {
		if _, err := s.GenerateKey(nil); !errors.Is(err, ErrUnsupportedKeyType) {
			t.Errorf("%v GenerateKey: %v", s, err)
		}
		if _, err := s.DeriveKey(make([]byte, 32)); !errors.Is(err, ErrUnsupportedKeyType) {
			t.Errorf("%v DeriveKey: %v", s, err)
		}
		if _, err := s.UnmarshalPublicKey(make([]byte, 32)); !errors.Is(err, ErrUnsupportedKeyType) {
			t.Errorf("%v UnmarshalPublicKey: %v", s, err)
		}
		if _, err := s.UnmarshalPrivateKey(make([]byte, 32)); !errors.Is(err, ErrUnsupportedKeyType) {
			t.Errorf("%v UnmarshalPrivateKey: %v", s, err)
		}
		if s.SeedSize() != 0 || s.PublicKeySize() != 0 || s.SignatureSize() != 0 || s.JWSAlgorithm() != "" {
			t.Errorf("%v reports sizes", s)
		}
		if _, err := SchemeByName(s.Name()); err == nil {
			t.Errorf("SchemeByName(%q) finds a scheme", s.Name())
		}
	}
	// Keys report the constant of their scheme.
	for _, s := range []SchemeID{Ed25519, P256, MLDSA44, MLDSA65, MLDSA87} {
		k, err := s.DeriveKey(bytes.Repeat([]byte{1}, s.SeedSize()))
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := k.Public().Scheme().(SchemeID); !ok || got != s {
			t.Errorf("%s key reports %#v", s, k.Public().Scheme())
		}
	}
}
