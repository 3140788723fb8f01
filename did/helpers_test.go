package did

import (
	"encoding/asn1"
	"encoding/hex"
	"math/big"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func asn1Sig(rs []byte) []byte {
	var v struct{ R, S *big.Int }
	v.R = new(big.Int).SetBytes(rs[:32])
	v.S = new(big.Int).SetBytes(rs[32:])
	der, _ := asn1.Marshal(v)
	return der
}
