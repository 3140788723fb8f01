package reading

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
)

// hostileCase is one named hostile input with every error it must match.
type hostileCase struct {
	name string
	in   []byte
	want []error
}

func checkHostile(t *testing.T, parse func([]byte) (Signed, error), cases []hostileCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			_, err := parse(c.in)
			t.Logf("%v", err)
			if err == nil {
				t.Fatalf("accepted %q", c.in)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("error %v does not match ErrMalformed", err)
			}
			for _, w := range c.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v does not match %v", err, w)
				}
			}
			// No stutter: the package prefix appears once.
			if strings.Contains(err.Error(), ": reading: ") {
				t.Errorf("stuttering error: %v", err)
			}
		})
	}
}

// validJSON returns a valid signed reading and its canonical JSON.
func validJSON(t *testing.T) (Signed, string) {
	d := newDevice(t, did.Ed25519, 1)
	r := sample(d.did, 42)
	r.Metadata = map[string]string{"shipment": "S-1"}
	s := mustSign(t, d, r)
	j, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return s, string(j)
}

// TestHostileJSON is the catalogue of hostile JSON readings and the error
// each produces.
func TestHostileJSON(t *testing.T) {
	s, j := validJSON(t)
	if _, err := ParseJSON([]byte(j)); err != nil {
		t.Fatalf("base case refused: %v", err)
	}
	sig := b64.EncodeToString(s.Signature)
	commit := `"commitment":"` + b64.EncodeToString(bytes.Repeat([]byte{7}, 32)) + `",`
	rep := func(old, new string) []byte {
		if !strings.Contains(j, old) {
			t.Fatalf("base JSON %s lacks %q", j, old)
		}
		return []byte(strings.Replace(j, old, new, 1))
	}
	many := `"meta":{`
	for i := 0; i <= MaxMetadata; i++ {
		many += fmt.Sprintf(`"k%d":"v",`, i)
	}
	many = strings.TrimSuffix(many, ",") + "},"
	commit31 := bytes.Replace(rep(`,"value":425`, ``), []byte(`{`),
		[]byte(`{"commitment":"`+b64.EncodeToString(make([]byte, 31))+`",`), 1)
	cases := []hostileCase{
		// Member names: exactly one spelling.
		{"case-variant member", rep(`"device"`, `"Device"`), []error{canon.ErrUnknownMember}},
		{"case-variant member upper", rep(`"seq"`, `"SEQ"`), []error{canon.ErrUnknownMember}},
		{"unknown member", rep(`{`, `{"extra":1,`), []error{canon.ErrUnknownMember}},
		{"duplicate member", rep(`"seq":42`, `"seq":42,"seq":43`), []error{canon.ErrDuplicateKey}},
		{"duplicate member same value", rep(`"seq":42`, `"seq":42,"seq":42`), []error{canon.ErrDuplicateKey}},
		{"duplicate meta key", rep(`"shipment":"S-1"`, `"shipment":"S-1","shipment":"S-2"`), []error{canon.ErrDuplicateKey}},
		{"missing device", rep(`"device":"`+s.Device+`",`, ``), nil},
		{"missing sig", rep(`"sig":"`+sig+`",`, ``), nil},
		{"missing ts", rep(`,"ts":`+fmt.Sprint(s.Time.UnixMilli()), ``), nil},
		{"missing value and commitment", rep(`,"value":425`, ``), nil},
		// Value or commitment, never both.
		{"value and commitment", rep(`{`, `{`+commit), nil},
		{"commitment 31 bytes", commit31, nil},
		// Types and ranges.
		{"float value", rep(`"value":425`, `"value":42.5`), []error{canon.ErrWrongType}},
		{"exponent value", rep(`"value":425`, `"value":4.25e2`), []error{canon.ErrWrongType}},
		{"string value", rep(`"value":425`, `"value":"425"`), []error{canon.ErrWrongType}},
		{"value beyond 2^53", rep(`"value":425`, `"value":9007199254740992`), nil},
		{"negative seq", rep(`"seq":42`, `"seq":-1`), []error{canon.ErrWrongType}},
		{"seq beyond 2^64", rep(`"seq":42`, `"seq":18446744073709551616`), []error{canon.ErrWrongType}},
		{"negative ts", rep(`"ts":`, `"ts":-`), nil},
		{"scale beyond int8", rep(`"scale":2`, `"scale":128`), []error{canon.ErrWrongType}},
		{"null member", rep(`"scale":2`, `"scale":null`), nil},
		{"null value", rep(`"value":425`, `"value":null`), nil},
		{"zero scale spelled out", rep(`"scale":2`, `"scale":0`), nil},
		{"empty unit spelled out", rep(`"unit":"Cel"`, `"unit":""`), nil},
		{"empty meta spelled out", rep(`"meta":{"shipment":"S-1"}`, `"meta":{}`), nil},
		{"meta value not a string", rep(`"S-1"`, `1`), []error{canon.ErrWrongType}},
		{"meta value an object", rep(`"S-1"`, `{"a":"b"}`), nil},
		// Strings and names.
		{"topic with space", rep(`"coldchain/truck-7/temp"`, `"coldchain truck"`), nil},
		{"empty topic", rep(`"coldchain/truck-7/temp"`, `""`), nil},
		{"invalid UTF-8 topic", rep(`"coldchain/truck-7/temp"`, "\"cold\xffchain\""), nil},
		{"lone surrogate", rep(`"S-1"`, `"\ud800"`), []error{canon.ErrLoneSurrogate}},
		{"meta key outside alphabet", rep(`"shipment"`, `"ship ment"`), nil},
		{"unit with space", rep(`"Cel"`, `"deg C"`), nil},
		{"bad DID", rep(`"`+s.Device+`"`, `"did:"`), []error{did.ErrInvalidDID}},
		{"not a DID", rep(`"`+s.Device+`"`, `"device-7"`), []error{did.ErrInvalidDID}},
		// Binary members: strict unpadded base64url.
		{"padded sig", rep(sig, sig+"=="), nil},
		{"std base64 sig", rep(sig, strings.NewReplacer("-", "+", "_", "/").Replace(sig)+"+/"), nil},
		{"sig with stray bits", rep(sig, sig[:len(sig)-1]+"B"), nil},
		{"empty sig", rep(`"sig":"`+sig+`"`, `"sig":""`), nil},
		// Sizes.
		{"oversize input", []byte(j + strings.Repeat(" ", MaxSize)), []error{ErrTooLarge}},
		{"oversize topic", rep(`"coldchain/truck-7/temp"`, `"`+strings.Repeat("t", MaxTopicLen+1)+`"`), []error{ErrTooLarge}},
		{"oversize meta value", rep(`"S-1"`, `"`+strings.Repeat("v", MaxMetadataValueLen+1)+`"`), []error{ErrTooLarge}},
		{"too many meta entries", rep(`"meta":{"shipment":"S-1"},`, many), []error{ErrTooLarge}},
		{"oversize sig", rep(sig, b64.EncodeToString(make([]byte, MaxSignatureLen+1))), []error{ErrTooLarge}},
		{"deep nesting", rep(`"S-1"`, strings.Repeat("[", 40)+strings.Repeat("]", 40)), nil},
		// One value, nothing else.
		{"empty input", nil, []error{canon.ErrEmpty}},
		{"trailing data", []byte(j + `{}`), []error{canon.ErrTrailingData}},
		{"array", []byte(`[1]`), []error{canon.ErrWrongType}},
		{"array of a reading", []byte(`[` + j + `]`), nil},
		{"not JSON", []byte(`device=did:key`), []error{canon.ErrSyntax}},
	}
	checkHostile(t, ParseJSON, cases)

	// The unsigned form refuses a signature, the signed form needs one.
	var r Reading
	if err := r.UnmarshalJSON([]byte(j)); !errors.Is(err, ErrMalformed) {
		t.Errorf("Reading.UnmarshalJSON of a signed reading: %v", err)
	}
}

// kv is one CBOR map entry; raw values are written as they are.
type kv struct {
	k string
	v any
}

type rawCBOR []byte

// cborMap writes a definite-length map of pairs in the order given, each key
// and value in the core deterministic encoding unless raw.
func cborMap(t *testing.T, pairs []kv) []byte {
	t.Helper()
	b := []byte{0xa0 + byte(len(pairs))}
	if len(pairs) >= 24 {
		t.Fatal("cborMap: too many pairs")
	}
	for _, p := range pairs {
		k, err := cborEnc.Marshal(p.k)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, k...)
		if r, ok := p.v.(rawCBOR); ok {
			b = append(b, r...)
			continue
		}
		v, err := cborEnc.Marshal(p.v)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, v...)
	}
	return b
}

func replaceKV(pairs []kv, key string, v any) []kv {
	out := append([]kv(nil), pairs...)
	for i := range out {
		if out[i].k == key {
			out[i].v = v
		}
	}
	return out
}

func dropKV(pairs []kv, key string) []kv {
	var out []kv
	for _, p := range pairs {
		if p.k != key {
			out = append(out, p)
		}
	}
	return out
}

// TestHostileCBOR is the catalogue of hostile CBOR readings and the error
// each produces.
func TestHostileCBOR(t *testing.T) {
	s, _ := validJSON(t)
	s.Metadata = nil
	d := newDevice(t, did.Ed25519, 1)
	s = mustSign(t, d, s.Reading)
	good, err := s.MarshalCBOR()
	if err != nil {
		t.Fatal(err)
	}
	// The valid reading, keys in the deterministic order (shorter first).
	base := []kv{
		{"ts", s.Time.UnixMilli()}, {"seq", s.Seq}, {"sig", s.Signature}, {"unit", s.Unit},
		{"scale", s.Scale}, {"topic", s.Topic}, {"value", s.Value}, {"device", s.Device}, {"sensor", s.Sensor},
	}
	if got := cborMap(t, base); !bytes.Equal(got, good) {
		t.Fatalf("test helper disagrees with MarshalCBOR:\n%x\n%x", got, good)
	}
	if _, err := ParseCBOR(good); err != nil {
		t.Fatalf("base case refused: %v", err)
	}
	swapped := append([]kv(nil), base...)
	swapped[1], swapped[2] = swapped[2], swapped[1]
	// s.Value < 2^16 with a 4-byte argument.
	nonMinimal := []byte{0x1a, 0, 0, byte(s.Value >> 8), byte(s.Value)}
	if s.Value < 256 || s.Value >= 1<<16 {
		t.Fatal("sample value out of the non-minimal case's range")
	}
	indef := append([]byte{0xbf}, good[1:]...)
	indef = append(indef, 0xff)
	tagged := append([]byte{0xd9, 0xd9, 0xf7}, good...) // tag 55799, self-described CBOR
	longBytes := []byte{0x5a, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02}
	if !bytes.HasPrefix(good, []byte{0xa9, 0x62, 't', 's'}) {
		t.Fatalf("unexpected encoding %x", good)
	}
	bstrKey := append([]byte{0xa9, 0x42, 't', 's'}, good[4:]...) // "ts" as a byte string key
	floatValue := rawCBOR{0xfb, 0x40, 0x7a, 0x90, 0, 0, 0, 0, 0} // 425.0 as float64
	cases := []hostileCase{
		{"case-variant key", cborMap(t, replaceKeyKV(base, "device", "Device")), nil},
		{"unknown key", cborMap(t, append([]kv{{"x", 1}}, base...)), nil},
		{"duplicate key", cborMap(t, append([]kv{{"ts", s.Time.UnixMilli()}}, base...)), nil},
		{"unsorted keys", cborMap(t, swapped), nil},
		{"non-minimal integer", cborMap(t, replaceKV(base, "value", rawCBOR(nonMinimal))), nil},
		{"indefinite-length map", indef, nil},
		{"tagged", tagged, nil},
		{"byte-string key", bstrKey, nil},
		{"trailing bytes", append(append([]byte(nil), good...), 0x00), nil},
		{"float value", cborMap(t, replaceKV(base, "value", floatValue)), nil},
		{"text sig", cborMap(t, replaceKV(base, "sig", base64.RawURLEncoding.EncodeToString(s.Signature))), nil},
		{"text seq", cborMap(t, replaceKV(base, "seq", "42")), nil},
		{"zero scale spelled out", cborMap(t, replaceKV(base, "scale", 0)), nil},
		{"empty unit spelled out", cborMap(t, replaceKV(base, "unit", "")), nil},
		{"null value", cborMap(t, replaceKV(base, "value", rawCBOR{0xf6})), nil},
		{"undefined value", cborMap(t, replaceKV(base, "value", rawCBOR{0xf7})), nil},
		{"missing seq", cborMap(t, dropKV(base, "seq")), nil},
		{"missing value", cborMap(t, dropKV(base, "value")), nil},
		{"missing sig", cborMap(t, dropKV(base, "sig")), nil},
		{"value and commitment", cborMap(t, append(append([]kv(nil), base...), kv{"commitment", make([]byte, 32)})), nil},
		{"value beyond 2^53", cborMap(t, replaceKV(base, "value", int64(MaxValue)+1)), nil},
		{"negative ts", cborMap(t, replaceKV(base, "ts", -1)), nil},
		{"seq beyond 2^53", cborMap(t, replaceKV(base, "seq", uint64(1)<<63)), nil},
		{"seq beyond 2^64 as bignum", cborMap(t, replaceKV(base, "seq", rawCBOR{0xc2, 0x49, 1, 0, 0, 0, 0, 0, 0, 0, 0})), nil},
		{"ts beyond int64", cborMap(t, replaceKV(base, "ts", uint64(1)<<63)), nil},
		{"bad DID", cborMap(t, replaceKV(base, "device", "did:")), []error{did.ErrInvalidDID}},
		{"invalid UTF-8", cborMap(t, replaceKV(base, "topic", rawCBOR{0x62, 0xff, 0xfe})), nil},
		{"truncated", good[:len(good)-1], nil},
		{"huge byte string header", longBytes, nil},
		{"array", append([]byte{0x81}, good...), nil},
		{"empty input", nil, nil},
		{"oversize input", append(append([]byte(nil), good...), make([]byte, MaxSize)...), []error{ErrTooLarge}},
		{"oversize sig", cborMap(t, replaceKV(base, "sig", make([]byte, MaxSignatureLen+1))), []error{ErrTooLarge}},
		{"oversize topic", cborMap(t, replaceKV(base, "topic", strings.Repeat("t", MaxTopicLen+1))), []error{ErrTooLarge}},
		{"deep nesting", cborMap(t, replaceKV(base, "topic", rawCBOR(bytes.Repeat([]byte{0x81}, 40)))), []error{ErrTooLarge}},
		// Nine entries fail Validate, seventeen the decoder's map bound:
		// both are too many metadata entries.
		{"too many meta entries", cborMap(t, append(append([]kv(nil), base...), kv{"meta", manyMeta(MaxMetadata + 1)})), []error{ErrTooLarge}},
		{"far too many meta entries", cborMap(t, append(append([]kv(nil), base...), kv{"meta", manyMeta(17)})), []error{ErrTooLarge}},
	}
	checkHostile(t, ParseCBOR, cases)

	// The decoder's own options are what refuse some of these: check one
	// cause is carried through.
	_, err = ParseCBOR(cborMap(t, append([]kv{{"ts", s.Time.UnixMilli()}}, base...)))
	var dup *cbor.DupMapKeyError
	if !errors.As(err, &dup) {
		t.Errorf("duplicate key: %v does not carry the decoder's DupMapKeyError", err)
	}
}

func replaceKeyKV(pairs []kv, key, newKey string) []kv {
	out := append([]kv(nil), pairs...)
	for i := range out {
		if out[i].k == key {
			out[i].k = newKey
		}
	}
	return out
}

// TestHostileSignatures is the catalogue of readings that parse but must
// not verify.
func TestHostileSignatures(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, did.Ed25519, 1)
	other := newDevice(t, did.Ed25519, 2)
	s := mustSign(t, d, sample(d.did, 1))
	c, _ := s.CanonicalJSON()
	signAs := func(tag canon.Tag) []byte {
		msg, err := canon.SigningMessage(tag, c)
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := d.key.Sign(msg)
		return sig
	}
	mutate := func(f func(*Signed)) Signed {
		m := s
		m.Signature = append([]byte(nil), s.Signature...)
		f(&m)
		return m
	}
	cases := []struct {
		name string
		s    Signed
		want error
	}{
		{"wrong domain tag", mutate(func(m *Signed) { m.Signature = signAs(did.AuthTag) }), ErrBadSignature},
		{"next version's tag", mutate(func(m *Signed) { m.Signature = signAs(Tag + "x") }), ErrBadSignature},
		{"untagged message", mutate(func(m *Signed) { m.Signature, _ = d.key.Sign(c) }), ErrBadSignature},
		{"forged signature", mutate(func(m *Signed) { m.Signature[5] ^= 0x80 }), ErrBadSignature},
		{"value changed", mutate(func(m *Signed) { m.Value++ }), ErrBadSignature},
		{"time changed", mutate(func(m *Signed) { m.Time = m.Time.Add(1e6) }), ErrBadSignature},
		{"metadata added", mutate(func(m *Signed) { m.Metadata = map[string]string{"a": "b"} }), ErrBadSignature},
		{"another device's DID", mutate(func(m *Signed) { m.Device = other.did }), ErrBadSignature},
		{"undecodable did:key", mutate(func(m *Signed) { m.Device = "did:key:z6MkBAD" }), ErrNoKey},
		{"unsupported method", mutate(func(m *Signed) { m.Device = "did:web:example.com" }), ErrNoKey},
		{"malformed DID", mutate(func(m *Signed) { m.Device = "did:key" }), ErrMalformed},
		{"both value and commitment", mutate(func(m *Signed) { m.Commitment = make([]byte, 32) }), ErrMalformed},
		{"signature of another length", mutate(func(m *Signed) { m.Signature = append(m.Signature, 0) }), ErrBadSignature},
		{"no signature", mutate(func(m *Signed) { m.Signature = nil }), ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := Verify(ctx, keys(), c.s); !errors.Is(err, c.want) {
				t.Errorf("Verify: %v, want %v", err, c.want)
			}
			errs := VerifyBatch(ctx, keys(), []Signed{s, c.s, s})
			if errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], c.want) {
				t.Errorf("VerifyBatch: %v, want [nil %v nil]", errs, c.want)
			}
		})
	}
}

// TestOneForgedAmong64: one forged reading in a batch of 64 Ed25519
// readings, at every position, rejects only itself.
func TestOneForgedAmong64(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, did.Ed25519, 1)
	ss := make([]Signed, BatchSize)
	for i := range ss {
		ss[i] = mustSign(t, d, sample(d.did, uint64(i)))
	}
	for forged := range ss {
		batch := append([]Signed(nil), ss...)
		batch[forged].Signature = append([]byte(nil), ss[forged].Signature...)
		batch[forged].Signature[10] ^= 1
		for i, err := range VerifyBatch(ctx, keys(), batch) {
			if (i == forged) != errors.Is(err, ErrBadSignature) || i != forged && err != nil {
				t.Fatalf("forged %d: reading %d: %v", forged, i, err)
			}
		}
	}
}

// manyMeta returns n metadata entries.
func manyMeta(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprint("k", i)] = "v"
	}
	return m
}
