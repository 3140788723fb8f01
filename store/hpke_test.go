package store

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

// rfcVector is RFC 9180 Appendix A.2.1, the suite this package uses.
type rfcVector struct {
	Mode, KEMID, KDFID, AEADID int
	Info, IKMR, IKME, SKRm     string
	PKRm, Enc                  string
	Encryption                 struct{ AAD, CT, PT string }
}

func loadRFCVector(t *testing.T) (v rfcVector, hx func(string) []byte) {
	t.Helper()
	raw, err := os.ReadFile("testdata/rfc9180-a2-1.json")
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Mode       int    `json:"mode"`
		KEMID      int    `json:"kem_id"`
		KDFID      int    `json:"kdf_id"`
		AEADID     int    `json:"aead_id"`
		Info       string `json:"info"`
		IKMR       string `json:"ikmR"`
		IKME       string `json:"ikmE"`
		SKRm       string `json:"skRm"`
		PKRm       string `json:"pkRm"`
		Enc        string `json:"enc"`
		Encryption struct {
			AAD string `json:"aad"`
			CT  string `json:"ct"`
			PT  string `json:"pt"`
		} `json:"encryption"`
	}
	if err := json.Unmarshal(raw, &j); err != nil {
		t.Fatal(err)
	}
	v = rfcVector{j.Mode, j.KEMID, j.KDFID, j.AEADID, j.Info, j.IKMR, j.IKME, j.SKRm, j.PKRm, j.Enc,
		struct{ AAD, CT, PT string }{j.Encryption.AAD, j.Encryption.CT, j.Encryption.PT}}
	return v, func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

// TestHPKEVectorRFC9180 runs this package's own key derivation, sealing
// path (ephemeral key drawn from the randomness source) and opening path
// against RFC 9180's published vector for its suite.
func TestHPKEVectorRFC9180(t *testing.T) {
	v, hx := loadRFCVector(t)
	if v.Mode != 0 || v.KEMID != int(kemID) || v.KDFID != int(kdfID) || v.AEADID != int(aeadID) {
		t.Fatalf("vector is for suite %d/%d/%d mode %d", v.KEMID, v.KDFID, v.AEADID, v.Mode)
	}
	id, err := GenerateIdentity(bytes.NewReader(hx(v.IKMR)))
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(id.sk[:]); got != v.SKRm {
		t.Fatalf("DeriveKeyPair sk = %s, want %s", got, v.SKRm)
	}
	if pk := id.Recipient().pk; hex.EncodeToString(pk[:]) != v.PKRm {
		got := hex.EncodeToString(pk[:])
		t.Fatalf("DeriveKeyPair pk = %s, want %s", got, v.PKRm)
	}
	info, aad, pt := hx(v.Info), hx(v.Encryption.AAD), hx(v.Encryption.PT)
	enc, ct, err := hpkeSeal(bytes.NewReader(hx(v.IKME)), hx(v.PKRm), info, aad, pt)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(enc) != v.Enc {
		t.Fatalf("enc = %x, want %s", enc, v.Enc)
	}
	if hex.EncodeToString(ct) != v.Encryption.CT {
		t.Fatalf("ct = %x, want %s", ct, v.Encryption.CT)
	}
	got, err := hpkeOpen(hx(v.SKRm), hx(v.Enc), info, aad, hx(v.Encryption.CT))
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("open: %x, %v", got, err)
	}
	// Each input is authenticated.
	bad := hx(v.Encryption.CT)
	bad[0] ^= 1
	if _, err := hpkeOpen(hx(v.SKRm), hx(v.Enc), info, aad, bad); err != errOpen {
		t.Errorf("flipped ciphertext: %v", err)
	}
	if _, err := hpkeOpen(hx(v.SKRm), hx(v.Enc), []byte("other info"), aad, hx(v.Encryption.CT)); err != errOpen {
		t.Errorf("other info: %v", err)
	}
	if _, err := hpkeOpen(hx(v.SKRm), hx(v.Enc), info, []byte("Count-1"), hx(v.Encryption.CT)); err != errOpen {
		t.Errorf("other aad: %v", err)
	}
	e2 := hx(v.Enc)
	e2[5] ^= 0x10
	if _, err := hpkeOpen(hx(v.SKRm), e2, info, aad, hx(v.Encryption.CT)); err != errOpen {
		t.Errorf("other enc: %v", err)
	}
}
