package anchor_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/canon"
)

// goodCommitmentJSON is the JSON form of vectorCommitment, as MarshalJSON
// writes it.
const goodCommitmentJSON = `{"root":"sha256:0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",` +
	`"cid":"bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",` +
	`"windowStart":"2026-01-01T00:00:00.000000005Z","windowEnd":"2026-01-01T00:01:00Z",` +
	`"count":1000,"topic":"coldchain/truck-7/temp","metadata":"yv4="}`

// goodReceiptJSON is a receipt of vectorCommitment as MarshalJSON writes it.
const goodReceiptJSON = `{"ledger":"tlog","chain":"example.com/log","commitment":` + goodCommitmentJSON +
	`,"position":7,"txId":"ab","time":"2026-01-01T00:01:00Z","state":"included","proof":"AQI="}`

// hostileCase is one named hostile input and the errors it must produce.
type hostileCase struct {
	name string
	in   string
	want []error // every one must match
}

// commitmentHostile is the catalogue of hostile JSON commitments; each is
// fed to (*Commitment).UnmarshalJSON, which every decoder path reaches.
func commitmentHostile() []hostileCase {
	g := goodCommitmentJSON
	bad := []error{anchor.ErrInvalidCommitment, anchor.ErrBadEncoding}
	with := func(extra ...error) []error { return append(append([]error{}, bad...), extra...) }
	r := func(old, new string) string {
		if !strings.Contains(g, old) {
			panic("hostile case edits nothing: " + old)
		}
		return strings.Replace(g, old, new, 1)
	}
	return []hostileCase{
		{"case-variant member Root", r(`"root"`, `"Root"`), with(canon.ErrUnknownMember)},
		{"case-variant member COUNT", r(`"count"`, `"COUNT"`), with(canon.ErrUnknownMember)},
		{"case-variant member windowstart", r(`"windowStart"`, `"windowstart"`), with(canon.ErrUnknownMember)},
		{"duplicate member count", r(`"count":1000`, `"count":1000,"count":1`), with(canon.ErrDuplicateKey)},
		{"duplicate member with the same value", r(`"count":1000`, `"count":1000,"count":1000`), with(canon.ErrDuplicateKey)},
		{"unknown member", r(`{"root"`, `{"extra":1,"root"`), with(canon.ErrUnknownMember)},
		{"empty input", ``, with(canon.ErrEmpty)},
		{"whitespace only", " \n\t", with(canon.ErrEmpty)},
		{"trailing garbage", g + "x", with(canon.ErrTrailingData)},
		{"two values", g + g, with(canon.ErrTrailingData)},
		{"not an object", `[1,2]`, with(canon.ErrWrongType)},
		{"count as a string", r(`1000`, `"1000"`), with(canon.ErrWrongType)},
		{"count as a fraction", r(`1000`, `1000.0`), with(canon.ErrWrongType)},
		{"count in exponent form", r(`1000`, `1e3`), with(canon.ErrWrongType)},
		{"negative count", r(`1000`, `-1`), with(canon.ErrWrongType)},
		{"count beyond uint64", r(`1000`, `18446744073709551616`), with(canon.ErrWrongType)},
		{"time with a zero offset instead of Z", r(`00:01:00Z`, `00:01:00+00:00`), bad},
		{"time in another zone", r(`"2026-01-01T00:01:00Z"`, `"2026-01-01T01:01:00+01:00"`), bad},
		{"time with trailing zeros", r(`00:01:00Z`, `00:01:00.000Z`), bad},
		{"CIDv1 in base58btc", r(`bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy`, `zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA`), bad},
		{"upper-case root hex", r(`0102030405060708090a0b0c`, `0102030405060708090A0B0C`), bad},
		{"metadata base64 with an escaped newline", r(`"yv4="`, `"yv\n4="`), bad},
		{"metadata base64 without padding", r(`"yv4="`, `"yv4"`), with(canon.ErrWrongType)},
		{"empty metadata spelled out", r(`,"metadata":"yv4="`, `,"metadata":""`), bad},
		{"root of an unknown function", r(`"sha256:`, `"md5:`), with(canon.ErrWrongType, canon.ErrUnknownHash)},
		{"invalid UTF-8 in topic", r(`truck-7`, "truck-\xff"), with(canon.ErrInvalidUTF8)},
		{"lone surrogate in topic", r(`truck-7`, `truck-\ud800`), with(canon.ErrLoneSurrogate)},
		{"nested too deep", r(`1000`, `[[1]]`), with(canon.ErrTooDeep)},
		{"over MaxJSONLen", r(`{"root"`, "{"+strings.Repeat(" ", anchor.MaxJSONLen)+`"root"`), with(canon.ErrTooLarge)},
		{"missing cid", r(`"cid":"bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",`, ``), []error{anchor.ErrInvalidCommitment, anchor.ErrBadCID}},
		{"zero count", r(`1000`, `0`), []error{anchor.ErrInvalidCommitment, anchor.ErrZeroCount}},
		{"topic with a wildcard", r(`truck-7`, `+`), []error{anchor.ErrInvalidCommitment, anchor.ErrBadTopic}},
		{"window end before start", r(`"2026-01-01T00:01:00Z"`, `"2025-12-31T00:00:00Z"`), []error{anchor.ErrInvalidCommitment, anchor.ErrBadWindow}},
		{"metadata too large", r(`"yv4="`, `"`+base64.StdEncoding.EncodeToString(make([]byte, anchor.MaxMetadataLen+1))+`"`), []error{anchor.ErrInvalidCommitment, anchor.ErrMetadataTooLarge}},
	}
}

// receiptHostile is the catalogue of hostile JSON receipts, fed to
// anchor.ParseReceipt.
func receiptHostile() []hostileCase {
	g := goodReceiptJSON
	bad := []error{anchor.ErrMalformedReceipt}
	with := func(extra ...error) []error { return append(append([]error{}, bad...), extra...) }
	r := func(old, new string) string {
		if !strings.Contains(g, old) {
			panic("hostile case edits nothing: " + old)
		}
		return strings.Replace(g, old, new, 1)
	}
	return []hostileCase{
		{"case-variant member Ledger", r(`"ledger"`, `"Ledger"`), with(canon.ErrUnknownMember)},
		{"case-variant member TxID", r(`"txId"`, `"TxID"`), with(canon.ErrUnknownMember)},
		{"case-variant member inside the commitment", r(`"topic"`, `"Topic"`), with(anchor.ErrInvalidCommitment, canon.ErrUnknownMember)},
		{"duplicate member position", r(`"position":7`, `"position":7,"position":8`), with(canon.ErrDuplicateKey)},
		{"duplicate member state", r(`"state":"included"`, `"state":"included","state":"final"`), with(canon.ErrDuplicateKey)},
		{"unknown member", r(`{"ledger"`, `{"verified":true,"ledger"`), with(canon.ErrUnknownMember)},
		{"empty input", ``, with(canon.ErrEmpty)},
		{"trailing garbage", g + "}", with(canon.ErrTrailingData)},
		{"two receipts", g + g, with(canon.ErrTrailingData)},
		{"null", `null`, bad},
		{"not an object", `"receipt"`, with(canon.ErrWrongType)},
		{"unknown state", r(`"included"`, `"done"`), with(anchor.ErrBadState)},
		{"state in upper case", r(`"included"`, `"INCLUDED"`), with(anchor.ErrBadState)},
		{"no state", r(`,"state":"included"`, ``), with(anchor.ErrBadState)},
		{"null commitment", r(goodCommitmentJSON, `null`), with(anchor.ErrInvalidCommitment)},
		{"commitment with zero count", r(`"count":1000`, `"count":0`), with(anchor.ErrInvalidCommitment, anchor.ErrZeroCount)},
		{"time with an offset", r(`"time":"2026-01-01T00:01:00Z"`, `"time":"2026-01-01T02:01:00+02:00"`), bad},
		{"empty proof spelled out", r(`"AQI="`, `""`), bad},
		{"proof base64 with an escaped newline", r(`"AQI="`, `"AQ\r\nI="`), bad},
		{"position negative", r(`"position":7`, `"position":-7`), with(canon.ErrWrongType)},
		{"position as a fraction", r(`"position":7`, `"position":7.5`), with(canon.ErrWrongType)},
		{"nested too deep", r(`"position":7`, `"position":[[[7]]]`), with(canon.ErrTooDeep)},
		{"over MaxReceiptJSONLen", r(`{"ledger"`, "{"+strings.Repeat("\n", anchor.MaxReceiptJSONLen)+`"ledger"`), with(canon.ErrTooLarge)},
	}
}

func checkHostile(t *testing.T, cases []hostileCase, decode func([]byte) error) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("two cases named %q", tc.name)
		}
		seen[tc.name] = true
		err := decode([]byte(tc.in))
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v, does not match %v", tc.name, err, w)
			}
		}
		if s := err.Error(); strings.Count(s, "anchor: ") > 1 {
			t.Errorf("%s: error stutters: %s", tc.name, s)
		}
	}
}

func TestHostileCommitmentJSON(t *testing.T) {
	var c anchor.Commitment
	if err := c.UnmarshalJSON([]byte(goodCommitmentJSON)); err != nil || !c.Equal(vectorCommitment(t)) {
		t.Fatalf("the catalogue's base case does not decode: %v", err)
	}
	checkHostile(t, commitmentHostile(), func(b []byte) error {
		var c anchor.Commitment
		return c.UnmarshalJSON(b)
	})
	// Through encoding/json and canon.Decode the same cases fail; only the
	// framing errors of the outer decoder differ.
	for _, tc := range commitmentHostile() {
		var c anchor.Commitment
		if err := json.Unmarshal([]byte(tc.in), &c); err == nil {
			t.Errorf("%s: accepted by json.Unmarshal", tc.name)
		}
		if err := canon.Decode([]byte(tc.in), &c); err == nil {
			t.Errorf("%s: accepted by canon.Decode", tc.name)
		}
	}
}

func TestHostileReceiptJSON(t *testing.T) {
	if _, err := anchor.ParseReceipt([]byte(goodReceiptJSON)); err != nil {
		t.Fatalf("the catalogue's base case does not decode: %v", err)
	}
	checkHostile(t, receiptHostile(), func(b []byte) error {
		_, err := anchor.ParseReceipt(b)
		return err
	})
	for _, tc := range receiptHostile() {
		if tc.name == "null" || tc.name == "no state" || tc.name == "null commitment" {
			continue // allowed inside a MultiReceipt; ParseReceipt alone refuses them
		}
		var r anchor.Receipt
		if err := json.Unmarshal([]byte(tc.in), &r); err == nil {
			t.Errorf("%s: accepted by json.Unmarshal", tc.name)
		}
	}
}

// TestOneJSONEncoding holds the documentation's promise: a commitment and
// a receipt have one JSON form. Every spelling the catalogue tries of the
// same values is refused, and what is accepted re-encodes to the same
// value.
func TestOneJSONEncoding(t *testing.T) {
	for _, in := range []string{goodCommitmentJSON, anchortestJSON(t)} {
		var c anchor.Commitment
		if err := c.UnmarshalJSON([]byte(in)); err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(c)
		canonIn, err1 := canon.Canonicalize([]byte(in))
		canonOut, err2 := canon.Canonicalize(out)
		if err1 != nil || err2 != nil || string(canonIn) != string(canonOut) {
			t.Errorf("accepted %s, re-encodes as %s", in, out)
		}
	}
	// Member order and whitespace are not part of the value.
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(goodCommitmentJSON), &m); err != nil {
		t.Fatal(err)
	}
	pretty, _ := json.MarshalIndent(m, "", "  ") // sorted members, indented
	var c anchor.Commitment
	if err := c.UnmarshalJSON(pretty); err != nil {
		t.Errorf("reordered, indented form refused: %v", err)
	}
}

func anchortestJSON(t *testing.T) string {
	b, err := json.Marshal(anchortest.Commitment("one encoding"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHostilePolicies: policies that can never mean anything are refused.
func TestHostilePolicies(t *testing.T) {
	up := newMemLedger()
	for _, tc := range []struct {
		name string
		p    anchor.Policy
		n    int
	}{
		{"0 of 1", anchor.KofN(0), 1},
		{"0 of 3", anchor.KofN(0), 3},
		{"-1 of 1", anchor.KofN(-1), 1},
		{"3 of 2", anchor.KofN(3), 2},
		{"any of none", anchor.Any(), 0},
		{"all of none", anchor.All(), 0},
	} {
		ls := make([]anchor.Anchorer, tc.n)
		for i := range ls {
			ls[i] = up
		}
		if _, err := anchor.NewMulti(tc.p, ls...); !errors.Is(err, anchor.ErrBadPolicy) {
			t.Errorf("%s: %v, want ErrBadPolicy", tc.name, err)
		}
	}
	if got := anchor.KofN(0).String(); got != "0-of-n" {
		t.Errorf("KofN(0) prints as %q", got)
	}
}
