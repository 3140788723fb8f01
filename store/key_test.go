package store

import (
	"crypto/ecdh"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// lowOrder lists the X25519 u-coordinates of small order (RFC 7748 §6.1
// and the usual curve25519 blacklist): canonical encodings first, then
// their non-canonical aliases (u + p, top bit set).
var lowOrder = map[string]string{
	"zero (order 2)":                 "0000000000000000000000000000000000000000000000000000000000000000",
	"one (order 4)":                  "0100000000000000000000000000000000000000000000000000000000000000",
	"order 8, first":                 "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	"order 8, second":                "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	"p-1 (order 4 on the twist)":     "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"p (alias of zero)":              "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"p+1 (alias of one)":             "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"order 8, first, top bit set":    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
	"order 8, second, top bit set":   "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
	"p-1, top bit set":               "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"p, top bit set":                 "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"p+1, top bit set":               "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"zero, top bit set (non-canon.)": "0000000000000000000000000000000000000000000000000000000000000080",
}

// TestHostileRecipients is the catalogue of public keys that must not
// enter: each fails with ErrBadKey.
func TestHostileRecipients(t *testing.T) {
	good := testIdentity(t, 1).Recipient().String()
	goodHex := strings.TrimPrefix(good, RecipientPrefix)
	cases := map[string]string{
		"empty":                     "",
		"prefix only":               RecipientPrefix,
		"no prefix":                 goodHex,
		"identity prefix":           IdentityPrefix + goodHex,
		"uppercase hex":             RecipientPrefix + strings.ToUpper(goodHex),
		"31 bytes":                  RecipientPrefix + goodHex[:62],
		"33 bytes":                  RecipientPrefix + goodHex + "00",
		"odd length":                RecipientPrefix + goodHex[:63],
		"trailing newline":          good + "\n",
		"leading space":             " " + good,
		"non-hex":                   RecipientPrefix + "zz" + goodHex[2:],
		"uppercase prefix":          strings.ToUpper(RecipientPrefix) + goodHex,
		"non-canonical u = p+2":     RecipientPrefix + "efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"non-canonical u = 2^255-1": RecipientPrefix + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"good key with top bit set": RecipientPrefix + goodHex[:62] + fmt.Sprintf("%02x", mustHex(goodHex)[31]|0x80),
	}
	for name, pk := range lowOrder {
		cases["small order: "+name] = RecipientPrefix + pk
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := ParseRecipient(s)
			if !errors.Is(err, ErrBadKey) {
				t.Fatalf("ParseRecipient = %v, %v; want ErrBadKey", r, err)
			}
			var u Recipient
			if err := u.UnmarshalText([]byte(s)); !errors.Is(err, ErrBadKey) {
				t.Fatalf("UnmarshalText: %v", err)
			}
		})
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestSmallOrderAgreesWithStdlib: the small-order check refuses exactly
// the keys for which crypto/ecdh (an independent X25519) computes an
// all-zero shared secret, over the catalogue and random keys.
func TestSmallOrderAgreesWithStdlib(t *testing.T) {
	priv, err := ecdh.X25519().NewPrivateKey(mustHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
	if err != nil {
		t.Fatal(err)
	}
	var keys [][]byte
	for _, pk := range lowOrder {
		keys = append(keys, mustHex(pk))
	}
	r := seeded(7)
	for range 300 {
		k := make([]byte, 32)
		r.Read(k)
		k[31] &= 0x7f
		keys = append(keys, k)
	}
	for _, k := range keys {
		_, ours := newRecipient(k)
		pub, err := ecdh.X25519().NewPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		_, std := priv.ECDH(pub)
		if canonicalU(k) && (ours == nil) != (std == nil) {
			t.Errorf("%x: ours %v, crypto/ecdh %v", k, ours, std)
		}
		if std != nil && ours == nil {
			t.Errorf("%x accepted though crypto/ecdh refuses it", k)
		}
	}
}

// TestHPKERefusesSmallOrder: even past ParseRecipient, sealing to a point
// of small order fails (circl's HPKE checks the shared secret), so no data
// key is ever wrapped to a key anyone can open.
func TestHPKERefusesSmallOrder(t *testing.T) {
	for name, pk := range lowOrder {
		if mustHex(pk)[31]&0x80 != 0 {
			continue
		}
		t.Run(name, func(t *testing.T) {
			_, _, err := hpkeSeal(seeded(1), mustHex(pk), []byte("info"), nil, make([]byte, 32))
			if !errors.Is(err, ErrBadKey) {
				t.Fatalf("hpkeSeal to %s: %v", name, err)
			}
		})
	}
	// A wrapping whose encapsulated key is of small order does not open.
	id := testIdentity(t, 1)
	for name, pk := range lowOrder {
		if _, err := hpkeOpen(id.sk[:], mustHex(pk), []byte("info"), nil, make([]byte, wrappedSize)); err == nil {
			t.Errorf("enc %s opens", name)
		}
	}
}

func TestHostileIdentities(t *testing.T) {
	good, _ := testIdentity(t, 1).MarshalText()
	goodHex := strings.TrimPrefix(string(good), IdentityPrefix)
	cases := map[string]string{
		"empty":            "",
		"recipient prefix": RecipientPrefix + goodHex,
		"uppercase hex":    IdentityPrefix + strings.ToUpper(goodHex),
		"short":            IdentityPrefix + goodHex[:62],
		"long":             IdentityPrefix + goodHex + "00",
		"trailing newline": string(good) + "\n",
		"non-hex":          IdentityPrefix + "g" + goodHex[1:],
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseIdentity(s)
			if !errors.Is(err, ErrBadKey) {
				t.Fatalf("ParseIdentity: %v", err)
			}
			if strings.Contains(err.Error(), goodHex[8:40]) {
				t.Fatal("error repeats the secret")
			}
		})
	}
}

func TestKeyText(t *testing.T) {
	id := testIdentity(t, 1)
	text, err := id.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseIdentity(string(text))
	if err != nil || back != id {
		t.Fatalf("identity round trip: %v", err)
	}
	r := id.Recipient()
	r2, err := ParseRecipient(r.String())
	if err != nil || r2 != r || r2.ID() != r.ID() {
		t.Fatalf("recipient round trip: %v", err)
	}
	rid, err := ParseRecipientID(r.ID().String())
	if err != nil || rid != r.ID() {
		t.Fatalf("ID round trip: %v", err)
	}
	for _, bad := range []string{"", strings.ToUpper(r.ID().String()), r.ID().String()[:63], r.ID().String() + "0"} {
		if _, err := ParseRecipientID(bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParseRecipientID(%q): %v", bad, err)
		}
	}
	// JSON configuration files carry keys as strings.
	type config struct {
		Me    Identity    `json:"me"`
		Buyer Recipient   `json:"buyer"`
		IDs   RecipientID `json:"id"`
	}
	raw, err := json.Marshal(config{id, testIdentity(t, 2).Recipient(), r.ID()})
	if err != nil {
		t.Fatal(err)
	}
	var c config
	if err := json.Unmarshal(raw, &c); err != nil || c.Me != id || c.IDs != r.ID() {
		t.Fatalf("JSON round trip: %v", err)
	}
	// Zero values do not marshal.
	if _, err := (Identity{}).MarshalText(); !errors.Is(err, ErrBadKey) {
		t.Error("zero Identity marshals")
	}
	if _, err := (Recipient{}).MarshalText(); !errors.Is(err, ErrBadKey) {
		t.Error("zero Recipient marshals")
	}
}

// TestIdentityDoesNotPrint: fmt never shows the private key.
func TestIdentityDoesNotPrint(t *testing.T) {
	id := testIdentity(t, 1)
	secret := hex.EncodeToString(id.sk[:])
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		out := fmt.Sprintf(verb, id)
		if strings.Contains(out, secret) || strings.Contains(out, secret[:16]) {
			t.Errorf("%s prints the key: %s", verb, out)
		}
		if out2 := fmt.Sprintf(verb, &id); strings.Contains(out2, secret[:16]) {
			t.Errorf("%s of a pointer prints the key: %s", verb, out2)
		}
	}
}

func TestGenerateIdentity(t *testing.T) {
	a, err := GenerateIdentity(nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateIdentity(nil)
	if a == b || a.Recipient().ID() == b.Recipient().ID() {
		t.Fatal("two fresh identities are equal")
	}
	if _, err := GenerateIdentity(strings.NewReader("short")); err == nil {
		t.Fatal("identity from 5 bytes of randomness")
	}
}
