package store

import (
	"fmt"
	"io"

	"github.com/cloudflare/circl/hpke"
	"github.com/cloudflare/circl/kem"
)

// The HPKE suite of format version 1 (RFC 9180 identifiers): DHKEM(X25519,
// HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, base mode.
const (
	kemID  = hpke.KEM_X25519_HKDF_SHA256
	kdfID  = hpke.KDF_HKDF_SHA256
	aeadID = hpke.AEAD_ChaCha20Poly1305
)

var (
	suite     = hpke.NewSuite(kemID, kdfID, aeadID)
	kemScheme = kemID.Scheme()
	// suiteIDs is KEM, KDF and AEAD as big-endian uint16, as they appear in
	// an envelope and in a RecipientID's preimage.
	suiteIDs = [6]byte{byte(kemID >> 8), byte(kemID), byte(kdfID >> 8), byte(kdfID), byte(aeadID >> 8), byte(aeadID)}
)

// Sizes of one key wrapping: the encapsulated key and the sealed data key.
const (
	encSize     = 32
	wrappedSize = dataKeySize + 16
)

// hpkeSeal is RFC 9180 single-shot SealBase(pkR, info, aad, pt): it draws
// the ephemeral key's ikm (32 bytes) from rnd, so a fixed rnd reproduces the
// RFC's vectors. A public key of small order fails with ErrBadKey.
func hpkeSeal(rnd io.Reader, pkR []byte, info, aad, pt []byte) (enc, ct []byte, err error) {
	if len(pkR) != keySize {
		return nil, nil, fmt.Errorf("%w: public key of %d bytes", ErrBadKey, len(pkR))
	}
	pk, err := kemScheme.UnmarshalBinaryPublicKey(pkR)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return sealTo(rnd, pk, info, aad, pt)
}

func sealTo(rnd io.Reader, pk kem.PublicKey, info, aad, pt []byte) (enc, ct []byte, err error) {
	s, err := suite.NewSender(pk, info)
	if err != nil {
		return nil, nil, fmt.Errorf("store: hpke: %w", err)
	}
	enc, sealer, err := s.Setup(rnd)
	if err != nil {
		if err == hpke.ErrInvalidKEMSharedSecret {
			return nil, nil, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		return nil, nil, fmt.Errorf("store: hpke: %w", err)
	}
	ct, err = sealer.Seal(pt, aad)
	if err != nil {
		return nil, nil, fmt.Errorf("store: hpke: %w", err)
	}
	return enc, ct, nil
}

// hpkeOpen is RFC 9180 single-shot OpenBase(enc, skR, info, aad, ct). Any
// failure (an enc of small order, a ciphertext that does not authenticate)
// is reported as errOpen.
func hpkeOpen(skR []byte, enc, info, aad, ct []byte) ([]byte, error) {
	sk, err := kemScheme.UnmarshalBinaryPrivateKey(skR)
	if err != nil || len(skR) != keySize {
		return nil, fmt.Errorf("%w: private key", ErrBadKey)
	}
	if len(enc) != encSize {
		return nil, errOpen
	}
	r, err := suite.NewReceiver(sk, info)
	if err != nil {
		return nil, errOpen
	}
	opener, err := r.Setup(enc)
	if err != nil {
		return nil, errOpen
	}
	pt, err := opener.Open(ct, aad)
	if err != nil {
		return nil, errOpen
	}
	return pt, nil
}
