package payment

// The hostile-input catalogue of package payment. Each class of hostile
// input has named cases, and each case names the typed errors (sentinels,
// tested with errors.Is) it must produce:
//
//   - JSON forms (Channel, Voucher, Evidence, Redemption): strictness,
//     one spelling per value, bounds;
//   - the binary voucher encoding: one encoding per voucher;
//   - nil and zero-value arguments: typed errors, never a panic;
//   - weak Ed25519 voucher keys: refused through package did;
//   - identities: parties that are not DIDs (or accounts), voucher keys
//     that are not the payer's.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/edwards25519"
	"github.com/ethereum/go-ethereum/common"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/mr-tron/base58"
)

// hostileCase is one hostile input of a decoder with the errors it must
// produce.
type hostileCase struct {
	name string
	in   []byte
	want []error
}

// replaceOnce returns s with the first old replaced by new; it panics if
// old is missing, so a case can never silently test the unmodified input.
func replaceOnce(s, old, new string) []byte {
	if !strings.Contains(s, old) {
		panic(fmt.Sprintf("hostile case: %q not in %s", old, s))
	}
	return []byte(strings.Replace(s, old, new, 1))
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Small-order points of edwards25519 (all eight, canonically encoded) and
// non-canonical encodings (y ≥ p): keys that must never enter. Checked
// against filippo.io/edwards25519 in TestWeakKeyListIsRight.
var weakEd25519Keys = []struct {
	name, hex  string
	smallOrder bool
}{
	{"identity (order 1)", "0100000000000000000000000000000000000000000000000000000000000000", true},
	{"order 2", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", true},
	{"order 4, x even", "0000000000000000000000000000000000000000000000000000000000000000", true},
	{"order 4, x odd", "0000000000000000000000000000000000000000000000000000000000000080", true},
	{"order 8 (a)", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", true},
	{"order 8 (b)", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", true},
	{"order 8 (c)", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", true},
	{"order 8 (d)", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", true},
	{"identity as y=p+1 (non-canonical)", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", true},
	{"order 4 as y=p (non-canonical)", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", true},
	{"identity with sign bit set (non-canonical)", "0100000000000000000000000000000000000000000000000000000000000080", true},
	{"large order as y=p+3 (non-canonical)", "f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", false},
}

// TestWeakKeyListIsRight cross-checks the weak-key list with an independent
// implementation: every "small order" entry times the cofactor is the
// identity, and every entry but the canonical ones re-encodes differently.
func TestWeakKeyListIsRight(t *testing.T) {
	for _, k := range weakEd25519Keys {
		b, _ := hex.DecodeString(k.hex)
		p, err := new(edwards25519.Point).SetBytes(b)
		if err != nil {
			t.Fatalf("%s: not a point: %v", k.name, err)
		}
		small := new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1
		canonical := bytes.Equal(p.Bytes(), b)
		if small != k.smallOrder || canonical == strings.Contains(k.name, "non-canonical") {
			t.Errorf("%s: small order %v, canonical %v", k.name, small, canonical)
		}
	}
}

// didKeyOfEd25519 writes the did:key of 32 raw key bytes without parsing
// them, as an attacker would.
func didKeyOfEd25519(raw []byte) string {
	return "did:key:z" + base58.Encode(append([]byte{0xed, 0x01}, raw...))
}

// TestHostileWeakKeys: a channel whose voucher key is a small-order or
// non-canonically encoded Ed25519 key is refused when opened, however it
// arrives (a Channel value, its JSON form), with ErrBadChannel wrapping
// did.ErrWeakKey (a did.ErrInvalidKey). An identity-point key would accept
// forged vouchers (R = identity, S = 0 satisfies the cofactored equation
// for any message). The refusal is did's, at the root: payment only makes
// sure every key goes through it.
func TestHostileWeakKeys(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	for _, k := range weakEd25519Keys {
		t.Run(k.name, func(t *testing.T) {
			raw, _ := hex.DecodeString(k.hex)
			c := testChannel(ed25519Signer(t, 1), clk, 1000)
			c.Signer = VoucherKey{Scheme: "Ed25519", Key: raw}
			c.Payer = didKeyOfEd25519(raw)
			p := newTestPayee(t, openStore(t, t.TempDir(), "payee"), clk)
			err := p.Open(ctx, c)
			if !errors.Is(err, ErrBadChannel) || !errors.Is(err, did.ErrInvalidKey) || !errors.Is(err, did.ErrWeakKey) {
				t.Errorf("Payee.Open: %v, want ErrBadChannel wrapping did.ErrWeakKey (a did.ErrInvalidKey)", err)
			}
			if err == nil {
				// Show what the refusal prevents: a forged voucher.
				forged := &Voucher{Domain: c.Domain, Channel: c.ID, Nonce: 1, Amount: big.NewInt(1000),
					Signature: append(append([]byte{1}, make([]byte, 31)...), make([]byte, 32)...)}
				if _, err := p.Accept(ctx, forged, nil); err == nil {
					t.Errorf("forged voucher accepted on a channel with a %s key", k.name)
				}
			}
			if _, err := c.Signer.Verifier(); !errors.Is(err, did.ErrInvalidKey) {
				t.Errorf("VoucherKey.Verifier: %v, want did.ErrInvalidKey", err)
			}
		})
	}
}

// validChannelJSON returns the JSON form of a valid test channel.
func validChannelJSON(t testing.TB) string {
	t.Helper()
	return mustJSON(t, testChannel(ed25519Signer(t, 1), newTestClock(), 1000))
}

// validVoucherJSON returns the JSON form of a valid signed voucher.
func validVoucherJSON(t testing.TB, nonce uint64, amount int64) string {
	t.Helper()
	s := ed25519Signer(t, 1)
	return mustJSON(t, signed(t, s, testChannel(s, newTestClock(), 1000), 3, nonce, amount))
}

// testRedemption returns a valid redemption of leaf 2 of a 5-leaf tree.
func testRedemption(t testing.TB) *Redemption {
	t.Helper()
	leaves := [][]byte{[]byte("r0"), []byte("r1"), []byte("r2"), []byte("r3"), []byte("r4")}
	tree := merkle.NewTree(merkle.SHA256, leaves)
	proof, err := tree.InclusionProof(2)
	if err != nil {
		t.Fatal(err)
	}
	return &Redemption{Root: merkle.SHA256.Digest(tree.Root()), Reading: leaves[2], Proof: proof}
}

// channelJSONCases is the catalogue of hostile channel JSON.
func channelJSONCases(t testing.TB) []hostileCase {
	t.Helper()
	ok := validChannelJSON(t)
	var ch Channel
	if err := ch.UnmarshalJSON([]byte(ok)); err != nil {
		t.Fatalf("valid channel JSON refused: %v\n%s", err, ok)
	}
	key := hex0x(ch.Signer.Key)
	m := ErrMalformed
	return []hostileCase{
		{"empty input", nil, []error{m, canon.ErrEmpty}},
		{"whitespace only", []byte(" \n\t"), []error{m, canon.ErrEmpty}},
		{"trailing garbage", []byte(ok + " x"), []error{m, canon.ErrTrailingData}},
		{"two values", []byte(ok + ok), []error{m, canon.ErrTrailingData}},
		{"case-variant member name", replaceOnce(ok, `"payer"`, `"Payer"`), []error{m, canon.ErrUnknownMember}},
		{"case-variant nested member name", replaceOnce(ok, `"scheme"`, `"Scheme"`), []error{m, canon.ErrUnknownMember}},
		{"unknown member", replaceOnce(ok, `{"id"`, `{"admin":true,"id"`), []error{m, canon.ErrUnknownMember}},
		{"unknown nested member", replaceOnce(ok, `"scheme"`, `"x":1,"scheme"`), []error{m, canon.ErrUnknownMember}},
		{"duplicate member", replaceOnce(ok, `{"id"`, `{"deposit":"1","id"`), []error{m, canon.ErrDuplicateKey}},
		{"missing member", replaceOnce(ok, `,"closed":false`, ``), []error{m}},
		{"null member", replaceOnce(ok, `"closed":false`, `"closed":null`), []error{m}},
		{"null signer", replaceOnce(ok, `"signer":{`, `"signer":null,"x":{`), []error{m}},
		{"top-level array", []byte("[" + ok + "]"), []error{m, canon.ErrWrongType}},
		{"deposit as a number", replaceOnce(ok, `"deposit":"1000"`, `"deposit":1000`), []error{m, canon.ErrWrongType}},
		{"deposit with a leading zero", replaceOnce(ok, `"deposit":"1000"`, `"deposit":"01000"`), []error{m}},
		{"deposit negative", replaceOnce(ok, `"deposit":"1000"`, `"deposit":"-1"`), []error{m}},
		{"deposit in exponent form", replaceOnce(ok, `"deposit":"1000"`, `"deposit":"1e3"`), []error{m}},
		{"deposit 2^256", replaceOnce(ok, `"deposit":"1000"`, `"deposit":"`+new(big.Int).Lsh(big.NewInt(1), 256).String()+`"`), []error{m}},
		{"chain ID as a fraction", replaceOnce(ok, `"chainId":1337`, `"chainId":1337.0`), []error{m, canon.ErrWrongType}},
		{"chain ID 2^64", replaceOnce(ok, `"chainId":1337`, `"chainId":18446744073709551616`), []error{m, canon.ErrWrongType}},
		{"chain ID negative", replaceOnce(ok, `"chainId":1337`, `"chainId":-1`), []error{m, canon.ErrWrongType}},
		{"channel ID in uppercase hex", replaceOnce(ok, `"id":"0x6368`, `"id":"0X6368`), []error{m}},
		{"channel ID short", replaceOnce(ok, `"id":"0x6368`, `"id":"0x68`), []error{m}},
		{"zero channel ID", replaceOnce(ok, ch.ID.String(), ChannelID{}.String()), []error{ErrBadChannel}},
		{"contract in lowercase, not EIP-55", replaceOnce(ok, `"contract":"0x0000000000000000000000000000000000000000"`, `"contract":"0x5fbdb2315678afecb367f032d93f642f64180aa3"`), []error{m}},
		{"asset with a wrong checksum", replaceOnce(ok, `"asset":"0x0000000000000000000000000000000000000000"`, `"asset":"0x5fbDB2315678afecb367f032d93F642f64180aa3"`), []error{m}},
		{"signer key in uppercase hex", replaceOnce(ok, key, "0x"+strings.ToUpper(key[2:])), []error{m}},
		{"signer key without 0x", replaceOnce(ok, key, key[2:]), []error{m}},
		{"signer scheme case variant", replaceOnce(ok, `"Ed25519"`, `"ed25519"`), []error{ErrBadChannel, did.ErrUnsupportedKeyType}},
		{"signer key identity point", replaceOnce(ok, key, "0x01"+strings.Repeat("00", 31)), []error{ErrBadChannel, did.ErrInvalidKey, did.ErrWeakKey}},
		{"signer key short", replaceOnce(ok, key, key[:len(key)-2]), []error{ErrBadChannel, did.ErrInvalidKey}},
		{"payer not a DID", replaceOnce(ok, ch.Payer, "not a did"), []error{ErrBadChannel, did.ErrInvalidDID}},
		{"payer a DID URL", replaceOnce(ok, ch.Payer, ch.Payer+"#key-1"), []error{ErrBadChannel, did.ErrInvalidDID}},
		{"payee empty", replaceOnce(ok, `"payee":"`+ch.Payee+`"`, `"payee":""`), []error{ErrBadChannel, did.ErrInvalidDID}},
		{"payer with invalid UTF-8", replaceOnce(ok, ch.Payer, "did:key:\xff"), []error{m, canon.ErrInvalidUTF8}},
		{"expiry with an offset", replaceOnce(ok, `"expiry":"2026-03-02T10:00:00Z"`, `"expiry":"2026-03-02T11:00:00+01:00"`), []error{m}},
		{"expiry with trailing zeros", replaceOnce(ok, `"expiry":"2026-03-02T10:00:00Z"`, `"expiry":"2026-03-02T10:00:00.000Z"`), []error{m}},
		{"expiry not a time", replaceOnce(ok, `"expiry":"2026-03-02T10:00:00Z"`, `"expiry":"tomorrow"`), []error{m}},
		{"settle delay beyond a Duration", replaceOnce(ok, `"settleDelay":3600`, `"settleDelay":18446744073709551615`), []error{m}},
		{"deeply nested", []byte(`{"signer":[[[[[[{"scheme":"Ed25519"}]]]]]]}`), []error{m, canon.ErrTooDeep}},
		{"too large", []byte(ok[:len(ok)-1] + strings.Repeat(" ", maxChannelJSON) + "}"), []error{m, canon.ErrTooLarge}},
	}
}

// voucherJSONCases is the catalogue of hostile voucher JSON.
func voucherJSONCases(t testing.TB) []hostileCase {
	t.Helper()
	ok := validVoucherJSON(t, 5, 700)
	var v Voucher
	if err := v.UnmarshalJSON([]byte(ok)); err != nil {
		t.Fatalf("valid voucher JSON refused: %v\n%s", err, ok)
	}
	sig := hex0x(v.Signature)
	m := ErrMalformed
	return []hostileCase{
		{"empty input", nil, []error{m, canon.ErrEmpty}},
		{"trailing garbage", []byte(ok + "]"), []error{m, canon.ErrTrailingData}},
		{"case-variant member name", replaceOnce(ok, `"amount"`, `"Amount"`), []error{m, canon.ErrUnknownMember}},
		{"case-variant member name (unicode fold)", replaceOnce(ok, `"lane"`, `"lan\u212a"`), []error{m, canon.ErrUnknownMember}},
		{"unknown member", replaceOnce(ok, `{"chainId"`, `{"memo":"x","chainId"`), []error{m, canon.ErrUnknownMember}},
		{"duplicate member", replaceOnce(ok, `{"chainId"`, `{"amount":"999999","chainId"`), []error{m, canon.ErrDuplicateKey}},
		{"missing signature", replaceOnce(ok, `,"signature":"`+sig+`"`, ``), []error{m}},
		{"null signature", replaceOnce(ok, `"signature":"`+sig+`"`, `"signature":null`), []error{m}},
		{"empty signature", replaceOnce(ok, sig, "0x"), []error{m}},
		{"signature over the size bound", replaceOnce(ok, sig, "0x"+strings.Repeat("ab", maxSignatureSize+1)), []error{m}},
		{"signature odd hex", replaceOnce(ok, sig, sig+"a"), []error{m}},
		{"amount as a number", replaceOnce(ok, `"amount":"700"`, `"amount":700`), []error{m, canon.ErrWrongType}},
		{"amount 2^256", replaceOnce(ok, `"amount":"700"`, `"amount":"`+new(big.Int).Lsh(big.NewInt(1), 256).String()+`"`), []error{m}},
		{"amount with a plus sign", replaceOnce(ok, `"amount":"700"`, `"amount":"+700"`), []error{m}},
		{"amount with whitespace", replaceOnce(ok, `"amount":"700"`, `"amount":" 700"`), []error{m}},
		{"lane out of range", replaceOnce(ok, `"lane":3`, fmt.Sprintf(`"lane":%d`, MaxLanes)), []error{ErrLaneOverflow}},
		{"nonce 2^64", replaceOnce(ok, `"nonce":5`, `"nonce":18446744073709551616`), []error{m, canon.ErrWrongType}},
		{"nonce as a string", replaceOnce(ok, `"nonce":5`, `"nonce":"5"`), []error{m, canon.ErrWrongType}},
		{"empty time lock", replaceOnce(ok, `"notBefore":0,"notAfter":0`, `"notBefore":10,"notAfter":9`), []error{m}},
		{"condition of an unknown hash", replaceOnce(ok, `"condition":""`, `"condition":"md5:`+strings.Repeat("00", 32)+`"`), []error{m}},
		{"condition in uppercase hex", replaceOnce(ok, `"condition":""`, `"condition":"sha256:`+strings.Repeat("AB", 32)+`"`), []error{m}},
		{"condition spelled none", replaceOnce(ok, `"condition":""`, `"condition":"none"`), []error{m}},
		{"channel without 0x", replaceOnce(ok, `"channel":"0x`, `"channel":"`), []error{m}},
		{"top-level string", []byte(`"` + hex0x([]byte(ok)) + `"`), []error{m, canon.ErrWrongType}},
		{"too large", []byte(ok[:len(ok)-1] + strings.Repeat(" ", maxVoucherJSON) + "}"), []error{m, canon.ErrTooLarge}},
	}
}

// evidenceJSONCases is the catalogue of hostile evidence JSON.
func evidenceJSONCases(t testing.TB) []hostileCase {
	t.Helper()
	a, b := validVoucherJSON(t, 5, 700), validVoucherJSON(t, 5, 701)
	ok := `{"first":` + a + `,"second":` + b + `}`
	var e Evidence
	if err := e.UnmarshalJSON([]byte(ok)); err != nil {
		t.Fatalf("valid evidence JSON refused: %v", err)
	}
	m := ErrMalformed
	return []hostileCase{
		{"empty input", nil, []error{m, canon.ErrEmpty}},
		{"the same voucher twice", []byte(`{"first":` + a + `,"second":` + a + `}`), []error{m}},
		{"two nonces", []byte(`{"first":` + a + `,"second":` + validVoucherJSON(t, 6, 701) + `}`), []error{m}},
		{"missing second", []byte(`{"first":` + a + `}`), []error{m}},
		{"null second", []byte(`{"first":` + a + `,"second":null}`), []error{m}},
		{"case-variant member name", replaceOnce(ok, `"second"`, `"Second"`), []error{m, canon.ErrUnknownMember}},
		{"case-variant member in a voucher", replaceOnce(ok, `"nonce"`, `"Nonce"`), []error{m, canon.ErrUnknownMember}},
		{"duplicate first", []byte(`{"first":` + a + `,"first":` + b + `,"second":` + b + `}`), []error{m, canon.ErrDuplicateKey}},
		{"unknown member", replaceOnce(ok, `{"first"`, `{"third":{},"first"`), []error{m, canon.ErrUnknownMember}},
		{"trailing garbage", []byte(ok + "{}"), []error{m, canon.ErrTrailingData}},
	}
}

// redemptionJSONCases is the catalogue of hostile redemption JSON.
func redemptionJSONCases(t testing.TB) []hostileCase {
	t.Helper()
	r := testRedemption(t)
	ok := mustJSON(t, r)
	var back Redemption
	if err := back.UnmarshalJSON([]byte(ok)); err != nil {
		t.Fatalf("valid redemption JSON refused: %v\n%s", err, ok)
	}
	pb, err := r.Proof.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	proof := hex0x(pb)
	bad := func(f func(b []byte) []byte) string {
		return hex0x(f(append([]byte(nil), pb...)))
	}
	m := ErrMalformed
	return []hostileCase{
		{"empty input", nil, []error{m, canon.ErrEmpty}},
		{"case-variant member name", replaceOnce(ok, `"root"`, `"ROOT"`), []error{m, canon.ErrUnknownMember}},
		{"unknown member", replaceOnce(ok, `{"root"`, `{"leaf":"0x","root"`), []error{m, canon.ErrUnknownMember}},
		{"duplicate member", replaceOnce(ok, `{"root"`, `{"reading":"0x00","root"`), []error{m, canon.ErrDuplicateKey}},
		{"root in uppercase hex", replaceOnce(ok, r.Root.Hex(), strings.ToUpper(r.Root.Hex())), []error{m}},
		{"root empty", replaceOnce(ok, r.Root.String(), ""), []error{m}},
		{"reading odd hex", replaceOnce(ok, hex0x(r.Reading), hex0x(r.Reading)+"0"), []error{m}},
		{"proof with an unknown hasher", replaceOnce(ok, proof, bad(func(b []byte) []byte { b[2] = 9; return b })), []error{m, merkle.ErrUnknownHasher}},
		{"proof with a trailing byte", replaceOnce(ok, proof, proof+"00"), []error{m}},
		{"proof truncated", replaceOnce(ok, proof, proof[:len(proof)-2]), []error{m}},
		{"trailing garbage", []byte(ok + "null"), []error{m, canon.ErrTrailingData}},
	}
}

// TestHostileJSON runs the JSON catalogue: each case is refused with its
// errors, through UnmarshalJSON and through canon.Decode, and leaves the
// target unchanged.
func TestHostileJSON(t *testing.T) {
	type target interface {
		json.Unmarshaler
	}
	kinds := []struct {
		name  string
		cases func(testing.TB) []hostileCase
		new   func() target
	}{
		{"channel", channelJSONCases, func() target { return new(Channel) }},
		{"voucher", voucherJSONCases, func() target { return new(Voucher) }},
		{"evidence", evidenceJSONCases, func() target { return new(Evidence) }},
		{"redemption", redemptionJSONCases, func() target { return new(Redemption) }},
	}
	n := 0
	for _, k := range kinds {
		for _, tc := range k.cases(t) {
			n++
			t.Run(k.name+"/"+tc.name, func(t *testing.T) {
				v := k.new()
				err := v.UnmarshalJSON(tc.in)
				if err == nil {
					t.Fatalf("accepted: %.200s", tc.in)
				}
				for _, w := range tc.want {
					if !errors.Is(err, w) {
						t.Errorf("UnmarshalJSON: %v, want %v", err, w)
					}
				}
				if strings.Count(err.Error(), "payment:") > 1 {
					t.Errorf("error stutters: %v", err)
				}
				if zero := k.new(); !jsonEqual(v, zero) {
					t.Errorf("target changed by a refused input: %+v", v)
				}
				// Through canon.Decode, syntax errors are canon's own.
				last := tc.want[len(tc.want)-1]
				if err := canon.Decode(tc.in, k.new()); !errors.Is(err, last) {
					t.Errorf("canon.Decode: %v, want %v", err, last)
				}
			})
		}
	}
	t.Logf("%d hostile JSON cases", n)
}

func jsonEqual(a, b any) bool { return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b) }

// TestJSONRoundTrips: every JSON form decodes to the value it was made
// from, integers beyond 2^53 included, and encodes again to the same bytes.
func TestJSONRoundTrips(t *testing.T) {
	clk := newTestClock()
	for _, s := range []Signer{ed25519Signer(t, 1), ethSigner(t, 1), mldsaSigner(t)} {
		c := testChannel(s, clk, 1000)
		c.Domain.ChainID = 1<<53 + 1
		c.Deposit = new(big.Int).Set(maxUint256)
		c.Expiry = c.Expiry.Add(123456789 * time.Nanosecond)
		raw := mustJSON(t, c)
		var back Channel
		if err := back.UnmarshalJSON([]byte(raw)); err != nil {
			t.Fatalf("%s: %v", s.VoucherKey().Scheme, err)
		}
		if again := mustJSON(t, &back); again != raw || !back.Expiry.Equal(c.Expiry) || back.Deposit.Cmp(c.Deposit) != 0 || back.Domain.ChainID != 1<<53+1 {
			t.Fatalf("%s: round trip\n%s\n%s", s.VoucherKey().Scheme, raw, again)
		}
		v := signed(t, s, c, 7, 1<<60+3, 5)
		v.Condition = canon.Digest{Func: canon.BLAKE3, Sum: [32]byte{9}}
		v.NotBefore, v.NotAfter = 1, 1<<62
		if err := Sign(s, v); err != nil {
			t.Fatal(err)
		}
		raw = mustJSON(t, v)
		var w Voucher
		if err := w.UnmarshalJSON([]byte(raw)); err != nil {
			t.Fatal(err)
		}
		b1, _ := v.MarshalBinary()
		b2, _ := w.MarshalBinary()
		if !bytes.Equal(b1, b2) || mustJSON(t, &w) != raw {
			t.Fatalf("voucher round trip\n%s\n%s", raw, mustJSON(t, &w))
		}
	}
	r := testRedemption(t)
	var back Redemption
	if err := back.UnmarshalJSON([]byte(mustJSON(t, r))); err != nil {
		t.Fatal(err)
	}
	cond, _ := ReadingConditionFor(r.Root, r.Reading)
	if err := back.Fulfils(cond); err != nil {
		t.Fatal(err)
	}
}

func mldsaSigner(t testing.TB) Signer {
	t.Helper()
	k, err := did.MLDSA44.DeriveKey(fixedSeed(3, did.MLDSA44.SeedSize()))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewDIDSigner(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// binaryVoucherCases is the catalogue of hostile binary vouchers.
func binaryVoucherCases(t testing.TB) []hostileCase {
	t.Helper()
	s := ed25519Signer(t, 1)
	v := signed(t, s, testChannel(s, newTestClock(), 1000), 1, 2, 3)
	ok, err := v.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), ok...)) }
	m := ErrMalformed
	return []hostileCase{
		{"empty", nil, []error{m}},
		{"one byte", []byte{1}, []error{m}},
		{"header only", ok[:voucherHeaderSize], []error{m}},
		{"version 0", edit(func(b []byte) []byte { b[0] = 0; return b }), []error{m}},
		{"version 2", edit(func(b []byte) []byte { b[0] = 2; return b }), []error{m}},
		{"signature shorter than its length", ok[:len(ok)-1], []error{m}},
		{"trailing byte", append(append([]byte(nil), ok...), 0), []error{m}},
		{"signature length 0", edit(func(b []byte) []byte { binary.BigEndian.PutUint16(b[158:], 0); return b[:voucherHeaderSize] }), []error{m}},
		{"signature length over the bound", edit(func(b []byte) []byte {
			binary.BigEndian.PutUint16(b[158:], maxSignatureSize+1)
			return append(b[:voucherHeaderSize], make([]byte, maxSignatureSize+1)...)
		}), []error{m}},
		{"condition value without a function", edit(func(b []byte) []byte { b[126] = 1; return b }), []error{m}},
		{"condition of hash function 3", edit(func(b []byte) []byte { b[125] = 3; return b }), []error{m}},
		{"condition of hash function 255", edit(func(b []byte) []byte { b[125] = 255; return b }), []error{m}},
		{"lane MaxLanes", edit(func(b []byte) []byte { binary.BigEndian.PutUint64(b[61:], MaxLanes); return b }), []error{ErrLaneOverflow}},
		{"lane 2^64-1", edit(func(b []byte) []byte { binary.BigEndian.PutUint64(b[61:], ^uint64(0)); return b }), []error{ErrLaneOverflow}},
		{"empty time lock", edit(func(b []byte) []byte {
			binary.BigEndian.PutUint64(b[109:], 10)
			binary.BigEndian.PutUint64(b[117:], 9)
			return b
		}), []error{m}},
		{"over MaxVoucherSize", make([]byte, MaxVoucherSize+1), []error{m}},
	}
}

// TestHostileBinaryVoucher runs the binary catalogue, and holds the
// encoding to "exactly one encoding": every accepted variant of a valid
// voucher (each byte flipped in turn) re-encodes to its own bytes.
func TestHostileBinaryVoucher(t *testing.T) {
	for _, tc := range binaryVoucherCases(t) {
		v, err := ParseVoucher(tc.in)
		if err == nil {
			t.Errorf("%s: accepted %+v", tc.name, v)
			continue
		}
		for _, w := range tc.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v, want %v", tc.name, err, w)
			}
		}
	}
	s := ed25519Signer(t, 1)
	v := signed(t, s, testChannel(s, newTestClock(), 1000), 1, 2, 3)
	v.Condition = canon.Digest{Func: canon.SHA256, Sum: [32]byte{7}}
	v.NotBefore, v.NotAfter = 5, 50
	ok, _ := v.MarshalBinary()
	accepted := 0
	for i := range ok {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			b := append([]byte(nil), ok...)
			b[i] ^= x
			w, err := ParseVoucher(b)
			if err != nil {
				continue
			}
			accepted++
			again, err := w.MarshalBinary()
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("byte %d ^ %#x accepted but re-encodes differently: %v", i, x, err)
			}
		}
	}
	if accepted == 0 {
		t.Fatal("no variant accepted: the check above tested nothing")
	}
}

// TestHostileNilArguments: nil and zero-value arguments to the public API
// give typed errors, never a panic.
func TestHostileNilArguments(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 1000)
	st := openStore(t, t.TempDir(), "s")
	payee := newTestPayee(t, st, clk)
	if err := payee.Open(ctx, c); err != nil {
		t.Fatal(err)
	}
	payer := newTestPayer(t, openStore(t, t.TempDir(), "p"), s, nil, clk)
	tariff := mustTariff(t, Sample(), TariffStep{From: clk.Now(), Price: big.NewInt(1)})
	v := signed(t, s, c, 0, 1, 1)
	bad := canon.Digest{Func: 9, Sum: [32]byte{1}}
	var nilCtx context.Context
	cases := []struct {
		name string
		f    func() error
		want error
	}{
		{"NewPayee(nil store)", func() error { _, err := NewPayee(nil, PayeeConfig{}); return err }, ErrMalformed},
		{"NewPayer(nil store)", func() error { _, err := NewPayer(nil, s, PayerConfig{}); return err }, ErrMalformed},
		{"NewPayer(nil signer)", func() error { _, err := NewPayer(st, nil, PayerConfig{}); return err }, ErrBadChannel},
		{"NewPayer(cap without limit)", func() error {
			_, err := NewPayer(st, s, PayerConfig{Caps: []Cap{{Payee: c.Payee}}})
			return err
		}, ErrCapExceeded},
		{"Payee.Accept(nil voucher)", func() error { _, err := payee.Accept(ctx, nil, nil); return err }, ErrMalformed},
		{"Payee.Accept(nil context)", func() error { _, err := payee.Accept(nilCtx, v, nil); return err }, errNilContext},
		{"Payee.AcceptBytes(nil)", func() error { _, err := payee.AcceptBytes(ctx, nil, nil); return err }, ErrMalformed},
		{"Payee.AcceptBatch([nil])", func() error { return payee.AcceptBatch(ctx, []*Voucher{nil})[0] }, ErrMalformed},
		{"Payee.Accept(voucher without amount)", func() error {
			_, err := payee.Accept(ctx, &Voucher{Channel: c.ID, Signature: []byte{1}}, nil)
			return err
		}, ErrMalformed},
		{"Payee.Open(nil channel)", func() error { return payee.Open(ctx, nil) }, ErrBadChannel},
		{"Payee.Open(nil context)", func() error { return payee.Open(nilCtx, c) }, errNilContext},
		{"Payee.MarkClosed(nil context)", func() error { return payee.MarkClosed(nilCtx, c.ID) }, errNilContext},
		{"Payer.Open(nil channel)", func() error { return payer.Open(ctx, nil) }, ErrBadChannel},
		{"Payer.Issue(nil context)", func() error { _, err := payer.Issue(nilCtx, Payment{Channel: c.ID}); return err }, errNilContext},
		{"Payer.Pay(nil increment)", func() error { _, err := payer.Pay(ctx, c.ID, 0, nil); return err }, ErrMalformed},
		{"NewMeter(nil tariff)", func() error { _, err := NewMeter(nil, nil); return err }, ErrBadTariff},
		{"Meter{}.Record", func() error { return (&Meter{}).Record(Usage{}) }, ErrBadTariff},
		{"(*Meter)(nil).Record", func() error { return (*Meter)(nil).Record(Usage{}) }, ErrBadTariff},
		{"Tariff{}.Cost", func() error { _, err := (&Tariff{}).Cost(Usage{}); return err }, ErrBadTariff},
		{"Tariff.Cost over 292 years", func() error {
			_, err := tariff.Cost(Usage{From: clk.Now(), To: clk.Now().AddDate(300, 0, 0), Quantity: 1})
			return err
		}, ErrBadTariff},
		{"NewTariff(unit of scale 0)", func() error { _, err := NewTariff(Unit{Name: "x"}, TariffStep{Price: big.NewInt(1)}); return err }, ErrBadTariff},
		{"NewTariff(nil price)", func() error { _, err := NewTariff(KWh(), TariffStep{}); return err }, ErrBadTariff},
		{"NewStreamPayer(nil payer)", func() error {
			_, err := NewStreamPayer(nil, c.ID, 0, mustMeter(t, tariff, nil), StreamPolicy{})
			return err
		}, ErrMalformed},
		{"NewStreamPayer(nil meter)", func() error { _, err := NewStreamPayer(payer, c.ID, 0, nil, StreamPolicy{}); return err }, ErrBadTariff},
		{"NewStreamPayer(lane MaxLanes)", func() error {
			_, err := NewStreamPayer(payer, c.ID, MaxLanes, mustMeter(t, tariff, nil), StreamPolicy{})
			return err
		}, ErrLaneOverflow},
		{"NewStreamPayee(nil payee)", func() error {
			_, err := NewStreamPayee(nil, c.ID, 0, mustMeter(t, tariff, nil), LagBound{})
			return err
		}, ErrMalformed},
		{"NewStreamPayee(nil meter)", func() error { _, err := NewStreamPayee(payee, c.ID, 0, &Meter{}, LagBound{}); return err }, ErrBadTariff},
		{"NewStreamPayee(negative bound)", func() error {
			_, err := NewStreamPayee(payee, c.ID, 0, mustMeter(t, tariff, nil), LagBound{MaxAmount: big.NewInt(-1)})
			return err
		}, ErrMalformed},
		{"StreamPayee.Receive(nil)", func() error {
			se, err := NewStreamPayee(payee, c.ID, 0, mustMeter(t, tariff, nil), LagBound{})
			if err != nil {
				return err
			}
			return se.Receive(ctx, nil)
		}, ErrMalformed},
		{"Redemption with hasher id 9", func() error {
			r := &Redemption{Root: bad, Reading: []byte("r"), Proof: merkle.InclusionProof{Hasher: 9, Size: 1}}
			return r.Fulfils(bad)
		}, merkle.ErrUnknownHasher},
		{"Redemption with hasher id 9 (ErrConditionUnmet)", func() error {
			r := &Redemption{Root: bad, Reading: []byte("r"), Proof: merkle.InclusionProof{Hasher: 9, Size: 1}}
			return Redeemable(&Voucher{Condition: bad}, r)
		}, ErrConditionUnmet},
		{"(*Redemption)(nil).Fulfils", func() error { return (*Redemption)(nil).Fulfils(canon.Sum(canon.SHA256, nil)) }, ErrConditionUnmet},
		{"Redeemable(nil voucher)", func() error { return Redeemable(nil, nil) }, ErrMalformed},
		{"Sign(nil signer)", func() error { return Sign(nil, v.Clone()) }, ErrBadChannel},
		{"Sign(nil voucher)", func() error { return Sign(s, nil) }, ErrMalformed},
		{"Verify(nil verifier)", func() error { return Verify(nil, v) }, ErrBadChannel},
		{"Verify(nil voucher)", func() error { ver, _ := c.Signer.Verifier(); return Verify(ver, nil) }, ErrMalformed},
		{"(*Voucher)(nil).MarshalBinary", func() error { _, err := (*Voucher)(nil).MarshalBinary(); return err }, ErrMalformed},
		{"(*Voucher)(nil).Digest", func() error { _, err := (*Voucher)(nil).Digest(); return err }, ErrMalformed},
		{"Voucher{}.MarshalJSON", func() error { _, err := json.Marshal(&Voucher{}); return err }, ErrMalformed},
		{"(*Channel)(nil).Validate", func() error { return (*Channel)(nil).Validate() }, ErrBadChannel},
		{"Channel{}.MarshalJSON", func() error { _, err := json.Marshal(&Channel{}); return err }, ErrBadChannel},
		{"Evidence{}.MarshalJSON", func() error { _, err := json.Marshal(Evidence{}); return err }, ErrMalformed},
		{"Evidence{}.Verify", func() error { return (&Evidence{}).Verify(nil) }, ErrMalformed},
		{"Redemption{}.MarshalJSON", func() error { _, err := json.Marshal(Redemption{}); return err }, ErrMalformed},
		{"NewDIDSigner(nil)", func() error { _, err := NewDIDSigner(nil); return err }, ErrBadChannel},
		{"NewEthereumSigner(nil)", func() error { _, err := NewEthereumSigner(nil); return err }, ErrBadChannel},
		{"NewEthereumSigner(empty key)", func() error { _, err := NewEthereumSigner(&ecdsa.PrivateKey{}); return err }, ErrBadChannel},
		{"NewVoucherKey(nil)", func() error { _, err := NewVoucherKey(nil); return err }, ErrBadChannel},
		{"VoucherKey{}.Verifier", func() error { _, err := VoucherKey{}.Verifier(); return err }, ErrBadChannel},
		{"ParseAddress(empty)", func() error { _, err := ParseAddress(""); return err }, ErrMalformed},
		{"ChannelID.UnmarshalText(empty)", func() error { return new(ChannelID).UnmarshalText(nil) }, ErrMalformed},
		{"Payee{}.Open", func() error { return (&Payee{}).Open(ctx, c) }, ErrMalformed},
		{"Payee{}.Accept", func() error { _, err := (&Payee{}).Accept(ctx, v, nil); return err }, ErrMalformed},
		{"Payee{}.AcceptBatch", func() error { return (&Payee{}).AcceptBatch(ctx, []*Voucher{v})[0] }, ErrMalformed},
		{"(*Payee)(nil).MarkClosed", func() error { return (*Payee)(nil).MarkClosed(ctx, c.ID) }, ErrMalformed},
		{"Payer{}.Open", func() error { return (&Payer{}).Open(ctx, c) }, ErrMalformed},
		{"Payer{}.Pay", func() error { _, err := (&Payer{}).Pay(ctx, c.ID, 0, big.NewInt(1)); return err }, ErrMalformed},
		{"Payer{}.Issue", func() error { _, err := (&Payer{}).Issue(ctx, Payment{}); return err }, ErrMalformed},
		{"Payer{}.MarkClosed", func() error { return (&Payer{}).MarkClosed(ctx, c.ID) }, ErrMalformed},
		{"Payer{}.Spent", func() error {
			if (&Payer{}).Spent("x", 0).Sign() != 0 {
				return errors.New("spent")
			}
			return ErrMalformed
		}, ErrMalformed},
		{"StreamPayer{}.Consume", func() error { _, err := (&StreamPayer{}).Consume(ctx, Usage{}); return err }, ErrMalformed},
		{"StreamPayer{}.Tick", func() error { _, err := (&StreamPayer{}).Tick(ctx); return err }, ErrMalformed},
		{"StreamPayer{}.Flush", func() error { _, err := (&StreamPayer{}).Flush(ctx); return err }, ErrMalformed},
		{"StreamPayee{}.Serve", func() error { return (&StreamPayee{}).Serve(Usage{}) }, ErrMalformed},
		{"StreamPayee{}.Receive", func() error { return (&StreamPayee{}).Receive(ctx, v) }, ErrMalformed},
		{"StreamPayee{}.Check", func() error { return (&StreamPayee{}).Check() }, ErrMalformed},
		{"StreamPayee{}.Owed", func() error {
			if (&StreamPayee{}).Owed().Sign() != 0 {
				return errors.New("owed")
			}
			return ErrMalformed
		}, ErrMalformed},
	}
	for _, tc := range cases {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", tc.name, r)
				}
			}()
			if err := tc.f(); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			}
		}()
	}
	t.Logf("%d nil and zero-value cases", len(cases))
}

// TestHostileIdentities: a channel names its parties by DID (or, for
// secp256k1 keys, by account), and its voucher key must be the payer's.
func TestHostileIdentities(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	ed := ed25519Signer(t, 1)
	eth := ethSigner(t, 1)
	ethAddr, _ := eth.VoucherKey().EthereumAddress()
	other := ed25519Signer(t, 2)
	otherEth, _ := ethSigner(t, 2).VoucherKey().EthereumAddress()
	contract := Address(common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3"))
	cases := []struct {
		name   string
		signer Signer
		edit   func(c *Channel)
		want   []error // nil: accepted
	}{
		{"DID channel, payer's own did:key", ed, func(c *Channel) {}, nil},
		{"DID channel, payer not a DID", ed, func(c *Channel) { c.Payer = "not a did" }, []error{ErrBadChannel, did.ErrInvalidDID}},
		{"DID channel, payer empty", ed, func(c *Channel) { c.Payer = "" }, []error{ErrBadChannel, did.ErrInvalidDID}},
		{"DID channel, payer a DID URL", ed, func(c *Channel) { c.Payer += "#" + strings.TrimPrefix(c.Payer, "did:key:") }, []error{ErrBadChannel, did.ErrInvalidDID}},
		{"DID channel, payer with upper-case method", ed, func(c *Channel) { c.Payer = strings.Replace(c.Payer, "did:key", "did:KEY", 1) }, []error{ErrBadChannel, did.ErrInvalidDID}},
		{"DID channel, payee not a DID", ed, func(c *Channel) { c.Payee = "charger-7" }, []error{ErrBadChannel, did.ErrInvalidDID}},
		{"DID channel, payee an address", ed, func(c *Channel) { c.Payee = ethAddr.String() }, []error{ErrBadChannel, did.ErrInvalidDID}},
		{"DID channel, payer is someone else's did:key", ed, func(c *Channel) { c.Payer = partyOf(other) }, []error{ErrPayerKey}},
		{"DID channel, key of someone else", ed, func(c *Channel) { c.Signer = other.VoucherKey() }, []error{ErrPayerKey}},
		{"DID channel, payer did:web unknown to the resolver", ed, func(c *Channel) { c.Payer = "did:web:fleet.example:car-7" }, []error{ErrPayerKey, did.ErrUnsupportedMethod}},
		{"DID channel, payer did:key of a 31-byte key", ed, func(c *Channel) { c.Payer = didKeyOfEd25519(make([]byte, 31)) }, []error{ErrPayerKey, did.ErrInvalidDID, did.ErrInvalidKey}},
		{"DID channel, payer did:key of an unknown multicodec", ed, func(c *Channel) { c.Payer = "did:key:z6Mk" }, []error{ErrPayerKey, did.ErrUnsupportedKeyType}},
		{"DID channel, P-256 key given uncompressed", ed, func(c *Channel) {
			k, _ := did.P256.DeriveKey(fixedSeed(4, 32))
			c.Signer = VoucherKey{Scheme: "P-256", Key: append([]byte{4}, make([]byte, 64)...)}
			c.Payer, _ = did.New(k.Public())
		}, []error{ErrBadChannel, did.ErrInvalidKey}},
		{"DID channel on chain", ed, func(c *Channel) { c.Domain.Contract = contract; c.PayeeAddress = otherEth }, []error{ErrBadChannel}},
		{"secp256k1 off chain, payer's address", eth, func(c *Channel) {}, nil},
		{"secp256k1 off chain, payer as did:pkh", eth, func(c *Channel) { c.Payer = "did:pkh:eip155:1337:" + ethAddr.String() }, nil},
		{"secp256k1 off chain, payee a did:key", eth, func(c *Channel) { c.Payee = testPayeeDID }, nil},
		{"secp256k1 off chain, another payer", eth, func(c *Channel) { c.Payer = otherEth.String() }, []error{ErrPayerKey}},
		{"secp256k1 off chain, payer in lowercase", eth, func(c *Channel) { c.Payer = strings.ToLower(ethAddr.String()) }, []error{ErrBadChannel}},
		{"secp256k1 off chain, payer a did:key", eth, func(c *Channel) { c.Payer = partyOf(ed) }, []error{ErrBadChannel}},
		{"secp256k1 off chain, payer not a DID", eth, func(c *Channel) { c.Payer = "not a did" }, []error{ErrBadChannel}},
		{"secp256k1, did:pkh of another chain", eth, func(c *Channel) { c.Payer = "did:pkh:eip155:1:" + ethAddr.String() }, []error{ErrBadChannel}},
		{"secp256k1, did:pkh chain with a leading zero", eth, func(c *Channel) { c.Payer = "did:pkh:eip155:01337:" + ethAddr.String() }, []error{ErrBadChannel}},
		{"secp256k1, did:pkh of another namespace", eth, func(c *Channel) { c.Payer = "did:pkh:solana:1337:" + ethAddr.String() }, []error{ErrBadChannel}},
		{"secp256k1, payee not a DID", eth, func(c *Channel) { c.Payee = "x" }, []error{ErrBadChannel, did.ErrInvalidDID}},
		{"secp256k1 on chain, payer the funding account", eth, func(c *Channel) {
			c.Domain.Contract, c.Payer, c.Payee, c.PayeeAddress = contract, otherEth.String(), ethAddr.String(), ethAddr
		}, nil},
		{"secp256k1 on chain, payee not its payout address", eth, func(c *Channel) {
			c.Domain.Contract, c.Payee, c.PayeeAddress = contract, ethAddr.String(), otherEth
		}, []error{ErrBadChannel}},
		{"secp256k1 on chain, no payout address", eth, func(c *Channel) { c.Domain.Contract = contract }, []error{ErrBadChannel}},
		{"settle delay not whole seconds", ed, func(c *Channel) { c.SettleDelay = 1500 * time.Millisecond }, []error{ErrBadChannel}},
	}
	for _, tc := range cases {
		c := testChannel(tc.signer, clk, 1000)
		tc.edit(c)
		p := newTestPayee(t, openStore(t, t.TempDir(), "payee"), clk)
		err := p.Open(ctx, c)
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v, want %v", tc.name, err, w)
			}
		}
	}
	t.Logf("%d identity cases", len(cases))
}

// TestRegisteredPayer: a payer named by a registered DID (not
// self-certifying) opens channels with the key its registry entry names,
// resolved through a did.KeyResolvers; after a rotation the old key is
// refused.
func TestRegisteredPayer(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	org, err := did.Ed25519.DeriveKey(fixedSeed(40, 32))
	if err != nil {
		t.Fatal(err)
	}
	orgDID, _ := did.New(org.Public())
	reg, err := did.OpenRegistry(ctx, filepath.Join(t.TempDir(), "registry"), did.RegistryOptions{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	car := ed25519Signer(t, 41)
	carPub, _ := car.VoucherKey().Verifier()
	const carDID = "did:web:fleet.example:car-7"
	if _, err := reg.Register(ctx, org, orgDID, carDID, carPub.(didVerifier).pk, clk.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	payee, err := NewPayee(openStore(t, t.TempDir(), "payee"), PayeeConfig{Keys: did.KeyResolvers{reg, did.SelfCertifying{}}, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	c := testChannel(car, clk, 1000)
	c.Payer = carDID
	if err := payee.Open(ctx, c); err != nil {
		t.Fatalf("registered payer: %v", err)
	}
	if _, err := payee.Accept(ctx, signed(t, car, c, 0, 1, 10), nil); err != nil {
		t.Fatal(err)
	}
	// The default resolver does not know did:web.
	plain := newTestPayee(t, openStore(t, t.TempDir(), "plain"), clk)
	if err := plain.Open(ctx, c); !errors.Is(err, ErrPayerKey) || !errors.Is(err, did.ErrUnsupportedMethod) {
		t.Fatalf("did:web with the default resolver: %v", err)
	}
	// Rotated: a new channel with the old key is refused, and so is the
	// next voucher on the channel the old key opened.
	next := ed25519Signer(t, 42)
	nextPub, _ := next.VoucherKey().Verifier()
	if _, err := reg.Rotate(ctx, org, carDID, nextPub.(didVerifier).pk, clk.Now()); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if _, err := payee.Accept(ctx, signed(t, car, c, 0, 2, 20), nil); !errors.Is(err, ErrPayerKey) {
		t.Fatalf("voucher by a rotated-out key: %v", err)
	}
	if errs := payee.AcceptBatch(ctx, []*Voucher{signed(t, car, c, 0, 2, 20)}); !errors.Is(errs[0], ErrPayerKey) {
		t.Fatalf("voucher by a rotated-out key, in a batch: %v", errs[0])
	}
	if best, _ := payee.store.Best(c.ID, 0); best == nil || best.Nonce != 1 {
		t.Fatalf("best voucher after the refusals: %+v, want nonce 1 (what was accepted stays)", best)
	}
	d := testChannel(car, clk, 1000)
	d.ID[0] ^= 1
	d.Payer = carDID
	if err := payee.Open(ctx, d); !errors.Is(err, ErrPayerKey) {
		t.Fatalf("rotated-out key: %v", err)
	}
	d.Signer = next.VoucherKey()
	if err := payee.Open(ctx, d); err != nil {
		t.Fatalf("current key: %v", err)
	}
}
