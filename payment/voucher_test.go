package payment

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/iotrust/iotrust/canon"
)

// TestDigestMatchesGoEthereumEIP712 cross-checks our EIP-712 encoding with
// go-ethereum's independent typed-data implementation (the one behind
// eth_signTypedData_v4 in clef).
func TestDigestMatchesGoEthereumEIP712(t *testing.T) {
	vs := []*Voucher{
		{Domain: Domain{ChainID: 1, Contract: Address(common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3"))},
			Channel: ChannelID{1, 2, 3}, Lane: 7, Nonce: 42, Amount: big.NewInt(1_000_000)},
		{Domain: Domain{ChainID: 1337}, Channel: ChannelID{0xff}, Lane: MaxLanes - 1, Nonce: ^uint64(0),
			Amount: new(big.Int).Set(maxUint256), NotBefore: 100, NotAfter: 200,
			Condition: canon.Digest{Func: canon.SHA256, Sum: [32]byte{9, 9, 9}}},
	}
	for _, v := range vs {
		got, err := v.Digest()
		if err != nil {
			t.Fatal(err)
		}
		td := apitypes.TypedData{
			Types: apitypes.Types{
				"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"},
					{Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}},
				"Voucher": {{Name: "channel", Type: "bytes32"}, {Name: "lane", Type: "uint64"}, {Name: "nonce", Type: "uint64"},
					{Name: "amount", Type: "uint256"}, {Name: "notBefore", Type: "uint64"}, {Name: "notAfter", Type: "uint64"},
					{Name: "conditionHash", Type: "uint8"}, {Name: "condition", Type: "bytes32"}},
			},
			PrimaryType: "Voucher",
			Domain: apitypes.TypedDataDomain{Name: DomainName, Version: DomainVersion,
				ChainId: math.NewHexOrDecimal256(int64(v.Domain.ChainID)), VerifyingContract: v.Domain.Contract.String()},
			Message: apitypes.TypedDataMessage{
				"channel": v.Channel[:], "lane": new(big.Int).SetUint64(v.Lane), "nonce": new(big.Int).SetUint64(v.Nonce),
				"amount": v.Amount, "notBefore": new(big.Int).SetUint64(v.NotBefore), "notAfter": new(big.Int).SetUint64(v.NotAfter),
				"conditionHash": big.NewInt(int64(v.Condition.Func)), "condition": v.Condition.Sum[:],
			},
		}
		want, _, err := apitypes.TypedDataAndHash(td)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[:], want) {
			t.Fatalf("digest %x, go-ethereum %x", got, want)
		}
	}
}

func TestSignVerifyBothSchemes(t *testing.T) {
	clk := newTestClock()
	for name, s := range map[string]Signer{"Ed25519": ed25519Signer(t, 1), "secp256k1": ethSigner(t, 1)} {
		t.Run(name, func(t *testing.T) {
			c := testChannel(s, clk, 1000)
			ver, err := c.Signer.Verifier()
			if err != nil {
				t.Fatal(err)
			}
			v := signed(t, s, c, 0, 1, 10)
			if err := Verify(ver, v); err != nil {
				t.Fatal(err)
			}
			// Each signed field changes what is signed.
			tamper := []func(*Voucher){
				func(v *Voucher) { v.Amount.Add(v.Amount, big.NewInt(1)) },
				func(v *Voucher) { v.Nonce++ },
				func(v *Voucher) { v.Lane++ },
				func(v *Voucher) { v.Channel[31] ^= 1 },
				func(v *Voucher) { v.Domain.ChainID++ },
				func(v *Voucher) { v.Domain.Contract[0] ^= 1 },
				func(v *Voucher) { v.NotAfter = 99 },
				func(v *Voucher) { v.Condition = canon.Digest{Func: canon.BLAKE3, Sum: [32]byte{1}} },
				func(v *Voucher) { v.Signature[5] ^= 1 },
				func(v *Voucher) { v.Signature = v.Signature[:10] },
			}
			for i, f := range tamper {
				w := v.Clone()
				f(w)
				if err := Verify(ver, w); !errors.Is(err, ErrBadSignature) {
					t.Errorf("tamper %d: got %v, want ErrBadSignature", i, err)
				}
			}
			// Another key of the same scheme is rejected.
			other := ed25519Signer(t, 2)
			if name == "secp256k1" {
				other = ethSigner(t, 2)
			}
			w := v.Clone()
			if err := Sign(other, w); err != nil {
				t.Fatal(err)
			}
			if err := Verify(ver, w); !errors.Is(err, ErrBadSignature) {
				t.Errorf("wrong key: got %v", err)
			}
		})
	}
}

// TestDIDSignatureIsDomainSeparated pins what a DID key signs: the BLAKE3
// derive-key of the EIP-712 encoding under TagVoucher, so a signature made
// over the same bytes for another tag does not verify.
func TestDIDSignatureIsDomainSeparated(t *testing.T) {
	clk := newTestClock()
	s := ed25519Signer(t, 3)
	c := testChannel(s, clk, 1000)
	v := &Voucher{Domain: c.Domain, Channel: c.ID, Lane: 1, Nonce: 1, Amount: big.NewInt(5)}
	enc, err := v.EIP712Encoding()
	if err != nil {
		t.Fatal(err)
	}
	k := s.(didSigner).k
	otherTag, err := canon.SigningMessage("iotrust.reading.v1", enc)
	if err != nil {
		t.Fatal(err)
	}
	v.Signature, _ = k.Sign(otherTag)
	ver, _ := c.Signer.Verifier()
	if err := Verify(ver, v); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("signature under another tag: %v", err)
	}
	raw, _ := k.Sign(enc)
	v.Signature = raw
	if err := Verify(ver, v); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("signature over untagged bytes: %v", err)
	}
}

func TestDIDMessageIsSigningMessage(t *testing.T) {
	enc := bytes.Repeat([]byte{0x19, 0x01, 7}, 22)
	want, err := canon.SigningMessage(TagVoucher, enc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := didMessage(enc)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("didMessage %x, canon.SigningMessage %x (%v)", got, want, err)
	}
	if _, err := didMessage(enc[:65]); !errors.Is(err, ErrMalformed) {
		t.Fatalf("short input: %v", err)
	}
}

func TestEthereumSignatureRules(t *testing.T) {
	clk := newTestClock()
	s := ethSigner(t, 4)
	c := testChannel(s, clk, 1000)
	v := signed(t, s, c, 0, 1, 1)
	ver, _ := c.Signer.Verifier()
	// The high-s twin of a valid signature is rejected, like the contract does.
	w := v.Clone()
	n := new(big.Int).Set(secp256k1HalfN)
	n.Lsh(n, 1).Add(n, big.NewInt(1)) // N
	sv := new(big.Int).SetBytes(w.Signature[32:64])
	new(big.Int).Sub(n, sv).FillBytes(w.Signature[32:64])
	w.Signature[64] ^= 1 // 27 <-> 28
	if err := Verify(ver, w); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("high-s signature accepted: %v", err)
	}
	if len(v.Signature) != 65 || (v.Signature[64] != 27 && v.Signature[64] != 28) {
		t.Fatalf("signature shape %d bytes v=%d", len(v.Signature), v.Signature[64])
	}
}

func TestVoucherEncodingRoundTrip(t *testing.T) {
	clk := newTestClock()
	for _, s := range []Signer{ed25519Signer(t, 1), ethSigner(t, 1)} {
		c := testChannel(s, clk, 1000)
		v := signed(t, s, c, 3, 9, 77)
		v.NotBefore, v.NotAfter = 5, 6
		v.Condition = canon.Digest{Func: canon.BLAKE3, Sum: [32]byte{7}}
		if err := Sign(s, v); err != nil {
			t.Fatal(err)
		}
		b, err := v.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var w Voucher
		if err := w.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if !w.sameTerms(v) || !bytes.Equal(w.Signature, v.Signature) {
			t.Fatalf("round trip changed the voucher: %+v vs %+v", w, v)
		}
		b2, _ := w.MarshalBinary()
		if !bytes.Equal(b, b2) {
			t.Fatal("encoding not stable")
		}
	}
}

func TestVoucherDecoderRejects(t *testing.T) {
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	good, err := signed(t, s, testChannel(s, clk, 1000), 1, 1, 1).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	mut := func(f func([]byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	cases := map[string]struct {
		b    []byte
		want error
	}{
		"empty":           {nil, ErrMalformed},
		"header only":     {good[:voucherHeaderSize], ErrMalformed},
		"truncated sig":   {good[:len(good)-1], ErrMalformed},
		"trailing byte":   {append(append([]byte(nil), good...), 0), ErrMalformed},
		"version 2":       {mut(func(b []byte) []byte { b[0] = 2; return b }), ErrMalformed},
		"lane overflow":   {mut(func(b []byte) []byte { b[61] = 1; return b }), ErrLaneOverflow},
		"empty time lock": {mut(func(b []byte) []byte { b[116] = 9; b[124] = 1; return b }), ErrMalformed},
		"unknown cond fn": {mut(func(b []byte) []byte { b[125] = 9; return b }), ErrMalformed},
		"cond without fn": {mut(func(b []byte) []byte { b[130] = 1; return b }), ErrMalformed},
		"zero sig length": {mut(func(b []byte) []byte { b[158], b[159] = 0, 0; return b[:voucherHeaderSize] }), ErrMalformed},
		"oversized":       {make([]byte, MaxVoucherSize+1), ErrMalformed},
		"sig length lies": {mut(func(b []byte) []byte { b[159]++; return b }), ErrMalformed},
	}
	for name, c := range cases {
		if _, err := ParseVoucher(c.b); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
}
